"""Delisting boundaries: store age 364/365/730/731 days, sales at the threshold, the 20% band, hair caps."""

from __future__ import annotations

import datetime as dt

import pytest

from calculators.api import run

ASSESSED = dt.date(2027, 1, 14)  # the clothing categories' next assessment after AS_OF
AS_OF = "2026-11-22"
BASE = {"category": "womens-clothing", "medal": "none", "active_listings": 10, "listings_no_shipment_180d": 0}


def delisting(bundle, age_days: int, sales, **extra) -> dict:
    opened = (ASSESSED - dt.timedelta(days=age_days)).isoformat()
    return run(bundle, "delisting", {**BASE, "store_opened_on": opened, "sales_365d_usd": sales, **extra}, AS_OF)


@pytest.mark.parametrize("age, verdict, threshold", [
    (364, "not_assessed", None),
    (365, "below_threshold", 5000),  # the youngest assessed store is new
    (730, "below_threshold", 5000),  # still new on day 730
    (731, "below_threshold", 10000),  # established from day 731
])
def test_store_age_boundaries(bundle, age, verdict, threshold):
    result = delisting(bundle, age, 0)
    assert (result["verdict"], result["amounts"]["threshold_usd"]) == (verdict, threshold)
    assert result["amounts"]["assessment_date"] == ASSESSED.isoformat()


@pytest.mark.parametrize("sales, verdict, shortfall", [
    (9999.99, "below_threshold", 0.01),
    (10000, "at_risk", 0),  # "at least" the threshold passes
    (11999.99, "at_risk", 0),  # inside the 20% band
    (12000, "safe", 0),  # the band's edge is safe
])
def test_threshold_and_at_risk_band(bundle, sales, verdict, shortfall):
    result = delisting(bundle, 1000, sales)
    assert (result["verdict"], result["amounts"]["shortfall_usd"]) == (verdict, shortfall)


def test_below_threshold_gives_the_rejoin_date(bundle):
    result = delisting(bundle, 1000, 100)
    assert result["amounts"]["rejoin_earliest"] == (ASSESSED + dt.timedelta(days=90)).isoformat()
    assert [f["outcome"] for f in result["findings"] if f["rule"] == "requirements.rejoin_lock_days"] == ["fail"]


def test_no_rejoin_date_when_the_store_passes(bundle):
    assert "rejoin_earliest" not in delisting(bundle, 1000, 50000)["amounts"]


@pytest.mark.parametrize("medal, listings, cap, over", [
    ("none", 200, 200, 0), ("none", 201, 200, 1),
    ("silver", 300, 300, 0), ("silver", 301, 300, 1),
    ("gold", 300, 300, 0), ("gold", 301, 300, 1),
])
def test_hair_listing_caps_by_medal(bundle, medal, listings, cap, over):
    result = delisting(bundle, 1000, 50000, category="human-hair-wigs", medal=medal, active_listings=listings)
    assert (result["amounts"]["listing_cap"], result["amounts"]["listings_over_cap"]) == (cap, over)
    outcome = next(f["outcome"] for f in result["findings"] if f["rule"] == "listings.max_listings")
    assert outcome == ("fail" if over else "pass")


def test_other_categories_cap_at_3000_whatever_the_medal(bundle):
    for medal in ("none", "silver", "gold"):
        assert delisting(bundle, 1000, 50000, medal=medal)["amounts"]["listing_cap"] == 3000


def test_unsold_links_are_removed_even_under_the_cap(bundle):
    result = delisting(bundle, 1000, 50000, active_listings=100, listings_no_shipment_180d=7)
    assert result["amounts"]["links_to_remove"] == 7


def test_every_finding_cites_a_page_anchor(bundle):
    for finding in delisting(bundle, 1000, 9000)["findings"]:
        page, anchor = finding["source"].split("#")
        assert page.endswith("/") and anchor == finding["rule"].split(".", 1)[1]


def test_before_the_first_assessment_nothing_is_assessed(bundle):
    result = run(bundle, "delisting", {**BASE, "store_opened_on": "2019-01-01", "sales_365d_usd": 0,
                                       "assessment_date": "2021-01-14"}, "2021-01-01")
    assert result["verdict"] == "not_assessed"


