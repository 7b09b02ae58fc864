"""Shared fixtures: the real policy bundle and the real built site, each made once per test session.

Also the marks by folder: every test under tests/browser/ is a `browser` test and every test under
tests/pyodide/ a `pyodide` test, whether or not its module says so, so that `make test-fast`
(-m "not browser and not pyodide") never starts Chromium or Node.

Under pytest-xdist (`make test-fast` runs `-n 2 --dist loadfile`: a module's tests, and so its
module-scoped fixtures, stay on one worker), the site build is shared by the workers: the first
builds it, under a lock, and the others read the same folder. The files are handed out slowest
first, by the seconds each took when last measured (DURATIONS, written by `make durations`), so
that no long file starts last and keeps one worker busy alone.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest

from testsupport.checkout import ROOT
from testsupport.policy_bundle import policy_bundle
from testsupport.project import build

MARK_BY_FOLDER = {"browser": "browser", "pyodide": "pyodide"}
# Seconds per test file (setup, call and teardown of its tests), as measured by the last
# `make durations`. Under --dist loadfile each worker takes the next file when it is nearly done
# with its own, so the long ones go first and the short ones fill in at the end. Only the order
# changes: a file with no figure (a new one) runs after those measured.
DURATIONS = Path(__file__).resolve().parent / "durations.json"
# test_pages.py builds the shared site (built_handbook); the other files that read it go last
# (READ_THE_BUILT_SITE), so that the other worker does not sit waiting on the build's lock.
READ_THE_BUILT_SITE = ("test_feed.py", "test_languages.py")


def pytest_addoption(parser):
    parser.addoption("--record-durations", metavar="PATH", default=None,
                     help="write each test file's seconds to PATH as JSON (make durations)")


def pytest_configure(config):
    """Keep the collection order for xdist's --dist loadfile, which would otherwise hand the files
    out by their number of tests (most first): that puts the site builds, few tests each, last.
    With --record-durations, measure each file for the next run's order."""
    path = config.getoption("--record-durations", None)
    if path and not hasattr(config, "workerinput"):  # the controller sees every worker's reports
        config.pluginmanager.register(DurationRecorder(Path(path)), "duration_recorder")
    if getattr(config.option, "dist", "no") in ("loadfile", "loadscope"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """The measured files slowest first, then those not measured, READ_THE_BUILT_SITE last; the
    tests within a file in their usual order (the sort is stable)."""
    seconds = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.exists() else {}

    def rank(item) -> tuple:
        return (Path(item.path).name in READ_THE_BUILT_SITE, -seconds.get(file_of(item.nodeid), 0.0))

    items.sort(key=rank)


def file_of(nodeid: str) -> str:
    """A test's file as durations.json names it: under tests/ without the prefix, else from the root
    (the doctests of calculators/)."""
    return nodeid.split("::")[0].removeprefix("tests/")


class DurationRecorder:
    """Sums each test file's seconds over its tests' reports and writes them, slowest first."""

    def __init__(self, path: Path):
        self.path = path
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report):
        name = file_of(report.nodeid)
        self.seconds[name] = self.seconds.get(name, 0.0) + report.duration

    def pytest_sessionfinish(self, session):
        """Files this session did not run (the other session's) keep their earlier figures."""
        if not self.seconds:  # nothing ran (a collection error): keep the figures as they are
            return
        earlier = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        merged = {**earlier, **{name: round(seconds, 2) for name, seconds in self.seconds.items()}}
        ordered = dict(sorted(merged.items(), key=lambda pair: -pair[1]))
        self.path.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")


def pytest_itemcollected(item):
    """Marks set as each test is collected, before -m selects (at the end of collection)."""
    tests = Path(__file__).resolve().parent
    path = Path(item.path)
    if path.is_relative_to(tests) and len(path.relative_to(tests).parts) > 1:
        mark = MARK_BY_FOLDER.get(path.relative_to(tests).parts[0])
        if mark and mark not in {m.name for m in item.iter_markers()}:
            item.add_marker(mark)


@pytest.fixture(scope="session")
def bundle() -> dict:
    """The checkout's policy bundle, read once per process (testsupport.policy_bundle); never change it."""
    return policy_bundle()


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory) -> Path:
    """The handbook built from this checkout (pages and feed tests read it; none may change it).

    Built once per run: xdist workers' temporary folders share a parent, where the first worker
    builds it while holding a lock; a worker that then takes the lock finds it finished.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    site, done = shared / "built_handbook", shared / "built_handbook.done"
    with open(shared / "built_handbook.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(site, ignore_errors=True)  # a build that failed halfway is not reused
            site.mkdir()
            build(ROOT, site)
            done.touch()
    return site
