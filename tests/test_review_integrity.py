"""A policy review a reviewer can trust (issue 26): the diff cannot be pointed at the wrong base, runs
no command a variable holds, posts policy text inertly, misses no text, reads a category's value as
the calculators do, and shows the stores a change moves where reviewers look (the pull request's
comment, which .github/workflows/pull-request.yml builds with `make diff`).

Each test plants the attack or the miss on a copy of the policies and reads what a reviewer reads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from testsupport.checkout import POLICIES, ROOT
from testsupport.cli import run_cli

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
HAIR_BEFORE = "      human-hair-wigs:\n        - {from: 2022-01-01, value: 20000, source: illustrative}"
HAIR_AFTER = "      human-hair-wigs:\n        - {from: 2022-01-01, value: 2000, source: illustrative}"
HAIR_LINE = "Sales threshold for an established store, Human hair & wigs: USD 20,000 → USD 2,000 from 1 January 2022"


def cli(*args: str, cwd: Path):
    return run_cli(*args, cwd=cwd)


def edit(path: Path, before: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert before in text, (path, before)
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def copies(tmp_path: Path) -> tuple[Path, Path]:
    """base/ and head/: two copies of policies/ to edit."""
    shutil.copytree(POLICIES, tmp_path / "base")
    shutil.copytree(POLICIES, tmp_path / "head")
    return tmp_path / "base", tmp_path / "head"


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


# --- 1. A diff that cannot be fooled ----------------------------------------------------------------


@pytest.fixture
def spoofed(tmp_path: Path) -> Path:
    """A checkout whose branch lowers the human-hair threshold and adds a folder `main/` holding the
    branch's own policies, so that a bare `main` names both that folder and the base branch."""
    repo = tmp_path / "repo"
    shutil.copytree(POLICIES, repo / "policies")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    git(repo, "add", "policies")
    git(repo, "commit", "-qm", "base")
    git(repo, "switch", "-qc", "lower-hair")
    edit(repo / "policies" / "staying" / "assessment.yaml", HAIR_BEFORE, HAIR_AFTER)
    shutil.copytree(repo / "policies", repo / "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "lower the human-hair threshold")
    return repo


def test_a_name_that_is_both_a_folder_and_a_revision_is_refused_with_exit_2(spoofed):
    proc = cli("diff", "main", "policies", cwd=spoofed)
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert "main: both a folder and a git revision" in proc.stderr
    assert "say which: dir:main or rev:main" in proc.stderr


def test_rev_names_the_base_branch_and_the_comment_names_its_commit(spoofed):
    proc = cli("diff", "--format", "markdown", "rev:main", "policies", cwd=spoofed)
    assert proc.returncode == 0, proc.stderr
    assert f"- `{HAIR_LINE}`" in proc.stdout
    commit = git(spoofed, "rev-parse", "main").strip()
    title = proc.stdout.splitlines()[0]
    assert title.startswith(f"## Policy changes: `rev:main` at commit `{commit[:12]}` (version `")
    assert title.count("(version `") == 2
    # dir: says the folder is meant: the branch's own copy, so nothing changed.
    same = cli("diff", "dir:main", "policies", cwd=spoofed)
    assert same.returncode == 0 and same.stdout.splitlines()[1:] == ["No policy changes."]
    missing = cli("diff", "rev:no-such-branch", "policies", cwd=spoofed)
    assert missing.returncode == 1 and "rev:no-such-branch: not a git revision of this repository" in missing.stdout


HOSTILE = ["main; touch {mark} #", "$(shell touch {mark})", "`touch {mark}`", "$$(touch {mark})",
           "main;touch$${{IFS}}{mark};"]


@pytest.fixture
def make_dir(tmp_path: Path) -> Path:
    """A folder where `make diff` runs as in the checkout (the Makefile, and links to its installs)."""
    here = tmp_path / "checkout"
    here.mkdir()
    shutil.copy(ROOT / "Makefile", here)
    for name in (".venv", "node_modules", "policies", "requirements.lock", "package.json", "package-lock.json"):
        (here / name).symlink_to(ROOT / name)
    return here


@pytest.mark.parametrize("hostile", HOSTILE)
def test_make_diff_runs_nothing_a_hostile_base_or_format_holds(make_dir, tmp_path, hostile):
    mark = tmp_path / "ran"
    # Every variable is passed alike (tested for each on the first two attacks, to keep this quick).
    for variable in ("BASE", "FORMAT", "AS_OF") if hostile in HOSTILE[:2] else ("BASE",):
        proc = subprocess.run(["make", "-s", "diff", f"{variable}={hostile.format(mark=mark)}"], cwd=make_dir,
                              capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""})
        assert not mark.exists(), (variable, proc.stdout, proc.stderr)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr, (variable, proc.stderr)


