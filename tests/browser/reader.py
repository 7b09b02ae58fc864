"""What a reader does on a calculator page, for the browser tests: type, pick, read the result.

A reader types into text boxes key by key, picks from the real lists, and leaves optional fields
(and "Rules as of") empty. The result is read back from the page, exactly: the verdict from
`data-verdict`, each amount from its `data-value`, the findings' rules in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from urllib.parse import urljoin

from playwright.sync_api import expect

from calculators.api import run
from testsupport.policy_bundle import policy_bundle
from testsupport.today import TODAY

PYTHON_START_LIMIT_MS = 120_000  # generous: two shared cores, and Chromium compiling 10 MB of wasm
READY = ".calc-status[data-state='ready']"
RESULT = ".calc-result [data-verdict]"
SHOWN = """() => {
  const box = document.querySelector('.calc-result [data-verdict]');
  if (!box) return null;
  return {
    verdict: box.dataset.verdict,
    as_of: box.dataset.asOf,
    headline: box.querySelector('.calc-headline').textContent,
    amounts: Object.fromEntries([...box.querySelectorAll('[data-amount]')]
      .map(n => [n.dataset.amount, JSON.parse(n.dataset.value)])),
    rules: [...box.querySelectorAll('.calc-finding')].map(n => n.dataset.rule),
    next_steps: [...box.querySelectorAll('.calc-next li')].map(n => n.textContent),
  };
}"""


def control(page, name: str):
    return page.locator(f"form.calc [name='{name}']")


def type_into(page, name: str, text: str) -> None:
    """Select what is there and type over it, key by key, as a person does."""
    box = control(page, name)
    box.click()
    box.press("ControlOrMeta+a")
    if text:
        box.press_sequentially(text)
    else:
        box.press("Backspace")


def fill_as_a_reader(page, inputs: dict) -> None:
    """Fill the form with `inputs`; every other field is left (or made) empty, "Rules as of" included.

    Waits for the form to be wired first: after an instant page change the URL changes before
    the new page's content arrives, and typing into the old page would be lost.
    """
    shown = re.search(r"/calculators/([a-z_]+)/", page.url)  # the calculator this URL names, if it is its page
    wanted = f"[data-calculator='{shown.group(1)}']" if shown else ""
    expect(page.locator(f"form.calc{wanted}[data-mounted='true']")).to_have_count(1, timeout=PYTHON_START_LIMIT_MS)
    for box in page.locator("form.calc [name]").all():
        name = box.get_attribute("name")
        value = inputs.get(name)
        if box.evaluate("el => el.tagName") == "SELECT":
            if value is None:
                # An optional list left alone keeps its first (default) choice.
                first = box.evaluate("el => el.options[0].value")
                if box.input_value() != first:
                    box.select_option(first)
            else:
                box.select_option(str(value).lower() if isinstance(value, bool) else str(value))
        elif box.get_attribute("type") == "date":
            if box.input_value() != (value or ""):
                box.fill(value or "")
        elif box.input_value() != (value or ""):
            type_into(page, name, value or "")


def follow_link(page, url: str) -> None:
    """Go to `url` as a reader following a link to it: Material's instant navigation swaps the page
    in without a reload, so the tab keeps its Python worker. Returns once the new page is in place
    (and, on a calculator page, its form is wired); fails if the link reloaded the page.
    """
    if page.url.split("?")[0].split("#")[0] == url.split("?")[0].split("#")[0]:
        # A link to the page shown would not give a fresh one: go there from its parent page.
        follow_link(page, urljoin(url, "../"))
    page.evaluate("window.__beforeTheLink = true")
    page.evaluate("to => { const a = document.createElement('a'); a.id = 'follow-link'; a.href = to;"
                  " a.textContent = 'follow'; document.querySelector('article').prepend(a); }", url)
    page.locator("#follow-link").click()
    page.wait_for_url(url)
    expect(page.locator("#follow-link")).to_have_count(0)  # the new page's content has replaced the old
    assert page.evaluate("window.__beforeTheLink === true"), "the link reloaded the page: instant navigation is off"
    page.evaluate("delete window.__beforeTheLink")
    calculator = re.search(r"/calculators/([a-z_]+)/", url)
    if calculator:
        wired = f"form.calc[data-calculator='{calculator.group(1)}'][data-mounted='true']"
        expect(page.locator(wired)).to_have_count(1)


def shown(page) -> dict | None:
    return page.evaluate(SHOWN)


def cli(name: str, inputs: dict, as_of: str | dt.date | None = None, lang: str = "en") -> dict:
    """What `python -m calculators run NAME [--lang zh]` gives for the same inputs (as of the
    browser's frozen today, TODAY, by default)."""
    as_of = as_of or TODAY
    return run(policy_bundle(), name, {k: v for k, v in inputs.items() if v not in (None, "")}, as_of, lang=lang)


def wait_for_result_like(page, want: dict, timeout: int = PYTHON_START_LIMIT_MS) -> dict:
    """Wait until the page shows `want`'s verdict, amounts, findings and date; return what it shows."""
    expected = {"verdict": want["verdict"], "as_of": want["as_of"], "headline": want["headline"],
                "rules": [f["rule"] for f in want["findings"]], "next_steps": want["next_steps"]}
    try:
        # The predicate returns what it saw: read again afterwards, the page could have moved on
        # (a form redrawn by instant navigation shows nothing for a moment).
        got = page.wait_for_function(
            f"""want => {{ const s = ({SHOWN})(); return !!s && (want.verdict === null || s.verdict === want.verdict) && s.as_of === want.as_of
                    && s.headline === want.headline && JSON.stringify(s.rules) === JSON.stringify(want.rules)
                    && JSON.stringify(s.next_steps) === JSON.stringify(want.next_steps) && s; }}""",
            arg=expected, timeout=timeout).json_value()
    except Exception:
        status = page.locator(".calc-status").text_content()
        message = page.locator(".calc-result").text_content()
        raise AssertionError(f"the page shows {shown(page)} (status: {status!r}; result area: {message[:300]!r}), "
                             f"the CLI gives {expected}") from None
    for key, value in got["amounts"].items():
        assert want["amounts"][key] == value, key
    return got


def wait_for_answer(page, verdict: str | None, as_of: str | dt.date = TODAY, timeout: int = PYTHON_START_LIMIT_MS,
                    **amounts) -> dict:
    """Wait until the page answers with `verdict` (None: any) as of `as_of` and, where named, these amounts (those
    that follow a figure just typed tell its answer from an earlier one); return what it shows.

    For the suites whose concern is not the answer itself: only the journeys (test_journeys.py,
    test_engines.py) compare whole answers with the CLI's.
    """
    want = {"verdict": verdict, "as_of": str(as_of), "amounts": amounts}
    try:
        return page.wait_for_function(
            f"""want => {{ const s = ({SHOWN})(); return !!s && (want.verdict === null || s.verdict === want.verdict) && s.as_of === want.as_of
                    && Object.entries(want.amounts).every(([k, v]) => JSON.stringify(s.amounts[k]) === JSON.stringify(v))
                    && s; }}""", arg=want, timeout=timeout).json_value()
    except Exception:
        status = page.locator(".calc-status").text_content()
        raise AssertionError(f"the page shows {shown(page)} (status: {status!r}), not {want}") from None


def a_reader_answers(page, site_url: str, name: str, inputs: dict) -> dict:
    """Reach calculator `name`'s page by a link, fill it as a reader does, and wait until it shows what
    the CLI gives for those inputs; return what it shows."""
    follow_link(page, site_url + f"calculators/{name}/")
    fill_as_a_reader(page, inputs)
    return wait_for_result_like(page, cli(name, inputs))


def fill_all(page, inputs: dict, as_of: str) -> None:
    """Fill every field of the form at once (a worked example), clearing those `inputs` leave out."""
    for control in page.locator("form.calc [name]").all():
        name = control.get_attribute("name")
        value = as_of if name == "as_of" else inputs.get(name, "")
        value = str(value).lower() if isinstance(value, bool) else str(value)
        if control.evaluate("el => el.tagName") == "SELECT":
            if value == "" and control.get_attribute("data-type") == "boolean":
                value = "false"
            control.select_option(value)
        else:
            control.fill(value)

class Recorder:
    """Every request a page makes, to check that none leaves 127.0.0.1."""

    def __init__(self):
        self.urls: list[str] = []

    def off_origin(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))]


@contextlib.contextmanager
def tab_at(context, url: str, clock: dt.datetime):
    """A new tab whose clock stands at `clock` (its local time) from before `url` loads, with Python
    started there; on leaving, it asserts that no request left 127.0.0.1, and closes."""
    page = context.new_page()
    page.clock.set_fixed_time(clock)
    page.requests = Recorder()
    page.on("request", lambda sent: page.requests.urls.append(sent.url))
    page.goto(url)
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    yield page
    assert page.requests.off_origin() == [], f"requests to other hosts: {page.requests.off_origin()}"
    page.close()
