"""Browser fixtures: the real site, built once, served on 127.0.0.1, driven in Debian's Chromium.

Playwright for Python drives /usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.reader import PYTHON_START_LIMIT_MS, READY, Recorder
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, NO_SERVICE_WORKER, build_site, serve
from testsupport.today import freeze_browser_today

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="session")
def site_url(built_site):
    """The site, built for and served on a free port of 127.0.0.1."""
    server = serve(built_site, "application/wasm")
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_site(built_site, url)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def broken_wasm_site_url(built_site, site_url):
    """The same site, but .wasm served as text/plain: loadPyodide never finishes."""
    server = serve(built_site, "text/plain")
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()



@pytest.fixture(scope="module")
def context(browser):
    """One browser context per test module: Chromium then compiles Pyodide's wasm once per module,
    not once per test (bench/browser.py measures the cold start on its own). Its pages' today is
    testsupport.today.TODAY, the day the tests' CLI answers are computed for."""
    shared = browser.new_context(viewport=VIEWPORT, **NO_SERVICE_WORKER)
    freeze_browser_today(shared)
    yield shared
    shared.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "python_started: the test's `page` is its module's tab where Python has "
                                       "already started; it reaches its page by reader.follow_link")


@pytest.fixture()
def page(request, context, site_url):
    """A fresh page (a fresh worker, so Python starts again); asserts at the end that no request left 127.0.0.1.

    For a test marked `python_started` (one that is not about start-up), the module's tab where
    Python has already started instead: the test reaches its page by a link (reader.follow_link),
    as a reader moves between pages, so Python does not start again. Its screen size and media are
    reset afterwards.
    """
    started = request.node.get_closest_marker("python_started") is not None
    if started:
        tab = request.getfixturevalue("started_tab")
        if not tab.evaluate("window.__startedTab === true"):
            start_python(tab, site_url)  # an earlier test left the site or reloaded: start again
        # Each test is a seller of its own: the figures an earlier test entered do not fill its forms
        # (the calculators share them through the tab's store, docs/assets/calculators/store.mjs).
        # (Blurred first: leaving a field the last test typed in would keep its figure again.)
        tab.evaluate("document.activeElement?.blur(); sessionStorage.removeItem('calculators-store')")
    before = set(context.pages)  # the module's started tab, if any, stays open
    if not started:
        tab = context.new_page()
    requests = Recorder()

    def record(sent):
        requests.urls.append(sent.url)

    tab.on("request", record)
    tab.requests = requests
    yield tab
    tab.remove_listener("request", record)
    if started:
        tab.set_viewport_size(VIEWPORT)
        tab.emulate_media(media="null")
    for other in context.pages:
        if other not in before:
            other.close()
    assert requests.off_origin() == [], f"requests to other hosts: {requests.off_origin()}"


@pytest.fixture(scope="module")
def started_tab(context, site_url):
    """One tab per module whose calculators' worker has started Python (see `page`)."""
    tab = context.new_page()
    start_python(tab, site_url)
    yield tab
    tab.close()


def start_python(tab, site_url: str) -> None:
    """Load a calculator page and wait until Python is ready; mark the document, which instant
    navigation keeps (a full load would lose the mark, and the worker with it)."""
    tab.goto(site_url + "calculators/refund/")
    tab.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    tab.evaluate("window.__startedTab = true")
