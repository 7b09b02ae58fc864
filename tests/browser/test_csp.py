"""The Content-Security-Policy every page carries, enforced by Chromium (design/design.md, Security).

Every built page is visited with a recorder of `securitypolicyviolation` events installed before
any page script runs; none may fire, until the page's network has been idle for half a second (a
late fetch that the policy blocks reports when it is attempted). Several tabs load pages at once,
so that their quiet half-seconds overlap. The policy comes from a <meta> added by hooks/csp.py, which
must precede every script. Instant navigation (one document, many pages) and the three
calculators, filled with a worked example's inputs and "Rules as of" left empty, must work under
it with no violation and show a result.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections import deque
from pathlib import Path

import pytest

from tests.browser.reader import PYTHON_START_LIMIT_MS, READY, fill_all
from testsupport.policy_bundle import policy_bundle
from calculators.api import run
from testsupport.served_site import _Handler, serve
from testsupport.today import TODAY

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
"""
# Pages build_site adds for the benchmarks (bare Pyodide); they are not the handbook's.
NOT_HANDBOOK = ("bare/", "bare-worker/")
TABS = 6  # pages loading at once: enough to overlap their idle waits, few enough for two cores


def handbook_pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith(NOT_HANDBOOK):
            pages.append(rel.removesuffix("index.html"))
    return pages


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")  # a blocked load reports when it is attempted
    return page.evaluate("window.__cspViolations")


def test_every_page_carries_the_policy_before_any_script(site_url, built_site):
    pages = handbook_pages(built_site)
    assert len(pages) > 25
    for rel in pages:
        text = (built_site / (rel + "index.html" if not rel.endswith(".html") else rel)).read_text(encoding="utf-8")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert meta, f"{rel}: no CSP meta"
        assert meta.start() < text.index("<script"), f"{rel}: a script comes before the CSP meta"
        policy = meta.group(1)
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "http" not in policy and "*" not in policy, f"{rel}: the policy names another host: {policy}"


def calculator_pages(site: Path, pages: list[str]) -> set[str]:
    """Those of `pages` with a calculator form: their network stays busy while Python starts."""
    return {rel for rel in pages
            if rel.endswith("/") and 'form class="calc"' in (site / rel / "index.html").read_text(encoding="utf-8")}


def violations_by_page(page, root: str, pages: list[str], slow: set[str] = frozenset(),
                       tabs: int = TABS) -> dict[str, list[str]]:
    """Each of `pages` (paths under `root`) with the violations it reported, if any, once its network
    was idle. Up to `tabs` tabs of `page`'s context load pages at once: a tab is read, and reused,
    only when every tab is busy, so one page's idle wait passes while the others load. The `slow`
    pages each get a tab of their own and are read last, so that no other page waits behind them;
    the first opens at once, the others once it is read (Chromium then reuses the wasm it compiled).
    Every tab's requests go to `page.requests`, which the `page` fixture checks for other hosts.
    """
    def new_tab():
        tab = page.context.new_page()
        tab.add_init_script(RECORD_VIOLATIONS)
        tab.on("request", lambda request: page.requests.urls.append(request.url))
        return tab

    page.add_init_script(RECORD_VIOLATIONS)
    pool = [page] + [new_tab() for _ in range(tabs - 1)]
    loading: deque = deque()  # (tab, page path), oldest first
    found = {}

    def visit(tab, rel):
        tab.goto(root + rel, wait_until="commit")  # on to the next page at once; read this one later
        loading.append((tab, rel))

    def read_oldest():
        tab, rel = loading.popleft()
        tab.wait_for_load_state("load")
        got = violations(tab)
        if got:
            found[rel or "/"] = got
        return tab

    def visit_alone(rel):
        tab = new_tab()
        tab.goto(root + rel, wait_until="commit")
        return tab, rel

    slow_pages = [rel for rel in pages if rel in slow]
    first_slow = [visit_alone(rel) for rel in slow_pages[:1]]
    for rel in [rel for rel in pages if rel not in slow]:
        visit(pool.pop() if pool else read_oldest(), rel)
    # The other slow pages once the first is idle: by then Chromium has compiled Pyodide's wasm
    # and reuses it, where several pages compiling it at once would take twice as long.
    loading.extend(first_slow)
    while loading:
        read_oldest()
    loading.extend(visit_alone(rel) for rel in slow_pages[1:])
    while loading:
        read_oldest()
    return found


def test_no_page_violates_its_policy_and_none_asks_for_a_missing_file(page, site_url, built_site):
    # Missing files too: Material once fetched sitemap.xml under each translation's page, a 404 on
    # every page (hooks/mkdocs_adapter.py, _translations_for_the_selector).
    failed = []

    def record(response):
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.context.on("response", record)
    try:
        pages = handbook_pages(built_site)
        found = violations_by_page(page, site_url, pages, slow=calculator_pages(built_site, pages))
    finally:
        page.context.remove_listener("response", record)
    assert not found, found
    assert failed == [], failed


