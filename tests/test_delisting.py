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
