"""Provenance follows the value actually applied (issue 25 §1), as the CLI prints it.

A finding's `provenance` is {kind, source, extended_from}: the refund tier a store reached carries
its own (the 50% tier is illustrative, the 100% tier seed-003), and a default applied to a category
its source does not cover is illustrative, extended from that source. `check` refuses a default
whose seed or published source does not say what it covers (tests/malformed/source-*).
"""

from __future__ import annotations

import json

import pytest

from calculators.present import view
from testsupport.checkout import ROOT
from testsupport.cli import run_cli

AS_OF = "2026-12-07"  # the day the issue was tried: the rules then, named, not the clock's


def findings(name: str, inputs: dict, *args: str) -> dict:
    """Rule address -> the finding's provenance, from `python -m calculators run` (in-process)."""
    proc = run_cli("run", name, "--as-of", AS_OF, *args, stdin=json.dumps(inputs), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {f["rule"]: f["provenance"] for f in json.loads(proc.stdout)["findings"]}


def refund(sales: float) -> dict:
    return findings("refund", {"category": "toys-hobbies", "annual_sales_usd": sales, "service_level": "good"})


def delisting(category: str) -> dict:
    return findings("delisting", {"category": category, "store_opened_on": "2020-01-01", "sales_365d_usd": 20000,
                                  "active_listings": 10, "listings_no_shipment_180d": 0})


def test_a_toy_store_at_usd_15000_reaches_the_illustrative_50_percent_tier():
    assert refund(15000)["refund.refund_tiers"] == {"kind": "illustrative", "source": "illustrative",
                                                    "extended_from": None}


@pytest.mark.parametrize("sales", [60000.01, 90000])
def test_the_100_percent_tier_is_seed_003(sales):
    assert refund(sales)["refund.refund_tiers"] == {"kind": "seed", "source": "seed-003", "extended_from": None}


def test_below_the_first_tier_the_finding_cites_that_tier():
    assert refund(100)["refund.refund_tiers"]["kind"] == "illustrative"


def test_a_mobile_phone_store_borrows_the_apparel_threshold_so_it_is_illustrative():
    assert delisting("mobile-phones")["assessment.threshold_established_store_usd"] == {
        "kind": "illustrative", "source": "illustrative", "extended_from": "seed-000"}


@pytest.mark.parametrize("category", ["toys-hobbies", "womens-clothing"])
def test_a_category_its_source_speaks_for_keeps_the_seed(category):
    assert delisting(category)["assessment.threshold_established_store_usd"] == {
        "kind": "seed", "source": "seed-000", "extended_from": None}


def test_a_finding_of_a_rule_that_does_not_vary_keeps_its_source():
    assert delisting("mobile-phones")["assessment.new_store_max_age_days"] == {
        "kind": "seed", "source": "seed-000", "extended_from": None}


@pytest.mark.parametrize("lang, badge, title", [
    ("en", "Illustrative: extended from egainnews article (Dec 2021)", "Blue Ocean Yiguan, published by egainnews"),
    ("zh", "示意值：沿用egainnews 文章（2021年12月）的数值", "蓝海亿观撰写"),
])
def test_the_badge_names_the_borrowed_source_as_a_seller_would_never_its_file(bundle, lang, badge, title):
    inputs = {"category": "mobile-phones", "store_opened_on": "2020-01-01", "sales_365d_usd": 20000,
              "active_listings": 10, "listings_no_shipment_180d": 0}
    proc = run_cli("run", "delisting", "--as-of", AS_OF, "--lang", lang, stdin=json.dumps(inputs), cwd=ROOT)
    result = json.loads(proc.stdout)
    shown = view(bundle, "delisting", inputs, result, lang)
    at = [f["rule"] for f in result["findings"]].index("assessment.threshold_established_store_usd")
    assert shown["findings"][at]["provenance_label"] == badge and title in shown["findings"][at]["source_title"]
    assert not any(".txt" in (f["provenance_label"] or "") + (f["source_title"] or "") for f in shown["findings"])
    assert shown["estimate"].endswith("the platform's own decision is what counts." if lang == "en" else "以平台自身的决定为准。")


def test_the_pages_say_the_estimate_in_the_results_own_words(built_handbook, bundle):
    """One wording: the home and calculators pages show the sentence every result carries."""
    import html

    for lang, root in (("en", built_handbook), ("zh", built_handbook / "zh")):
        sentence = bundle["messages"]["view.estimate"][lang]
        for page in ("index.html", "calculators/index.html"):
            text = html.unescape((root / page).read_text(encoding="utf-8"))
            assert sentence in text and "<!-- estimate -->" not in text, (lang, page)
