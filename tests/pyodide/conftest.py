"""Fixture `pyodide_run`: run calculator cases inside real Pyodide (npm package) under Node.

The calculators wheel is built the way the site builds it (hooks/assets.py) and unpacked into
site-packages, as the browser worker does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
RUNNER = Path(__file__).resolve().parent / "run_cases.mjs"


@pytest.fixture(scope="session")
def calculators_wheel(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT))
    from hooks.assets import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def pyodide_run(calculators_wheel, tmp_path_factory):
    """pyodide_run(bundle, cases) -> the runner's report: {python, platform, startup_ms, run_ms, results}."""
    node = shutil.which("node")
    if node is None or not (PYODIDE_DIR / "pyodide.mjs").is_file():
        pytest.fail("Pyodide under Node needs node and node_modules/pyodide: run `make install`")

    def run(bundle: dict, cases: list[dict]) -> dict:
        cases_file = tmp_path_factory.mktemp("cases") / "cases.json"
        cases_file.write_text(json.dumps({"bundle": bundle, "cases": cases}), encoding="utf-8")
        proc = subprocess.run([node, str(RUNNER), str(PYODIDE_DIR), str(calculators_wheel), str(cases_file)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"Pyodide runner failed:\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout)

    return run
