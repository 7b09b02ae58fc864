"""Accessible by audit, not by eye: axe-core's WCAG 2.1 A and AA rules on every page of both
languages in both colour schemes, and on each calculator empty, with a result, with a field error
and in the dark scheme; a visible focus indicator on every control; each calculator by keyboard alone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.audit import described, violations
from tests.browser.reader import (PYTHON_START_LIMIT_MS, RESULT, cli, control, fill_as_a_reader, follow_link,
                                  wait_for_result_like)

pytestmark = pytest.mark.browser

SCHEMES = ["default", "slate"]
# One answer per calculator, and a field typed wrong, for the states each calculator is audited in.
ANSWERS = {
    "delisting": {"category": "toys-hobbies", "store_opened_on": "2019-03-01", "sales_365d_usd": "11000",
                  "active_listings": "12", "listings_no_shipment_180d": "0"},
    "refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"},
    "eligibility": {"entity_type": "individual_business", "alipay_enterprise_verified": True,
                    "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                    "annual_turnover_cny": "500000"},
}
WRONG = {"delisting": "sales_365d_usd", "refund": "annual_sales_usd", "eligibility": "annual_turnover_cny"}


def pages_of(built_site, language: str) -> list[str]:
    """Every built page of `language` ("en" or "zh") as a URL path, the 404 page included; not the
    calculator pages, which are audited below in each of their states."""
    paths = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    paths = [p.removesuffix("index.html") for p in paths if not p.startswith(("bare", "calculators/", "zh/calculators/"))
             or p.endswith("calculators/index.html")]
    return [p for p in paths if p.startswith("zh/") == (language == "zh")]


def use_scheme(page, scheme: str) -> None:
    """Switch to `scheme` with the header's palette toggle, as a reader does (the theme keeps the choice)."""
    body = page.locator("body")
    if body.get_attribute("data-md-color-scheme") != scheme:
        page.locator("form[data-md-component='palette'] label:not([hidden])").click()
    expect(body).to_have_attribute("data-md-color-scheme", scheme)


# ---------------------------------------------------------------- axe-core on every page


def test_axe_core_is_for_the_tests_only_never_in_the_site(built_site, site_url):
    shipped = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
               if "axe" in p.name.lower() and p.is_file()]
    assert shipped == [], f"axe-core reached the built site: {shipped}"
    assert "axe-core" not in (built_site / "calculators" / "refund" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_page_passes_axe_wcag_a_and_aa(page, site_url, built_site, language, scheme):
    found = {}
    for path in pages_of(built_site, language):
        page.goto(site_url + path)
        use_scheme(page, scheme)
        found[path or "/"] = violations(page)
    assert len(found) > 10, f"only {len(found)} pages of {language} were found in the build"
    report = "\n".join(described(v, path) for path, v in found.items() if v)
    assert not report, f"axe-core's WCAG 2.1 A/AA violations ({scheme} scheme):\n{report}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("language", "query"), [("", "refund"), ("zh/", "年费")])
def test_search_results_pass_axe_wcag_a_and_aa(page, site_url, language, query, scheme):
    page.goto(site_url + language)
    use_scheme(page, scheme)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).not_to_be_empty()
    found = violations(page)
    assert not found, f"axe-core's WCAG 2.1 A/AA violations on the search results:\n{described(found, query)}"


# ---------------------------------------------------------------- each calculator in its states


