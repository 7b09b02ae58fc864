"""Shared fixtures: the real policy bundle and the real built site, each made once per test session.

Also the marks by folder: every test under tests/browser/ is a `browser` test and every test under
tests/pyodide/ a `pyodide` test, whether or not its module says so, so that `make test-fast`
(-m "not browser and not pyodide") never starts Chromium or Node.

And the groups for pytest-xdist (`make test` and `make test-fast` run `-n 2 --dist loadgroup`): the
tests that share an expensive fixture (a site build, a Pyodide run under Node) go to one worker,
so the fixture is still made once, not once per worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from policy_loader import load_bundle

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
TODAY = "2026-11-22"  # "today" for the built pages, so that what they state is fixed
MARK_BY_FOLDER = {"browser": "browser", "pyodide": "pyodide"}
# Module- or session-scoped fixtures that take seconds: their tests run on one xdist worker.
SHARED_FIXTURES = ("built_handbook", "planted_site", "pyodide_report", "fuzz_report")


@pytest.hookimpl(tryfirst=True)  # before pytest's -m selection and xdist's grouping look at the marks
def pytest_collection_modifyitems(items):
    tests = Path(__file__).resolve().parent
    for item in items:
        path = Path(item.path)
        if path.is_relative_to(tests) and len(path.relative_to(tests).parts) > 1:
            mark = MARK_BY_FOLDER.get(path.relative_to(tests).parts[0])
            if mark and mark not in {m.name for m in item.iter_markers()}:
                item.add_marker(mark)
        shared = [name for name in SHARED_FIXTURES if name in getattr(item, "fixturenames", ())]
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared[0]))


@pytest.fixture(scope="session")
def bundle() -> dict:
    return load_bundle(POLICIES)


def build(project: Path, site: Path) -> None:
    """`mkdocs build --strict` of `project` into `site`, with "today" pinned to TODAY."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": TODAY}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory) -> Path:
    """The handbook built from this checkout (pages and feed tests read it; none may change it)."""
    site = tmp_path_factory.mktemp("site")
    build(ROOT, site)
    return site
