"""The policy version is a content hash of the bundle (design/design.md): the same policies give the same
version wherever they are and however their folder is named, and any change to them a new one.

A QA found it differed between `check policies`, `check $(pwd)/policies` and a copy elsewhere,
because the bundle held each example's location under the path it was loaded from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from policy_loader import load_bundle
from testsupport.checkout import POLICIES, ROOT

REFUND_INPUTS = {"category": "toys-hobbies", "annual_sales_usd": 20000, "service_level": "good",
                 "removed_for_violation": False}


# Run from another folder, the CLI must still be this checkout's (not whatever the venv installed).
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def checked_version(folder: str, cwd: Path) -> str:
    """The version `python -m calculators check FOLDER` prints, run from `cwd`."""
    proc = subprocess.run([sys.executable, "-m", "calculators", "check", folder], cwd=cwd, env=ENV,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return re.search(r"\(policy version ([0-9a-f]{12})\)", proc.stdout).group(1)


def run_version(folder: str, cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "calculators", "run", "refund", "--as-of", "2026-11-22",
                           "--policies", folder], cwd=cwd, env=ENV, input=json.dumps(REFUND_INPUTS),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)["policy_version"]


def test_the_same_policies_at_other_paths_have_one_version(tmp_path):
    copy = tmp_path / "elsewhere" / "pol"
    shutil.copytree(POLICIES, copy)
    versions = {
        "relative": checked_version("policies", ROOT),
        "absolute": checked_version(str(POLICIES), tmp_path),
        "a copy, relative": checked_version("elsewhere/pol", tmp_path),
        "a copy, absolute": checked_version(str(copy), ROOT),
        "run --policies, relative": run_version("policies", ROOT),
        "run --policies, a copy": run_version(str(copy), ROOT),
    }
    assert len(set(versions.values())) == 1, versions


def test_the_bundle_holds_no_path_of_where_it_was_loaded(tmp_path):
    copy = tmp_path / "pol"
    shutil.copytree(POLICIES, copy)
    here, there = load_bundle(POLICIES), load_bundle(copy)
    assert here == there
    text = json.dumps(there, ensure_ascii=False)
    assert str(tmp_path) not in text and str(ROOT) not in text
    # An example still says where it is written, inside the policy folder.
    assert there["examples"][0]["where"].startswith(f"{there['topics'][there['examples'][0]['topic']]['file']}:")


def test_a_one_value_change_gives_another_version(tmp_path):
    copy = tmp_path / "policies"
    shutil.copytree(POLICIES, copy)
    before = load_bundle(copy)["version"]
    refund = copy / "fees" / "refund.yaml"
    text = refund.read_text(encoding="utf-8")
    assert "title: {en: Annual fee refund," in text
    refund.write_text(text.replace("title: {en: Annual fee refund,", "title: {en: Annual fee refunds,"), encoding="utf-8")
    after = load_bundle(copy)["version"]
    assert after != before
    assert load_bundle(POLICIES)["version"] == before