@pytest.mark.python_started
@pytest.mark.parametrize("language", ["", "zh/"])
@pytest.mark.parametrize("calculator", list(ANSWERS))
def test_each_calculator_passes_axe_empty_answered_wrong_and_dark(page, site_url, calculator, language):
    follow_link(page, site_url + f"{language}calculators/{calculator}/")
    use_scheme(page, "default")
    states = {"empty": violations(page)}
    fill_as_a_reader(page, ANSWERS[calculator])
    # The answer to the last key (an earlier key's answer may be on screen while later ones are
    # still coming, on a loaded machine), and its chart, before the audit.
    # (In the document's language: a link followed in place keeps the first page's <html lang>.)
    answers_in = "zh" if page.evaluate("document.documentElement.lang").startswith("zh") else "en"
    wait_for_result_like(page, cli(calculator, ANSWERS[calculator], lang=answers_in))
    expect(page.locator(RESULT)).to_be_visible(timeout=PYTHON_START_LIMIT_MS)
    expect(page.locator(".calc-result .calc-chart[data-series]")).to_have_count(1)  # the what-if part comes just after
    states["with a result"] = violations(page)
    use_scheme(page, "slate")
    states["with a result, dark"] = violations(page)
    control(page, WRONG[calculator]).fill("12abc")  # one change: no earlier key's answer still coming
    expect(page.locator(f".calc-field[data-field='{WRONG[calculator]}'] .calc-field-error")).to_be_visible()
    states["with a field error, dark"] = violations(page)
    use_scheme(page, "default")
    states["with a field error"] = violations(page)
    report = "\n".join(described(v, f"{language}{calculator} {state}") for state, v in states.items() if v)
    assert not report, f"axe-core's WCAG 2.1 A/AA violations:\n{report}"


# ---------------------------------------------------------------- a visible focus indicator

# Each control's outline and shadow, and the contrast of its outline's and its border's colours with
# what lies behind it (the first ancestor with a background: the outline is drawn outside the control).
INDICATOR = """el => {
  const s = getComputedStyle(el);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = [255, 255, 255];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { back = c.slice(0, 3); break; }
  }
  const against = colour => {
    let line = rgb(colour);
    if (line.length === 4) line = line.slice(0, 3).map((v, i) => v * line[3] + back[i] * (1 - line[3]));
    const [a, b] = [lum(line), lum(back)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  return { name: el.name || el.textContent.trim(), look: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`,
           width: s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth),
           contrast: against(s.outlineColor), border: `${s.borderTopWidth} ${s.borderTopColor}`,
           boundary: against(s.borderTopColor) };
}"""
CONTROLS = "form.calc :is(input, select, button):not([hidden])"


@pytest.mark.python_started
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_control_shows_where_the_keyboard_is_at_3_to_1(page, site_url, scheme):
    follow_link(page, site_url + "calculators/eligibility/")
    use_scheme(page, scheme)
    # A control inside a hidden part (the store's clear button before the store holds figures) is
    # not one the keyboard can reach; the rest are keyed as INDICATOR names them (a button by its words).
    controls = page.locator(CONTROLS).filter(visible=True)
    unfocused = {look["name"]: look for look in (c.evaluate(INDICATOR) for c in controls.all())}
    # Enter the form from the element before it, by the keyboard: the browser then shows its focus.
    controls.first.focus()
    page.keyboard.press("Shift+Tab")
    seen = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        if not page.evaluate("!!document.activeElement.closest('form.calc')"):
            break
        focused = page.evaluate(f"({INDICATOR})(document.activeElement)")
        seen.setdefault(focused["name"], focused)
    assert set(seen) == set(unfocused), f"the keyboard reached {sorted(seen)}, the form has {sorted(unfocused)}"
    for name, focused in seen.items():
        assert focused["look"] != unfocused[name]["look"], f"{name}: focused looks as unfocused ({focused['look']})"
        assert focused["width"] >= 2, f"{name}: a focus outline of {focused['width']} px ({focused['look']})"
        assert focused["contrast"] >= 3, f"{name}: the focus outline is {focused['contrast']:.2f}:1 ({focused['look']})"


@pytest.mark.python_started
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_field_s_edge_stands_out_at_3_to_1(page, site_url, scheme):
    """A field's border is how a reader finds it (WCAG 1.4.11): 3:1 against the page, in both schemes."""
    follow_link(page, site_url + "calculators/eligibility/")
    use_scheme(page, scheme)
    faint = {}
    for field in page.locator("form.calc :is(input, select)").all():
        edge = field.evaluate(INDICATOR)
        if edge["boundary"] < 3:
            faint[edge["name"]] = f"{edge['boundary']:.2f}:1 ({edge['border']})"
    assert not faint, f"fields whose border is under 3:1 against the page: {faint}"