@pytest.mark.parametrize("sales, verdict, joined", [
    (50000, "safe", "but"),  # good news, then the cap
    (5000, "below_threshold", "and"),  # two pieces of bad news are not contrasted
])
def test_a_store_over_the_listing_cap_is_told_in_the_headline(bundle, sales, verdict, joined):
    result = delisting(bundle, 1000, sales, active_listings=3500)
    assert result["verdict"] == verdict
    assert f", {joined} 3,500 active listings are 500 over the cap of 3,000." in result["headline"]


# The QA case: a phone store opened 2026-03-01 is 350 days old at the category's next assessment
# (2027-02-14), reaches the minimum age on 2027-03-01 and is first assessed on 2028-02-14.
YOUNG = {"category": "mobile-phones", "store_opened_on": "2026-03-01", "sales_365d_usd": 1234,
         "active_listings": 120, "listings_no_shipment_180d": 0}


@pytest.mark.parametrize("inputs, as_of", [(YOUNG, "2026-11-24"),  # too young for the next assessment
                                           ({**YOUNG, "store_opened_on": "2014-03-01", "assessment_date": "2020-02-14"},
                                            "2019-06-01")])  # a date with no assessment
def test_a_store_not_assessed_has_no_shortfall(bundle, inputs, as_of):
    """Not assessed: nothing to fall short of, so no shortfall of 0 (which reads as "I'm fine")."""
    from calculators.present import view

    result = run(bundle, "delisting", inputs, as_of)
    assert result["verdict"] == "not_assessed"
    assert result["amounts"]["shortfall_usd"] is None and result["amounts"]["threshold_usd"] is None
    for lang in ("en", "zh"):
        shown = [amount["name"] for amount in view(bundle, "delisting", inputs, result, lang)["amounts"]]
        assert "shortfall_usd" not in shown and "assessment_date" in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_time_line_of_a_young_store_gives_its_first_assessment(bundle, lang):
    """The time line agrees with the next step: old enough on 2027-03-01, first assessed 2028-02-14,
    and the category's next assessment (2027-02-14) is marked as not the store's."""
    from calculators.delisting import next_assessment
    from calculators.policy import Policy
    from calculators.sweep import sweep

    result = run(bundle, "delisting", YOUNG, "2026-11-24", lang=lang)
    events = {event["kind"]: event for event in sweep(bundle, "delisting", YOUNG, "2026-11-24", lang=lang)["timeline"]}
    policy = Policy(bundle)
    min_age = policy.value("assessment.minimum_store_age_days", dt.date(2027, 2, 14))
    old_enough = dt.date(2026, 3, 1) + dt.timedelta(days=min_age)
    first = next_assessment(policy, "mobile-phones", old_enough)
    assert (old_enough.isoformat(), first.isoformat()) == ("2027-03-01", "2028-02-14")
    assert events["assessed_from"]["date"] == "2027-03-01"
    assert events["first_assessment"]["date"] == "2028-02-14"
    assert events["first_assessment"]["text"] in result["next_steps"][-1]
    # the 2027-03-01 event does not say assessment starts then, and 2027-02-14 is not the store's
    for said in ("starts being assessed", "开始参加考核", "Old enough to be assessed"):
        assert said not in events["assessed_from"]["label"]
    assert events["assessment"]["date"] == "2027-02-14"
    assert events["assessment"]["label"] != events["first_assessment"]["label"]
    assert str(min_age) in events["assessment"]["label"]


def test_an_assessed_store_has_no_separate_first_assessment(bundle):
    from calculators.sweep import sweep

    kinds = [e["kind"] for e in sweep(bundle, "delisting", {**YOUNG, "store_opened_on": "2024-03-01"},
                                      "2026-11-24")["timeline"]]
    assert "assessment" in kinds and "first_assessment" not in kinds


@pytest.mark.parametrize("as_of, first", [("2016-01-01", True), ("2021-12-31", True), ("2022-01-01", False)])
def test_before_the_assessment_existed_its_first_one_is_named_as_the_first(bundle, as_of, first):
    # On a date before the annual assessment's rules begin, the next assessment is years away: the
    # answer says there was none yet and this is the first, rather than "assessed each year".
    inputs = {**BASE, "store_opened_on": "2015-06-01", "sales_365d_usd": 1234}
    for lang, words in (("en", "There was no annual sales assessment yet on"), ("zh", "时尚无年度销售额考核")):
        note = run(bundle, "delisting", inputs, as_of, lang=lang)["findings"][0]
        assert note["rule"] == "assessment.assessment_date" and note["detail"].count(words) == int(first)
