"""Properties over generated inputs (hypothesis): refund monotone and bounded, eligibility never
improves when a requirement is taken away, delisting never improves when sales fall.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.api import rules_begin, run
from calculators.eligibility import VERDICTS as ELIGIBILITY_ORDER
from testsupport.policy_bundle import policy_bundle


# The strategies read the bundle when hypothesis first draws from them, not when this module is
# imported (testsupport.policy_bundle loads it once per process; the tests take the `bundle` fixture).
def categories() -> st.SearchStrategy:
    return st.deferred(lambda: st.sampled_from(sorted(policy_bundle()["categories"])))


def terms(vocabulary: str) -> st.SearchStrategy:
    return st.deferred(lambda: st.sampled_from(sorted(policy_bundle()["terms"][vocabulary])))


cents = st.integers(min_value=0, max_value=30_000_000).map(lambda c: c / 100)
# The dates the rules cover.
days = st.deferred(lambda: st.dates(min_value=rules_begin(policy_bundle()), max_value=dt.date(2028, 12, 31)))
SETTINGS = settings(max_examples=300, deadline=None, database=None)


@SETTINGS
@given(category=categories(), level=terms("service_level"),
       sales=st.lists(cents, min_size=2, max_size=2), fee=st.none() | cents,
       exit_month=st.none() | st.integers(1, 12), as_of=days)
def test_refund_never_decreases_with_sales_and_never_exceeds_the_fee(bundle, category, level, sales, fee,
                                                                     exit_month, as_of):
    low, high = sorted(sales)
    results = [run(bundle, "refund", {"category": category, "service_level": level, "annual_sales_usd": amount,
                                      "fee_paid_cny": fee, "exit_month": exit_month}, as_of.isoformat())
               for amount in (low, high)]
    assert results[0]["amounts"]["refund_cny"] <= results[1]["amounts"]["refund_cny"]
    for result in results:
        assert 0 <= result["amounts"]["refund_cny"] <= result["amounts"]["fee_cny"]


def rank(result: dict) -> int:
    return list(ELIGIBILITY_ORDER).index(result["verdict"])  # 0 is best


def without_brand(i: dict) -> dict:
    """No brand: the brand count goes to 1, the most "No brand" accepts (an input check)."""
    return {**i, "brand_relationship": "none", "brands_count": min(i["brands_count"], 1)}


# Each way of taking one requirement away (or making it harder to meet).
WEAKER = {
    "entity": lambda i: {**i, "entity_type": "individual"},
    "alipay": lambda i: {**i, "alipay_enterprise_verified": False},
    "brand": without_brand,
    "licence": lambda i: {**i, "brand_relationship": {"registered_owner": "licensee_first_level",
                                                      "exclusive_licensee": "licensee_second_level"}.get(
                                                          i["brand_relationship"])} if i["brand_relationship"] in (
                                                          "registered_owner", "exclusive_licensee") else without_brand(i),
    # With no brand there is no second brand to add.
    "brands": lambda i: i if i["brand_relationship"] == "none" else {**i, "brands_count": i["brands_count"] + 1},
    "turnover": lambda i: {**i, "annual_turnover_cny": i["annual_turnover_cny"] / 2},
    "stores": lambda i: {**i, "stores_total": i["stores_total"] + 1},
    "returned": lambda i: {**i, "returned_on": i["as_of"]},
}


@st.composite
def applications(draw) -> dict:
    total = draw(st.integers(0, 8))
    relationship = draw(terms("brand_relationship"))
    as_of = draw(days)
    inputs = {
        "as_of": as_of.isoformat(),
        "entity_type": draw(terms("entity_type")),
        "alipay_enterprise_verified": draw(st.booleans()),
        "brand_relationship": relationship,
        "brands_count": 1 if relationship == "none" else draw(st.integers(1, 4)),
        "category": draw(categories()),
        "seller_type": draw(terms("seller_type")),
        "annual_turnover_cny": draw(st.integers(0, 80_000_000)),
        "stores_total": total,
        "stores_in_category": draw(st.integers(0, total)),
    }
    if relationship == "pending_owner":
        inputs["trademark_filed_on"] = (as_of - dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
    return inputs


def eligibility(bundle: dict, inputs: dict) -> dict:
    fields = {k: v for k, v in inputs.items() if k != "as_of"}
    return run(bundle, "eligibility", fields, inputs["as_of"])


@SETTINGS
@given(application=applications(), weaken=st.sampled_from(sorted(WEAKER)))
def test_eligibility_never_improves_when_a_requirement_is_taken_away(bundle, application, weaken):
    before = eligibility(bundle, application)
    after = eligibility(bundle, WEAKER[weaken](application))
    assert "errors" not in before and "errors" not in after, (before, after)
    assert rank(after) >= rank(before), (weaken, before["verdict"], after["verdict"])


DELISTING_ORDER = ("safe", "at_risk", "below_threshold")


@SETTINGS
@given(category=categories(), opened=st.dates(dt.date(2015, 1, 1), dt.date(2026, 11, 22)),
       sales=st.lists(cents, min_size=2, max_size=2))
def test_delisting_never_improves_when_sales_fall(bundle, category, opened, sales):
    low, high = sorted(sales)
    verdicts = [run(bundle, "delisting", {"category": category, "store_opened_on": opened.isoformat(),
                                          "sales_365d_usd": amount, "active_listings": 0,
                                          "listings_no_shipment_180d": 0}, "2026-11-22")["verdict"]
                for amount in (high, low)]
    if "not_assessed" not in verdicts:
        assert DELISTING_ORDER.index(verdicts[0]) <= DELISTING_ORDER.index(verdicts[1])