def test_the_workflow_line_passes_a_hostile_base_to_make_as_one_argument(make_dir, tmp_path):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    [step] = [s for s in workflow["jobs"]["check-test-build"]["steps"] if s.get("name") == "What the change means"]
    assert "${{" not in step["run"] and "rev:$BASE_SHA" in step["run"]  # the base is named as a revision
    mark = tmp_path / "ran"
    for hostile in HOSTILE:
        env = {**os.environ, "MAKEFLAGS": "", "BASE_SHA": hostile.format(mark=mark),
               "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=make_dir, env=env, capture_output=True,
                              text=True)
        assert not mark.exists(), (hostile, proc.stderr)
        assert proc.returncode != 0 and "not a git revision" in (make_dir / "policy-diff.md").read_text()


# --- The comment is inert -------------------------------------------------------------------------

PLANTED = ["@acme/policy-leads", "@octocat", "#1", "acme/handbook#2", "https://evil.example/claim",
           "www.evil.example", "**bold**", "_emphasis_", "[claim](https://evil.example)", "| cell |",
           "` code break `", "``"]  # raw HTML: `check` refuses it in policy text (tests/test_policy_text_safety.py)


def test_policy_text_in_the_comment_mentions_nobody_links_nothing_and_renders_no_markup(tmp_path):
    import markdown

    base, head = copies(tmp_path)
    planted = " ".join(PLANTED)
    edit(head / "staying" / "assessment.yaml",
         "zh: 老店在考核期内的销售额须不低于此金额。}", f"zh: \"老店在考核期内的销售额须不低于此金额。{planted}\"}}")
    edit(head / "catalogue" / "messages.yaml", 'refund.headline_removed: {en: "No refund',
         f'refund.headline_removed: {{en: "{planted.replace("`", "")} No refund')
    proc = cli("diff", "--format", "markdown", "base", "head", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "@octocat" in line]
    assert len(lines) == 2
    for line in lines:  # each is one list item holding one code span, its fence longer than any backtick run
        match = re.fullmatch(r"- (`+)(?!`)(.*?)(?<!`)\1", line)
        assert match and "`" * len(match[1]) not in match[2], line
    html = markdown.markdown(proc.stdout)
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    for mark in ("@", "#1", "#2", "http", "www.", "<strong", "<em", "<a ", "cell"):
        assert mark not in outside_code, mark


# --- 2. A diff that misses nothing: texts -----------------------------------------------------------

TEXT_EDITS = [
    pytest.param("staying/assessment.yaml", "门槛取决于店铺的经营大类和开店时长", "门坎取决于店铺的经营大类和开店时长",
                 "staying/assessment.yaml, summary (zh): “… 铺在考核日前365天内的支付金额与考核门槛比较，门[-槛-]{+坎+}取决于店铺的经营大类 …”",
                 id="a Chinese typo fix"),
    pytest.param("staying/assessment.yaml", "A store below the threshold is\n    returned",
                 "A store below the threshold is\n    never", "staying/assessment.yaml, summary (en): “… A store below the threshold is "
                 "[-returned-]{+never+} on the assessment date and cannot …”", id="a description that says the opposite"),
    pytest.param("catalogue/messages.yaml", 'refund.headline_removed: {en: "No refund: the store was removed for violations."',
                 'refund.headline_removed: {en: "Full refund guaranteed: contact support to claim it."',
                 "catalogue/messages.yaml, refund.headline_removed (en): “No refund: the store was removed for "
                 "violations.” → “Full refund guaranteed: contact support to claim it.”", id="a message"),
    pytest.param("catalogue/glossary.yaml", "term: {en: Handling time, zh: 发货期}", "term: {en: Handling time, zh: 备货期}",
                 "catalogue/glossary.yaml, handling_time.term (zh): “发货期” → “备货期”", id="the glossary"),
    pytest.param("catalogue/sections.yaml", "title: {en: Staying, zh: 店铺经营}", "title: {en: Staying open, zh: 店铺经营}",
                 "catalogue/sections.yaml, staying.title (en): “Staying” → “Staying open”", id="a section"),
    pytest.param("catalogue/sources.yaml", 'headline: {en: "Prospects and future development trends of AliExpress"',
                 'headline: {en: "Prospects of AliExpress"', "catalogue/sources.yaml, seed-002.headline (en): “Prospects and "
                 "future development trends of AliExpress” → “Prospects of AliExpress”", id="a source entry"),
    pytest.param("fees/refund.yaml", "note_zh: 对年费返还相关行业文章的示意性解读}", "note_zh: 对年费返还相关行业文章的示意解读}",
                 "fees/refund.yaml, rule qualifying_service_levels, values, from 2016-01-01, source, "
                 "note (zh): “对年费返还相关行业文章的示意性解读” → “对年费返还相关行业文章的示意解读”", id="a value's note"),
    pytest.param("catalogue/categories.yaml", "toys-hobbies: {label: {en: Toys & hobbies, zh: 玩具}}",
                 "toys-hobbies: {label: {en: Toys & hobbies, zh: 玩具及爱好}}",
                 "catalogue/categories.yaml, category toys-hobbies, label (zh): “玩具” → “玩具及爱好”", id="a label"),
]


