"""Browser fixtures: the real site, built once, served on 127.0.0.1, driven in Debian's Chromium.

Playwright for Python drives /usr/bin/chromium (never a downloaded browser). The server can
also serve WebAssembly with a wrong MIME type, which makes loadPyodide hang, to test that the
page turns that into a visible message with a Retry button.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google's hosts, which this network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARE_PYODIDE_PAGE = """<!doctype html><meta charset="utf-8"><title>Bare Pyodide</title>
<script type="module">
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/", location.href).href });
document.body.dataset.ready = py.runPython("1 + 1");
</script><body></body>"""


def build_site(site: Path, site_url: str) -> None:
    """`mkdocs build --strict` into `site`, for serving at `site_url`, plus the bare-Pyodide page."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SITE_URL": site_url}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (site / "bare").mkdir()
    (site / "bare" / "index.html").write_text(BARE_PYODIDE_PAGE, encoding="utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    wasm_type = "application/wasm"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json"}

    def guess_type(self, path):
        return self.wasm_type if str(path).endswith(".wasm") else super().guess_type(path)

    def log_message(self, *args):  # keep test output quiet
        pass


def _serve(site: Path, wasm_type: str):
    handler = type("Handler", (_Handler,), {"wasm_type": wasm_type})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="session")
def site_url(built_site):
    """The site, built for and served on a free port of 127.0.0.1."""
    server = _serve(built_site, "application/wasm")
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_site(built_site, url)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def broken_wasm_site_url(built_site, site_url):
    """The same site, but .wasm served as text/plain: loadPyodide never finishes."""
    server = _serve(built_site, "text/plain")
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


@pytest.fixture()
def page(browser):
    """A fresh browser context (cold cache) and page; asserts at the end that no request left 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    requests = Recorder()
    new_page.on("request", lambda request: requests.urls.append(request.url))
    new_page.requests = requests
    yield new_page
    context.close()
    assert requests.off_origin() == [], f"requests to other hosts: {requests.off_origin()}"
