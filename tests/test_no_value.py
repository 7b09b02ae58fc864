"""A day on which a rule has no value never breaks a calculator (issue 25 §5).

`check` refuses a gap after a rule's first day (tests/malformed/gap-*), so these bundles are
planted past it: built from the real policies, then edited as a dict. Each calculator (and the
chart's sweep) then runs in CPython on days inside a gap, before a rule's first day and after its
last `until`; it answers with one of the contract's verdicts and a finding that says which rule had
no value then.
"""

from __future__ import annotations

import copy
import json

import pytest

from calculators.api import run
from calculators.policy import walk_cases
from calculators.registry import CALCULATORS
from calculators.sweep import sweep

GAP_ENDS, GAP_RESUMES = "2024-12-31", "2031-01-01"  # the examples' days and assessments fall between


def planted(bundle: dict, address: str, plant) -> dict:
    """A copy of `bundle` whose rule `address` has every dated history replaced by plant(history)."""
    rule = copy.deepcopy(bundle["rules"][address])
    for case in walk_cases(rule):
        case.history[:] = plant(case.history)
    return {**bundle, "rules": {**bundle["rules"], address: rule}}


def _period(history: list, **dates) -> dict:
    last = history[-1]
    return {"value": last["value"], "source": last["source"], **dates}


PLANTS = {
    "in a gap": lambda h: [_period(h, **{"from": h[0]["from"], "until": GAP_ENDS}), _period(h, **{"from": GAP_RESUMES})],
    "before its first day": lambda h: [_period(h, **{"from": GAP_RESUMES})],
    "after its end": lambda h: [_period(h, **{"from": h[0]["from"], "until": GAP_ENDS})],
}
CASES = [(name, address, plant) for name, module in CALCULATORS.items() for address in module.rules_used
         for plant in PLANTS]


def test_every_rule_the_calculators_read_begins_before_the_planted_gap(bundle):
    for _, address, _ in CASES:
        for case in walk_cases(bundle["rules"][address]):
            assert case.history[0]["from"] <= GAP_ENDS, address


@pytest.mark.parametrize("name, address, plant", CASES)
def test_a_rule_without_a_value_gives_an_answer_not_an_exception(bundle, name, address, plant):
    edited = planted(bundle, address, PLANTS[plant])
    for example in (e for e in bundle["examples"] if e["calculator"] == name):
        before = run(bundle, name, example["inputs"], example["as_of"])
        after = run(edited, name, example["inputs"], example["as_of"])
        json.dumps(after)  # plain data, as the CLI prints it
        json.dumps(sweep(edited, name, example["inputs"], example["as_of"]))  # and the chart the page draws
        if "errors" in after:
            # The rules a calculator rests on (api.rules_begin) moved past the day: the as-of date is refused.
            assert [e["field"] for e in after["errors"]] == ["as_of"], after
            continue
        assert after["verdict"] in CALCULATORS[name].verdicts and after["headline"]
        inside = GAP_ENDS < example["as_of"] < GAP_RESUMES  # so are its assessment and the days it reads
        if inside and any(f["rule"] == address for f in before["findings"]):
            assert after != before, f"{address} {plant}: the answer did not notice"


def toy_store(sales: float = 9000) -> dict:
    return {"category": "toys-hobbies", "store_opened_on": "2020-03-01", "sales_365d_usd": sales, "medal": "none",
            "active_listings": 10, "listings_no_shipment_180d": 0}


def test_a_toy_store_assessed_inside_a_threshold_gap_is_told_the_rule_has_no_value(bundle):
    # The reproduction: the established-store threshold ends on 31 January, the next starts on 1 March.
    edited = copy.deepcopy(bundle)
    edited["rules"]["assessment.threshold_established_store_usd"]["cases"]["toys-hobbies"] = [
        {"from": "2022-01-01", "until": "2027-01-31", "value": 10000, "source": "seed-000"},
        {"from": "2027-03-01", "value": 12000, "source": "published"}]
    result = run(edited, "delisting", toy_store(), "2026-12-07")
    assert result["verdict"] == "not_assessed"
    assert result["amounts"]["threshold_usd"] is None
    (finding,) = [f for f in result["findings"] if f["rule"] == "assessment.threshold_established_store_usd"]
    assert finding["detail"] == ("“Sales threshold for an established store” has no value in force on "
                                 "14 February 2027 for “Toys & hobbies”: the published rules do not say what applies then.")
    zh = run(edited, "delisting", toy_store(), "2026-12-07", lang="zh")
    assert "2027年2月14日对“玩具”没有生效的取值" in zh["findings"][0]["detail"]
    # The same store assessed after the gap gets the new threshold.
    later = run(edited, "delisting", {**toy_store(), "assessment_date": "2028-02-14"}, "2026-12-07")
    assert (later["verdict"], later["amounts"]["threshold_usd"]) == ("below_threshold", 12000)


def test_a_fee_that_starts_later_is_not_read_as_no_fee_paid(bundle):
    edited = copy.deepcopy(bundle)
    edited["rules"]["annual-fee.annual_fee_cny"]["cases"]["mobile-phones"] = [
        {"from": "2027-03-01", "value": 30000, "source": "published"}]
    inputs = {"category": "mobile-phones", "annual_sales_usd": 70000, "service_level": "good"}
    result = run(edited, "refund", inputs, "2026-12-07")
    assert result["verdict"] == "no_refund"
    assert "No annual fee was paid" not in json.dumps(result)
    assert result["findings"][0]["detail"].startswith("“Annual technical-service fee” has no value in force on "
                                                      "7 December 2026 for “Mobile phones”")
    # What the seller says they paid still answers.
    paid = run(edited, "refund", {**inputs, "fee_paid_cny": 30000}, "2026-12-07")
    assert (paid["verdict"], paid["amounts"]["refund_cny"]) == ("full_refund", 30000)
