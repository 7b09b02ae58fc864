"""Smoke journeys in the two other engines: Firefox ESR (Marionette) and WebKitGTK (WebKitWebDriver).

Every other browser test runs in Chromium. Here each calculator is filled in Firefox and in WebKit,
both from Debian (testsupport/engines.py), as a reader fills it: typed key by key, picked from its
lists. The page must then show what `python -m calculators run` gives for the same inputs.

Neither engine lets a test shift the page's clock before the page runs (Chromium's contexts take an
init script), so each journey types its day into "Rules as of" instead of leaving it empty: the
suite's TODAY, the day the CLI is asked about too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.common.exceptions import TimeoutException

from testsupport import engines
from testsupport.hostile_input import calculator_specs
from testsupport.today import TODAY
from tests.browser.reader import SHOWN, cli

pytestmark = [pytest.mark.browser, pytest.mark.engines]

ANSWER_LIMIT_S = 180  # a cold start of Python in a browser that has not compiled it before, on two shared cores
LONG_AGO = "2019-03-01"
# One journey per calculator: each picks from a list, types figures and, where the form has one, a date.
JOURNEYS = {
    "delisting": {"category": "automotive", "store_opened_on": LONG_AGO, "sales_365d_usd": "50000.50",
                  "medal": "silver", "active_listings": "12", "listings_no_shipment_180d": "2"},
    "refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"},
    "eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                    "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                    "annual_turnover_cny": "3000000"},
}
PAGES = [(name, "en") for name in JOURNEYS] + [("delisting", "zh")]


@pytest.fixture(scope="module", params=["firefox", "webkit"])
def engine(request, tmp_path_factory):
    """One browser of the engine per module, started once; each journey opens its page in it afresh.
    The browser's and its driver's own output is kept in a temporary folder, named when a journey fails."""
    absent = engines.missing(request.param)
    if absent:
        pytest.fail(f"{request.param} is not installed ({', '.join(absent)} missing): run `make test`, "
                    "which installs it with apt-get")
    browser = engines.start(request.param, tmp_path_factory.mktemp(request.param))
    yield browser
    browser.quit()


@pytest.mark.parametrize(("calculator", "lang"), PAGES)
def test_a_reader_gets_the_clis_answer(engine, site_url, calculator, lang):
    inputs = JOURNEYS[calculator]
    want = cli(calculator, inputs, lang=lang)
    # One session serves every journey of an engine, and the tab keeps the last journey's figures
    # (store.mjs, form.mjs): each journey starts from an empty tab, on a page with no calculator.
    # Clearing them by the store's own button is a Chromium test's concern (test_shared_figures.py).
    engine.open(site_url)
    engine.script("sessionStorage.clear()")
    engine.open(site_url + ("zh/" if lang == "zh" else "") + f"calculators/{calculator}/")
    form = f"form.calc[data-calculator='{calculator}'][data-mounted='true']"
    engines.wait_until(engine, lambda e: e.script(f"return !!document.querySelector(\"{form}\")"),
                       ANSWER_LIMIT_S, f"{calculator}'s form was never wired in {engine.name}")
    fresh = engine.script("const s = document.querySelector('.calc-store'); return !s || s.hidden")
    assert fresh, "a fresh tab shows the store's figures"
    fill(engine, calculator, inputs)
    shown = wait_for_the_clis_answer(engine, want)["amounts"]
    assert shown, "the result shows no amount"
    assert shown == {name: want["amounts"].get(name) for name in shown}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def fill(engine, calculator: str, inputs: dict) -> None:
    """Pick, type and date each field the journey names, as a reader does, then the day in "Rules as of"."""
    kinds = {spec["name"]: spec["type"] for spec in calculator_specs()[calculator]["inputs"]}
    for name, value in inputs.items():
        css = f"form.calc [name='{name}']"
        if kinds[name] in ("choice", "boolean"):
            engine.pick(css, str(value).lower() if isinstance(value, bool) else value)
        elif kinds[name] == "date":
            engine.type_date(css, dt.date.fromisoformat(value))
        else:
            engine.type_into(css, value)
    engine.type_date("form.calc [name='as_of']", TODAY)


def wait_for_the_clis_answer(engine, want: dict) -> dict:
    """Wait until the page shows the CLI's verdict, day, headline, findings and next steps; return it."""
    expected = {"verdict": want["verdict"], "as_of": want["as_of"], "headline": want["headline"],
                "rules": [finding["rule"] for finding in want["findings"]], "next_steps": want["next_steps"]}

    def shows_it(browser):
        got = browser.script(f"return ({SHOWN})()")
        return got if got and {key: got[key] for key in expected} == expected else None

    try:
        return engines.wait_until(engine, shows_it, ANSWER_LIMIT_S)
    except TimeoutException:
        status = engine.script("const s = document.querySelector('.calc-status');"
                               " return s && `${s.dataset.state}: ${s.textContent}`")
        raise AssertionError(f"{engine.name} {engine.version} shows {engine.script(f'return ({SHOWN})()')} "
                             f"(status {status!r}); the CLI gives {expected}. Its own log: {engine.logs}") from None
