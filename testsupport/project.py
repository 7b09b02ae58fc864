"""A working copy of the project in another folder: enough to check the policies and build the site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `mkdocs build` and `python -m calculators` need; node_modules (Pyodide) is linked, not copied.
COPIED = ["mkdocs.yml", "docs", "hooks", "handbook", "policies", "calculators", "policy_loader", "pyproject.toml",
          "package-lock.json"]  # the build checks node_modules/pyodide against the lock


def project_copy(target: Path) -> None:
    """Copy the project into the existing folder `target`."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    os.symlink(ROOT / "node_modules", target / "node_modules")
