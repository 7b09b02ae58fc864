"""Announced changes applied to the seller's own figures (issue 25 §3): a result's `upcoming`.

A dated change is planted in a copy of the policies (the real ones announce none after today), run
through the CLI as a seller or a script would (`run … --policies COPY`, in-process:
testsupport/cli.py), and the answer under the change is checked: its verdict and headline, and for
delisting which assessment it first reaches.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from calculators.api import run
from calculators.registry import CALCULATORS
from calculators.upcoming import notices
from policy_contract.checks import load_checked_bundle
from testsupport.checkout import POLICIES
from testsupport.cli import run_cli

TOYS = "      toys-hobbies:\n        - {from: 2022-01-01, value: 10000, source: seed-000}\n"
# An established toy store: USD 11,000 meets the USD 10,000 threshold, but not USD 12,000.
TOY_STORE = {"category": "toys-hobbies", "store_opened_on": "2023-01-01", "sales_365d_usd": 11000, "medal": "none",
             "active_listings": 40, "listings_no_shipment_180d": 0}
AS_OF = "2026-12-07"  # toys' next assessment is 14 February 2027


def planted(tmp_path: Path, rises_on: str) -> Path:
    """A copy of the policies where the toys established-store threshold rises to USD 12,000 on `rises_on`."""
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / "staying" / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    assert TOYS in text
    until = (dt.date.fromisoformat(rises_on) - dt.timedelta(days=1)).isoformat()
    path.write_text(text.replace(TOYS, "      toys-hobbies:\n"
                                       f"        - {{from: 2022-01-01, until: {until}, value: 10000, source: seed-000}}\n"
                                       f"        - {{from: {rises_on}, value: 12000, source: illustrative}}\n"),
                    encoding="utf-8")
    return tree


def run_delisting(tmp_path: Path, policies: Path, inputs: dict, *more: str) -> dict:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(inputs), encoding="utf-8")
    ran = run_cli("run", "delisting", "--input", str(case), "--as-of", AS_OF, "--policies", str(policies), *more)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return json.loads(ran.stdout)


def test_a_rise_after_the_assessment_reaches_the_next_one_and_says_what_these_figures_would_get(tmp_path):
    policies = planted(tmp_path, "2027-03-01")
    result = run_delisting(tmp_path, policies, TOY_STORE)
    assert result["verdict"] == "at_risk" and result["amounts"]["threshold_usd"] == 10000  # today's answer
    assert result["upcoming"] == [{
        "on": "2027-03-01", "rule": "assessment.threshold_established_store_usd",
        "title": "Sales threshold for an established store", "from": 10000, "to": 12000,
        "verdict": "below_threshold",
        "headline": "On current sales, the store would be removed at the 14 February 2028 assessment; it could "
                    "rejoin from 14 May 2028.",
    }]
    said = notices(load_checked_bundle(policies), CALCULATORS["delisting"], TOY_STORE, result, "en")
    assert said == ["Announced: from 1 March 2027, “Sales threshold for an established store” for Toys & hobbies "
                    "rises from USD 10,000 to USD 12,000. Your 14 February 2027 assessment still uses the current "
                    "value; your 14 February 2028 assessment is the first to use the new one. With these figures, the "
                    "answer would be: On current sales, the store would be removed at the 14 February 2028 "
                    "assessment; it could rejoin from 14 May 2028."]


def test_a_rise_in_force_on_the_assessment_date_is_already_in_the_answer_and_is_said_so(tmp_path):
    policies = planted(tmp_path, "2027-01-14")
    result = run_delisting(tmp_path, policies, TOY_STORE)
    assert result["verdict"] == "below_threshold" and result["amounts"]["threshold_usd"] == 12000
    [change] = result["upcoming"]
    assert (change["on"], change["from"], change["to"], change["verdict"]) == ("2027-01-14", 10000, 12000,
                                                                                 "below_threshold")
    [said] = notices(load_checked_bundle(policies), CALCULATORS["delisting"], TOY_STORE, result, "en")
    assert "Your 14 February 2027 assessment uses the new value" in said
    assert said.endswith("With these figures, the answer stays the same.")


def test_the_change_reaches_only_the_category_it_is_made_for(tmp_path):
    policies = planted(tmp_path, "2027-03-01")
    result = run_delisting(tmp_path, policies, {**TOY_STORE, "category": "mother-kids"})
    assert result["upcoming"] == []


def test_an_explicit_assessment_date_after_the_change_already_uses_it(tmp_path):
    policies = planted(tmp_path, "2027-03-01")
    result = run_delisting(tmp_path, policies, {**TOY_STORE, "assessment_date": "2028-02-14"})
    assert result["amounts"]["threshold_usd"] == 12000 and result["verdict"] == "below_threshold"
    assert [item["verdict"] for item in result["upcoming"]] == ["below_threshold"]


def test_the_chinese_answer_says_the_change_in_chinese_with_the_same_codes(tmp_path):
    policies = planted(tmp_path, "2027-03-01")
    english = run_delisting(tmp_path, policies, TOY_STORE)
    chinese = run_delisting(tmp_path, policies, TOY_STORE, "--lang", "zh")
    assert [(i["on"], i["rule"], i["from"], i["to"], i["verdict"]) for i in chinese["upcoming"]] == \
        [(i["on"], i["rule"], i["from"], i["to"], i["verdict"]) for i in english["upcoming"]]
    assert chinese["upcoming"][0]["title"] == "老店的销售额门槛"
    [said] = notices(load_checked_bundle(policies), CALCULATORS["delisting"], TOY_STORE, chinese, "zh")
    assert said.startswith("已公告：自2027年3月1日起，“老店的销售额门槛”（玩具）由10,000美元提高至12,000美元。")
    assert "2028年2月14日的考核起采用新数值" in said and " " not in said.replace("USD ", "")


@pytest.mark.parametrize("name, inputs", [
    ("delisting", TOY_STORE),
    ("refund", {"category": "toys-hobbies", "annual_sales_usd": 20000, "service_level": "good"}),
    ("eligibility", {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship":
                     "registered_owner", "category": "toys-hobbies", "seller_type": "brand",
                     "annual_turnover_cny": 1000000}),
])
def test_with_nothing_announced_upcoming_is_empty_and_the_page_says_so(bundle, name, inputs):
    result = run(bundle, name, inputs, AS_OF)
    assert result["upcoming"] == []
    assert notices(bundle, CALCULATORS[name], inputs, result, "en") == ["No announced change affects these figures."]
    assert notices(bundle, CALCULATORS[name], inputs, result, "zh") == ["没有已公告的规则变更会影响这些数字。"]


def test_a_change_announced_at_the_time_reaches_an_answer_as_of_a_day_before_it(bundle):
    # The real policies: individual businesses could join up to 14 December 2021. As of 1 December
    # 2021 that was an announced change, and an individual business's answer said what it would do.
    seller = {"entity_type": "individual_business", "alipay_enterprise_verified": True,
              "brand_relationship": "registered_owner", "category": "toys-hobbies", "seller_type": "brand",
              "annual_turnover_cny": 1000000}
    result = run(bundle, "eligibility", seller, "2021-12-01")
    assert result["verdict"] == "eligible"
    [change] = result["upcoming"]
    assert (change["on"], change["rule"], change["from"], change["to"], change["verdict"]) == \
        ("2021-12-15", "requirements.entity_type_accepted", True, False, "not_eligible")
    assert run(bundle, "eligibility", {**seller, "entity_type": "enterprise"}, "2021-12-01")["upcoming"] == []
    assert run(bundle, "eligibility", seller, "2021-12-15")["upcoming"] == []  # in force: no longer announced


def test_a_refund_tier_change_next_year_reaches_next_year_s_refund(tmp_path):
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / "fees" / "refund.yaml"
    text = path.read_text(encoding="utf-8")
    tiers = "          - {percent: 100, comparison: more_than, amount: 60000}\n    cases:\n"
    assert tiers in text
    path.write_text(text.replace(tiers, "          - {percent: 100, comparison: more_than, amount: 60000}\n"
                                        "      - from: 2027-01-01\n        source: illustrative\n        value:\n"
                                        "          - {percent: 50, comparison: at_least, amount: 20000}\n"
                                        "          - {percent: 100, comparison: more_than, amount: 60000}\n"
                                        "    cases:\n"), encoding="utf-8")
    store = {"category": "toys-hobbies", "annual_sales_usd": 16000, "service_level": "good"}
    case = tmp_path / "case.json"
    case.write_text(json.dumps(store), encoding="utf-8")
    ran = run_cli("run", "refund", "--input", str(case), "--as-of", AS_OF, "--policies", str(tree))
    result = json.loads(ran.stdout)
    assert result["verdict"] == "partial_refund"  # 2026's refund: 50% from USD 15,000
    [change] = result["upcoming"]
    assert (change["on"], change["rule"], change["verdict"]) == ("2027-01-01", "refund.refund_tiers", "no_refund")
    assert [tier["amount"] for tier in change["to"]] == [20000, 60000]
    [said] = notices(load_checked_bundle(tree), CALCULATORS["refund"], store, result, "en")
    assert "Your 2026 refund still uses the current value; 2027 is the first year to use the new one." in said
    hair = run_cli("run", "refund", "--input", "-", "--as-of", AS_OF, "--policies", str(tree),
                   stdin=json.dumps({**store, "category": "human-hair-wigs"}))
    assert json.loads(hair.stdout)["upcoming"] == []  # human hair has its own tiers, unchanged
