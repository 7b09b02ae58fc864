"""Where this checkout is: its root, its policies and the pinned Pyodide, for the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"  # the npm package package-lock.json pins
