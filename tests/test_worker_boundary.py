"""The browser worker's exact calls, in CPython: `Calculators(bundle_json)` once, then
`answer(name, inputs_json, options_json)` per change and `sweep(...)` for the chart (calculators/worker.py).

The worker sends only JSON text. A reader who leaves "Rules as of" empty sends `as_of: ""` with
their own `today`; these tests make that same call, so a `null`/`jsnull` slip cannot hide again.
`run_json` (the Pyodide tests' call) gives the same result.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

import calculators.api
from calculators.api import run, run_json
from calculators.present import view
from calculators.result import fmt_date
from calculators.sweep import sweep, sweep_json
from calculators.worker import Calculators
from testsupport.today import TODAY, frozen_today_class

FORMS = {  # what a reader fills in, optional fields left empty
    "delisting": {"category": "toys-hobbies", "store_opened_on": "2023-01-10", "sales_365d_usd": "12000",
                  "active_listings": "40", "listings_no_shipment_180d": "3"},
    "refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"},
    "eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
                    "category": "toys-hobbies", "seller_type": "ordinary_trader", "annual_turnover_cny": "500000"},
}


@pytest.fixture(scope="module")
def bundle_json(bundle) -> str:
    return json.dumps(bundle)


def answer(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> dict:
    """The worker's answer to one change: {"result", "view"}."""
    return json.loads(Calculators(bundle_json).answer(name, inputs_json, options_json))


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("options", [{"as_of": "", "today": "2026-11-23"}, {"as_of": None, "today": "2026-11-23"},
                                     {"today": "2026-11-23"}])
def test_empty_as_of_means_the_readers_today(bundle, bundle_json, name, options):
    result = answer(bundle_json, name, json.dumps(FORMS[name]), json.dumps(options))["result"]
    assert "errors" not in result, result
    assert result["as_of"] == "2026-11-23"
    assert result == run(bundle, name, FORMS[name], "2026-11-23")


@pytest.fixture()
def machine_today(monkeypatch) -> dt.date:
    """The machine's today, frozen at TODAY: a test that reads it cannot see the date change midway."""
    monkeypatch.setattr(calculators.api, "Today", frozen_today_class(calculators.api.Today))
    return TODAY


@pytest.mark.parametrize("name", FORMS)
def test_no_options_at_all_means_the_machines_today(bundle_json, name, machine_today):
    result = answer(bundle_json, name, json.dumps(FORMS[name]))["result"]
    assert result["as_of"] == machine_today.isoformat()


def test_a_set_as_of_wins_over_today(bundle_json):
    options = json.dumps({"as_of": "2024-03-01", "today": "2026-11-23"})
    result = answer(bundle_json, "refund", json.dumps(FORMS["refund"]), options)["result"]
    assert result["as_of"] == "2024-03-01"


def test_a_bad_as_of_is_an_error_on_that_field(bundle_json):
    options = json.dumps({"as_of": "2024-02-30"})
    result = answer(bundle_json, "refund", json.dumps(FORMS["refund"]), options)["result"]
    assert result["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", FORMS)
def test_the_answer_is_run_jsons_result_with_its_view(bundle, bundle_json, name, lang):
    options = json.dumps({"today": "2026-11-23", "typed": True, "lang": lang})
    inputs = {**FORMS[name], **({"sales_365d_usd": "12,000"} if name == "delisting" else {})}  # typed: thousands
    got = answer(bundle_json, name, json.dumps(inputs), options)
    result = json.loads(run_json(bundle_json, name, json.dumps(inputs), options))
    assert got == {"result": result, "view": view(bundle, name, inputs, result, lang, json.loads(options))}
    assert got["view"]["verdict_label"]


def test_an_answer_with_errors_has_the_view_that_lists_them(bundle_json):
    got = answer(bundle_json, "refund", json.dumps({"annual_sales_usd": "abc"}), json.dumps({"lang": "zh"}))
    assert {e["field"] for e in got["result"]["errors"]} >= {"annual_sales_usd", "category"}
    assert got["view"]["required"] == ["category", "service_level"]


@pytest.mark.parametrize("inputs_json, options_json, field", [
    ("{not json", "{}", "(input)"),
    ("{}", '{"lang": "fr"}', "lang"),
])
def test_an_unreadable_request_is_an_answer_with_errors_not_an_exception(bundle_json, inputs_json, options_json, field):
    got = answer(bundle_json, "refund", inputs_json, options_json)
    assert [e["field"] for e in got["result"]["errors"]] == [field]
    assert got["view"]["summary"]


