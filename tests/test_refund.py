"""Refund tiers with exact comparison words, the human-hair tiers, pro-rating and the violation rule."""

from __future__ import annotations

import pytest

from calculators.api import run

AS_OF = "2026-11-22"


def refund(bundle, **inputs) -> dict:
    return run(bundle, "refund", {"category": "womens-clothing", "service_level": "good", **inputs}, AS_OF)


@pytest.mark.parametrize("category, sales, percent, gap", [
    ("womens-clothing", 14999.99, 0, 0.01),  # 50% needs 15,000 or more
    ("womens-clothing", 15000, 50, 45000.01),  # inclusive
    ("womens-clothing", 60000, 50, 0.01),  # 100% needs MORE than 60,000
    ("womens-clothing", 60000.01, 100, None),
    ("human-hair-wigs", 60000, 0, 0.01),  # 70% needs more than 60,000
    ("human-hair-wigs", 60000.01, 70, 59999.99),
    ("human-hair-wigs", 119999.99, 70, 0.01),
    ("human-hair-wigs", 120000, 100, None),  # 100% at 120,000 or more
])
def test_tier_boundaries(bundle, category, sales, percent, gap):
    result = refund(bundle, category=category, annual_sales_usd=sales)
    assert result["amounts"]["refund_percent"] == percent
    assert result["amounts"]["next_tier_gap_usd"] == gap
    fee = result["amounts"]["fee_cny"]
    assert result["amounts"]["refund_cny"] == fee * percent / 100


def test_hair_fee_is_the_category_fee_unless_given(bundle):
    assert refund(bundle, category="human-hair-wigs", annual_sales_usd=200000)["amounts"]["refund_cny"] == 50000
    assert refund(bundle, annual_sales_usd=200000, fee_paid_cny=8000)["amounts"]["refund_cny"] == 8000


@pytest.mark.parametrize("exit_month, refund_cny", [(1, 10000), (7, 5000), (12, 10000 - 10000 / 12 * 11)])
def test_mid_year_exit_is_pro_rated(bundle, exit_month, refund_cny):
    result = refund(bundle, annual_sales_usd=0, exit_month=exit_month)
    assert result["verdict"] == "pro_rated"
    assert result["amounts"]["refund_cny"] == round(refund_cny, 2)


@pytest.mark.parametrize("joined, exit_month, used, refund_cny", [
    (3, 7, 4, 6666.67),  # March to June used: CNY 10,000 - 10,000 / 12 x 4
    (7, 7, 0, 10000),  # the exit month is not charged, whichever it is
    (1, 7, 6, 5000),  # the same as January assumed
    (12, 12, 0, 10000),
])
def test_pro_rating_counts_the_months_from_the_one_the_store_joined(bundle, joined, exit_month, used, refund_cny):
    result = refund(bundle, annual_sales_usd=0, exit_month=exit_month, joined_month=joined)
    assert (result["verdict"], result["amounts"]["refund_cny"]) == ("pro_rated", refund_cny)
    (finding,) = [f for f in result["findings"] if f["rule"] == "refund.pro_rata_months"]
    assert finding["detail"].startswith(f"Joining in month {joined} and exiting in month {exit_month} uses {used} month")
    assert "Assuming" not in finding["detail"] and result["next_steps"] == []


def test_an_empty_joined_month_is_said_to_be_assumed_january(bundle):
    result = refund(bundle, annual_sales_usd=0, exit_month=7)
    (finding,) = [f for f in result["findings"] if f["rule"] == "refund.pro_rata_months"]
    assert finding["detail"].startswith("Assuming the store joined in month 1 (no joined month given), exiting in "
                                        "month 7 uses 6 months:")
    assert result["next_steps"] == ["If the store joined after January, give the month it joined: fewer months "
                                    "are used and more is refunded."]
    zh = run(bundle, "refund", {"category": "womens-clothing", "service_level": "good", "annual_sales_usd": 0,
                                "exit_month": 7}, AS_OF, lang="zh")
    assert "未填写入驻月份，按1月入驻计算：7月退出，已使用6个月" in zh["findings"][-1]["detail"]


def test_an_exit_before_the_joined_month_is_an_error_on_the_exit_month(bundle):
    result = refund(bundle, annual_sales_usd=0, exit_month=2, joined_month=3)
    assert result == {"errors": [{"field": "exit_month", "message": "Earlier than the month the store joined (month 3)"}]}
    assert refund(bundle, annual_sales_usd=0, joined_month=13)["errors"][0]["field"] == "joined_month"


def test_removal_for_violation_beats_everything(bundle):
    for extra in ({}, {"exit_month": 3}):
        result = refund(bundle, annual_sales_usd=500000, removed_for_violation=True, **extra)
        assert (result["verdict"], result["amounts"]["refund_cny"]) == ("no_refund", 0)


@pytest.mark.parametrize("level, verdict", [("excellent", "full_refund"), ("good", "full_refund"),
                                            ("pass", "no_refund"), ("fail", "no_refund")])
def test_service_level_condition(bundle, level, verdict):
    assert refund(bundle, annual_sales_usd=100000, service_level=level)["verdict"] == verdict


def test_bad_input_names_every_field(bundle):
    result = run(bundle, "refund", {"category": "nope", "annual_sales_usd": -5, "service_level": "great",
                                    "removed_for_violation": "maybe", "exit_month": 13}, AS_OF)
    assert {e["field"] for e in result["errors"]} == {"category", "annual_sales_usd", "service_level",
                                                      "removed_for_violation", "exit_month"}
