"""The delisting calculator page in a real browser, and its start-up states.

Headless Chromium, the built site, Pyodide from the site itself. Forms are filled the way a
reader fills them ("Rules as of" left empty); the journeys (test_journeys.py) compare the answers
with the CLI's, and this suite waits only for an answer before its own concern. Start-up failures (a hung wasm, a
slow one, a damaged policies.json, a missing stdlib) must each end in words and a Retry that works;
those tests load the page in a fresh tab, and the others (marked python_started) reach it by a link
from the module's tab where Python has started.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
from playwright.sync_api import expect

from tests.browser.reader import PYTHON_START_LIMIT_MS, control, fill_as_a_reader, follow_link, wait_for_answer
from testsupport.served_site import NO_SERVICE_WORKER, serve

pytestmark = pytest.mark.browser

CASES = {
    "below threshold, over the listing cap": {
        "category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": "9999",
        "medal": "none", "active_listings": "3100", "listings_no_shipment_180d": "40"},
    "safe": {
        "category": "automotive", "store_opened_on": "2019-03-01", "sales_365d_usd": "50000.50",
        "medal": "silver", "active_listings": "12", "listings_no_shipment_180d": "2"},
}
STATUS = ".calc-status"
RETRY = ".calc-retry"


@pytest.mark.python_started
def test_findings_link_to_the_rule_on_its_policy_page(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    case = CASES["below threshold, over the listing cap"]
    fill_as_a_reader(page, case)
    # The final answer (the links to take off are the last figure typed, 40), and its chart drawn
    # below the amounts: until then each answer to a field filled on the way replaces the findings,
    # and the chart's arrival moves them down the page.
    wait_for_answer(page, "below_threshold", links_to_remove=40)
    expect(page.locator(".calc-result .calc-chart[data-series]")).to_have_count(1)
    # Straight from the last figure typed, at a person's pace (the button held for 150 ms): the
    # click that leaves the field must not redraw the same answer under the pointer, which would
    # take the link away between press and release and lose the click.
    page.locator(".calc-finding[data-rule='assessment.threshold_established_store_usd'] a").click(delay=150)
    expect(page).to_have_url(re.compile(r"/staying/assessment/#threshold_established_store_usd$"))
    expect(page.locator("#threshold_established_store_usd")).to_be_visible()


@pytest.mark.python_started
def test_bad_input_shows_on_its_field_without_a_traceback(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    fill_as_a_reader(page, {**CASES["safe"], "sales_365d_usd": "-5", "active_listings": "2.5"})
    sales_error = page.locator(".calc-field[data-field='sales_365d_usd'] .calc-field-error")
    expect(sales_error).to_have_text("Must not be negative", timeout=PYTHON_START_LIMIT_MS)
    listings_error = page.locator(".calc-field[data-field='active_listings'] .calc-field-error")
    expect(listings_error).to_contain_text("whole number")
    expect(page.locator("[name='sales_365d_usd'][aria-invalid='true']")).to_have_count(1)
    expect(page.locator("text=Traceback")).to_have_count(0)
    # Correcting the fields clears their errors and gives a result: nothing typed was lost.
    fill_as_a_reader(page, CASES["safe"])
    wait_for_answer(page, "safe")
    expect(sales_error).to_be_hidden()


@pytest.mark.python_started
def test_the_result_follows_each_change(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    fill_as_a_reader(page, CASES["below threshold, over the listing cap"])
    expect(page.locator("[data-verdict='below_threshold']")).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    control(page, "sales_365d_usd").fill("10000")
    expect(page.locator("[data-verdict='at_risk']")).to_be_visible()
    control(page, "sales_365d_usd").fill("12000")
    expect(page.locator("[data-verdict='safe']")).to_be_visible()


def test_the_sales_field_names_the_window_it_counts_from_the_readers_date(browser, site_url):
    # The reader's date (not the machine's): 1 March 2027, after the February assessments. In a context
    # of its own: Playwright's clock belongs to the context, and the module's other pages keep the tests' day.
    own = browser.new_context(**NO_SERVICE_WORKER)
    try:
        page = own.new_page()
        page.clock.set_fixed_time(dt.datetime(2027, 3, 1, 10, 0))
        page.goto(site_url + "calculators/delisting/")
        # A context of its own starts Python anew: the label is Python's words, so wait for it first.
        expect(page.locator(STATUS)).to_have_attribute("data-state", "ready", timeout=PYTHON_START_LIMIT_MS)
        fill_as_a_reader(page, {})
        label = page.locator(".calc-field[data-field='sales_365d_usd'] label")
        expect(label).to_have_text("Sales so far in the assessment window (USD)")
        control(page, "category").select_option("toys-hobbies")  # assessed on 14 February 2028
        expect(label).to_have_text("Sales from 14 February 2027 to today (USD)")
        control(page, "category").select_option("womens-clothing")  # on 14 January 2028
        expect(label).to_have_text("Sales from 14 January 2027 to today (USD)")
        control(page, "assessment_date").fill("2027-01-14")  # a past assessment: its whole window
        expect(label).to_have_text("Sales from 14 January 2026 to 13 January 2027 (USD)")
        # The summary of what is left to fill in names the field as its label does.
        expect(page.locator(".calc-result")).to_contain_text("Sales from 14 January 2026 to 13 January 2027")
    finally:
        own.close()


def test_a_plain_page_loads_no_pyodide(page, site_url):
    page.goto(site_url + "staying/assessment/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests.urls if "pyodide" in u or "calculator.mjs" in u or "worker.mjs" in u]


# Every start-up state the status line shows, with whether Retry is hidden then, in order: a state
# that lasts less than a poll of expect() is seen too.
RECORD_STATES = """
window.__states = [];
new MutationObserver(() => {
  const status = document.querySelector('.calc-status');
  if (!status?.dataset.state) return;
  const now = `${status.dataset.state} retry ${status.querySelector('.calc-retry').hidden ? 'hidden' : 'shown'}`;
  if (window.__states.at(-1) !== now) window.__states.push(now);
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'hidden'] });
"""


def test_a_hung_pyodide_load_shows_a_message_and_retry(page, broken_wasm_site_url):
    # The shortest limit the page accepts: the wasm never arrives, so any limit ends in the message.
    page.add_init_script(RECORD_STATES)
    page.goto(broken_wasm_site_url + "calculators/delisting/?pyodide_timeout=1000")
    expect(page.locator(STATUS)).to_have_attribute("data-state", "error", timeout=60_000)
    expect(page.locator(STATUS)).to_contain_text("did not load within 1 second")
    expect(page.locator(RETRY)).to_be_visible()
    before = len(page.evaluate("window.__states"))
    page.click(RETRY)
    # The retried start fails the same way, and says so again: the state cannot get stuck.
    page.wait_for_function("n => window.__states.length > n + 1", arg=before, timeout=60_000)
    assert page.evaluate("window.__states")[before:] == ["loading retry hidden", "error retry shown"]
    expect(page.locator(STATUS)).to_have_attribute("data-state", "error")
    expect(page.locator(RETRY)).to_be_visible()


@pytest.mark.parametrize("timeout", ["1", "-1", "Infinity", "abc"])
def test_insane_timeouts_are_ignored_and_never_shared(page, site_url, timeout):
    page.goto(site_url + f"calculators/delisting/?pyodide_timeout={timeout}")
    fill_as_a_reader(page, CASES["safe"])
    wait_for_answer(page, "safe")
    expect(page).to_have_url(re.compile(r"sales_365d_usd=50000.50"))
    assert "pyodide_timeout" not in page.url


def test_python_that_arrives_after_the_timeout_is_used(page, built_site, site_url):
    wasm_sent = threading.Event()  # the wasm is held back until the page has given up on it
    slow = serve(built_site, held={".wasm": wasm_sent})
    try:
        url = f"http://127.0.0.1:{slow.server_address[1]}/calculators/delisting/?pyodide_timeout=1000"
        page.goto(url)
        fill_as_a_reader(page, CASES["safe"])
        expect(page.locator(STATUS)).to_have_attribute("data-state", "error", timeout=30_000)
        expect(page.locator(RETRY)).to_be_visible()
        # The wasm arrives after all: the page uses it, and the status says so.
        wasm_sent.set()
        expect(page.locator(STATUS)).to_have_attribute("data-state", "ready", timeout=PYTHON_START_LIMIT_MS)
        expect(page.locator(RETRY)).to_be_hidden()
        wait_for_answer(page, "safe")
    finally:
        wasm_sent.set()  # no request thread is left waiting
        slow.shutdown()


def test_a_refused_wasm_is_reported_at_once_as_a_download_in_the_pages_language(page, site_url):
    # The wasm is refused (a proxy or an extension blocks it): Pyodide alone would wait for ever,
    # and the page would blame the 30-second limit. The download message comes within seconds.
    refused = True
    page.route("**/*.wasm", lambda route: route.abort() if refused else route.continue_())
    page.goto(site_url + "zh/calculators/delisting/")
    fill_as_a_reader(page, CASES["safe"])
    expect(page.locator(STATUS)).to_have_attribute("data-state", "error", timeout=10_000)
    expect(page.locator(STATUS)).to_contain_text("Python 文件未能完整下载")  # form.failed_python, zh
    expect(page.locator(STATUS)).not_to_contain_text("30")
    expect(page.locator(RETRY)).to_be_visible()
    # The block is lifted: Retry starts Python and the answer comes.
    refused = False
    page.click(RETRY)
    wait_for_answer(page, "safe")


@pytest.mark.parametrize("lang, retry", [("en", "Retry"), ("zh", "重试")])
def test_on_a_phone_the_retry_button_keeps_its_word_on_one_line(page, site_url, lang, retry):
    # Squeezed by the message beside it, 重试 once stood one character per line.
    page.set_viewport_size({"width": 390, "height": 844})
    page.route("**/*.wasm", lambda route: route.abort())
    page.goto(site_url + ("zh/" if lang == "zh" else "") + "calculators/refund/")
    button = page.locator(RETRY)
    expect(button).to_be_visible(timeout=10_000)
    expect(button).to_have_text(retry)
    lines = button.evaluate("b => { const r = document.createRange(); r.selectNodeContents(b);"
                            " return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; }")
    assert lines == 1
    assert button.bounding_box()["x"] + button.bounding_box()["width"] <= 390


@pytest.mark.parametrize("broken, words", [
    ({"/assets/policies.json": b'{"version": "x", "rul'}, "policy data"),
    ({"/assets/policies.json": None}, "policy data"),
    ({"/assets/pyodide/STDLIB": None}, "Python's files"),  # the precompiled stdlib, named in wheel.json
    ({"/assets/calculators/wheel.json": None}, "calculators' own file"),
])
def test_a_broken_start_says_what_failed_and_retry_recovers(page, built_site, broken, words):
    stdlib = json.loads((built_site / "assets/calculators/wheel.json").read_text())["stdlib"].rsplit("/", 1)[1]
    server = serve(built_site, overrides={path.replace("STDLIB", stdlib): body for path, body in broken.items()})
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/calculators/delisting/")
        fill_as_a_reader(page, CASES["safe"])
        expect(page.locator(STATUS)).to_have_attribute("data-state", "error", timeout=PYTHON_START_LIMIT_MS)
        expect(page.locator(STATUS)).to_contain_text(words)
        expect(page.locator(STATUS)).not_to_contain_text("exit(")
        expect(page.locator(RETRY)).to_be_visible()
        # The file is repaired on the server; Retry starts Python again and the answer comes.
        _repair(server)
        page.click(RETRY)
        wait_for_answer(page, "safe")
    finally:
        server.shutdown()


def _repair(server) -> None:
    """Serve the real files again (the handler class is shared by every request of this server)."""
    server.RequestHandlerClass.func.overrides.clear()
