"""An answer keeps its date (issue 25 §2), in Chromium with the browser's clock set (page.clock).

A seller makes a link on 7 December 2026 and someone opens it on 20 January 2027: the page answers as
of the day the link was made, says so, and one click shows today's answer; each answer equals the
CLI's for that day. A printout says when it was computed and with which day's rules. A link made
before links carried their day answers as of today, and one with a "Rules as of" date keeps it.

The store is an apparel store below its threshold, whose assessment (14 January 2027) falls between
the two days: the policies hold no dated change between them, so what differs is the assessment
date, the store's age and the rejoin date, as in issue 25's report.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.reader import PYTHON_START_LIMIT_MS, cli, fill_as_a_reader, wait_for_result_like

pytestmark = pytest.mark.browser

STORE = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
         "active_listings": "3100", "listings_no_shipment_180d": "40"}
MADE, LATER = dt.date(2026, 12, 7), dt.date(2027, 1, 20)
NOTICE = ".calc-result .calc-dated"


def set_day(page, day: dt.date) -> None:
    """The browser's clock stands at noon of `day` (its local time zone): the reader's "today"."""
    page.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 12))


def link(site_url: str, inputs: dict, lang: str = "", **more: str) -> str:
    return f"{site_url}{lang}calculators/delisting/#{urlencode({**inputs, **more})}"


def test_a_link_opened_weeks_later_answers_as_of_the_day_it_was_made_and_a_click_gives_todays(page, site_url):
    assert cli("delisting", STORE, MADE) != cli("delisting", STORE, LATER)  # the day changes the answer
    set_day(page, MADE)
    page.goto(site_url + "calculators/delisting/")
    fill_as_a_reader(page, STORE)
    wait_for_result_like(page, cli("delisting", STORE, MADE))
    expect(page.locator(NOTICE)).to_have_count(0)  # made today: nothing to say
    # The link as the seller would copy it: every figure and the day in the fragment (the fragment
    # follows the form a moment after the answer does).
    page.wait_for_function("keys => keys.every(k => location.hash.includes(k + '=')) && location.hash.includes('made=2026-12-07')",
                           arg=list(STORE))
    made = page.url

    set_day(page, LATER)
    later = page.context.new_page()
    later.goto(made)
    wait_for_result_like(later, cli("delisting", STORE, MADE), timeout=PYTHON_START_LIMIT_MS)
    notice = later.locator(NOTICE)
    expect(notice).to_contain_text("This answer uses the rules as of 7 December 2026, when the link was made.")
    notice.get_by_role("button", name="Show today's answer").click()
    wait_for_result_like(later, cli("delisting", STORE, LATER))
    expect(notice).to_have_count(0)
    later.wait_for_function("() => location.hash.includes('made=2027-01-20') && !location.hash.includes('2026-12-07')")


def test_a_printed_dated_answer_says_when_it_was_computed_and_with_which_days_rules(page, site_url):
    set_day(page, LATER)
    page.goto(link(site_url, STORE, "zh/", made=MADE.isoformat()))
    wait_for_result_like(page, cli("delisting", STORE, MADE, lang="zh"), timeout=PYTHON_START_LIMIT_MS)
    printed = page.locator(".calc-result .calc-printed")
    expect(printed).to_be_hidden()  # on screen the notice says it
    expect(page.locator(NOTICE)).to_contain_text("此结果按链接生成当天（2026年12月7日）的规则计算。")
    page.emulate_media(media="print")
    expect(printed).to_be_visible()
    expect(printed).to_have_text("于2027年1月20日按2026年12月7日的规则计算。")
    expect(page.locator(NOTICE)).to_be_visible()
    expect(page.locator(".calc-today")).to_be_hidden()  # a button is no use on paper


def test_a_link_without_its_day_answers_as_of_today_and_one_with_rules_as_of_keeps_that_date(page, site_url):
    set_day(page, LATER)
    page.goto(link(site_url, STORE))  # a link made before links carried their day
    wait_for_result_like(page, cli("delisting", STORE, LATER), timeout=PYTHON_START_LIMIT_MS)
    expect(page.locator(NOTICE)).to_have_count(0)
    page.wait_for_function("() => location.hash.includes('made=2027-01-20')")  # what it carries when shared now
    # Another link opened in this tab: its "Rules as of" date wins over the day it was made.
    page.evaluate("hash => { location.hash = hash; }", urlencode({**STORE, "as_of": "2025-06-01", "made": MADE.isoformat()}))
    wait_for_result_like(page, cli("delisting", STORE, "2025-06-01"))
    expect(page.locator(NOTICE)).to_have_count(0)


def test_a_date_after_the_links_day_is_marked_and_todays_answer_is_still_a_click_away(page, site_url):
    set_day(page, LATER)
    page.goto(link(site_url, STORE, made=MADE.isoformat()))
    wait_for_result_like(page, cli("delisting", STORE, MADE), timeout=PYTHON_START_LIMIT_MS)
    opened = page.locator("form.calc [name='store_opened_on']")
    opened.fill("2027-01-10")  # a store opened after the link was made: not a store of that day
    expect(page.locator("[data-field='store_opened_on'] .calc-field-error")).to_contain_text(
        "the day the link was made (7 December 2026)")
    page.locator(NOTICE).get_by_role("button", name="Show today's answer").click()
    wait_for_result_like(page, cli("delisting", {**STORE, "store_opened_on": "2027-01-10"}, LATER))
    expect(page.locator(NOTICE)).to_have_count(0)
