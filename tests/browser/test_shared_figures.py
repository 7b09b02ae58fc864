"""One store of figures for all three calculators (issue 28 §4), and an empty date that looks empty (§7).

The seller's category, sales and "Rules as of" date, typed into one calculator, fill the next one
they open in the same tab; each such field says where it came from, and one control clears them.
A link's own figures win. A result leads onward with its figures: a store below its threshold (to be
returned on the assessment day) to eligibility with that return date; an eligible seller to the
annual fee refund with their category. The browser's clock stands at noon on 7 December 2026
(page.clock): the reader's today, which the answers are compared for and the empty date names.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.reader import (cli, control, fill_as_a_reader, follow_link, tab_at, type_into,
                                  wait_for_result_like)

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 12, 7)
BADGE = ".calc-from-store"
BELOW = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
         "active_listings": "3100", "listings_no_shipment_180d": "40"}
ELIGIBLE = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
            "category": "automotive", "seller_type": "brand", "annual_turnover_cny": "3000000"}


@pytest.fixture(scope="module")
def tab(context, site_url):
    """A tab whose clock reads noon on 7 December 2026 from before the page loads; Python started."""
    with tab_at(context, site_url + "calculators/delisting/", dt.datetime(DAY.year, DAY.month, DAY.day, 12)) as page:
        yield page


@pytest.fixture()
def page(tab):
    """The module's tab, its store of figures empty: each test starts as a new visit's seller."""
    tab.evaluate("document.activeElement?.blur(); sessionStorage.clear()")
    return tab


def badge(page, field: str):
    return page.locator(f".calc-field[data-field='{field}'] {BADGE}")


def test_category_sales_and_date_fill_the_next_calculator_say_so_and_clear(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    fill_as_a_reader(page, {**BELOW, "as_of": "2027-01-10"})
    wait_for_result_like(page, cli("delisting", BELOW, "2027-01-10"))

    follow_link(page, site_url + "calculators/refund/")
    for name, value in {"category": "womens-clothing", "annual_sales_usd": "9999", "as_of": "2027-01-10"}.items():
        expect(control(page, name)).to_have_value(value)
        expect(badge(page, name)).to_have_text("From your store's figures")
    expect(badge(page, "service_level")).to_have_count(0)  # not one of the figures the calculators share
    control(page, "service_level").select_option("good")
    refund = {"category": "womens-clothing", "annual_sales_usd": "9999", "service_level": "good"}
    wait_for_result_like(page, cli("refund", refund, "2027-01-10"))
    # The store's figures are in the page's link too, so a copied link gives this answer.
    page.wait_for_function("() => location.hash.includes('category=womens-clothing') && location.hash.includes('as_of=2027-01-10')")

    type_into(page, "annual_sales_usd", "20000")  # the seller's own figure now: no longer the store's
    expect(badge(page, "annual_sales_usd")).to_have_count(0)
    expect(badge(page, "category")).to_have_count(1)
    wait_for_result_like(page, cli("refund", {**refund, "annual_sales_usd": "20000"}, "2027-01-10"))

    clear = page.get_by_role("button", name="Clear my store's figures")
    clear.click()
    expect(control(page, "category")).to_have_value("")
    expect(control(page, "as_of")).to_have_value("")
    expect(page.locator(BADGE)).to_have_count(0)
    expect(clear).to_be_hidden()  # nothing kept: nothing to clear
    assert page.evaluate("sessionStorage.getItem('calculators-store')") is None
    follow_link(page, site_url + "calculators/eligibility/")
    expect(control(page, "category")).to_have_value("")
    expect(page.locator(BADGE)).to_have_count(0)


def test_a_links_own_figures_win_over_the_store(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    control(page, "category").select_option("womens-clothing")
    expect(badge(page, "category")).to_have_count(0)  # typed here, not filled
    # A link someone shared, followed in this tab (instant navigation): the page adds the link's day
    # to its address at once, so the address is awaited by what it starts with.
    shared = site_url + "calculators/delisting/#" + urlencode({"category": "shoes", "sales_365d_usd": "500"})
    page.evaluate("to => { const a = document.createElement('a'); a.id = 'shared-link'; a.href = to;"
                  " a.textContent = 'shared'; document.querySelector('article').prepend(a); }", shared)
    page.locator("#shared-link").click()
    page.wait_for_url(re.compile(re.escape(shared)))
    expect(page.locator("form.calc[data-calculator='delisting'][data-mounted='true']")).to_have_count(1)
    expect(control(page, "category")).to_have_value("shoes")
    expect(control(page, "as_of")).to_have_value("")
    expect(page.locator(BADGE)).to_have_count(0)


def test_a_store_to_be_returned_leads_to_eligibility_with_the_return_date_filled_in(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    fill_as_a_reader(page, BELOW)
    below = cli("delisting", BELOW, DAY)
    assert below["verdict"] == "below_threshold"
    wait_for_result_like(page, below)
    returned = below["amounts"]["assessment_date"]
    page.locator(".calc-result a.calc-onward").click()
    page.wait_for_url(f"{site_url}calculators/eligibility/**")
    expect(page.locator("form.calc[data-calculator='eligibility'][data-mounted='true']")).to_have_count(1)
    expect(control(page, "returned_on")).to_have_value(returned)
    expect(control(page, "category")).to_have_value("womens-clothing")
    expect(control(page, "as_of")).to_have_value(returned)  # eligibility refuses a return after its date
    seller = {**ELIGIBLE, "category": "womens-clothing", "returned_on": returned}
    fill_as_a_reader(page, {**seller, "as_of": returned})
    locked = cli("eligibility", seller, returned)
    assert locked["amounts"]["rejoin_earliest"]
    wait_for_result_like(page, locked)


def test_an_eligible_seller_goes_on_to_the_refund_with_their_category(page, site_url):
    follow_link(page, site_url + "calculators/eligibility/")
    fill_as_a_reader(page, ELIGIBLE)
    wait_for_result_like(page, cli("eligibility", ELIGIBLE, DAY))
    onward = page.locator(".calc-result a.calc-onward")
    expect(onward).to_have_text("Estimate the annual fee refund for this category")
    onward.click()
    page.wait_for_url(f"{site_url}calculators/refund/**")
    expect(page.locator("form.calc[data-calculator='refund'][data-mounted='true']")).to_have_count(1)
    expect(control(page, "category")).to_have_value("automotive")


@pytest.mark.parametrize("lang, said", [("", "Empty: today, 7 December 2026"), ("zh/", "留空即按今天（2026年12月7日）")])
def test_an_empty_date_looks_empty_and_rules_as_of_says_what_empty_means(page, site_url, lang, said):
    follow_link(page, f"{site_url}{lang}calculators/refund/")
    as_of = control(page, "as_of")
    note = page.locator(".calc-field[data-field='as_of'] .calc-empty-date")
    expect(note).to_be_visible()
    expect(note).to_have_text(said)
    # The engine's stand-in for a date (a grey today in WebKit, a dd/mm/yyyy guide elsewhere) is not drawn.
    expect(as_of).to_have_css("color", "rgba(0, 0, 0, 0)")
    as_of.fill("2027-01-10")
    expect(note).to_be_hidden()
    expect(as_of).not_to_have_css("color", "rgba(0, 0, 0, 0)")
    as_of.fill("")
    expect(note).to_be_visible()
    expect(note).to_have_text(said)
