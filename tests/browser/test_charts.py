"""The what-if charts under the calculators' results, in Chromium against the built site.

A reader fills the refund form; the chart's series (the `data-series` attribute, exactly what the
worker got from calculators/sweep.py in Pyodide) must equal the CPython sweep for the same inputs,
and the seller's point must be the result's amounts. ECharts loads only after the first result is
on screen, draws SVG without any CSP violation, and a chart that cannot load leaves the answer
whole with its table shown instead. No request leaves 127.0.0.1 (the `page` fixture asserts it).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from calculators.formatters import fmt_money
from calculators.messages import Words
from calculators.sweep import sweep
from tests.browser.reader import (PYTHON_START_LIMIT_MS, READY, cli, fill_as_a_reader, follow_link,
                                  type_into, wait_for_result_like)
from testsupport.policy_bundle import policy_bundle
from testsupport.today import TODAY

pytestmark = pytest.mark.browser

RECORD = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
// When the first result appeared, to compare with when ECharts was requested.
new MutationObserver((_, observer) => {
  if (document.querySelector('.calc-result [data-verdict]')) {
    window.__firstResultAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""
CHART = ".calc-result .calc-chart"
ECHARTS = "echarts.common.min.js"
WIGS = {"category": "human-hair-wigs", "annual_sales_usd": 90000, "service_level": "good"}


def open_calculator(page, site_url: str, name: str) -> None:
    page.add_init_script(RECORD)
    page.goto(f"{site_url}calculators/{name}/")
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)


def follow_link_to_calculator(page, site_url: str, name: str) -> None:
    """For a test marked python_started: its calculator's page by a link, from the tab where Python runs."""
    follow_link(page, f"{site_url}calculators/{name}/")
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)


def series(page) -> dict:
    return json.loads(page.locator(CHART).get_attribute("data-series"))


def wait_for_series(page, want: dict) -> None:
    """Wait until the chart on screen holds exactly `want` as its series."""
    page.wait_for_function("""want => { const figure = document.querySelector('.calc-result .calc-chart');
        return !!figure && figure.dataset.series === JSON.stringify(want); }""", arg=want)


def test_refund_chart_is_the_python_sweep_and_marks_the_sellers_point(page, site_url):
    open_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90,000", "service_level": "good"})
    want = cli("refund", WIGS)
    shown = wait_for_result_like(page, want)
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")

    drawn = series(page)
    assert drawn == sweep(policy_bundle(), "refund", WIGS, TODAY)
    assert [(s["from_usd"], s["start"], s["percent"]) for s in drawn["steps"]] == [
        (0, "closed", 0), (60000, "open", 70), (120000, "closed", 100)]  # human hair's own tiers
    point = drawn["seller"]
    assert (point["sales_usd"], point["percent"], point["refund_cny"]) == (
        90000, shown["amounts"]["refund_percent"], shown["amounts"]["refund_cny"])
    assert drawn["gap"]["gap_usd"] == shown["amounts"]["next_tier_gap_usd"]
    svg_text = page.locator(f"{CHART} svg").text_content()
    assert "70%" in svg_text and drawn["gap"]["text"] in svg_text  # the seller's label, the gap in the legend
    # The axes' ticks, in English compact notation; the sales axis ends on a tick (250K), where twice
    # the top tier (240K) left a stray end label after 200K.
    assert "250K" in svg_text and "50K" in svg_text and "240K" not in svg_text
    # the text alternative: the same steps, in a table screen readers reach
    rows = page.locator(f"{CHART} table tbody tr").all_text_contents()
    assert len(rows) == 3 and "more than USD 60,000" in rows[1]

    assert page.evaluate("window.__cspViolations") == []
    loaded = page.evaluate(f"performance.getEntriesByType('resource').filter(e => e.name.endsWith('{ECHARTS}'))"
                           ".map(e => e.startTime)")
    assert len(loaded) == 1 and loaded[0] >= page.evaluate("window.__firstResultAt"), "ECharts before the answer"


