"""Fixture `pyodide_run`: run calculator cases inside real Pyodide (npm package) under Node.

What runs is what the site ships and the browser worker starts (hooks/assets.py): the calculators
wheel with its modules precompiled to .pyc, unpacked into the interpreter, which boots from the
precompiled stdlib. Both come from the fast start (made under Node, cached in .cache/pyodide-boot).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from testsupport.checkout import PYODIDE_DIR
RUNNER = Path(__file__).resolve().parent / "run_cases.mjs"


@pytest.fixture(scope="session")
def shipped_start(tmp_path_factory) -> dict:
    """{"wheel": Path, "stdlib": Path}: the precompiled calculators wheel and stdlib the site ships."""
    from hooks.assets import build_wheel, fast_start

    assets = tmp_path_factory.mktemp("assets")
    calculators = assets / "calculators"
    (assets / "pyodide").mkdir()
    boot = fast_start(build_wheel(assets / "source"), assets / "pyodide", calculators / "wheels")
    return {"wheel": calculators / boot["wheel"], "stdlib": (calculators / boot["stdlib"]).resolve()}


@pytest.fixture(scope="session")
def pyodide_run(shipped_start, tmp_path_factory):
    """pyodide_run(bundle, cases) -> the runner's report: {python, platform, modules, startup_ms, run_ms, results}."""
    node = shutil.which("node")
    if node is None or not (PYODIDE_DIR / "pyodide.mjs").is_file():
        pytest.fail("Pyodide under Node needs node and node_modules/pyodide: run `make install`")

    def run(bundle: dict, cases: list[dict]) -> dict:
        cases_file = tmp_path_factory.mktemp("cases") / "cases.json"
        cases_file.write_text(json.dumps({"bundle": bundle, "cases": cases}), encoding="utf-8")
        proc = subprocess.run([node, str(RUNNER), str(PYODIDE_DIR), str(shipped_start["wheel"]),
                               str(shipped_start["stdlib"]), str(cases_file)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"Pyodide runner failed:\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout)

    return run
