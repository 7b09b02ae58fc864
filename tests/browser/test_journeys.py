"""Journeys: the built site used the way readers use it, in Debian's Chromium.

Each journey opens a page, types into and picks from the real controls, leaves the optional
fields empty, and waits for the result, which must equal the CLI's for the same inputs as of
today. No journey sets "Rules as of" unless the journey is about the as-of date. Journeys that are
not about start-up (marked python_started) begin in the module's tab where Python has started and
reach their page by a link, as a reader moving through the site does.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.reader import (PYTHON_START_LIMIT_MS, READY, RESULT, a_reader_answers, cli, control,
                                  fill_as_a_reader, follow_link, type_into, wait_for_result_like)
from testsupport.today import TODAY

pytestmark = pytest.mark.browser

LONG_AGO = "2019-03-01"
RECENTLY = (TODAY - dt.timedelta(days=40)).isoformat()

# What a reader types to reach each verdict, as of today. Optional fields are left out.
VERDICT_JOURNEYS = {
    "delisting": {
        "below_threshold": {"category": "womens-clothing", "store_opened_on": LONG_AGO, "sales_365d_usd": "9999",
                            "active_listings": "3100", "listings_no_shipment_180d": "40"},
        "at_risk": {"category": "toys-hobbies", "store_opened_on": LONG_AGO, "sales_365d_usd": "11000",
                    "active_listings": "12", "listings_no_shipment_180d": "0"},
        "safe": {"category": "automotive", "store_opened_on": LONG_AGO, "sales_365d_usd": "50000.50",
                 "medal": "silver", "active_listings": "12", "listings_no_shipment_180d": "2"},
        "not_assessed": {"category": "toys-hobbies", "store_opened_on": RECENTLY, "sales_365d_usd": "0",
                         "active_listings": "5", "listings_no_shipment_180d": "0"},
    },
    "refund": {
        "full_refund": {"category": "toys-hobbies", "annual_sales_usd": "60000.01", "service_level": "excellent"},
        "partial_refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"},
        "no_refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "pass"},
        "pro_rated": {"category": "toys-hobbies", "annual_sales_usd": "5000", "service_level": "good",
                      "exit_month": "5"},
    },
    "eligibility": {
        "eligible": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                     "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                     "annual_turnover_cny": "3000000"},
        "not_prioritised": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                            "brand_relationship": "registered_owner", "category": "womens-clothing",
                            "seller_type": "ordinary_trader", "annual_turnover_cny": "500000"},
        "invitation_only": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                            "brand_relationship": "registered_owner", "category": "womens-clothing",
                            "seller_type": "official_distributor", "annual_turnover_cny": "500000"},
        "not_eligible": {"entity_type": "individual_business", "alipay_enterprise_verified": True,
                         "brand_relationship": "registered_owner", "category": "automotive",
                         "seller_type": "brand", "annual_turnover_cny": "500000"},
    },
}


@pytest.mark.python_started
@pytest.mark.parametrize("calculator", list(VERDICT_JOURNEYS))
def test_every_verdict_by_filling_the_form(page, site_url, calculator):
    follow_link(page, site_url + f"calculators/{calculator}/")
    for verdict, inputs in VERDICT_JOURNEYS[calculator].items():
        want = cli(calculator, inputs)
        assert want["verdict"] == verdict, f"the journey for {verdict} reaches {want['verdict']} in the CLI"
        fill_as_a_reader(page, inputs)
        wait_for_result_like(page, want)
        expect(control(page, "as_of")).to_have_value("")
    expect(page.locator("text=Traceback")).to_have_count(0)


@pytest.mark.python_started
def test_from_the_home_page_to_a_result(page, site_url):
    follow_link(page, site_url)
    page.get_by_role("link", name="Calculators").first.click()
    page.get_by_role("link", name="Annual fee refund").first.click()
    expect(page).to_have_url(f"{site_url}calculators/refund/")
    inputs = VERDICT_JOURNEYS["refund"]["partial_refund"]
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli("refund", inputs))


def figures(result: dict) -> dict:
    """The amounts that are numbers (a text amount, such as the tier reached, is worded per language)."""
    return {k: v for k, v in result["amounts"].items() if not isinstance(v, str)}


@pytest.mark.parametrize("calculator, verdict", [("refund", "partial_refund"), ("delisting", "at_risk"),
                                                 ("eligibility", "not_eligible")])
def test_the_chinese_page_gives_the_english_verdict_and_amounts_in_chinese(page, site_url, calculator, verdict):
    """The same inputs on /zh/ reach the same verdict and amounts as in English, in Chinese words:
    the headline, findings and next steps are the CLI's with --lang zh, and the rule links stay in /zh/."""
    inputs = VERDICT_JOURNEYS[calculator][verdict]
    english, chinese = cli(calculator, inputs), cli(calculator, inputs, lang="zh")
    assert (chinese["verdict"], figures(chinese)) == (english["verdict"], figures(english))
    page.goto(site_url + "zh/calculators/")
    page.locator(f"article a[href$='{calculator}/']").first.click()  # from the Chinese calculators' list
    expect(page).to_have_url(f"{site_url}zh/calculators/{calculator}/")
    fill_as_a_reader(page, inputs)
    got = wait_for_result_like(page, chinese)
    assert re.search(r"[\u4e00-\u9fff]", got["headline"]), got["headline"]
    assert figures(got) == {k: v for k, v in figures(english).items() if k in got["amounts"]}
    first_rule = page.locator(f"{RESULT} .calc-finding a").first
    expect(first_rule).to_have_attribute("href", re.compile(rf"^{re.escape(site_url)}zh/"))


