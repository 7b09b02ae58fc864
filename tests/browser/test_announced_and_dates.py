"""Announced changes and key dates on the page (issue 25 §3, §4), in Debian's Chromium.

The browser's clock is frozen at 1 December 2021 (Playwright's page.clock), a day when a real
change in the policies was announced and not yet in force: individual businesses could join up
to 14 December 2021. So the page answers "as of today" for a day the test names, and what it
shows is compared with the CLI's answer as of that day. The calendar is downloaded as a reader
does (a click; Playwright's expect_download) and read back with the `icalendar` package.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from playwright.sync_api import expect

from calculators.registry import CALCULATORS
from calculators.upcoming import notices
from tests.browser.reader import (PYTHON_START_LIMIT_MS, READY, cli, control, fill_as_a_reader, follow_link,
                                  tab_at, wait_for_result_like)
from testsupport.policy_bundle import policy_bundle

pytestmark = pytest.mark.browser

TODAY = dt.date(2021, 12, 1)
INDIVIDUAL_BUSINESS = {"entity_type": "individual_business", "alipay_enterprise_verified": True,
                       "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                       "annual_turnover_cny": "500000"}
RETURNED_STORE = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
                  "active_listings": "120", "listings_no_shipment_180d": "0"}


@pytest.fixture(scope="module")
def tab(context, site_url):
    """A tab whose clock reads 1 December 2021, 10:00 local time, from before the page loads; Python started."""
    with tab_at(context, site_url + "calculators/eligibility/", dt.datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0)) as page:
        yield page


def test_an_announced_change_shows_under_the_result_with_what_it_does_to_these_figures(tab, site_url):
    follow_link(tab, site_url + "calculators/eligibility/")
    fill_as_a_reader(tab, INDIVIDUAL_BUSINESS)
    want = cli("eligibility", INDIVIDUAL_BUSINESS, TODAY)
    assert want["verdict"] == "eligible" and [u["verdict"] for u in want["upcoming"]] == ["not_eligible"]
    wait_for_result_like(tab, want)
    announced = tab.locator(".calc-upcoming")
    expect(announced).to_have_attribute("data-announced", "true")
    [said] = notices(policy_bundle(), CALCULATORS["eligibility"], INDIVIDUAL_BUSINESS, want, "en")
    assert said.startswith("Announced: from 15 December 2021, ") and "With these figures, the answer would be" in said
    expect(announced.locator("li")).to_have_text([said])

    # An enterprise is not touched by it: the page says nothing is announced for these figures.
    control(tab, "entity_type").select_option("enterprise")
    wait_for_result_like(tab, cli("eligibility", {**INDIVIDUAL_BUSINESS, "entity_type": "enterprise"}, TODAY))
    expect(announced).to_have_attribute("data-announced", "false")
    expect(announced.locator("li")).to_have_text(["No announced change affects these figures."])


def test_the_key_dates_download_as_a_calendar_made_in_the_browser(tab, site_url, tmp_path):
    follow_link(tab, site_url + "calculators/delisting/")
    fill_as_a_reader(tab, RETURNED_STORE)
    want = cli("delisting", RETURNED_STORE, TODAY)
    assert want["verdict"] == "below_threshold"
    wait_for_result_like(tab, want)
    dates = tab.locator(".calc-dates li")
    expect(dates).to_have_count(len(want["dates"]))
    expect(dates.last).to_contain_text(want["dates"][-1]["title"])
    # The chart's code (ECharts) loads after the answer, on its own: counted before the click, not after.
    expect(tab.locator(".calc-chart-canvas svg")).to_have_count(1, timeout=PYTHON_START_LIMIT_MS)

    asked = len(tab.requests.urls)
    with tab.expect_download() as downloading:
        tab.get_by_role("link", name="Add these dates to your calendar (.ics)").click()
    download = downloading.value
    assert download.suggested_filename == "seller-handbook-delisting-2021-12-01.ics"
    assert download.url.startswith("blob:")
    # Made here, not fetched (the favicon is the browser's own request, whenever it gets to it).
    assert [url for url in tab.requests.urls[asked:] if not url.startswith("blob:") and not url.endswith("/favicon.png")] == []
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    got = [(event.decoded("DTSTART"), str(event["SUMMARY"])) for event in calendar.walk("VEVENT")]
    assert got == [(dt.date.fromisoformat(d["on"]), d["title"]) for d in want["dates"]]
    assert {event.decoded("DTSTAMP") for event in calendar.walk("VEVENT")} == \
        {dt.datetime(2021, 12, 1, tzinfo=dt.timezone.utc)}  # the day the answer is for, not the machine's clock


def test_the_chinese_page_offers_the_same_dates_in_chinese(tab, site_url):
    # Loaded, not reached by a link: this tab's clock still reads 1 December 2021 after a load.
    tab.goto(site_url + "zh/calculators/delisting/")
    tab.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    fill_as_a_reader(tab, RETURNED_STORE)
    want = cli("delisting", RETURNED_STORE, TODAY, lang="zh")
    wait_for_result_like(tab, want)
    expect(tab.locator(".calc-dates li").first).to_contain_text(want["dates"][0]["title"])
    expect(tab.get_by_role("link", name="将这些日期加入日历（.ics）")).to_have_attribute("download",
                                                                                "seller-handbook-delisting-2021-12-01.ics")
