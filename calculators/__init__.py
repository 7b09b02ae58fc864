"""Seller handbook calculators: pure functions of (policy bundle, inputs, as-of date).

Standard library only, so the same code runs in CPython (tests, CLI) and in Pyodide (the browser).
It never reads YAML: it receives the bundle that policy_loader builds.
"""

from calculators.api import evaluate, run, specs

__version__ = "0.1.0"
__all__ = ["evaluate", "run", "specs"]
