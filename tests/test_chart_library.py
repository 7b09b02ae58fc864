"""The chart library reaches the site only as the exact npm release package.json pins.

Like Pyodide (tests/test_supply_chain.py): package.json pins an exact version, package-lock.json
holds npm's integrity hash for it, and hooks/assets.py copies ECharts' one minified build into
the site byte for byte, refusing a node_modules/echarts of another version.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from hooks.assets import ECHARTS_FILE, AssetError, copy_echarts
from testsupport.checkout import ROOT

SOURCE = ROOT / "node_modules" / "echarts" / "dist" / ECHARTS_FILE


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_echarts_is_pinned_exactly_with_an_integrity_hash():
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["echarts"]
    locked = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]["node_modules/echarts"]
    assert wanted == locked["version"], "package.json must pin an exact version (no ^ or ~)"
    assert locked["integrity"].startswith("sha512-")


def test_the_site_gets_a_byte_identical_copy(tmp_path):
    copy_echarts(tmp_path / "echarts")
    assert sha256(tmp_path / "echarts" / ECHARTS_FILE) == sha256(SOURCE)
    assert [p.name for p in (tmp_path / "echarts").iterdir()] == [ECHARTS_FILE]  # one file, not the package


def test_a_tampered_or_planted_copy_is_replaced(tmp_path):
    target = tmp_path / "echarts"
    target.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (target / ECHARTS_FILE).symlink_to(victim)
    copy_echarts(target)
    assert victim.read_text() == "keep me" and not (target / ECHARTS_FILE).is_symlink()
    (target / ECHARTS_FILE).write_text("tampered")
    copy_echarts(target)
    assert sha256(target / ECHARTS_FILE) == sha256(SOURCE)


def test_another_echarts_version_fails_the_build(tmp_path):
    project = tmp_path / "project"
    fake = project / "node_modules" / "echarts"
    (fake / "dist").mkdir(parents=True)
    shutil.copy(ROOT / "package-lock.json", project / "package-lock.json")
    (fake / "dist" / ECHARTS_FILE).write_text("/* old */")
    (fake / "package.json").write_text(json.dumps({"name": "echarts", "version": "5.0.0"}), encoding="utf-8")
    with pytest.raises(AssetError, match=r"node_modules/echarts is version 5\.0\.0, but package-lock\.json pins"):
        copy_echarts(tmp_path / "site" / "echarts", node_modules=project / "node_modules")
