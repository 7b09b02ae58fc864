"""The YAML decides: flip a rule's comparison word in a copy of policies/ and the result flips.

Each case names a rule, the word it is flipped to, inputs that sit exactly on the rule's limit,
and one figure of the result (the verdict, or an amount) before and after the flip. If a
calculator compared in code instead of by the rule's `comparison`, the "after" would equal the
"before". The page words for the flipped rule change too (hooks/formatting.value_text reads
the same key), so the page and the verdict cannot disagree.

Also here: the temporary measures (`applies_to`) listed as notes inside their window, and the
values a result sentence restates (the sales window, the year of the first assessment) read from
the YAML.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from calculators.api import run
from hooks.formatting import value_text
from policy_loader import load_bundle
from testsupport.checkout import POLICIES

AS_OF = "2026-11-22"
CLOTHES = {"category": "womens-clothing", "medal": "none", "active_listings": 10, "listings_no_shipment_180d": 0}
ASSESSED_CLOTHES, ASSESSED_TOYS = dt.date(2027, 1, 14), dt.date(2027, 2, 14)
ENTRANT = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
           "brands_count": 1, "category": "automotive", "seller_type": "brand", "annual_turnover_cny": 1_000_000,
           "stores_total": 0, "stores_in_category": 0}


def opened(assessed: dt.date, age_days: int) -> str:
    return (assessed - dt.timedelta(days=age_days)).isoformat()


def verdict(result: dict) -> str:
    return result["verdict"]


# (file, rule, from word, to word, calculator, inputs, what to read, before, after)
FLIPS = [
    ("staying/assessment.yaml", "threshold_established_store_usd", "at_least", "more_than", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 1000), "sales_365d_usd": 10000},
     verdict, "at_risk", "below_threshold"),
    ("staying/assessment.yaml", "threshold_new_store_usd", "at_least", "more_than", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 500), "sales_365d_usd": 5000},
     verdict, "at_risk", "below_threshold"),
    ("staying/assessment.yaml", "minimum_store_age_days", "less_than", "at_most", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 365), "sales_365d_usd": 50000},
     verdict, "safe", "not_assessed"),
    ("staying/assessment.yaml", "new_store_max_age_days", "at_most", "less_than", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 730), "sales_365d_usd": 5999},
     verdict, "at_risk", "below_threshold"),
    ("staying/assessment.yaml", "at_risk_margin_percent", "at_least", "more_than", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 1000), "sales_365d_usd": 12000},
     verdict, "safe", "at_risk"),
    ("staying/listings.yaml", "max_listings", "at_most", "less_than", "delisting",
     {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 1000), "sales_365d_usd": 50000, "active_listings": 3000},
     lambda r: r["amounts"]["listings_over_cap"], 0, 1),
    ("joining/requirements.yaml", "max_stores_per_company", "at_most", "less_than", "eligibility",
     {**ENTRANT, "stores_total": 5}, verdict, "eligible", "not_eligible"),
    ("joining/requirements.yaml", "max_stores_per_category", "at_most", "less_than", "eligibility",
     {**ENTRANT, "stores_total": 2, "stores_in_category": 2}, verdict, "eligible", "not_eligible"),
    ("joining/recruitment.yaml", "preferred_turnover_cny", "at_least", "more_than", "eligibility",
     {**ENTRANT, "category": "womens-clothing", "annual_turnover_cny": 50_000_000}, verdict, "eligible",
     "not_prioritised"),
    ("joining/store-types.yaml", "trademark_application_max_age_months", "at_most", "less_than", "eligibility",
     {**ENTRANT, "brand_relationship": "pending_owner", "trademark_filed_on": "2026-05-22"}, verdict, "eligible",
     "not_eligible"),
]


def flipped_tree(tmp_path, file: str, rule: str, old: str, new: str):
    """A copy of policies/ with `rule`'s comparison (and only that rule's) changed from `old` to `new`."""
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / file
    text = path.read_text(encoding="utf-8")
    block = re.search(rf"^  {rule}:\n(?:    .*\n|      .*\n)*", text, re.M)
    assert block, f"{file}: no rule {rule}"
    body = block.group()
    assert f"    comparison: {old}\n" in body, f"{file}: {rule} does not say comparison: {old}"
    path.write_text(text[:block.start()] + body.replace(f"comparison: {old}", f"comparison: {new}")
                    + text[block.end():], encoding="utf-8")
    return tree


@pytest.mark.parametrize("file, rule, old, new, calculator, inputs, read, before, after", FLIPS,
                         ids=[f"{case[1]}-{case[3]}" for case in FLIPS])
def test_flipping_the_comparison_word_flips_the_result_at_the_limit(bundle, tmp_path, file, rule, old, new,
                                                                    calculator, inputs, read, before, after):
    assert read(run(bundle, calculator, inputs, AS_OF)) == before
    changed = load_bundle(flipped_tree(tmp_path, file, rule, old, new))
    assert read(run(changed, calculator, inputs, AS_OF)) == after
    address = f"{file.rsplit('/', 1)[1][:-len('.yaml')]}.{rule}"
    if changed["rules"][address]["kind"] in ("amount", "count"):  # the kinds a page states with its comparison
        value = bundle["rules"][address]["values"][0]["value"] if "values" in bundle["rules"][address] else None
        if value is not None:
            words = {"at_least": "at least", "more_than": "more than", "at_most": "at most", "less_than": "less than"}
            assert value_text(value, changed["rules"][address], changed).startswith(words[new] + " ")
            assert value_text(value, bundle["rules"][address], bundle).startswith(words[old] + " ")


def test_flipping_a_refund_tier_word_flips_the_refund_at_its_amount(bundle, tmp_path):
    inputs = {"category": "womens-clothing", "annual_sales_usd": 60000, "service_level": "good"}
    assert run(bundle, "refund", inputs, AS_OF)["amounts"]["refund_percent"] == 50
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / "fees/refund.yaml"
    text = path.read_text(encoding="utf-8")
    tier = "{percent: 100, comparison: more_than, amount: 60000}"
    assert text.count(tier) == 1
    path.write_text(text.replace(tier, "{percent: 100, comparison: at_least, amount: 60000}"), encoding="utf-8")
    result = run(load_bundle(tree), "refund", inputs, AS_OF)
    assert (result["verdict"], result["amounts"]["refund_percent"]) == ("full_refund", 100)


def notes(result: dict) -> dict[str, str]:
    return {f["rule"]: f["detail"] for f in result["findings"] if f["outcome"] == "info"}


@pytest.mark.parametrize("as_of, listed", [("2020-02-02", False), ("2020-02-03", True), ("2020-02-10", True),
                                           ("2020-02-29", True), ("2020-03-01", False)])
def test_eligibility_inside_the_2020_window_lists_the_loan_interest_discount(bundle, as_of, listed):
    detail = notes(run(bundle, "eligibility", ENTRANT, as_of)).get("six-guarantees-2020.loan_interest_discount_percent")
    if listed:
        assert detail is not None and detail.startswith("A temporary measure is in force on ")
        assert "(from 3 February 2020 to 29 February 2020): Loan-interest discount for new merchants, 10%." in detail
    else:
        assert detail is None


def test_a_temporary_measure_is_listed_only_by_the_calculators_it_applies_to(bundle):
    refund = run(bundle, "refund", {"category": "automotive", "annual_sales_usd": 20000, "service_level": "good"},
                 "2020-02-10")
    delisting = run(bundle, "delisting", {**CLOTHES, "store_opened_on": "2019-01-01", "sales_365d_usd": 0}, "2020-02-10")
    for result in (refund, delisting):
        assert not [f for f in result["findings"] if f["rule"].startswith("six-guarantees-2020.")]


def test_the_sales_window_comes_from_the_yaml(bundle, tmp_path):
    inputs = {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 1000), "sales_365d_usd": 50000}
    window = notes(run(bundle, "delisting", inputs, AS_OF))["assessment.sales_window_days"]
    assert window == ("Payments in the 365 days before the assessment count, in USD: from 14 January 2026 to "
                      "13 January 2027.")
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / "staying/assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 365, source: published}", "value: 180, source: published}", 1),
                    encoding="utf-8")
    window = notes(run(load_bundle(tree), "delisting", inputs, AS_OF))["assessment.sales_window_days"]
    assert window.startswith("Payments in the 180 days before the assessment count, in USD: from 18 July 2026 ")


def test_the_first_assessment_year_and_the_age_bands_come_from_the_yaml(bundle, tmp_path):
    early = {**CLOTHES, "store_opened_on": "2019-01-01", "sales_365d_usd": 0, "assessment_date": "2021-01-14"}
    assert notes(run(bundle, "delisting", early, "2021-01-01"))["assessment.assessment_date"].endswith(
        "; the first was in 2022.")
    new = {**CLOTHES, "store_opened_on": opened(ASSESSED_CLOTHES, 500), "sales_365d_usd": 50000}
    assert notes(run(bundle, "delisting", new, AS_OF))["assessment.new_store_max_age_days"] == \
        "Your store will be 500 days old: a new store (365 to 730 days)."
    tree = flipped_tree(tmp_path, "staying/assessment.yaml", "new_store_max_age_days", "at_most", "less_than")
    path = tree / "staying/assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{from: 2022-01-01, value:", "{from: 2023-01-01, value:"), encoding="utf-8")
    changed = load_bundle(tree)
    assert notes(run(changed, "delisting", early, "2021-01-01"))["assessment.assessment_date"].endswith(
        "; the first was in 2023.")
    assert notes(run(changed, "delisting", new, AS_OF))["assessment.new_store_max_age_days"] == \
        "Your store will be 500 days old: a new store (365 to 729 days)."