# ---------------------------------------------------------------- by keyboard alone

KEYBOARD_JOURNEYS = {
    "delisting": {"category": "toys-hobbies", "store_opened_on": "2019-03-01", "sales_365d_usd": "11000",
                  "medal": "silver", "active_listings": "12", "listings_no_shipment_180d": "0"},
    "refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good", "exit_month": "5"},
    "eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": "true",
                    "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                    "annual_turnover_cny": "3000000"},
}


def tab_to(page, name: str) -> None:
    """Press Tab until the field `name` has the focus (a date field takes one Tab per part)."""
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}; the focus is on {page.evaluate('document.activeElement.outerHTML')[:200]}")


def pick_by_keyboard(page, name: str, value: str) -> None:
    """Arrow keys on the closed list, as a keyboard user picks, until `value` is chosen."""
    want = control(page, name).evaluate("(el, v) => [...el.options].findIndex(o => o.value === v)", value)
    assert want >= 0, f"{name} has no choice {value}"
    for _ in range(60):
        now = control(page, name).evaluate("el => el.selectedIndex")
        if now == want:
            return
        page.keyboard.press("ArrowDown" if now < want else "ArrowUp")
    raise AssertionError(f"the arrow keys never chose {value} in {name}")


@pytest.mark.python_started
@pytest.mark.parametrize("calculator", list(KEYBOARD_JOURNEYS))
def test_each_calculator_answers_by_keyboard_alone(page, site_url, calculator):
    follow_link(page, site_url + f"calculators/{calculator}/")
    fill_as_a_reader(page, {})  # as a first visit: every field empty
    inputs = KEYBOARD_JOURNEYS[calculator]
    order = [c.get_attribute("name") for c in page.locator("form.calc [name]").all()]
    control(page, order[0]).focus()  # the form's first field; from here on only keys
    for name in sorted(inputs, key=order.index):
        tab_to(page, name)
        if control(page, name).evaluate("el => el.tagName") == "SELECT":
            pick_by_keyboard(page, name, inputs[name])
        elif control(page, name).get_attribute("type") == "date":
            year, month, day = inputs[name].split("-")
            page.keyboard.type(month + day + year)  # the parts in the order Chromium's en-US date field shows them
        else:
            page.keyboard.type(inputs[name])
        expect(control(page, name)).to_have_value(inputs[name])
    wait_for_result_like(page, cli(calculator, inputs))
    # The answer is reached by the keyboard too: Tab on, past the form, to the result's first link.
    page.keyboard.press("Tab")
    for _ in range(60):
        if page.evaluate("!!document.activeElement.closest('.calc-result')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.calc-result')"), "Tab never reached the result"


# ---------------------------------------------------------------- lists show their whole choices

# How much of a closed list's width its own arrow takes at least, besides its padding (Chromium's
# takes about 20 px: a list sized to its longest choice must not fail by the difference).
ARROW_PX = 16
CLIPPED = """(el, arrow) => {
  const s = getComputedStyle(el), ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - arrow;
  return [...el.options].map(o => o.text).filter(t => ctx.measureText(t).width > room)
    .map(t => `${t} (${Math.ceil(ctx.measureText(t).width)} px in ${Math.floor(room)} px)`);
}"""


@pytest.mark.python_started
# At desktop width. On a phone (390 px) the two longest English choices are still cut when the list
# is closed (its picker shows them whole): a list cannot wrap, and only shorter words would fit.
@pytest.mark.parametrize("width", [1280])
@pytest.mark.parametrize("language", ["", "zh/"])
def test_every_choice_shows_whole_in_its_closed_list(page, site_url, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    clipped = {}
    for calculator in ANSWERS:
        follow_link(page, site_url + f"{language}calculators/{calculator}/")
        for select in page.locator("form.calc select").all():
            cut = select.evaluate(CLIPPED, ARROW_PX)
            if cut:
                clipped[f"{calculator}.{select.get_attribute('name')}"] = cut
    assert not clipped, f"at {width} px these choices are cut in their closed list: {clipped}"
