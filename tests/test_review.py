"""The policy team's pull-request tools: GitHub annotations from the check, the worded policy diff,
the batch runner and the synthetic store population (policy_review/, calculators/batch.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import POLICIES, ROOT
from tests.test_policy_check import FIXTURES, overlaid


def cli(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real command line, as CI runs it (the checkout on PYTHONPATH, so any folder works as cwd)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True)


# --- 1. check --format github --------------------------------------------------------------------


def test_check_github_format_prints_one_annotation_relative_to_the_working_folder(tmp_path):
    overlaid("schema-wrong-type", tmp_path)  # tmp_path/policies, listings.yaml broken
    proc = cli("check", "--format", "github", "policies", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ("::error file=policies/staying/listings.yaml,line=16,col=35::"
                           "rules.max_listings.values[0].value: found text 'three thousand', expected a whole number\n")
    assert "Traceback" not in proc.stderr


def test_check_github_format_annotates_every_problem_and_plain_stays_the_default(tmp_path):
    overlaid("yaml-duplicate-key", tmp_path)
    expected = (FIXTURES / "yaml-duplicate-key" / "expected.txt").read_text(encoding="utf-8").splitlines()
    github = cli("check", "--format", "github", "policies", cwd=tmp_path)
    plain = cli("check", "policies", cwd=tmp_path)
    assert github.returncode == plain.returncode == 1
    assert len(github.stdout.splitlines()) == len(expected)
    for line, want in zip(github.stdout.splitlines(), expected):
        path, line_no, column, message = want.split(":", 3)
        assert line == f"::error file=policies/{path},line={line_no},col={column}::{message.strip()}"
    assert plain.stdout.splitlines() == [f"policies/{line}" for line in expected]


def test_check_github_format_on_good_policies_exits_0_without_annotations():
    proc = cli("check", "--format", "github", "policies")
    assert proc.returncode == 0 and "::error" not in proc.stdout and proc.stdout.startswith("ok: ")
