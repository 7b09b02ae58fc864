"""Eligibility: dated entity types, brand relationships, store limits, the rejoin lock, recruitment."""

from __future__ import annotations

import pytest

from calculators.api import run

AS_OF = "2026-11-22"
GOOD = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
        "brands_count": 1, "category": "automotive", "seller_type": "brand", "annual_turnover_cny": 1_000_000,
        "stores_total": 0, "stores_in_category": 0}


def eligibility(bundle, as_of=AS_OF, **changes) -> dict:
    return run(bundle, "eligibility", {**GOOD, **changes}, as_of)


def failed(result) -> set[str]:
    return {f["rule"] for f in result["findings"] if f["outcome"] == "fail"}


def test_a_complete_application_is_eligible_with_fee_steps_and_documents(bundle):
    result = eligibility(bundle)
    assert result["verdict"] == "eligible"
    assert result["amounts"]["store_types"] == ["official", "specialty", "franchise"]
    assert result["amounts"]["fee_cny"] == 10000
    assert len(result["amounts"]["entry_steps"]) == 5 and result["amounts"]["documents"]


@pytest.mark.parametrize("entity, as_of, verdict", [
    ("individual", "2016-08-14", "eligible"), ("individual", "2016-08-15", "not_eligible"),
    ("individual_business", "2021-12-14", "eligible"), ("individual_business", "2021-12-15", "not_eligible"),
    ("enterprise", "2026-11-22", "eligible"),
])
def test_entity_type_resolved_by_date(bundle, entity, as_of, verdict):
    assert eligibility(bundle, as_of, entity_type=entity)["verdict"] == verdict


@pytest.mark.parametrize("relationship, brands, types", [
    ("registered_owner", 1, ["official", "specialty", "franchise"]),
    ("exclusive_licensee", 1, ["official", "specialty", "franchise"]),
    ("licensee_first_level", 1, ["specialty", "franchise"]),
    ("licensee_second_level", 1, ["franchise"]),
    ("registered_owner", 2, ["franchise"]),
    ("none", 1, []),
])
def test_store_types_by_brand_relationship(bundle, relationship, brands, types):
    assert eligibility(bundle, brand_relationship=relationship, brands_count=brands)["amounts"]["store_types"] == types


@pytest.mark.parametrize("filed, verdict", [("2026-05-22", "eligible"), ("2026-05-21", "not_eligible")])
def test_tm_application_accepted_within_six_months(bundle, filed, verdict):
    assert eligibility(bundle, brand_relationship="pending_owner", trademark_filed_on=filed)["verdict"] == verdict


@pytest.mark.parametrize("total, in_category, verdict", [(5, 2, "eligible"), (6, 2, "not_eligible"),
                                                         (5, 3, "not_eligible")])
def test_store_count_limits(bundle, total, in_category, verdict):
    assert eligibility(bundle, stores_total=total, stores_in_category=in_category)["verdict"] == verdict


@pytest.mark.parametrize("returned, verdict, earliest", [
    ("2026-08-25", "not_eligible", "2026-11-23"),  # 89 days before AS_OF: locked out one more day
    ("2026-08-24", "eligible", None),  # returned + 90 days = AS_OF: the earliest day to rejoin is today
    ("2026-08-23", "eligible", None),
])
def test_rejoin_lock_of_90_days(bundle, returned, verdict, earliest):
    result = eligibility(bundle, returned_on=returned)
    assert (result["verdict"], result["amounts"]["rejoin_earliest"]) == (verdict, earliest)
    if verdict == "not_eligible":
        assert failed(result) == {"requirements.rejoin_lock_days"}


@pytest.mark.parametrize("seller_type, turnover, as_of, verdict", [
    ("brand", 49_999_999, "2026-11-22", "not_prioritised"),
    ("brand", 50_000_000, "2026-11-22", "eligible"),
    ("ordinary_trader", 2_000_000, "2026-11-22", "eligible"),
    ("official_distributor", 10**9, "2026-11-22", "invitation_only"),
    ("brand", 1, "2021-10-31", "eligible"),  # thresholds only from 2021-11-01
    ("brand", 1, "2021-11-01", "not_prioritised"),
])
def test_apparel_recruitment_thresholds(bundle, seller_type, turnover, as_of, verdict):
    result = eligibility(bundle, as_of, category="womens-clothing", seller_type=seller_type,
                         annual_turnover_cny=turnover)
    assert result["verdict"] == verdict


def test_no_turnover_threshold_outside_apparel(bundle):
    assert eligibility(bundle, seller_type="brand", annual_turnover_cny=0)["verdict"] == "eligible"


def test_every_failed_rule_is_shown_not_only_the_first(bundle):
    result = eligibility(bundle, entity_type="individual", alipay_enterprise_verified=False,
                         brand_relationship="none", stores_total=6, stores_in_category=3, returned_on="2026-11-01")
    assert failed(result) == {"requirements.entity_type_accepted", "requirements.alipay_enterprise_verification",
                              "requirements.brand_required", "requirements.max_stores_per_company",
                              "requirements.max_stores_per_category", "requirements.rejoin_lock_days"}
    assert result["amounts"]["rejoin_earliest"] == "2027-01-30"


def test_bad_input_names_every_field(bundle):
    result = run(bundle, "eligibility", {**GOOD, "entity_type": "robot", "brands_count": 1.5,
                                         "stores_total": 1, "stores_in_category": 2}, AS_OF)
    assert {e["field"] for e in result["errors"]} == {"entity_type", "brands_count"}
    result = run(bundle, "eligibility", {**GOOD, "stores_total": 1, "stores_in_category": 2,
                                         "brand_relationship": "pending_owner", "returned_on": "2027-01-01"}, AS_OF)
    assert {e["field"] for e in result["errors"]} == {"stores_in_category", "trademark_filed_on", "returned_on"}


def test_the_first_date_the_rules_cover_comes_from_the_policies(bundle):
    """Move the annual fee's first date later (a copy of the bundle): the as-of error moves with it."""
    import copy

    from calculators.policy import walk_cases

    later = copy.deepcopy(bundle)
    for case in walk_cases(later["rules"]["annual-fee.annual_fee_cny"]):
        for period in case.history:
            if period["from"] == "2016-01-01":
                period["from"] = "2017-03-01"
    assert eligibility(bundle, "2017-02-28")["verdict"] == "eligible"
    [error] = eligibility(later, "2017-02-28")["errors"]
    assert error["field"] == "as_of" and "2017-03-01" in error["message"]
    assert eligibility(later, "2017-03-01")["verdict"] == "eligible"


@pytest.mark.parametrize("as_of, said", [("2016-08-14", True), ("2016-08-15", False)])
def test_before_store_types_existed_the_answer_says_so_instead_of_listing_none(bundle, as_of, said):
    # Between the first day the rules cover and the day store types began, a seller is eligible
    # with no store type: a note says why the list is empty, naming the day from the policies.
    result = eligibility(bundle, as_of)
    notes = [f for f in result["findings"] if f["rule"].endswith("store_types_by_brand_relationship")
             and f["outcome"] == "info"]
    assert result["verdict"] == "eligible"
    assert bool(result["amounts"]["store_types"]) is not said
    assert [n["detail"].startswith("Store types (Official store, ") and "15 August 2016" in n["detail"]
            for n in notes] == ([True] if said else [])
