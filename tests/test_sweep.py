"""The charts' series (calculators/sweep.py) agree with the calculators they chart.

Every figure in a sweep must be what a single run gives at that point: refund steps at their
first and last cents, the seller's point, the delisting band's edges, the eligibility change.
The refund never falls as sales rise (the tiers only add). The CLI's --sweep adds the series
without changing `run`'s output otherwise (the CLI run in-process, as tests/test_cli.py's cli runs it).
"""

from __future__ import annotations

import json
import math

import pytest

from calculators.api import run
from calculators.result import money
from calculators.sweep import sweep, sweep_json
from testsupport.checkout import ROOT
from testsupport.cli import run_cli
from testsupport.policy_bundle import policy_bundle

AS_OF = "2026-11-22"


def pytest_generate_tests(metafunc):
    """A test that takes `category` and names none runs for each of the bundle's categories, read at
    collection, not at import (testsupport.policy_bundle loads it once per process, as `bundle` does)."""
    if "category" in metafunc.fixturenames and metafunc.definition.get_closest_marker("parametrize") is None:
        metafunc.parametrize("category", list(policy_bundle()["categories"]))


def cli(*args: str, stdin: str = "") -> object:
    """The command in-process, from the checkout (testsupport/cli.py)."""
    return run_cli(*args, stdin=stdin, cwd=ROOT)


def refund_inputs(category: str, sales: float, **more) -> dict:
    return {"category": category, "annual_sales_usd": sales, "service_level": "good", **more}


def refund_at(bundle: dict, category: str, sales: float) -> dict:
    return run(bundle, "refund", refund_inputs(category, money(sales)), AS_OF)["amounts"]


def percent_from_steps(steps: list[dict], sales: float) -> float:
    """The percent the drawn steps show at `sales`, reading each step's start as open or closed."""
    shown = steps[0]["percent"]
    for step in steps[1:]:
        if sales > step["from_usd"] or (sales == step["from_usd"] and step["start"] == "closed"):
            shown = step["percent"]
    return shown


def test_refund_steps_equal_single_runs_at_sampled_points(bundle, category):
    curve = sweep(bundle, "refund", refund_inputs(category, 30000), AS_OF)
    steps = curve["steps"]
    samples = {0, 0.01, curve["x_max"]} | {s["from_usd"] for s in steps} | {s["first_usd"] for s in steps}
    samples |= {money(s["from_usd"] - 0.01) for s in steps if s["from_usd"] > 0}
    samples |= {money(s["from_usd"] + 0.01) for s in steps}
    samples |= {round(curve["x_max"] * k / 37, 2) for k in range(37)}
    for sales in sorted(samples):
        assert percent_from_steps(steps, sales) == refund_at(bundle, category, sales)["refund_percent"], \
            (category, sales)
    for step in steps:
        at = refund_at(bundle, category, step["first_usd"])
        assert (step["percent"], step["refund_cny"]) == (at["refund_percent"], at["refund_cny"])


def test_refund_never_decreases_with_sales(bundle, category):
    steps = sweep(bundle, "refund", refund_inputs(category, 1), AS_OF)["steps"]
    assert [s["percent"] for s in steps] == sorted(s["percent"] for s in steps)
    assert [s["refund_cny"] for s in steps] == sorted(s["refund_cny"] for s in steps)
    assert all(a["to_usd"] == b["from_usd"] for a, b in zip(steps, steps[1:]))  # no holes, no overlaps
    previous = -1
    for cents in range(0, round(steps[-1]["to_usd"] * 100) + 1, 250_001):
        now = refund_at(bundle, category, cents / 100)["refund_percent"]
        assert now >= previous
        previous = now


def test_refund_steps_carry_the_tier_comparison_words(bundle):
    clothing = sweep(bundle, "refund", refund_inputs("womens-clothing", 40000), AS_OF)
    assert [(s["from_usd"], s["comparison"], s["start"]) for s in clothing["steps"]] == [
        (0, None, "closed"), (15000, "at_least", "closed"), (60000, "more_than", "open")]
    assert clothing["x_max"] == 120000  # about twice the top tier
    assert clothing["table"]["rows"][1:] == [["USD 15,000 or more", "50%", "CNY 5,000"],
                                             ["more than USD 60,000", "100%", "CNY 10,000"]]