@pytest.mark.parametrize(("file", "before", "after", "reported"), TEXT_EDITS)
def test_every_changed_text_is_reported_with_its_before_and_after(tmp_path, file, before, after, reported):
    base, head = copies(tmp_path)
    edit(head / file, before, after)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "Texts changed (both languages)" in proc.stdout
    assert reported in proc.stdout, proc.stdout


def test_the_pages_words_are_compared_between_revisions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(POLICIES, repo / "policies")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    edit(repo / "policies" / "catalogue" / "messages.yaml", "menu.glossary: {en: Glossary, zh: 术语表}",
         "menu.glossary: {en: Glossary, zh: 词汇表}")
    git(repo, "commit", "-qam", "words")
    proc = cli("diff", "rev:HEAD~1", "rev:HEAD", cwd=repo)
    # The menu's words are in the one catalogue, beside the calculators': compared as any other text.
    assert "  - catalogue/messages.yaml, menu.glossary (zh): “术语表” → “词汇表”\n" in proc.stdout
    folder = cli("diff", "rev:HEAD~1", "dir:policies", cwd=repo)
    assert folder.stdout.splitlines()[1:] == proc.stdout.splitlines()[1:]


# --- A category's value, as the calculators read it -------------------------------------------------

MOTORCYCLES = ("      automotive: {label: {en: Automotive, zh: 汽车及摩托车配件}}\n",
               "      automotive: {label: {en: Automotive, zh: 汽车及摩托车配件}}\n"
               "      motorcycle-parts: {label: {en: Motorcycle parts, zh: 摩托车配件}}\n")
COMMISSION_CASE = "      automotive:\n        - {from: 2016-01-01, value: 5,"
SCOPE_CASE = "      auto-moto:\n        - {from: 2016-01-01, value: 5,"  # the same case, keyed by the scope


def test_a_new_category_shows_the_value_it_takes(tmp_path):
    base, head = copies(tmp_path)
    edit(head / "catalogue" / "categories.yaml", *MOTORCYCLES)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    # The case `automotive` is the category's own (its scope is auto-moto): the new category takes the default.
    assert "  - Commission on each sale, Motorcycle parts (new category): 8% from 1 January 2016" in proc.stdout


def test_a_new_category_shows_the_value_it_takes_from_its_scope(tmp_path):
    base, head = copies(tmp_path)
    edit(head / "fees" / "annual-fee.yaml", COMMISSION_CASE, SCOPE_CASE)
    edit(head / "catalogue" / "categories.yaml", *MOTORCYCLES)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert "  - Commission on each sale, Motorcycle parts (new category): 5% from 1 January 2016" in proc.stdout


def test_a_new_category_with_its_own_case_has_no_before(tmp_path):
    base, head = copies(tmp_path)
    edit(head / "catalogue" / "categories.yaml", *MOTORCYCLES)
    edit(head / "fees" / "annual-fee.yaml", COMMISSION_CASE,
         "      motorcycle-parts:\n        - {from: 2016-01-01, value: 6, source: published}\n" + COMMISSION_CASE)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert "  - Commission on each sale, Motorcycle parts (new category): 6% from 1 January 2016" in proc.stdout
    assert "8% → 6%" not in proc.stdout


