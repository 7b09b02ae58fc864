"""MkDocs hook: put what the calculators need into the site.

- assets/policies.json: the policy bundle, for the browser (which never parses YAML);
- assets/calculators/wheels/: the calculators package as a pure-Python wheel, for Pyodide;
- assets/pyodide/: Pyodide itself, copied from node_modules (self-hosted: no CDN).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into `out_dir` with flit_core, in-process (no network, ~50 ms)."""
    from flit_core import buildapi

    out_dir.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(ROOT)  # flit_core reads pyproject.toml from the current directory
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = buildapi.build_wheel(tmp)
            target = out_dir / name
            target.write_bytes((Path(tmp) / name).read_bytes())
    finally:
        os.chdir(cwd)
    return target


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def on_post_build(*, config) -> None:
    site = Path(config["site_dir"])
    bundle = config["policy_bundle"]
    target = site / "assets"
    (target / "policies.json").write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
    wheels = target / "calculators" / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheel = build_wheel(wheels)
    # The worker finds the wheel by a fixed name (wheel.json); the versioned file name busts caches.
    (target / "calculators" / "wheel.json").write_text(json.dumps({"wheel": f"wheels/{wheel.name}",
                                                                   "policy_version": bundle["version"]}),
                                                       encoding="utf-8")
    copy_pyodide(target / "pyodide")


def copy_pyodide(target: Path) -> None:
    """Copy the Pyodide files the calculators use (not the whole npm package) into the site."""
    source = ROOT / "node_modules" / "pyodide"
    if not (source / "pyodide.mjs").is_file():
        raise PluginError("Pyodide is missing from node_modules/pyodide: run `make install` (npm ci).")
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        destination = target / name
        if not destination.exists() or destination.stat().st_mtime < (source / name).stat().st_mtime:
            shutil.copy2(source / name, destination)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

# What loadPyodide fetches for the core interpreter; the calculators need no other package.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
