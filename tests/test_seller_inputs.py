"""Inputs a seller can read off their own figures (issue 25 §7), through the CLI as a script uses it.

The refund's `joined_month` in `list`, `run` and `batch`.
"""

from __future__ import annotations

import csv
import json

from testsupport.cli import run_cli
from tests.conftest import ROOT

MARCH_TO_JULY = {"category": "womens-clothing", "annual_sales_usd": 3000, "service_level": "good", "exit_month": 7,
                 "joined_month": 3}


def cli(*args: str, stdin: str = ""):
    return run_cli(*args, stdin=stdin, cwd=ROOT)


def test_list_gives_the_joined_month_with_its_span():
    specs = json.loads(cli("list").stdout)
    (field,) = [f for f in specs["refund"]["inputs"] if f["name"] == "joined_month"]
    assert (field["type"], field["required"], field["minimum"], field["maximum"]) == ("integer", False, 1, 12)
    assert "January is assumed" in field["help"]


def test_run_pro_rates_from_the_joined_month():
    proc = cli("run", "refund", "--as-of", "2026-12-07", stdin=json.dumps(MARCH_TO_JULY))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["verdict"], result["amounts"]["refund_cny"]) == ("pro_rated", 6666.67)
    bad = cli("run", "refund", "--as-of", "2026-12-07", stdin=json.dumps({**MARCH_TO_JULY, "exit_month": 2}))
    assert (bad.returncode, json.loads(bad.stdout)["errors"][0]["field"]) == (2, "exit_month")


def test_batch_reads_a_joined_month_column_and_an_empty_one(tmp_path):
    stores = tmp_path / "stores.csv"
    stores.write_text("store_id,category,annual_sales_usd,service_level,exit_month,joined_month\n"
                      "march,womens-clothing,3000,good,7,3\njanuary,womens-clothing,3000,good,7,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = cli("batch", "refund", "--input", str(stores), "--as-of", "2026-12-07", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = {row["store_id"]: json.loads(row["amounts"])["refund_cny"]
            for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows == {"march": 6666.67, "january": 5000}
