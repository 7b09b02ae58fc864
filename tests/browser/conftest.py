"""Browser fixtures: the real site, built once, served on 127.0.0.1, driven in Debian's Chromium.

Playwright for Python drives /usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, build_site, serve


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


class Recorder:
    """Every request a page makes, to check that none leaves 127.0.0.1."""

    def __init__(self):
        self.urls: list[str] = []

    def off_origin(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))]


@pytest.fixture(scope="module")
def context(browser):
    """One browser context per test module: Chromium then compiles Pyodide's wasm once per module,
    not once per test (bench/browser.py measures the cold start on its own)."""
    shared = browser.new_context(viewport={"width": 1280, "height": 900})
    yield shared
    shared.close()


@pytest.fixture()
def page(context):
    """A fresh page (a fresh worker, so Python starts again); asserts at the end that no request left 127.0.0.1."""
    new_page = context.new_page()
    requests = Recorder()
    new_page.on("request", lambda request: requests.urls.append(request.url))
    new_page.requests = requests
    yield new_page
    for other in context.pages:
        other.close()
    assert requests.off_origin() == [], f"requests to other hosts: {requests.off_origin()}"
