"""The eligibility form asks for the turnover only where a threshold applies (issue 28 §5): a toy
maker who leaves it empty gets the CLI's answer; choosing a clothing category then asks for it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.reader import RESULT, cli, control, fill_as_a_reader, follow_link, wait_for_result_like

pytestmark = pytest.mark.browser

TOY_MAKER = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
             "category": "toys-hobbies", "seller_type": "factory"}  # "Annual turnover" left empty


@pytest.mark.python_started
def test_a_toy_maker_gets_an_answer_without_a_turnover_and_clothing_then_asks_for_it(page, site_url):
    follow_link(page, site_url + "calculators/eligibility/")
    turnover = control(page, "annual_turnover_cny")
    expect(turnover).not_to_have_attribute("required", "")
    expect(page.locator("[data-field='annual_turnover_cny'] label")).to_contain_text("if a threshold applies")

    fill_as_a_reader(page, TOY_MAKER)
    want = cli("eligibility", TOY_MAKER)
    assert want["verdict"] == "eligible"
    wait_for_result_like(page, want)
    expect(page.locator(RESULT)).to_contain_text("No turnover threshold applies to this category.")
    expect(turnover).not_to_have_attribute("aria-required", "true")

    control(page, "category").select_option("womens-clothing")
    expect(page.locator(".calc-result")).to_contain_text("fill in: Annual turnover")
    expect(turnover).to_have_attribute("aria-required", "true")
