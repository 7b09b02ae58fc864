"""Inputs a seller can read off their own figures (issue 25 §7), through the CLI as a script uses it.

The refund's `joined_month` in `list`, `run` and `batch`; the delisting sales field's label, which
names the window the assessment counts (worded in Python, as the browser worker answers), and the
days left to sell.
"""

from __future__ import annotations

import csv
import json

import pytest

from testsupport.cli import run_cli
from testsupport.checkout import ROOT

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


# --- The delisting sales field names the window it counts --------------------------------------

TOY_STORE = {"category": "toys-hobbies", "store_opened_on": "2020-03-01", "sales_365d_usd": 7000, "medal": "none",
             "active_listings": 10, "listings_no_shipment_180d": 0}


@pytest.fixture(scope="module")
def calculators():
    from calculators.worker import Calculators
    from policy_loader import load_bundle
    from testsupport.checkout import POLICIES

    return Calculators(json.dumps(load_bundle(POLICIES)))


def sales_label(calculators, inputs: dict, **options) -> str:
    """The sales field's label in the worker's answer, as the page sets it."""
    answer = json.loads(calculators.answer("delisting", json.dumps(inputs), json.dumps(options)))
    return answer["view"]["labels"]["sales_365d_usd"]


@pytest.mark.parametrize("inputs, options, label", [
    # Once the category is known, even before the figures: the next assessment is 14 February 2027.
    ({"category": "toys-hobbies"}, {"today": "2026-12-07"}, "Sales from 14 February 2026 to today"),
    ({"category": "toys-hobbies"}, {"today": "2026-12-07", "lang": "zh"}, "2026年2月14日至今的销售额"),
    ({"category": "womens-clothing"}, {"today": "2026-12-07"}, "Sales from 14 January 2026 to today"),
    # A typed assessment date decides the window; a past one names its whole window.
    ({"category": "toys-hobbies", "assessment_date": "2026-02-14"}, {"today": "2026-12-07"},
     "Sales from 14 February 2025 to 13 February 2026"),
    # A "Rules as of" day is not today: the window runs to that day.
    ({"category": "toys-hobbies"}, {"today": "2026-12-07", "as_of": "2026-12-01"},
     "Sales from 14 February 2026 to 1 December 2026"),
    ({"category": "toys-hobbies"}, {"today": "2026-12-07", "as_of": "2026-12-01", "lang": "zh"},
     "2026年2月14日至2026年12月1日的销售额"),
    # Until the category is known, the field's own label, which invites no trailing figure.
    ({}, {"today": "2026-12-07"}, "Sales so far in the assessment window"),
    ({"category": "no-such"}, {"today": "2026-12-07", "lang": "zh"}, "考核期内至今的销售额"),
])
def test_the_sales_label_names_the_window_once_the_category_is_known(calculators, inputs, options, label):
    assert sales_label(calculators, inputs, **options) == label


def test_the_missing_fields_summary_and_the_printed_inputs_use_the_worded_label(calculators):
    answer = json.loads(calculators.answer("delisting", json.dumps({"category": "toys-hobbies"}),
                                           json.dumps({"today": "2026-12-07"})))
    assert "Sales from 14 February 2026 to today" in answer["view"]["summary"]
    full = json.loads(calculators.answer("delisting", json.dumps(TOY_STORE), json.dumps({"today": "2026-12-07"})))
    shown = {item["name"]: item["label"] for item in full["view"]["inputs"]}
    assert shown["sales_365d_usd"] == "Sales from 14 February 2026 to today"


def test_the_result_says_how_much_more_to_sell_and_how_many_days_are_left():
    proc = cli("run", "delisting", "--as-of", "2026-12-07", stdin=json.dumps(TOY_STORE))
    result = json.loads(proc.stdout)
    assert (result["verdict"], result["amounts"]["shortfall_usd"], result["amounts"]["days_to_assessment"]) == (
        "below_threshold", 3000, 69)
    assert result["next_steps"][0] == "Sell USD 3,000 more in the 69 days left before 14 February 2027 to meet the threshold."
    last_day = json.loads(cli("run", "delisting", "--as-of", "2027-02-13", stdin=json.dumps(TOY_STORE)).stdout)
    assert last_day["next_steps"][0].startswith("Sell USD 3,000 more in the 1 day left before 14 February 2027")


def test_nothing_on_the_form_or_its_pages_asks_for_a_trailing_365_day_figure():
    specs = {lang: json.loads(cli("list", "--lang", lang).stdout) for lang in ("en", "zh")}
    (en,) = [f for f in specs["en"]["delisting"]["inputs"] if f["name"] == "sales_365d_usd"]
    (zh,) = [f for f in specs["zh"]["delisting"]["inputs"] if f["name"] == "sales_365d_usd"]
    texts = [en["label"], en["help"], zh["label"], zh["help"]]
    texts += [(ROOT / "docs" / "calculators" / page).read_text(encoding="utf-8") for page in ("delisting.md", "delisting.zh.md")]
    # Every other word of the calculators (the chart's axis too) and the glossary.
    texts += [(ROOT / "policies" / "catalogue" / name).read_text(encoding="utf-8")
              for name in ("messages.yaml", "glossary.yaml")]
    for text in texts:
        for trailing in ("last 365 days", "previous 365 days", "近365天", "近 365 天", "最近 365 天", "过去 365 天"):
            assert trailing not in text, (trailing, text[:80])
