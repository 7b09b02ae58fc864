"""The calculators in a real browser: headless Chromium, the built site, Pyodide from the site itself.

Each case fills the form the way a reader would and compares the page's verdict and amounts with
what the CLI code (calculators.api.run) gives for the same inputs and as-of date.
"""

from __future__ import annotations

import time

import pytest

from calculators.api import run

pytestmark = pytest.mark.browser

AS_OF = "2026-11-22"
READY = ".calc-status[data-state='ready']"
RESULT = ".calc-result [data-verdict]"
PYTHON_START_LIMIT_MS = 120_000  # generous: two shared cores, and Chromium compiling 10 MB of wasm

CASES = {
    "below threshold, over the listing cap": {
        "category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": "9999",
        "medal": "none", "active_listings": "3100", "listings_no_shipment_180d": "40"},
    "at risk, new hair store with a gold medal": {
        "category": "human-hair-wigs", "store_opened_on": "2025-06-01", "sales_365d_usd": "11000",
        "medal": "gold", "active_listings": "310", "listings_no_shipment_180d": "0"},
    "safe": {
        "category": "automotive", "store_opened_on": "2019-03-01", "sales_365d_usd": "50000.50",
        "medal": "silver", "active_listings": "12", "listings_no_shipment_180d": "2"},
    "not assessed, too young": {
        "category": "toys-hobbies", "store_opened_on": "2026-10-01", "sales_365d_usd": "0",
        "medal": "none", "active_listings": "5", "listings_no_shipment_180d": "0"},
}


def fill(page, inputs: dict, as_of: str = AS_OF) -> None:
    for name, value in {**inputs, "as_of": as_of}.items():
        control = page.locator(f"form.calc [name='{name}']")
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def shown_amounts(page) -> dict:
    return page.eval_on_selector_all(
        ".calc-amounts dd", "nodes => Object.fromEntries(nodes.map(n => [n.dataset.amount, n.textContent]))")


def expected(inputs: dict) -> dict:
    return run_cli(inputs)


def run_cli(inputs: dict) -> dict:
    from policy_loader import load_bundle

    return run(load_bundle("policies"), "delisting", inputs, AS_OF)


def as_text(name: str, value) -> str:
    """How result.mjs prints an amount (the page's own formatting, checked against the CLI's number)."""
    if isinstance(value, (int, float)):
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
        currency = name.rsplit("_", 1)[-1].upper() if name.endswith(("_usd", "_cny")) else None
        return f"{currency} {text}" if currency else text
    return str(value)


@pytest.mark.parametrize("case", list(CASES))
def test_verdict_and_amounts_equal_the_cli(page, site_url, case):
    page.goto(site_url + "calculators/delisting/")
    fill(page, CASES[case])
    want = expected(CASES[case])
    page.wait_for_selector(f".calc-result [data-verdict='{want['verdict']}']", timeout=PYTHON_START_LIMIT_MS)
    page.wait_for_function("want => document.querySelector('.calc-meta')?.textContent.includes(want)", arg=AS_OF)
    shown = shown_amounts(page)
    for name, value in want["amounts"].items():
        if value is not None:
            assert shown[name] == as_text(name, value), name
    rules = page.eval_on_selector_all(".calc-finding", "nodes => nodes.map(n => n.dataset.rule)")
    assert rules == [f["rule"] for f in want["findings"]]


def test_findings_link_to_the_rule_on_its_policy_page(page, site_url):
    page.goto(site_url + "calculators/delisting/")
    fill(page, CASES["below threshold, over the listing cap"])
    page.wait_for_selector(RESULT, timeout=PYTHON_START_LIMIT_MS)
    page.click(".calc-finding[data-rule='assessment.threshold_established_store_usd'] a")
    page.wait_for_url("**/staying/assessment/#threshold_established_store_usd")
    assert page.locator("#threshold_established_store_usd").is_visible()


def test_bad_input_shows_on_its_field_without_a_traceback(page, site_url):
    page.goto(site_url + "calculators/delisting/")
    fill(page, {**CASES["safe"], "sales_365d_usd": "-5", "active_listings": "2.5"})
    sales_error = page.locator(".calc-field[data-field='sales_365d_usd'] .calc-field-error")
    sales_error.wait_for(state="visible", timeout=PYTHON_START_LIMIT_MS)
    assert sales_error.text_content() == "must not be negative"
    listings_error = page.locator(".calc-field[data-field='active_listings'] .calc-field-error")
    assert listings_error.text_content() == "must be a whole number, found 2.5"
    assert page.locator("[name='sales_365d_usd'][aria-invalid='true']").count() == 1
    assert "Traceback" not in page.content()
    # Correcting the field clears its error and gives a result: nothing typed was lost.
    page.fill("[name='sales_365d_usd']", "50000")
    page.fill("[name='active_listings']", "12")
    page.wait_for_selector(RESULT)
    assert sales_error.is_hidden()


def test_the_result_follows_each_change(page, site_url):
    page.goto(site_url + "calculators/delisting/")
    fill(page, CASES["below threshold, over the listing cap"])
    page.wait_for_selector("[data-verdict='below_threshold']", timeout=PYTHON_START_LIMIT_MS)
    page.fill("[name='sales_365d_usd']", "10000")
    page.wait_for_selector("[data-verdict='at_risk']")
    page.fill("[name='sales_365d_usd']", "12000")
    page.wait_for_selector("[data-verdict='safe']")


def test_a_shared_link_reproduces_the_result(page, site_url):
    page.goto(site_url + "calculators/delisting/")
    fill(page, CASES["at risk, new hair store with a gold medal"])
    page.wait_for_selector("[data-verdict='at_risk']", timeout=PYTHON_START_LIMIT_MS)
    page.wait_for_function("() => location.search.includes('sales_365d_usd=11000')")
    shared = page.url
    first = shown_amounts(page)
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("[data-verdict='at_risk']", timeout=PYTHON_START_LIMIT_MS)
    assert shown_amounts(other) == first
    assert other.input_value("[name='category']") == "human-hair-wigs"


def test_instant_navigation_keeps_one_working_worker(page, site_url):
    page.goto(site_url + "calculators/delisting/")
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    page.click(".md-content a[href*='assessment']")  # an instant-navigation page change, no reload
    page.wait_for_url("**/staying/assessment/")
    page.go_back()
    page.wait_for_selector("form.calc")
    fill(page, CASES["safe"])
    page.wait_for_selector("[data-verdict='safe']", timeout=10_000)
    workers = sum(1 for url in page.requests.urls if url.endswith("worker.mjs"))
    assert workers == 1, "the worker should start once per tab, not once per page view"


def test_a_plain_page_loads_no_pyodide(page, site_url):
    page.goto(site_url + "staying/assessment/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests.urls if "pyodide" in u or "calculator.mjs" in u or "worker.mjs" in u]


def test_a_hung_pyodide_load_shows_a_message_and_retry(page, broken_wasm_site_url):
    started = time.monotonic()
    page.goto(broken_wasm_site_url + "calculators/delisting/?pyodide_timeout=8000")
    page.wait_for_selector(".calc-status[data-state='error']", timeout=30_000)
    assert time.monotonic() - started < 30
    assert "could not start" in page.text_content(".calc-status")
    retry = page.locator(".calc-retry")
    assert retry.is_visible()
    retry.click()
    page.wait_for_selector(".calc-status[data-state='loading']")
