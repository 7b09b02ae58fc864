"""A Chinese merchant types figures as merchants write them (issue 30 §8): "2万" for 20,000 and
"5月" for May, on the Chinese refund calculator. The answer is the CLI's for the plain numbers,
in Chinese, and no field is marked wrong; the form's reading is calculators/inputs.py's, the
same code in the browser as in CPython.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.reader import cli, fill_as_a_reader, wait_for_result_like

pytestmark = pytest.mark.browser


@pytest.mark.python_started
def test_a_merchant_types_wan_and_a_month_and_gets_the_answer_for_the_numbers(page, site_url):
    page.goto(site_url + "zh/calculators/refund/")
    fill_as_a_reader(page, {"category": "toys-hobbies", "annual_sales_usd": "2万", "service_level": "good",
                            "exit_month": "5月"})
    expected = cli("refund", {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good",
                              "exit_month": "5"}, lang="zh")
    got = wait_for_result_like(page, expected)
    assert got["verdict"] == "pro_rated" and got["headline"] == expected["headline"]
    expect(page.locator(".calc-field-error:visible")).to_have_count(0)