@pytest.mark.python_started
def test_a_fresh_form_says_what_is_missing(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    expect(page.locator(READY)).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    message = page.locator(".calc-result .calc-message")
    expect(message).to_have_text("To see a result, fill in: Business category, Sales this year and Yearly service "
                                 "level.")
    control(page, "category").select_option("toys-hobbies")
    expect(message).to_have_text("To see a result, fill in: Sales this year and Yearly service level.")


@pytest.mark.python_started
def test_letters_in_a_number_get_a_message_on_the_field_then_a_correction_works(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    control(page, "category").select_option("toys-hobbies")
    control(page, "service_level").select_option("good")
    type_into(page, "annual_sales_usd", "20k")
    error = page.locator(".calc-field[data-field='annual_sales_usd'] .calc-field-error")
    expect(error).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    expect(error).to_contain_text("number")
    expect(control(page, "annual_sales_usd")).to_have_attribute("aria-invalid", "true")
    expect(control(page, "annual_sales_usd")).to_have_value("20k")  # nothing typed is lost
    expect(page).to_have_url(re.compile(r"[?&]annual_sales_usd=20k(&|$)"))
    # The reader corrects it the way people write money: with a thousands separator.
    type_into(page, "annual_sales_usd", "20,000")
    wait_for_result_like(page, cli("refund", {**VERDICT_JOURNEYS["refund"]["partial_refund"]}))
    expect(error).to_be_hidden()
    expect(control(page, "annual_sales_usd")).not_to_have_attribute("aria-invalid", "true")


@pytest.mark.python_started
def test_a_wrongly_grouped_number_is_an_error_not_another_number(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    control(page, "category").select_option("toys-hobbies")
    control(page, "service_level").select_option("good")
    type_into(page, "annual_sales_usd", "1,5")
    error = page.locator(".calc-field[data-field='annual_sales_usd'] .calc-field-error")
    expect(error).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    expect(page.locator(RESULT)).to_have_count(0)


@pytest.mark.python_started
def test_help_and_errors_are_tied_to_their_controls(page, site_url):
    follow_link(page, site_url + "calculators/delisting/")
    for box in page.locator("form.calc [name]").all():
        described = box.get_attribute("aria-describedby").split()
        for ident in described:
            expect(page.locator(f"#{ident}")).to_have_count(1)
        help_text = page.locator(f"#{described[0]}")
        assert help_text.text_content().strip(), box.get_attribute("name")


@pytest.mark.python_started
def test_a_shared_link_opened_in_a_new_page_gives_the_same_result(page, site_url):
    inputs = VERDICT_JOURNEYS["delisting"]["at_risk"]
    follow_link(page, site_url + "calculators/delisting/")
    fill_as_a_reader(page, inputs)
    want = cli("delisting", inputs)
    first = wait_for_result_like(page, want)
    expect(page).to_have_url(re.compile(r"sales_365d_usd=11000.*listings_no_shipment_180d=0"))
    other = page.context.new_page()
    other.goto(page.url)
    assert wait_for_result_like(other, want) == first
    expect(other.locator("[name='category']")).to_have_value("toys-hobbies")
    expect(other.locator(".calc-field-error:visible")).to_have_count(0)


def test_the_sellers_figures_never_reach_the_server(page, site_url):
    # The pages promise that the figures stay in the browser. A link still carries the scenario,
    # in the URL's fragment, but no request carries a figure in its URL or its Referer: not the
    # chart's scripts, not a reload. A link that brings its inputs in the query (a worked example,
    # an older link) is sent once, as its author made it; the page then moves them to the fragment.
    inputs = {"category": "toys-hobbies", "store_opened_on": LONG_AGO, "sales_365d_usd": "11438",
              "active_listings": "12", "listings_no_shipment_180d": "0"}
    page.goto(site_url + "calculators/delisting/?" + "&".join(f"{k}={v}" for k, v in inputs.items()))
    page.wait_for_function("() => location.search === '' && location.hash.includes('sales_365d_usd=11438')")
    wait_for_result_like(page, cli("delisting", inputs))
    sent = []
    page.on("request", lambda request: sent.append(f"{request.url} {request.headers.get('referer', '')}"))
    type_into(page, "sales_365d_usd", "11437")
    changed = {**inputs, "sales_365d_usd": "11437"}
    wait_for_result_like(page, cli("delisting", changed))
    page.wait_for_function("() => location.hash.includes('sales_365d_usd=11437')")
    page.reload()
    wait_for_result_like(page, cli("delisting", changed))
    expect(page.locator("[name='sales_365d_usd']")).to_have_value("11437")
    page.locator(".calc-result .calc-chart svg").first.wait_for()  # its scripts were asked for after the reload
    assert any("chart.mjs" in line for line in sent)
    assert [line for line in sent if "1143" in line] == []


@pytest.mark.python_started
def test_the_scenario_survives_a_headings_link_and_follows_a_link_opened_in_place(page, site_url):
    inputs = VERDICT_JOURNEYS["delisting"]["at_risk"]
    want = a_reader_answers(page, site_url, "delisting", inputs)
    page.wait_for_function("() => location.hash.includes('sales_365d_usd=11000')")
    # The title's permalink (¶) takes the fragment's place: the figures stay, on a reload too.
    page.locator("h1").hover()
    page.locator("h1 a.headerlink").click()
    expect(control(page, "sales_365d_usd")).to_have_value("11000")
    assert wait_for_result_like(page, cli("delisting", inputs)) == want
    page.reload()
    expect(control(page, "sales_365d_usd")).to_have_value("11000")
    wait_for_result_like(page, cli("delisting", inputs))
    # Another scenario opened in this tab (a link pasted into the address bar): the form follows it.
    other = {**inputs, "sales_365d_usd": "70000"}
    page.evaluate("hash => { location.hash = hash; }", "&".join(f"{k}={v}" for k, v in other.items()))
    expect(control(page, "sales_365d_usd")).to_have_value("70000")
    wait_for_result_like(page, cli("delisting", other))


@pytest.mark.python_started
def test_a_figure_typed_just_before_leaving_is_there_on_coming_back(page, site_url):
    inputs = VERDICT_JOURNEYS["refund"]["partial_refund"]
    a_reader_answers(page, site_url, "refund", inputs)
    type_into(page, "annual_sales_usd", "20001")  # and at once, before typing has paused, a link
    page.get_by_role("link", name="Calculators").first.click()
    expect(page).to_have_url(f"{site_url}calculators/")
    page.go_back()
    expect(control(page, "annual_sales_usd")).to_have_value("20001")
    wait_for_result_like(page, cli("refund", {**inputs, "annual_sales_usd": "20001"}))


def test_instant_navigation_handbook_to_calculator_and_back_then_a_second_calculator(page, site_url):
    page.goto(site_url + "staying/assessment/")
    page.get_by_role("link", name="Calculators").first.click()
    page.get_by_role("link", name="Delisting risk").first.click()
    expect(page).to_have_url(f"{site_url}calculators/delisting/")
    delisting = VERDICT_JOURNEYS["delisting"]["safe"]
    fill_as_a_reader(page, delisting)
    wait_for_result_like(page, cli("delisting", delisting))
    page.go_back()
    page.go_back()
    expect(page).to_have_url(f"{site_url}staying/assessment/")
    expect(page.locator("h1")).to_contain_text("assessment")
    page.get_by_role("link", name="Calculators").first.click()
    page.get_by_role("link", name="Entry eligibility").first.click()
    expect(page).to_have_url(f"{site_url}calculators/eligibility/")
    eligibility = VERDICT_JOURNEYS["eligibility"]["eligible"]
    fill_as_a_reader(page, eligibility)
    wait_for_result_like(page, cli("eligibility", eligibility))
    workers = [url for url in page.requests.urls if url.endswith("worker.mjs")]
    assert len(workers) == 1, "one worker per tab, kept across instant page changes"
    # Python started from the stdlib's start set, and two calculators never needed the rest of it
    # (Pyodide's full python_stdlib.zip, 2.5 MB, fetched only for a module outside the start set).
    assert [url for url in page.requests.urls if url.endswith(".pyc.zip")]
    assert not [url for url in page.requests.urls if url.endswith("/python_stdlib.zip")]


@pytest.mark.python_started
def test_the_as_of_date_set_then_cleared(page, site_url):
    inputs = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
              "category": "automotive", "seller_type": "brand", "annual_turnover_cny": "3000000"}
    a_reader_answers(page, site_url, "eligibility", inputs)
    control(page, "as_of").fill("2020-02-10")  # inside the 2020 temporary window
    wait_for_result_like(page, cli("eligibility", inputs, "2020-02-10"))
    control(page, "as_of").fill("")
    wait_for_result_like(page, cli("eligibility", inputs))


@pytest.mark.python_started
def test_an_as_of_outside_the_rules_span_is_shown_on_its_field(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    fill_as_a_reader(page, VERDICT_JOURNEYS["refund"]["partial_refund"])
    expect(page.locator(RESULT)).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    # The day before the handbook's first rules: the field says when they begin (from the policies).
    control(page, "as_of").fill("2015-12-31")
    error = page.locator(".calc-field[data-field='as_of'] .calc-field-error")
    expect(error).to_contain_text("which begin on 2016-01-01")
    expect(page.locator(RESULT)).to_have_count(0)  # no answer for a day no rule covers
    expect(control(page, "as_of")).to_have_attribute("aria-invalid", "true")
    control(page, "as_of").fill("2024-03-01")
    expect(page.locator(RESULT)).to_have_attribute("data-as-of", "2024-03-01")
    expect(error).to_be_hidden()


@pytest.mark.python_started
def test_the_result_is_announced_once_when_typing_pauses(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    expect(page.locator(READY)).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    page.evaluate("""() => { window.announced = [];
      new MutationObserver(() => window.announced.push(document.querySelector('.calc-announce').textContent))
        .observe(document.querySelector('.calc-announce'), {childList: true, characterData: true, subtree: true}); }""")
    fill_as_a_reader(page, VERDICT_JOURNEYS["refund"]["partial_refund"])
    want = cli("refund", VERDICT_JOURNEYS["refund"]["partial_refund"])
    expect(page.locator(".calc-announce")).to_have_text(want["headline"])
    assert page.evaluate("window.announced") == [want["headline"]]
    assert page.locator(".calc-result").get_attribute("aria-live") is None


# Types `text` into a field key by key, `gap` ms apart, in the page (no round trip to the test
# between keys), and from then on records when the field's error shows, in window.__errorShownAt;
# resolves to the time just before the last key (both in the page's clock, ms), so that a timer
# the key starts cannot end before that time plus its delay, however loaded the machine.
TYPE_AND_WATCH_THE_ERROR = """async ({name, text, gap}) => {
  const box = document.querySelector(`form.calc [name='${name}']`);
  const slot = box.closest('.calc-field').querySelector('.calc-field-error');
  const shownAt = window.__errorShownAt = [];
  new MutationObserver(() => { if (!slot.hidden) shownAt.push(performance.now()); })
    .observe(slot, {attributes: true, attributeFilter: ['hidden']});
  box.value = '';
  let lastKeyAt = null;
  for (const key of text) {
    await new Promise((resolve) => setTimeout(resolve, gap));
    lastKeyAt = performance.now();
    box.value += key;
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return lastKeyAt;
}"""


@pytest.mark.python_started
def test_a_figure_being_typed_is_not_marked_wrong_midway_and_a_wrong_one_is_announced(page, site_url):
    inputs = VERDICT_JOURNEYS["refund"]["partial_refund"]
    a_reader_answers(page, site_url, "refund", inputs)
    # "45,000" passes through "45," (not a number yet): no error flashes on the way.
    page.evaluate(TYPE_AND_WATCH_THE_ERROR, {"name": "annual_sales_usd", "text": "45,000", "gap": 150})
    wait_for_result_like(page, cli("refund", {**inputs, "annual_sales_usd": "45000"}))
    assert page.evaluate("window.__errorShownAt") == []
    # A figure left wrong is marked once typing pauses, and a screen reader hears which field and why.
    typed_at = page.evaluate(TYPE_AND_WATCH_THE_ERROR, {"name": "annual_sales_usd", "text": "45,", "gap": 150})
    error = page.locator("[data-field='annual_sales_usd'] .calc-field-error")
    expect(error).to_be_visible()
    expect(page.locator(".calc-announce")).to_have_text(re.compile(r"Sales this year: " + re.escape(error.text_content())))
    # Not before the form's pause after the last key (ERROR_PAUSE_MS, 700 ms, in calculator.mjs): a
    # lower bound that timers guarantee, so a loaded machine can only make it later.
    assert page.evaluate("window.__errorShownAt[0]") - typed_at >= 600


def test_a_wrong_figure_is_announced_in_chinese_with_chinese_punctuation(page, site_url):
    inputs = VERDICT_JOURNEYS["refund"]["partial_refund"]
    page.goto(site_url + "zh/calculators/refund/")
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli("refund", inputs, lang="zh"))
    type_into(page, "annual_sales_usd", "20O00")  # a letter O for a zero
    error = page.locator("[data-field='annual_sales_usd'] .calc-field-error")
    expect(error).to_be_visible()
    expect(page.locator(".calc-announce")).to_contain_text("本年度销售额：" + error.text_content())


@pytest.mark.python_started
def test_a_date_needed_because_of_another_answer_is_marked_required_but_not_red(page, site_url):
    inputs = {**VERDICT_JOURNEYS["eligibility"]["eligible"], "brand_relationship": "pending_owner"}
    follow_link(page, site_url + "calculators/eligibility/")
    fill_as_a_reader(page, inputs)
    date = control(page, "trademark_filed_on")
    expect(date).to_have_attribute("aria-required", "true")
    expect(page.locator(".calc-result")).to_contain_text("fill in: Trademark application filed on.")
    expect(page.locator("[data-field='trademark_filed_on'] .calc-field-error")).to_be_hidden()
    date.fill("2020-01-01")
    wait_for_result_like(page, cli("eligibility", {**inputs, "trademark_filed_on": "2020-01-01"}))
    expect(date).not_to_have_attribute("aria-required", "true")


@pytest.mark.python_started
def test_a_printed_result_shows_inputs_result_findings_and_sources(page, site_url):
    inputs = VERDICT_JOURNEYS["delisting"]["below_threshold"]
    want = a_reader_answers(page, site_url, "delisting", inputs)
    expect(page.locator(".calc-pin")).to_be_visible()  # the chart, under the result, has come
    page.emulate_media(media="print")
    expect(page.locator(".calc-fields")).to_be_hidden()
    expect(page.locator(".calc-pin")).to_be_hidden()  # a button is no use on paper
    expect(page.locator(RESULT)).to_be_visible()
    printed_inputs = page.locator(".calc-inputs")
    expect(printed_inputs).to_be_visible()
    expect(printed_inputs).to_contain_text("Women")
    expect(printed_inputs).to_contain_text("USD 9,999")
    expect(page.locator(".calc-finding").first).to_be_visible()
    expect(page.locator(".calc-finding .prov").first).to_be_visible()
    expect(page.locator(".calc-meta")).to_contain_text("policy data version")
    assert want["verdict"] == "below_threshold"


@pytest.mark.python_started
def test_colours_meet_wcag_aa_for_the_header_and_links(page, site_url):
    follow_link(page, site_url + "calculators/refund/")
    ratios = page.evaluate("""() => {
      const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const header = getComputedStyle(document.querySelector('.md-header'));
      const link = getComputedStyle(document.querySelector('.md-content a'));
      const body = getComputedStyle(document.body);
      return {header: ratio(header.color, header.backgroundColor), link: ratio(link.color, body.backgroundColor)};
    }""")
    assert ratios["header"] >= 4.5, ratios
    assert ratios["link"] >= 4.5, ratios


# A link from an English page to a Chinese one loads it in full: the Chinese pages start their own Python.
@pytest.mark.parametrize("lang", [pytest.param("", marks=pytest.mark.python_started), "zh/"])
@pytest.mark.parametrize("calculator, verdict", [("eligibility", "eligible"), ("delisting", "below_threshold")])
def test_on_a_phone_the_answer_fits_the_screen(page, site_url, lang, calculator, verdict):
    """390 px wide: the long answers (store types, documents) and the chart's hidden table wrap or
    stay inside the screen; nothing makes the page scroll sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    inputs = VERDICT_JOURNEYS[calculator][verdict]
    if lang:
        page.goto(f"{site_url}{lang}calculators/{calculator}/")
    else:
        follow_link(page, f"{site_url}calculators/{calculator}/")
    fill_as_a_reader(page, inputs)
    wait_for_result_like(page, cli(calculator, inputs, lang="zh" if lang else "en"))
    if calculator != "eligibility":  # the last thing drawn, below the amounts
        expect(page.locator(".calc-result .calc-chart[data-series]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