def test_a_scope_case_change_names_every_category_it_moves(tmp_path):
    base, head = copies(tmp_path)
    for side in (base, head):
        edit(side / "catalogue" / "categories.yaml", *MOTORCYCLES)
        edit(side / "fees" / "annual-fee.yaml", COMMISSION_CASE, SCOPE_CASE)
    edit(head / "fees" / "annual-fee.yaml", SCOPE_CASE, "      auto-moto:\n        - {from: 2016-01-01, value: 6,")
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert ("  - Commission on each sale, 2 categories (Automotive; Motorcycle parts): 5% → 6% from 1 January 2016"
            in proc.stdout)


# --- The workflow's setting -------------------------------------------------------------------------


def test_the_chinese_font_is_installed_even_where_a_chromium_already_is(tmp_path):
    # A GitHub runner: /usr/bin/chromium exists, the font does not.
    chromium, font = tmp_path / "chromium", tmp_path / "no-font.ttc"
    chromium.write_text("")
    proc = subprocess.run(["make", "-n", "test", f"CHROMIUM={chromium}", f"CJK_FONT={font}"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""})
    installs = [line for line in proc.stdout.splitlines() if "apt-get install" in line]
    assert len(installs) == 1 and "fonts-wqy-microhei" in installs[0] and "chromium" not in installs[0]


def test_the_pull_request_workflow_runs_for_what_the_readme_says():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    paths = workflow[True]["pull_request"]["paths"]  # PyYAML reads the key `on` as True
    assert "policies/**" in paths and ".github/**" in paths and "README.md" not in paths
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "A pull request that touches `policies/`, or the code that reads, checks or builds them" in readme


def test_codeowners_require_the_policy_leads_for_sources_catalogues_and_workflows():
    owners = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = teams
    for pattern in ("/policies/catalogue/sources.yaml", "/policies/catalogue/messages.yaml", "/.github/workflows/"):
        assert owners[pattern] == ["@example-org/policy-leads"], pattern
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "source" in template and "effective date" in template


# --- 3. The impact, where reviewers look ------------------------------------------------------------


def test_the_comment_folds_the_synthetic_stores_table_and_runs_each_change_at_its_date(tmp_path):
    from policy_review.population import main as population_main
    from testsupport.policy_edits import TOYS_AFTER, TOYS_BEFORE

    base, head = copies(tmp_path)
    edit(head / "staying" / "assessment.yaml", TOYS_BEFORE, TOYS_AFTER)  # from 14 January 2027
    edit(head / "catalogue" / "categories.yaml", *MOTORCYCLES)
    stores = tmp_path / "stores.csv"  # made from the pull request's policies, as CI makes them
    assert population_main(["--rows", "400", "--seed", "3", "--output", str(stores), "--policies", str(head)]) == 0
    proc = cli("diff", "--format", "markdown", "--population", str(stores), "--as-of", "2026-11-23", "--synthetic",
               "base", "head", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folded = proc.stdout[proc.stdout.index("<details>\n<summary>"):]
    assert folded.rstrip().endswith("</details>")
    assert ("<summary>Stores whose verdict changes, today and on the day each change takes effect (400 stores in "
            "<code>stores.csv</code>)</summary>") in folded
    assert "These stores are synthetic: made up by a seeded generator" in folded
    assert "**As of 23 November 2026 (today)**: " in folded and "**As of 14 January 2027**: " in folded
    # A store in the new category did not exist before: counted apart, never an "input error" that moved.
    assert "`Stores in a new category, not compared (nothing moves them; they start under NEW): Motorcycle parts: " \
        in folded and "input error" not in folded
    without = cli("diff", "--format", "markdown", "--population", str(stores), "--as-of", "2026-11-23",
                  "base", "head", cwd=tmp_path)
    assert "synthetic" not in without.stdout  # said only of made-up stores
    bad = cli("diff", "--population", str(stores), "--as-of", "23/11/2026", "base", "head", cwd=tmp_path)
    assert bad.returncode == 2 and "--as-of 23/11/2026: expected a date, YYYY-MM-DD" in bad.stderr


def test_a_new_category_borrowing_a_sourced_value_is_reported_as_illustrative(tmp_path):
    base, head = copies(tmp_path)
    edit(head / "catalogue" / "categories.yaml", *MOTORCYCLES)
    proc = cli("diff", "base", "head", cwd=tmp_path)
    # seed 000 speaks for the apparel scope only (covers): a new category borrows the figure.
    assert ("  - Sales threshold for an established store, Motorcycle parts (new category): at least USD 10,000 "
            "from 1 January 2022 (source: illustrative, extended from seed-000)") in proc.stdout
