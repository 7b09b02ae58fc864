"""A calculator is a declared unit (calculators/unit.py): its one registry entry is all the rest reads.

A toy fourth calculator, registered for one test, is listed, answered, swept and given a result
schema with nothing else edited; the page draws charts by the kind a sweep declares, never by a
calculator's name; rules are reached by name through policy.Rules, and a misspelt one fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from calculators.api import run, specs
from calculators.inputs import INTEGER, Field
from calculators.messages import key
from calculators.policy import Policy, Rules
from calculators.registry import CALCULATORS, RULES_USED
from calculators.result import INFO, Result, recorder
from calculators.sweep import sweep
from calculators.unit import CHART_KINDS, Calculator, Scenario
from calculators.worker import Calculators
from hooks.result_schema import result_schema
from testsupport.checkout import ROOT
from testsupport.cli import run_cli

CHART_JS = ROOT / "docs" / "assets" / "calculators" / "chart.mjs"
AS_OF = "2026-11-22"
MONTHS = Rules("refund", pro_rata_months=("count", "months"))


def _toy_evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    """Months left in the fee year: reads one rule through its accessor, as a real calculator does."""
    months = policy.applied(MONTHS.pro_rata_months, as_of)
    findings = []
    recorder(policy, findings)(MONTHS.pro_rata_months, INFO, f"{months.value} months", months.provenance)
    left = months.value - values["months_used"]
    return Result("toy", as_of.isoformat(), policy.version, "some_left" if left > 0 else "none_left",
                  f"{left} months left.", {"months_left": left}, findings, [])


def _toy_sweep(scenario: Scenario) -> dict:
    """The answer at every month used: each point from the calculator itself (scenario.ask)."""
    points = [scenario.ask({"months_used": used}, scenario.as_of)["verdict"] for used in range(13)]
    return {"words": {"title": key("refund.title")}, "checklist": [], "change": None, "change_text": None,
            "points": points}


TOY = Calculator(
    name="toy", title=key("refund.title"),
    verdicts={"some_left": {"label": key("refund.verdict_pro_rated"), "tone": "info"},
              "none_left": {"label": key("refund.verdict_no_refund"), "tone": "bad"}},
    amounts={"months_left": (key("refund.amount_refund_percent"), "count")},
    inputs=(Field("months_used", INTEGER, key("refund.exit_month"), minimum=0, maximum=12),),
    rules=(MONTHS,), check=lambda policy, values, as_of: [], evaluate=_toy_evaluate, key_dates=lambda *args: [],
    sweep=_toy_sweep, chart_kind="checklist")


@pytest.fixture
def toy(monkeypatch):
    """The toy registered beside the three, for one test: the registry's dict is the one every module reads."""
    monkeypatch.setitem(CALCULATORS, "toy", TOY)
    return TOY


def test_a_fourth_calculator_is_listed_answered_and_swept_from_its_entry_alone(toy, bundle):
    assert specs(bundle)["toy"]["verdicts"] == ["some_left", "none_left"]
    assert [field["name"] for field in specs(bundle)["toy"]["inputs"]] == ["months_used"]
    result = run(bundle, "toy", {"months_used": 5}, AS_OF)
    assert (result["verdict"], result["amounts"]) == ("some_left", {"months_left": 7})
    assert result["findings"][0]["rule"] == "refund.pro_rata_months"
    assert run(bundle, "toy", {"months_used": 13}, AS_OF)["errors"][0]["field"] == "months_used"
    drawn = sweep(bundle, "toy", {"months_used": 5}, AS_OF)
    assert (drawn["calculator"], drawn["kind"]) == ("toy", "checklist")
    assert drawn["points"] == ["some_left"] * 12 + ["none_left"]


def test_a_fourth_calculator_answers_in_the_worker_and_the_cli_and_has_a_schema(toy, bundle, tmp_path):
    worker = Calculators(json.dumps(bundle))
    answer = json.loads(worker.answer("toy", json.dumps({"months_used": 12}), json.dumps({"as_of": AS_OF})))
    assert answer["result"]["verdict"] == "none_left" and answer["view"]["tone"] == "bad"
    assert json.loads(worker.sweep("toy", json.dumps({"months_used": 12}), json.dumps({"as_of": AS_OF})))["kind"] == \
        "checklist"
    listed = run_cli("list", cwd=ROOT)
    assert listed.returncode == 0 and "toy" in json.loads(listed.stdout)
    case = tmp_path / "case.json"
    case.write_text('{"months_used": 3}', encoding="utf-8")
    ran = run_cli("run", "toy", "--input", str(case), "--as-of", AS_OF, cwd=ROOT)
    assert ran.returncode == 0 and json.loads(ran.stdout)["amounts"] == {"months_left": 9}
    assert result_schema("toy")["properties"]["verdict"]["enum"] == ["some_left", "none_left"]


def test_every_sweep_names_the_chart_kind_its_calculator_declares(bundle):
    cases = {"refund": {"category": "womens-clothing", "annual_sales_usd": 20000, "service_level": "good"},
             "delisting": {"category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": 9000,
                           "active_listings": 120, "listings_no_shipment_180d": 0},
             "eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                             "brand_relationship": "registered_owner", "category": "womens-clothing", "seller_type": "brand",
                             "annual_turnover_cny": 1000000}}
    assert set(cases) == set(CALCULATORS)
    for name, inputs in cases.items():
        drawn = sweep(bundle, name, inputs, AS_OF)
        assert drawn is not None, name
        assert drawn["kind"] == CALCULATORS[name].chart_kind, name


def test_the_page_draws_every_declared_chart_kind_and_names_no_calculator():
    source = CHART_JS.read_text(encoding="utf-8")
    table = re.search(r"^const KINDS = \{\n(.*?)^\};", source, re.S | re.M)
    assert table, "chart.mjs has no KINDS table"
    assert set(re.findall(r"^  (\w+): \{", table.group(1), re.M)) == set(CHART_KINDS)
    for name in CALCULATORS:
        assert f'"{name}"' not in source and f"'{name}'" not in source, f"chart.mjs names the {name} calculator"


def test_a_misspelt_rule_fails_where_it_is_read_naming_the_rules_declared():
    assessment = Rules("assessment", sales_window_days=("count", "days"))
    assert assessment.sales_window_days == "assessment.sales_window_days"
    with pytest.raises(AttributeError, match="sales_window_dayz.*assessment.sales_window_days"):
        assessment.sales_window_dayz  # noqa: B018


def test_the_registry_checks_every_rule_each_calculator_reads():
    for calculator in CALCULATORS.values():
        for address, (kind, unit) in calculator.rules_used.items():
            assert RULES_USED[address][1:] == (kind, unit), address
        assert set(calculator.basis) | set(calculator.compared) <= set(calculator.rules_used)


def test_an_entry_with_an_unknown_chart_kind_or_an_undeclared_basis_is_refused():
    with pytest.raises(ValueError, match="chart kind 'pie'"):
        Calculator(**{**vars(TOY), "chart_kind": "pie"})
    with pytest.raises(ValueError, match="refund.refund_tiers not among the rules it reads"):
        Calculator(**{**vars(TOY), "basis": ("refund.refund_tiers",)})