@pytest.mark.parametrize("sales", [900000, 123456.78, 1.5, 33000])
def test_an_axis_ends_on_a_tick_not_at_a_stray_figure(bundle, sales):
    """An axis ending at 1.1 times the sales (990,000) would end on a stray label, "99万" after steps of 20万."""
    refund = sweep(bundle, "refund", refund_inputs("womens-clothing", sales), AS_OF)["x_max"]
    delisting = sweep(bundle, "delisting", {**DELISTING, "sales_365d_usd": sales}, AS_OF)["bar"]["x_max"]
    for end, reaches in ((refund, max(120000, sales * 1.1)), (delisting, sales * 1.25)):
        assert end >= reaches
        mantissa = end / 10 ** math.floor(math.log10(end))
        assert round(mantissa, 6) in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8), end


def test_human_hair_has_its_own_tiers(bundle):
    hair = sweep(bundle, "refund", refund_inputs("human-hair-wigs", 90000), AS_OF)
    assert [(s["from_usd"], s["start"], s["percent"]) for s in hair["steps"]] == [
        (0, "closed", 0), (60000, "open", 70), (120000, "closed", 100)]
    assert hair["table"]["rows"][0][0] == "up to USD 60,000"  # USD 60,000 itself gets nothing


@pytest.mark.parametrize("category, sales", [("womens-clothing", 40000), ("human-hair-wigs", 90000),
                                             ("automotive", 60000), ("womens-clothing", 500000), ("shoes", 0)])
def test_the_sellers_point_and_gap_are_the_results(bundle, category, sales):
    result = run(bundle, "refund", refund_inputs(category, sales), AS_OF)
    curve = sweep(bundle, "refund", refund_inputs(category, sales), AS_OF)
    amounts = result["amounts"]
    seller = curve["seller"]
    assert (seller["sales_usd"], seller["percent"], seller["refund_cny"]) == (
        sales, amounts["refund_percent"], amounts["refund_cny"])
    assert curve["fee_cny"] == amounts["fee_cny"]
    assert curve["x_max"] >= sales
    if amounts["next_tier_gap_usd"] is None:
        assert curve["gap"] is None
    else:
        gap = curve["gap"]
        assert (gap["gap_usd"], gap["to_percent"]) == (amounts["next_tier_gap_usd"], amounts["next_tier_percent"])
        assert refund_at(bundle, category, gap["at_usd"])["refund_percent"] == gap["to_percent"]
        assert refund_at(bundle, category, gap["at_usd"] - 0.01)["refund_percent"] < gap["to_percent"]


@pytest.mark.parametrize("more, code", [({"service_level": "pass"}, "service_level"),
                                        ({"removed_for_violation": True}, "removed"),
                                        ({"exit_month": 7}, "mid_year_exit")])
def test_no_tier_refund_gives_a_reason_instead_of_steps(bundle, more, code):
    curve = sweep(bundle, "refund", refund_inputs("womens-clothing", 90000, **more), AS_OF)
    assert curve["steps"] is None and curve["reason"]["code"] == code and curve["reason"]["text"]


def test_with_no_refund_scheme_in_force_the_reason_is_the_date(bundle):
    """A scheme that has ended (a copy of the bundle: the real one has run since the rules began,
    and a date before the rules is an input error, not a reason)."""
    import copy

    ended = copy.deepcopy(bundle)
    tiers = ended["rules"]["refund.refund_tiers"]
    for history in (tiers["values"], *tiers["cases"].values()):
        history[-1]["until"] = "2020-12-31"
    curve = sweep(ended, "refund", refund_inputs("womens-clothing", 90000), "2021-06-01")
    assert curve["steps"] is None and curve["reason"]["code"] == "no_scheme"


DELISTING = {"category": "womens-clothing", "store_opened_on": "2024-03-01", "sales_365d_usd": 11000,
             "active_listings": 10, "listings_no_shipment_180d": 0}


def test_delisting_band_edges_are_where_the_verdict_changes(bundle):
    bar = sweep(bundle, "delisting", DELISTING, AS_OF)["bar"]

    def verdict(sales):
        return run(bundle, "delisting", {**DELISTING, "sales_365d_usd": money(sales)}, AS_OF)["verdict"]

    assert (bar["threshold_usd"], bar["verdict"], bar["margin_usd"]) == (10000, "at_risk", 1000)
    assert verdict(bar["threshold_usd"] - 0.01) == "below_threshold"
    assert verdict(bar["threshold_usd"]) == "at_risk"
    assert verdict(bar["at_risk_until_usd"] - 0.01) == "at_risk"
    assert verdict(bar["at_risk_until_usd"]) == "safe"


