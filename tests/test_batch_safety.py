"""`batch` files that are safe to open (issue 26 §4): no live spreadsheet formula in a CSV result,
no control characters, the input never overwritten, no half-written file that looks finished, and an
oversized cell or line is that row's error, never a traceback (batch/stores.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from testsupport.cli import run_cli

AS_OF = "2026-11-23"
HEADER = "store_id,category,store_opened_on,sales_365d_usd,medal,active_listings,listings_no_shipment_180d\n"
GOOD = "toys-hobbies,2024-11-22,5999,none,40,0\n"


def stores(tmp_path: Path, *ids: str, name: str = "stores.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{csv_cell(store_id)},{GOOD}" for store_id in ids), encoding="utf-8")
    return path


def csv_cell(text: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([text])
    return out.getvalue().removesuffix("\r\n")


def batch(*args: str) -> object:
    return run_cli("batch", "delisting", "--as-of", AS_OF, *args)


def test_a_csv_result_holds_no_live_formula_but_a_plain_negative_number_stays_a_number(tmp_path):
    hostile = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
               "\tindented", "\rreturn", "-12.5", "store-7"]
    out = tmp_path / "results.csv"
    ran = batch("--input", str(stores(tmp_path, *hostile)), "--output", str(out))
    assert ran.returncode == 0, ran.stderr
    ids = [row["store_id"] for row in csv.DictReader(out.open(encoding="utf-8", newline=""))]
    assert ids == ["'" + text for text in hostile[:6]] + ["-12.5", "store-7"]


def test_a_row_with_a_control_character_is_refused_and_the_file_never_holds_one(tmp_path):
    path = tmp_path / "stores.csv"
    path.write_text(HEADER + "a\x00b," + GOOD + "c," + GOOD.replace("5999", "59\x0199") + "d," + GOOD,
                    encoding="utf-8")
    out = tmp_path / "results.csv"
    ran = batch("--input", str(path), "--output", str(out))
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    text = out.read_text(encoding="utf-8")
    assert "\x00" not in text and "\x01" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["store_id"], r["verdict"]) for r in rows] == [("ab", ""), ("c", ""), ("d", "below_threshold")]
    assert rows[0]["errors"] == "store_id: Holds the control character U+0000 at character 2; remove it and run again"
    assert rows[1]["errors"] == ("sales_365d_usd: Holds the control character U+0001 at character 3; "
                                 "remove it and run again")


def test_jsonl_rows_with_a_control_character_are_refused_too(tmp_path):
    path = tmp_path / "stores.jsonl"
    store = {"store_id": "x\u0000", "category": "toys-hobbies", "store_opened_on": "2024-11-22",
             "sales_365d_usd": 5999, "medal": "none", "active_listings": 40, "listings_no_shipment_180d": 0}
    path.write_text(json.dumps(store) + "\n", encoding="utf-8")
    ran = batch("--input", str(path))
    assert ran.returncode == 2
    assert json.loads(ran.stdout)["errors"] == [
        {"field": "store_id", "message": "Holds the control character U+0000 at character 2; remove it and run again"}]


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink", "hard link"])
def test_output_naming_the_input_is_refused_before_anything_is_written(tmp_path, spelling, monkeypatch):
    path = stores(tmp_path, "a", "b")
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    output = {"same": "stores.csv", "dot-slash": "./stores.csv"}.get(spelling)
    if spelling == "symlink":
        (tmp_path / "link.csv").symlink_to(path)
        output = "link.csv"
    if spelling == "hard link":
        os.link(path, tmp_path / "hard.csv")
        output = "hard.csv"
    ran = run_cli("batch", "delisting", "--as-of", AS_OF, "--input", "stores.csv", "--output", output, cwd=tmp_path)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert f"--output {output}: is the same file as --input stores.csv" in ran.stderr
    assert json.loads(ran.stdout)["errors"][0]["field"] == f"--output {output}"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["stores.csv"] + {"symlink": ["link.csv"], "hard link": ["hard.csv"]}.get(spelling, []))


def test_a_run_that_stops_early_leaves_no_file_that_looks_finished(tmp_path, monkeypatch):
    import batch.stores as module

    path = stores(tmp_path, *(f"s{n}" for n in range(5)))
    out = tmp_path / "results.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    real_run, calls = module.BatchRunner.run, []

    def interrupted(self, raw):
        calls.append(raw)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_run(self, raw)

    monkeypatch.setattr(module.BatchRunner, "run", interrupted)
    ran = batch("--input", str(path), "--output", str(out))
    assert ran.returncode == 130 and "Traceback" not in ran.stderr
    assert "Stopped before the end: no results file was written" in ran.stderr
    assert out.read_text(encoding="utf-8") == "earlier results\n"  # the earlier file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv", "stores.csv"]  # no temporary left


def test_an_unreadable_input_midway_leaves_no_results_file(tmp_path):
    path = tmp_path / "stores.csv"
    path.write_bytes((HEADER + "a," + GOOD).encode() + b"b\xff," + GOOD.encode())
    out = tmp_path / "results.csv"
    ran = batch("--input", str(path), "--output", str(out))
    assert ran.returncode == 2 and "row 2 is not UTF-8 text" in ran.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stores.csv"]


def test_a_ten_megabyte_cell_is_that_rows_error_and_the_run_goes_on(tmp_path):
    path = tmp_path / "stores.csv"
    path.write_text(HEADER + "a," + GOOD + "big," + GOOD.replace("toys-hobbies", "x" * 10_000_000)
                    + "c," + GOOD, encoding="utf-8")
    out = tmp_path / "results.csv"
    ran = batch("--input", str(path), "--output", str(out))
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [(r["row"], r["store_id"], r["verdict"]) for r in rows] == [
        ("1", "a", "below_threshold"), ("2", "", ""), ("3", "c", "below_threshold")]
    assert rows[1]["errors"] == "(row): The line is longer than 100,000 bytes; a store's row is far shorter"


def test_a_long_cell_within_a_line_and_a_quoted_cell_past_csvs_own_limit_are_row_errors(tmp_path):
    path = tmp_path / "stores.csv"
    many_lines = '"' + ("y" * 99_000 + "\n") * 2 + '"'  # one quoted cell of 198,002 characters over 3 lines
    path.write_text(HEADER + "a," + GOOD.replace("toys-hobbies", "x" * 20_000) + "b," + GOOD
                    + many_lines + "," + GOOD, encoding="utf-8")
    ran = batch("--input", str(path))
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    records = [json.loads(line) for line in ran.stdout.splitlines()]
    assert records[0]["errors"] == [
        {"field": "category", "message": "Is 20,000 characters long; a cell may be at most 10,000"}]
    assert records[1]["store_id"] == "b" and records[1]["verdict"] == "below_threshold"
    assert records[2]["errors"][0]["message"].startswith("Cannot be read as CSV: field larger than field limit")


def test_an_oversized_jsonl_line_is_that_rows_error(tmp_path):
    path = tmp_path / "stores.jsonl"
    path.write_text('{"store_id": "' + "z" * 200_000 + '"}\n{"store_id": "b"}\n', encoding="utf-8")
    ran = batch("--input", str(path), "--lang", "zh")
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    first, second = (json.loads(line) for line in ran.stdout.splitlines())
    assert first == {"row": 1, "errors": [
        {"field": "(row)", "message": "该行超过100,000字节；一家店铺的一行数据远没有这么长"}]}
    assert second["row"] == 2 and second["store_id"] == "b"


def test_the_results_file_gets_the_usual_permissions_not_the_temporary_files(tmp_path):
    out = tmp_path / "results.jsonl"
    umask = os.umask(0o022)
    try:
        assert batch("--input", str(stores(tmp_path, "a")), "--output", str(out)).returncode == 0
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644
