"""A finding's provenance badge in the browser: the value actually applied, named as a seller would.

A mobile-phone store's established-store threshold is the apparel figure from seed-000, which does
not speak for phones: the badge says it is illustrative and where it was borrowed from; the toy
store's is the seed itself. Never a file name (the Chinese words: tests/test_provenance.py). Every result says it is an estimate. The rules' day
is an input ("Rules as of", filled as a reader can), so the test does not depend on the clock.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.reader import control, fill_as_a_reader, follow_link, wait_for_answer

pytestmark = pytest.mark.browser

AS_OF = "2026-12-07"
STORE = {"store_opened_on": "2020-01-01", "sales_365d_usd": "20000", "active_listings": "10",
         "listings_no_shipment_180d": "0"}
THRESHOLD = ".calc-finding[data-rule='assessment.threshold_established_store_usd'] .prov"


def answer(page, site_url: str, category: str) -> None:
    follow_link(page, site_url + "calculators/delisting/")
    inputs = {**STORE, "category": category}
    fill_as_a_reader(page, inputs)
    control(page, "as_of").fill(AS_OF)
    wait_for_answer(page, None, AS_OF)  # the day is filled last: an answer for it is the final one


@pytest.mark.python_started
def test_a_borrowed_threshold_is_badged_illustrative_with_its_source(page, site_url):
    answer(page, site_url, "mobile-phones")
    badge = page.locator(THRESHOLD)
    expect(badge).to_have_text("Illustrative: extended from egainnews article (Dec 2021)")
    expect(badge).to_have_class("prov prov-illustrative")
    assert "published by egainnews, December 2021" in badge.get_attribute("title")
    expect(page.locator(".calc-result")).not_to_contain_text(".txt")
    expect(page.locator(".calc-result .calc-estimate")).to_have_text(
        "A result is an estimate from the published rules, some of which are illustrative (the rule pages say "
        "which); the platform's own decision is what counts.")


@pytest.mark.python_started
def test_a_toy_store_threshold_is_badged_with_the_seed_it_comes_from(page, site_url):
    answer(page, site_url, "toys-hobbies")
    badge = page.locator(THRESHOLD)
    expect(badge).to_have_text("Source: egainnews article (Dec 2021)")
    expect(badge).to_have_class("prov prov-seed")
    assert "Blue Ocean Yiguan" in badge.get_attribute("title")