def test_an_unknown_calculator_is_an_error_and_no_view(bundle_json):
    got = answer(bundle_json, "nope", "{}")
    assert got["result"]["errors"][0]["field"] == "calculator" and got["view"] is None


def test_the_sweep_is_sweep_jsons(bundle, bundle_json):
    options = json.dumps({"today": "2026-11-23", "typed": True})
    door = Calculators(bundle_json)
    got = json.loads(door.sweep("refund", json.dumps(FORMS["refund"]), options))
    assert got == json.loads(sweep_json(bundle_json, "refund", json.dumps(FORMS["refund"]), options))
    assert got == sweep(bundle, "refund", FORMS["refund"], "2026-11-23", typed=True)
    assert door.sweep("refund", json.dumps({"annual_sales_usd": "abc"}), options) == "null"


@pytest.mark.parametrize("name", FORMS)
def test_a_sweep_after_its_answer_uses_that_answer_and_is_the_same_series(bundle_json, name):
    # The worker asks for the answer, then the series of the same request: the door computes the
    # result once. Any other request (here: another language, another figure) is computed anew.
    options = json.dumps({"today": "2026-11-23", "typed": True})
    door, inputs = Calculators(bundle_json), json.dumps(FORMS[name])
    door.answer(name, inputs, options)
    assert json.loads(door.sweep(name, inputs, options)) == json.loads(sweep_json(bundle_json, name, inputs, options))
    zh = json.dumps({"today": "2026-11-23", "typed": True, "lang": "zh"})
    assert json.loads(door.sweep(name, inputs, zh)) == json.loads(sweep_json(bundle_json, name, inputs, zh))
    other = json.dumps({**FORMS[name], "annual_turnover_cny" if name == "eligibility" else
                        "sales_365d_usd" if name == "delisting" else "annual_sales_usd": "90000"})
    assert json.loads(door.sweep(name, other, options)) == json.loads(sweep_json(bundle_json, name, other, options))


@pytest.mark.parametrize("text, problem", [
    ("{not json", "the policy data is not valid JSON"),
    ("[]", "the policy data lacks version, rules"),
    ('{"version": "x"}', "the policy data lacks rules"),
])
def test_a_damaged_bundle_is_a_problem_said_once(text, problem):
    assert Calculators(text).problem.startswith(problem)


def test_a_good_bundle_has_no_problem(bundle_json):
    assert Calculators(bundle_json).problem == ""


@pytest.mark.parametrize("options, lang, message", [
    # "Rules as of" left empty: the date is the reader's today, and the message says so.
    ({"as_of": "", "today": "2026-11-23"}, "en", "Later than today (23 November 2026): the store must have opened by then"),
    ({"as_of": "", "today": "2026-11-23"}, "zh", "晚于今天（2026年11月23日）：开店日期须在此之前"),
    ({"as_of": "2026-11-22", "today": "2026-11-23"}, "en",
     "Later than the “Rules as of” date 22 November 2026: the store must have opened by then"),
    ({"as_of": "2026-11-22", "today": "2026-11-23"}, "zh", "晚于规则日期2026年11月22日：开店日期须在此之前"),
])
def test_a_date_in_the_future_names_today_unless_rules_as_of_was_set(bundle_json, options, lang, message):
    inputs = {**FORMS["delisting"], "store_opened_on": "2026-11-24"}
    got = answer(bundle_json, "delisting", json.dumps(inputs), json.dumps({**options, "lang": lang}))
    assert got["result"]["errors"] == [{"field": "store_opened_on", "message": message}]


def test_the_cli_without_as_of_says_today(bundle, machine_today):
    tomorrow = (machine_today + dt.timedelta(days=1)).isoformat()
    result = run(bundle, "eligibility", {**FORMS["eligibility"], "brand_relationship": "pending_owner",
                                         "trademark_filed_on": tomorrow})
    assert {"field": "trademark_filed_on", "message": f"Later than today ({fmt_date(machine_today)})"} in result["errors"]


def test_a_date_in_the_future_is_said_while_the_form_is_still_being_filled_in(bundle_json):
    """It waited for every required field: a seller with a typo in the year saw only "fill in"."""
    inputs = {"category": "shoes", "store_opened_on": "2027-03-01", "sales_365d_usd": "12000"}
    got = answer(bundle_json, "delisting", json.dumps(inputs), json.dumps({"today": "2026-11-23", "lang": "zh"}))
    errors = {e["field"]: e["message"] for e in got["result"]["errors"]}
    assert errors["store_opened_on"] == "晚于今天（2026年11月23日）：开店日期须在此之前"
    assert "active_listings" in errors and got["view"]["required"] == ["active_listings", "listings_no_shipment_180d"]
    assert got["view"]["summary"].startswith("请填写")
