"""MkDocs hook: put what the calculators need into the site.

- assets/policies.json: the policy bundle, for the browser (which never parses YAML);
- assets/calculators/wheels/: the calculators package as a pure-Python wheel, for Pyodide;
- assets/pyodide/: Pyodide itself, copied from node_modules (self-hosted: no CDN).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
