"""The language switch in the browser: it stays on the same page, also after instant navigation.

Material's instant navigation replaces a page's content and head, not the header with its
language selector; docs/assets/javascripts/language.mjs sets the selector's links from the new
page's head on every page change. This journey moves by clicking, as a reader does.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.reader import fill_as_a_reader, wait_for_answer

pytestmark = pytest.mark.browser


def switch_language(page, name: str) -> None:
    """Open the header's language menu and pick `name` (English, 简体中文)."""
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link", has_text=name).click()


def test_language_switch_after_instant_navigation_stays_on_the_page(page, site_url):
    page.goto(site_url + "zh/")
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    page.evaluate("window.loadedOnce = true")  # survives instant navigation, not a page load
    page.get_by_role("link", name="费用与返还").first.click()
    page.get_by_role("link", name="年费返还").first.click()
    expect(page).to_have_url(f"{site_url}zh/fees/refund/")
    expect(page.locator("h1")).to_have_text(re.compile("^年费返还"))
    assert page.evaluate("window.loadedOnce === true"), "the page changed by instant navigation"

    switch_language(page, "English")
    expect(page).to_have_url(f"{site_url}fees/refund/")
    expect(page.locator("h1")).to_have_text(re.compile("^Annual fee refund"))
    expect(page.locator("html")).to_have_attribute("lang", "en")  # a full page load: header and search in English

    page.get_by_role("link", name="Currency conversion").first.click()  # instant again, in English
    expect(page).to_have_url(f"{site_url}fees/currency/")
    switch_language(page, "简体中文")
    expect(page).to_have_url(f"{site_url}zh/fees/currency/")
    expect(page.locator("h1")).to_have_text(re.compile("^货币换算"))


def test_switching_language_on_a_calculator_keeps_the_figures(page, site_url):
    """A seller who typed their figures on the Chinese page and switches to English (or back) sees
    the same scenario answered there, without typing it again."""
    inputs = {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"}
    page.goto(site_url + "zh/calculators/refund/")
    fill_as_a_reader(page, inputs)
    in_chinese = wait_for_answer(page, "partial_refund")
    expect(page).to_have_url(re.compile(r"annual_sales_usd=20000"))  # saved once typing paused
    switch_language(page, "English")
    expect(page).to_have_url(re.compile(rf"^{re.escape(site_url)}calculators/refund/#.*category=toys-hobbies"))
    # The same scenario answered again, with the same figures, in English words.
    figures = {name: value for name, value in in_chinese["amounts"].items() if isinstance(value, (int, float))}
    in_english = wait_for_answer(page, "partial_refund", **figures)
    assert in_english["headline"] != in_chinese["headline"]
    assert not re.search(r"[\u4e00-\u9fff]", in_english["headline"]), in_english["headline"]


@pytest.mark.parametrize("query, target", [("退款", "zh/fees/refund/"), ("个体工商户", "zh/joining/requirements/"),
                                           ("3000", "zh/staying/listings/")])
def test_chinese_search_finds_the_page(page, site_url, query, target):
    page.goto(site_url + "zh/")
    page.locator(".md-search__input").click()
    # Material says "键入以开始搜索" (type to start searching) once its index is loaded.
    expect(page.locator(".md-search-result__meta")).to_have_text("键入以开始搜索", timeout=30_000)
    # A word that arrives without a key press (pasted, or an input method's candidate picked with
    # the mouse): fill() sends the input event alone, and the search still runs.
    page.locator(".md-search__input").fill(query)
    expect(page.locator(f".md-search-result__item a[href*='{target}']").first).to_be_attached(timeout=30_000)