def test_delisting_time_line_dates_are_where_the_store_changes_kind(bundle):
    curve = sweep(bundle, "delisting", DELISTING, AS_OF)
    events = {e["kind"]: e["date"] for e in curve["timeline"]}
    assert events["assessment"] == run(bundle, "delisting", DELISTING, AS_OF)["amounts"]["assessment_date"]
    dates = [e["date"] for e in curve["timeline"]]
    assert dates == sorted(dates)

    def judged_on(day, opened_days_before):
        import datetime as dt
        opened = (dt.date.fromisoformat(day) - dt.timedelta(days=opened_days_before)).isoformat()
        return run(bundle, "delisting", {**DELISTING, "store_opened_on": opened, "sales_365d_usd": 7000,
                                         "assessment_date": "2027-01-14"}, AS_OF)

    import datetime as dt
    opened = dt.date.fromisoformat(events["opened"])
    assessed_after = (dt.date.fromisoformat(events["assessed_from"]) - opened).days
    established_after = (dt.date.fromisoformat(events["established"]) - opened).days
    assert judged_on("2027-01-14", assessed_after - 1)["verdict"] == "not_assessed"
    assert judged_on("2027-01-14", assessed_after)["verdict"] != "not_assessed"
    # sales of 7,000 pass a new store's threshold and fail an established one's
    assert judged_on("2027-01-14", established_after - 1)["amounts"]["threshold_usd"] < \
        judged_on("2027-01-14", established_after)["amounts"]["threshold_usd"]


ELIGIBILITY = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
               "category": "shoes", "seller_type": "factory", "annual_turnover_cny": 5_000_000}


@pytest.mark.parametrize("change, field", [({"alipay_enterprise_verified": False}, "alipay_enterprise_verified"),
                                           ({"entity_type": "individual"}, "entity_type"),
                                           ({"stores_total": 6}, "stores_total"),
                                           ({"returned_on": "2026-10-01"}, "as_of")])
def test_the_one_change_makes_the_seller_eligible(bundle, change, field):
    inputs = {**ELIGIBILITY, **change}
    curve = sweep(bundle, "eligibility", inputs, AS_OF)
    result = run(bundle, "eligibility", inputs, AS_OF)
    assert [c["outcome"] for c in curve["checklist"]] == [f["outcome"] for f in result["findings"]
                                                          if f["outcome"] != "info"]
    found = curve["change"]
    assert found["field"] == field
    assert curve["words"]["change"] == "One change that would do:"
    if field == "as_of":
        assert run(bundle, "eligibility", inputs, found["to"])["verdict"] == "eligible"
    else:
        assert run(bundle, "eligibility", {**inputs, field: found["to"]}, AS_OF)["verdict"] == "eligible"


def test_a_cut_in_all_stores_counts_the_categorys_stores_too(bundle):
    """Six stores, two in the category: "1 requirement not met" must be followed by the one change,
    so each cut tried in all stores must hold no fewer than those in the category."""
    inputs = {**ELIGIBILITY, "stores_total": 6, "stores_in_category": 2}
    found = sweep(bundle, "eligibility", inputs, AS_OF, lang="zh")["change"]
    assert (found["field"], found["from"], found["to"]) == ("stores_total", 6, 5)
    assert run(bundle, "eligibility", {**inputs, "stores_total": 5}, AS_OF)["verdict"] == "eligible"


def test_when_two_changes_are_needed_none_is_offered(bundle):
    inputs = {**ELIGIBILITY, "entity_type": "individual", "alipay_enterprise_verified": False}
    curve = sweep(bundle, "eligibility", inputs, AS_OF)
    assert curve["change"] is None and curve["change_text"] == "No single change makes you eligible."
    # Not under "One change that would do:", which would contradict it.
    assert "change" not in curve["words"]


def test_bad_input_has_no_sweep(bundle):
    assert sweep(bundle, "refund", {"category": "nope"}, AS_OF) is None
    assert sweep_json(json.dumps(bundle), "refund", "{not json", "{}") == "null"


def test_cli_sweep_adds_a_key_and_leaves_run_unchanged(bundle):
    stdin = json.dumps(refund_inputs("human-hair-wigs", 90000))
    plain = cli("run", "refund", "--as-of", AS_OF, stdin=stdin)
    swept = cli("run", "refund", "--as-of", AS_OF, "--sweep", stdin=stdin)
    assert plain.returncode == swept.returncode == 0, swept.stderr
    with_sweep = json.loads(swept.stdout)
    assert with_sweep.pop("sweep") == sweep(bundle, "refund", json.loads(stdin), AS_OF)
    assert with_sweep == json.loads(plain.stdout)
