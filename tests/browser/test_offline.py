"""Offline after the first visit: the service worker (hooks/service_worker.py) keeps the handbook.

Each test serves its own copy of the built site, on a server of its own that it stops: with the
network gone for real (nothing listens any more), not only as the browser is told
(`context.set_offline`, which the page's offline note reads), a file missing from the precache
fails instead of arriving from the server. Service workers are allowed here only (the other
modules block them: testsupport.served_site.NO_SERVICE_WORKER). The copy is served on another port
than the one the site was built for, so links load whole pages, which the worker must answer.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from hooks import service_worker
from hooks.formatting import word
from tests.browser.reader import (PYTHON_START_LIMIT_MS, READY, cli, fill_as_a_reader, follow_link,
                                  wait_for_result_like)
from testsupport.served_site import serve
from testsupport.today import freeze_browser_today

pytestmark = pytest.mark.browser

# The worker has installed (its precache complete) and controls the page.
CONTROLLED = "() => navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller.state === 'activated'"
NOTE = ".handbook-offline"
PRECACHED_URLS = """async () => {
  const names = (await caches.keys()).filter((name) => name.includes('precache'));
  const urls = [];
  for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  return {names, urls};
}"""
# Ask for the site's worker again, as a browser does on a later visit, and wait until the new one
# has activated: its precache is complete and the old build's entries are gone (Workbox deletes
# them while it activates). false if there is no new worker.
UPDATED = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const next = registration.installing || registration.waiting;
  if (!next) return false;
  await new Promise((done) => {
    const check = () => next.state === 'activated' && done();
    next.addEventListener('statechange', check);
    check();
  });
  return true;
}"""
REFUND = {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"}
DELISTING = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
             "active_listings": "3100", "listings_no_shipment_180d": "40"}


@pytest.fixture()
def own_site(site_url, built_site, tmp_path):
    """A copy of the built site (after site_url has built it), served until the test stops it."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    server = serve(copy)
    yield copy, server, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def sw_context(browser):
    """A context of its own, service workers allowed, on the tests' today."""
    own = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
    freeze_browser_today(own)
    yield own
    own.close()


def cut_the_line(context, server) -> None:
    server.shutdown()
    server.server_close()  # nothing listens: a request that reaches the network fails
    context.set_offline(True)


def failures(tab) -> list[str]:
    """What the tab asks for from now on that fails, or that is for another host. A request the tab
    itself abandoned (ERR_ABORTED: the page left while a script was still loading) is not a failure
    of the offline copy."""
    failed = []
    tab.on("requestfailed", lambda request: None if "ERR_ABORTED" in (request.failure or "")
           else failed.append(f"{request.url} ({request.failure})"))
    tab.on("request", lambda request: None if request.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
           else failed.append(request.url))
    return failed


def test_a_visited_calculator_reloads_and_another_opens_with_the_network_gone(sw_context, own_site):
    copy, server, url = own_site
    tab = sw_context.new_page()
    tab.goto(url + "calculators/refund/")
    expect(tab.locator(READY)).to_be_attached(timeout=PYTHON_START_LIMIT_MS)
    tab.wait_for_function(CONTROLLED, timeout=PYTHON_START_LIMIT_MS)
    expect(tab.locator(NOTE)).to_be_hidden()

    cut_the_line(sw_context, server)
    expect(tab.locator(NOTE)).to_be_visible()  # the page says so at once, without a reload
    failed = failures(tab)
    tab.reload()
    expect(tab.locator(NOTE)).to_contain_text("You are offline")
    fill_as_a_reader(tab, REFUND)
    wait_for_result_like(tab, cli("refund", REFUND))

    # Another calculator, never opened before, from the menu: a whole page, and Python started anew.
    tab.get_by_role("link", name="Delisting risk").first.click()
    expect(tab).to_have_url(url + "calculators/delisting/")
    fill_as_a_reader(tab, DELISTING)
    wait_for_result_like(tab, cli("delisting", DELISTING))
    expect(tab.locator(NOTE)).to_be_visible()
    assert failed == [], f"asked for with the network gone, and not in the offline copy: {failed}"


def test_the_chinese_pages_say_so_in_chinese(sw_context, own_site):
    copy, server, url = own_site
    tab = sw_context.new_page()
    tab.goto(url + "zh/fees/refund/")
    tab.wait_for_function(CONTROLLED, timeout=PYTHON_START_LIMIT_MS)
    cut_the_line(sw_context, server)
    tab.reload()
    # The catalogue's sentence, naming the day the pages were built, as Chinese writes a date.
    before, after = word("offline.note", "zh", day="\0").split("\0")
    expect(tab.locator(NOTE)).to_have_text(re.compile(f"^{re.escape(before)}\\d{{4}}年\\d{{1,2}}月\\d{{1,2}}日{re.escape(after)}$"))


def test_a_new_build_replaces_the_old_cache(sw_context, own_site):
    copy, server, url = own_site
    tab = sw_context.new_page()
    tab.goto(url + "fees/refund/")
    tab.wait_for_function(CONTROLLED, timeout=PYTHON_START_LIMIT_MS)
    before = tab.evaluate(PRECACHED_URLS)
    page_key = next(u for u in before["urls"] if u.startswith(url + "fees/refund/index.html"))

    # A second build changes one page: its worker names a new revision for it, and only for it.
    page = copy / "fees" / "refund" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p id='rebuilt'>Rebuilt.</p></article>", 1),
                    encoding="utf-8")
    service_worker.write_service_worker(copy)
    assert tab.evaluate(UPDATED), "the browser found no new service worker after the second build"
    after = tab.evaluate(PRECACHED_URLS)
    assert len(after["names"]) == 1, after["names"]  # one precache, the new build's
    assert page_key not in after["urls"]
    changed = set(before["urls"]) ^ set(after["urls"])
    assert {u.split("?")[0] for u in changed} == {url + "fees/refund/index.html"}, changed

    cut_the_line(sw_context, server)
    tab.reload()
    expect(tab.locator("#rebuilt")).to_have_text("Rebuilt.")  # the new build's page, from the new cache


def test_instant_navigation_keeps_working_under_the_service_worker(sw_context, site_url):
    """On the port the site was built for, links change pages without a reload (Material's instant
    navigation) while the worker answers them, the network gone as the browser is told."""
    tab = sw_context.new_page()
    tab.goto(site_url + "calculators/refund/")
    expect(tab.locator(READY)).to_be_attached(timeout=PYTHON_START_LIMIT_MS)
    tab.wait_for_function(CONTROLLED, timeout=PYTHON_START_LIMIT_MS)
    sw_context.set_offline(True)
    follow_link(tab, site_url + "staying/assessment/")  # fails if the link reloaded the page
    follow_link(tab, site_url + "calculators/delisting/")
    fill_as_a_reader(tab, DELISTING)
    wait_for_result_like(tab, cli("delisting", DELISTING))
