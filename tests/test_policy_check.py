"""`python -m calculators check`: one malformed fixture per failure case, with its exact message.

Each folder under tests/malformed/ is an overlay: the real policy file(s) with one mistake, at
the same relative path, and `expected.txt`, the exact lines the check must print (paths relative
to the policy folder). The test lays the overlay over a copy of policies/ and runs the real CLI
entry point, so what is pinned is what an editor sees.
"""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calculators.__main__ import main
from policy_loader import PolicyErrors, load_bundle
from tests.conftest import POLICIES, ROOT

FIXTURES = Path(__file__).resolve().parent / "malformed"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def check(tree: Path) -> tuple[int, str]:
    """Run the CLI's check in-process; (exit code, stdout with the tree's path removed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(tree)])
    return code, out.getvalue().replace(f"{tree}/", "")


def overlaid(case: str, tmp_path: Path) -> Path:
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    for path in (FIXTURES / case).rglob("*.yaml"):
        shutil.copy(path, tree / path.relative_to(FIXTURES / case))
    return tree


@pytest.mark.parametrize("case", CASES)
def test_malformed_policy_gives_its_exact_message(case, tmp_path):
    code, printed = check(overlaid(case, tmp_path))
    assert code == 1
    assert printed == (FIXTURES / case / "expected.txt").read_text(encoding="utf-8")


def test_every_fixture_pins_a_located_message():
    assert len(CASES) >= 20
    for case in CASES:
        expected = (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert expected, case
        for line in expected:
            path, line_no, column, message = line.split(":", 3)
            assert path.endswith(".yaml") and int(line_no) >= 1 and int(column) >= 1 and message.strip(), line


def test_the_real_policies_pass():
    code, printed = check(POLICIES)
    assert code == 0 and printed.startswith("ok: ")


def test_the_cli_prints_no_traceback_for_a_broken_tree(tmp_path):
    tree = overlaid("yaml-tab-indent", tmp_path)
    proc = subprocess.run([sys.executable, "-m", "calculators", "check", str(tree)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout.replace(f"{tree}/", "") == (FIXTURES / "yaml-tab-indent" / "expected.txt").read_text(encoding="utf-8")


def test_a_missing_folder_is_a_message_not_a_traceback(tmp_path):
    code, printed = check(tmp_path / "nowhere")
    assert code == 1 and "nowhere" in printed


MUTATIONS = ("delete", "duplicate", "swap", ":", "\t", "[", "{", "-", "'", "0", " ", "\n")


def mutate(text: str, rng: random.Random) -> str:
    position = rng.randrange(len(text))
    kind = rng.choice(MUTATIONS)
    if kind == "delete":
        return text[:position] + text[position + 1:]
    lines = text.splitlines(keepends=True)
    line = rng.randrange(len(lines))
    if kind == "duplicate":
        return "".join(lines[:line + 1] + lines[line:])
    if kind == "swap":
        other = rng.randrange(len(lines))
        lines[line], lines[other] = lines[other], lines[line]
        return "".join(lines)
    return text[:position] + kind + text[position:]


@pytest.mark.parametrize("topic", ["staying/assessment.yaml", "fees/refund.yaml", "catalogue/categories.yaml"])
def test_no_mutation_makes_the_loader_crash(topic, tmp_path):
    """Hundreds of random one-character or one-line edits: each loads, or fails with located messages."""
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    original = (POLICIES / topic).read_text(encoding="utf-8")
    rng = random.Random(topic)
    failures = 0
    for _ in range(100):
        (tree / topic).write_text(mutate(original, rng), encoding="utf-8")
        try:
            load_bundle(tree)
        except PolicyErrors as problems:
            failures += 1
            assert all(e.line >= 1 and e.column >= 1 and e.message for e in problems.errors)
    assert failures > 20  # the mutations really do break things


def test_mkdocs_build_refuses_broken_policies_and_leaves_no_site(tmp_path):
    import os

    from testsupport.project import project_copy

    project = tmp_path / "handbook"
    project.mkdir()
    project_copy(project, share_build_cache=True)
    case = "schema-misspelt-key"
    for path in (FIXTURES / case).rglob("*.yaml"):
        shutil.copy(path, project / "policies" / path.relative_to(FIXTURES / case))
    stale = project / "site"  # a previous good build; the hook only removes a folder holding its bundle
    (stale / "assets").mkdir(parents=True)
    (stale / "assets" / "policies.json").write_text("{}")
    (stale / "index.html").write_text("an old, good-looking build")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(stale)], cwd=project,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert proc.returncode != 0
    expected = (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").strip()
    printed = proc.stdout + proc.stderr
    assert expected in printed.replace(f"{project / 'policies'}/", "").replace("policies/", ""), printed
    assert "Traceback" not in printed
    assert not (stale / "index.html").exists()
