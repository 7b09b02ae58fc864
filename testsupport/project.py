"""A working copy of the project in another folder: enough to check the policies and build the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from testsupport.today import TODAY

ROOT = Path(__file__).resolve().parent.parent
# What `mkdocs build` and `python -m calculators` need; node_modules (Pyodide) is linked, not copied.
COPIED = ["mkdocs.yml", "docs", "overrides", "hooks", "policy_contract", "policies", "calculators", "cli", "batch",
          "policy_loader", "pyproject.toml",
          "package-lock.json"]  # the build checks node_modules/pyodide against the lock


def project_copy(target: Path, *, share_build_cache: bool = False) -> None:
    """Copy the project into the existing folder `target`.

    share_build_cache links .cache (the Pyodide fast-start files, keyed by their inputs' content,
    hooks/assets.py) instead of leaving the copy to make its own under Node (~8 s a build). The tests
    share it, and so test only their own change; the build benchmark does not, and so measures a copy
    built from scratch.
    """
    if share_build_cache:
        (ROOT / ".cache").mkdir(exist_ok=True)
        os.symlink(ROOT / ".cache", target / ".cache")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    os.symlink(ROOT / "node_modules", target / "node_modules")


def build(project: Path, site: Path) -> None:
    """`mkdocs build --strict` of `project` into `site`, with "today" pinned to the tests' TODAY."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": TODAY.isoformat()}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
