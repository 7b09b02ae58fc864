"""An answer keeps its date (issue 25 §2): a calculator link records the day it was made, and opened
on a later day the page answers as of that day and says so; a printout says when it was computed
and with which day's rules.

Checked here at the worker's door (calculators/worker.py), with the options the page sends: the
reader's today and the link's `made` day. The browser journeys are in tests/browser/test_dated_links.py.
"""

from __future__ import annotations

import json

import pytest

from calculators.api import run
from calculators.sweep import sweep_request
from calculators.worker import Calculators

# An apparel store below its threshold: its assessment falls between the two days (14 January 2027),
# so the answer as of the link's day and today's differ (assessment, store age, rejoin date).
STORE = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
         "active_listings": "3100", "listings_no_shipment_180d": "40"}
MADE, TODAY = "2026-12-07", "2027-01-20"


@pytest.fixture(scope="module")
def calculators(bundle) -> Calculators:
    return Calculators(json.dumps(bundle))


def answer(calculators, inputs: dict, **options) -> dict:
    return json.loads(calculators.answer("delisting", json.dumps(inputs), json.dumps({"typed": True, **options})))


def test_a_link_opened_after_the_day_it_was_made_answers_as_of_that_day_and_says_so(calculators, bundle):
    got = answer(calculators, STORE, today=TODAY, made=MADE)
    assert got["result"] == run(bundle, "delisting", STORE, MADE, typed=True)
    assert got["result"] != run(bundle, "delisting", STORE, TODAY, typed=True)  # the date matters here
    assert got["view"]["dated_link"] == {
        "notice": "This answer uses the rules as of 7 December 2026, when the link was made.",
        "today": "Show today's answer"}


def test_the_notice_and_the_printed_line_in_chinese(calculators):
    view = answer(calculators, STORE, today=TODAY, made=MADE, lang="zh")["view"]
    assert view["dated_link"]["notice"] == "此结果按链接生成当天（2026年12月7日）的规则计算。"
    assert view["printed"] == "于2027年1月20日按2026年12月7日的规则计算。"


def test_a_printout_names_the_day_it_was_computed_and_the_day_of_its_rules(calculators):
    assert answer(calculators, STORE, today=TODAY, made=MADE)["view"]["printed"] == (
        "Computed on 20 January 2027 with the rules as of 7 December 2026.")
    assert answer(calculators, STORE, today=TODAY, as_of="2024-03-01")["view"]["printed"] == (
        "Computed on 20 January 2027 with the rules as of 1 March 2024.")


@pytest.mark.parametrize("made", ["", TODAY, "2027-02-01", "7 December 2026", "2026-02-30"])
def test_a_link_made_today_later_or_with_no_real_date_answers_as_of_today(calculators, made):
    got = answer(calculators, STORE, today=TODAY, made=made)
    assert got["result"]["as_of"] == TODAY and got["view"]["dated_link"] is None


def test_a_rules_as_of_date_the_link_carries_wins_over_the_day_it_was_made(calculators):
    got = answer(calculators, STORE, today=TODAY, made=MADE, as_of="2025-06-01")
    assert got["result"]["as_of"] == "2025-06-01" and got["view"]["dated_link"] is None


def test_the_chart_follows_the_links_day_too(bundle):
    options = {"today": TODAY, "made": MADE, "typed": True}
    dated = sweep_request(bundle, "delisting", json.dumps(STORE), json.dumps(options))
    assert dated == sweep_request(bundle, "delisting", json.dumps(STORE), json.dumps({"as_of": MADE, "typed": True}))
    assert dated != sweep_request(bundle, "delisting", json.dumps(STORE), json.dumps({"as_of": TODAY, "typed": True}))


def test_a_date_later_than_the_links_day_is_said_to_be_so_and_the_notice_stays(calculators):
    opened_later = {**STORE, "store_opened_on": "2027-01-10"}
    got = answer(calculators, opened_later, today=TODAY, made=MADE)
    errors = got["result"]["errors"]
    assert [e["field"] for e in errors] == ["store_opened_on"]
    assert "the day the link was made (7 December 2026)" in errors[0]["message"]
    assert got["view"]["dated_link"]["today"] == "Show today's answer"  # the way out of the link's day