def test_a_chinese_chart_counts_its_axes_in_wan(page, site_url):
    """A Chinese reader reads 5万 and 25万 on the axes, not 50K and 250K."""
    page.goto(f"{site_url}zh/calculators/refund/")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90,000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS, lang="zh"))
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")
    svg_text = page.locator(f"{CHART} svg").text_content()
    assert "25万" in svg_text and "5万" in svg_text, svg_text
    assert not re.search(r"[0-9]K", svg_text), svg_text


@pytest.mark.python_started
def test_a_refund_that_no_sales_can_earn_says_why(page, site_url):
    follow_link_to_calculator(page, site_url, "refund")
    inputs = {"category": "womens-clothing", "annual_sales_usd": "90000", "service_level": "pass"}
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli("refund", {**inputs, "annual_sales_usd": 90000}))
    reason = page.locator(f"{CHART} .calc-chart-reason")
    reason.wait_for()
    assert "does not qualify" in reason.text_content()
    assert page.locator(f"{CHART} .calc-chart-canvas").count() == 0


def test_delisting_chart_and_time_line(page, site_url):
    open_calculator(page, site_url, "delisting")
    inputs = {"category": "womens-clothing", "store_opened_on": "2024-03-01", "sales_365d_usd": "11000",
              "active_listings": "10", "listings_no_shipment_180d": "0"}
    fill_as_a_reader(page, inputs)
    numbers = {**inputs, "sales_365d_usd": 11000, "active_listings": 10, "listings_no_shipment_180d": 0}
    wait_for_result_like(page, cli("delisting", numbers))
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")
    drawn = series(page)
    assert drawn == sweep(policy_bundle(), "delisting", numbers, TODAY)
    assert page.locator(f"{CHART} .calc-chart-difference").text_content() == "USD 1,000 above the threshold"
    kinds = page.locator(f"{CHART} .calc-timeline li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds[0] == "opened" and "assessment" in kinds and "established" in kinds
    assert page.evaluate("window.__cspViolations") == []


PHONE = {"width": 390, "height": 844}
# Every text box of the time line: each event's date, and where each line of its label begins.
TIME_LINE_BOXES = """items => items.map(item => {
  const date = item.querySelector('time').getBoundingClientRect();
  const label = document.createRange();
  label.setStartAfter(item.querySelector('time'));
  label.setEndAfter(item.lastChild);
  return { date_right: date.right, label_lefts: [...label.getClientRects()].filter(r => r.width > 0).map(r => r.left) };
})"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_phone_shows_whose_bar_it_is_and_a_time_line_in_two_columns(page, site_url, lang):
    """At 390 px, in both languages: the bar is named as the seller's sales and carries its figure,
    the threshold's line its amount, the band its name; no date pushes its label out of place, and
    a label that wraps stays in its own column, never under the dates."""
    say = Words(policy_bundle(), lang)
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}{'zh/' if lang == 'zh' else ''}calculators/delisting/")
    inputs = {"category": "womens-clothing", "store_opened_on": "2024-03-01", "sales_365d_usd": "4000",
              "active_listings": "12", "listings_no_shipment_180d": "0"}
    fill_as_a_reader(page, inputs)
    numbers = {**inputs, "sales_365d_usd": 4000, "active_listings": 12, "listings_no_shipment_180d": 0}
    wait_for_result_like(page, cli("delisting", numbers, lang=lang))
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")
    svg_text = page.locator(f"{CHART} svg").text_content()
    # Money as the page's language writes it: USD 4,000, 4,000美元 (calculators/formatters.py).
    for words in (say("chart.your_sales"), fmt_money(4000, "USD", lang),
                  say("chart.threshold_at", amount=fmt_money(10000, "USD", lang)), say("chart.at_risk")):
        assert words in svg_text, (words, svg_text)
    # The text alternative is one sentence of the page's language, worded in Python: 。 ends a Chinese one.
    description = page.locator(f"{CHART} .calc-chart-canvas").get_attribute("aria-label")
    assert description.startswith(say("chart.delisting_title")) and description.endswith("。" if lang == "zh" else ".")
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{2,}", svg_text.replace("USD", "")), svg_text  # no English on the chart

    boxes = page.locator(f"{CHART} .calc-timeline li").evaluate_all(TIME_LINE_BOXES)
    assert len(boxes) >= 4
    lefts = {round(left) for box in boxes for left in box["label_lefts"]}
    assert len(lefts) == 1, boxes  # every line of every label starts in the same column...
    assert all(box["date_right"] <= min(lefts) for box in boxes), boxes  # ...right of the longest date


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_refund_chart_says_which_point_is_the_sellers(page, site_url, lang):
    page.goto(f"{site_url}{'zh/' if lang == 'zh' else ''}calculators/refund/")
    inputs = {"category": "womens-clothing", "annual_sales_usd": "45000", "fee_paid_cny": "10000", "service_level": "good"}
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli("refund", {**inputs, "annual_sales_usd": 45000, "fee_paid_cny": 10000}, lang=lang))
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")
    svg_text = page.locator(f"{CHART} svg").text_content()
    assert Words(policy_bundle(), lang)("chart.your_store_at", percent="50") in svg_text, svg_text


@pytest.mark.python_started
def test_eligibility_checklist_names_the_one_change(page, site_url):
    follow_link_to_calculator(page, site_url, "eligibility")
    inputs = {"entity_type": "enterprise", "alipay_enterprise_verified": False, "brand_relationship": "registered_owner",
              "category": "shoes", "seller_type": "factory", "annual_turnover_cny": "5000000"}
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli("eligibility", {**inputs, "annual_turnover_cny": 5000000}))
    change = page.locator(f"{CHART} .calc-chart-change")
    change.wait_for()
    assert series(page)["change"]["field"] == "alipay_enterprise_verified"
    # The label and the change are two words apart, not run together ("…would do:Enterprise…").
    assert change.text_content() == f"One change that would do: {series(page)['change_text']}"
    assert page.locator(f"{CHART} .calc-checklist .calc-fail").count() == 1


def test_a_chart_that_cannot_load_leaves_the_answer_and_shows_its_table(page, site_url):
    page.route(f"**/{ECHARTS}", lambda route: route.fulfill(status=404, body="gone"))
    open_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS))
    page.locator(f"{CHART}.calc-chart-failed").wait_for()
    assert page.locator(f"{CHART} table").is_visible()
    assert page.locator(".calc-result .calc-headline").is_visible()


@pytest.mark.python_started
def test_pin_a_scenario_then_compare_and_share_both(page, site_url):
    follow_link_to_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS))
    page.get_by_role("button", name="Pin this scenario to compare").click()
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "130000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", {**WIGS, "annual_sales_usd": 130000}))
    compare = page.locator(f"{CHART} table.calc-compare")
    expect(compare).to_be_visible()
    assert page.locator(f"{CHART} .calc-compare-table").bounding_box()["height"] > 40  # on screen, not only read aloud
    row = compare.locator("[data-row='refund_percent'] td")
    assert row.all_text_contents() == ["70%", "100%"]  # pinned, now
    assert json.loads(page.locator(CHART).get_attribute("data-pinned")) == sweep(policy_bundle(), "refund", WIGS,
                                                                                  TODAY)
    page.locator(f"{CHART} .calc-chart-canvas svg path").first.wait_for(state="attached")
    assert "Pinned" in page.locator(f"{CHART} svg").text_content()

    # the link carries both scenarios: a new page shows the same comparison
    page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('annual_sales_usd') === '130000'")
    link = page.url
    assert "pin=" in link
    other = page.context.new_page()
    other.goto(link)
    other.locator(f"{CHART} table.calc-compare [data-row='refund_percent'] td").first.wait_for(
        timeout=PYTHON_START_LIMIT_MS)
    assert other.locator(f"{CHART} table.calc-compare [data-row='refund_percent'] td").all_text_contents() == [
        "70%", "100%"]
    # unpinning removes the comparison and the pin from the link
    other.get_by_role("button", name="Unpin").click()
    expect_gone = other.locator(f"{CHART} table.calc-compare")
    expect_gone.wait_for(state="detached")
    other.wait_for_function("() => !new URLSearchParams(location.hash.slice(1)).has('pin')")


# The worker's replies to "sweep" requests (the chart's series, asked for after each answer;
# protocol.mjs), held back or turned into a failed sweep (null) before the page's client sees them:
# a slow or failing sweep, made on demand. Installed before the page's scripts, on the Worker the
# client creates.
SWEEP_CONTROL = """
window.__sweeps = { mode: 'pass', held: [] };
const addListener = Worker.prototype.addEventListener;
Worker.prototype.addEventListener = function (type, listener, ...rest) {
  if (type !== 'message') return addListener.call(this, type, listener, ...rest);
  return addListener.call(this, type, (event) => {
    if (event.data?.type !== 'sweep' || window.__sweeps.mode === 'pass') return listener(event);
    if (window.__sweeps.mode === 'fail') return listener({ data: { ...event.data, answer: null } });
    window.__sweeps.held.push(() => listener(event));
  }, ...rest);
};
window.__releaseSweeps = (newestFirst) => {
  const held = window.__sweeps.held.splice(0);
  window.__sweeps.mode = 'pass';
  for (const deliver of newestFirst ? held.reverse() : held) deliver();
  return held.length;
};
"""


def test_the_answer_is_drawn_without_waiting_for_a_slow_sweep(page, site_url):
    page.add_init_script(SWEEP_CONTROL)
    page.add_init_script("window.__sweeps.mode = 'hold'")
    open_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90,000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS))
    # The answer is on screen while every series is still held back: no chart, none stale either.
    expect(page.locator(".calc-result .calc-chart, .calc-result .calc-chart-stale")).to_have_count(0)
    assert page.evaluate("window.__sweeps.held.length") > 0

    assert page.evaluate("window.__releaseSweeps(false)") > 0  # the sweeps arrive, late
    expect(page.locator(f"{CHART} .calc-chart-canvas svg path").first).to_be_attached()
    assert series(page) == sweep(policy_bundle(), "refund", WIGS, TODAY)


def test_an_older_sweep_arriving_last_never_replaces_the_newer_chart(page, site_url):
    page.add_init_script(SWEEP_CONTROL)
    open_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS))
    wait_for_series(page, sweep(policy_bundle(), "refund", WIGS, TODAY))

    page.evaluate("window.__sweeps.mode = 'hold'")
    newer = {**WIGS, "annual_sales_usd": 130000}
    type_into(page, "annual_sales_usd", "130000")  # one request per key: several sweeps held
    wait_for_result_like(page, cli("refund", newer))
    # While the series are held, the previous chart stays in place, marked stale and without series.
    expect(page.locator(".calc-result .calc-chart-stale")).to_have_count(1)
    expect(page.locator(CHART)).to_have_count(0)
    # The newest series first, then every older one: the chart must still show the newest.
    assert page.evaluate("window.__releaseSweeps(true)") > 1
    wait_for_series(page, sweep(policy_bundle(), "refund", newer, TODAY))
    expect(page.locator(".calc-result .calc-chart-stale")).to_have_count(0)
    expect(page.locator(".calc-result .calc-chart-canvas")).to_have_count(1)  # one live chart, reused


def test_a_failed_sweep_leaves_the_answer_and_takes_the_old_chart_away(page, site_url):
    page.add_init_script(SWEEP_CONTROL)
    open_calculator(page, site_url, "refund")
    fill_as_a_reader(page, {"category": "human-hair-wigs", "annual_sales_usd": "90000", "service_level": "good"})
    wait_for_result_like(page, cli("refund", WIGS))
    expect(page.locator(f"{CHART} .calc-chart-canvas svg path").first).to_be_attached()

    page.evaluate("window.__sweeps.mode = 'fail'")
    newer = {**WIGS, "annual_sales_usd": 130000}
    type_into(page, "annual_sales_usd", "130000")
    wait_for_result_like(page, cli("refund", newer))
    # No series for the new answer: the old chart, which would show the wrong store, goes.
    expect(page.locator(".calc-result .calc-chart, .calc-result .calc-chart-stale")).to_have_count(0)
    expect(page.locator(".calc-result .calc-headline")).to_have_text(cli("refund", newer)["headline"])
