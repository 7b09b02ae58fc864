"""Numbers typed as Chinese merchants type them (issue 30 §8): 万 and 千 in amounts, a unit after the
figure ("7月" in a month field), full-width digits from a Chinese input method.

The form (typed) reads "1万5" as it reads "15,000"; the CLI reads full-width digits as the digits
they are, and still refuses grouping and units, as its contract says. Each case is checked against
the same calculation given the plain number, so a misreading shows up as a different result.
"""

from __future__ import annotations

import json

import pytest

from calculators.api import run
from testsupport.cli import run_cli

AS_OF = "2026-11-22"
REFUND = {"category": "automotive", "annual_sales_usd": 15000, "service_level": "good"}
DELISTING = {"category": "toys-hobbies", "store_opened_on": "2020-01-01", "sales_365d_usd": 9000, "medal": "none",
             "active_listings": 10, "listings_no_shipment_180d": 0}


@pytest.mark.parametrize("typed, number", [
    ("1万5", 15000), ("1万", 10000), ("1.5万", 15000), ("1万5千", 15000), ("2万3000", 23000),
    ("3千", 3000), ("1万5美元", 15000), ("１万５", 15000), ("6万", 60000),
])
def test_the_form_reads_wan_as_a_merchant_writes_it(bundle, typed, number):
    answer = run(bundle, "refund", {**REFUND, "annual_sales_usd": typed}, AS_OF, typed=True)
    assert "errors" not in answer, answer
    assert answer == run(bundle, "refund", {**REFUND, "annual_sales_usd": number}, AS_OF)


def test_a_month_field_reads_the_month_as_written(bundle):
    typed = run(bundle, "refund", {**REFUND, "exit_month": "7月", "joined_month": "3月"}, AS_OF, typed=True)
    assert typed == run(bundle, "refund", {**REFUND, "exit_month": 7, "joined_month": 3}, AS_OF)
    assert typed["verdict"] == "pro_rated"


def test_a_count_may_carry_its_unit(bundle):
    typed = run(bundle, "delisting", {**DELISTING, "active_listings": "20个"}, AS_OF, typed=True)
    assert typed == run(bundle, "delisting", {**DELISTING, "active_listings": 20}, AS_OF)


@pytest.mark.parametrize("typed", ["20abc", "1万55", "万", "7月月", "1万5.5", "5万元"])
def test_what_is_not_an_amount_is_still_refused_with_its_field(bundle, typed):
    # 5万元 is CNY: the sales field is in USD, so the unit is wrong, not ignored.
    answer = run(bundle, "refund", {**REFUND, "annual_sales_usd": typed}, AS_OF, typed=True)
    assert [error["field"] for error in answer["errors"]] == ["annual_sales_usd"]


def test_a_month_is_not_read_in_an_amount_field(bundle):
    answer = run(bundle, "refund", {**REFUND, "annual_sales_usd": "7月"}, AS_OF, typed=True)
    assert [error["field"] for error in answer["errors"]] == ["annual_sales_usd"]


def test_the_cli_reads_full_width_digits_as_the_digits_they_are():
    ran = run_cli("run", "refund", "--as-of", AS_OF, "--lang", "zh", "--input", "-",
                  stdin=json.dumps({**REFUND, "annual_sales_usd": "１５０００", "exit_month": "７"}, ensure_ascii=False))
    plain = run_cli("run", "refund", "--as-of", AS_OF, "--lang", "zh", "--input", "-",
                    stdin=json.dumps({**REFUND, "annual_sales_usd": 15000, "exit_month": 7}))
    assert ran.returncode == 0 and json.loads(ran.stdout) == json.loads(plain.stdout)


def test_the_cli_stays_strict_about_wan_and_grouping():
    ran = run_cli("run", "refund", "--as-of", AS_OF, "--input", "-",
                  stdin=json.dumps({**REFUND, "annual_sales_usd": "1万5"}, ensure_ascii=False))
    assert ran.returncode == 2
    assert [error["field"] for error in json.loads(ran.stdout)["errors"]] == ["annual_sales_usd"]