# What a page that breaks the policy looks like: an inline script, and a script of the site's own
# that fetches another host a moment after the page has loaded.
INLINE_SCRIPT = b"<script>document.title = 'inline';</script></body>"
LATE_FETCH = b'<script src="/late-fetch.js"></script></body>'
LATE_FETCH_JS = b"addEventListener('load', () => setTimeout(() => fetch('http://192.0.2.1/x').catch(() => {}), 250));"


def test_the_check_catches_an_inline_script_and_a_late_fetch_to_another_host(page, built_site):
    """The tabs of the all-pages test above each report their own page's violations, a late one
    included: two planted pages among clean ones (one in a reused tab, one among the `slow` pages,
    which get tabs of their own) are named, and no other."""
    pages = ["", "fees/refund/", "changes/", "joining/store-types/", "editors/reference/", "fees/currency/",
             "fees/annual-fee/"]
    planted = {"fees/annual-fee/": INLINE_SCRIPT, "editors/reference/": LATE_FETCH}
    overrides = {"/late-fetch.js": LATE_FETCH_JS}
    for rel, tag in planted.items():
        html = (built_site / rel / "index.html").read_bytes()
        overrides["/" + rel] = html.replace(b"</body>", tag, 1)
    server = serve(built_site, overrides=overrides)
    try:
        found = violations_by_page(page, f"http://127.0.0.1:{server.server_address[1]}/", pages,
                                   slow={"fees/refund/", "fees/annual-fee/"}, tabs=3)
    finally:
        server.shutdown()
    assert sorted(found) == sorted(planted), found
    assert any(v.startswith("script-src") and "inline" in v for v in found["fees/annual-fee/"]), found
    assert any(v.startswith("connect-src blocked http://192.0.2.1/x") for v in found["editors/reference/"]), found


def test_instant_navigation_runs_other_pages_scripts_under_the_first_pages_policy(page, site_url):
    """The first document's CSP stays in force while Material swaps in pages of every depth."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(site_url + "editors/reference/")
    page.evaluate("window.__firstDocument = true")
    for target in ("fees/refund/", "changes/", "", "joining/store-types/", "calculators/refund/"):
        # A link as a reader follows it: Material's instant navigation takes over its click.
        heading = page.locator("article h1").inner_text()
        page.evaluate("to => { document.getElementById('hop')?.remove(); const a = document.createElement('a');"
                      " a.id = 'hop'; a.href = to; a.textContent = 'hop'; document.querySelector('article').prepend(a); }",
                      site_url + target)
        page.locator("#hop").click()
        page.wait_for_url(site_url + target)
        page.wait_for_function("old => document.querySelector('article h1')?.innerText !== old", arg=heading)
    assert page.evaluate("window.__firstDocument === true"), "a link reloaded the page: instant navigation is off"
    assert violations(page) == []


@pytest.mark.parametrize("calculator", ["eligibility", "refund", "delisting"])
def test_calculators_work_under_the_policy(page, site_url, calculator):
    page.add_init_script(RECORD_VIOLATIONS)
    run_a_calculator(page, site_url, calculator)
    assert violations(page) == []


@pytest.fixture(scope="module")
def header_policy_site_url(built_site, site_url):
    """The site served as design/hosting.md says: the CSP (meta + frame-ancestors) as a header.

    A header, unlike the meta, also governs the calculators' worker, where Pyodide runs.
    """
    meta = re.search(r'Content-Security-Policy" content="([^"]+)"', (built_site / "index.html").read_text(encoding="utf-8"))
    headers = {"Content-Security-Policy": meta.group(1) + "; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff"}

    class WithHeaders(_Handler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(WithHeaders, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_pyodide_runs_in_its_worker_under_the_header_policy(page, header_policy_site_url):
    """'wasm-unsafe-eval' is all Pyodide needs: no 'unsafe-eval' (without it Pyodide cannot start)."""
    policy = page.goto(header_policy_site_url + "calculators/refund/").headers["content-security-policy"]
    assert "'wasm-unsafe-eval'" in policy and "'unsafe-eval'" not in policy
    run_a_calculator(page, header_policy_site_url, "refund", goto=False)


def run_a_calculator(page, url: str, calculator: str, goto: bool = True) -> None:
    """Fill the calculator with its first worked example's inputs: the CLI's verdict for today appears."""
    example = next(e for e in policy_bundle()["examples"] if e["calculator"] == calculator)
    want = run(policy_bundle(), calculator, example["inputs"], TODAY.isoformat())["verdict"]
    if goto:
        page.goto(url + f"calculators/{calculator}/")
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    fill_all(page, example["inputs"], "")  # "Rules as of" left empty: today's rules
    page.locator(f".calc-result [data-verdict='{want}']").wait_for(timeout=30_000)
