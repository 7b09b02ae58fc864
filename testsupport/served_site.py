"""The built site, served on 127.0.0.1, and Debian's Chromium: for the browser tests and bench/browser.py.

The server can also serve WebAssembly with a wrong MIME type, which makes loadPyodide hang, to
test that the page turns that into a visible message with a Retry button; and hold files back
until a test lets them go, as a slow line would.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google's hosts, which this network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The site registers a service worker (offline after the first visit: hooks/service_worker.py). The
# tests and the bench block it, except tests/browser/test_offline.py: its precache would download
# Python's files a second time beside the counts the start-up tests make, and Playwright's routes
# do not see requests a service worker answers.
NO_SERVICE_WORKER = {"service_workers": "block"}
BARE_PYODIDE_PAGE = """<!doctype html><meta charset="utf-8"><title>Bare Pyodide</title>
<script type="module">
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/", location.href).href });
document.body.dataset.ready = py.runPython("1 + 1");
</script><body></body>"""
# The same, inside a module Web Worker as the calculators run: Chromium caches compiled wasm
# differently there, so this is the fair baseline for a warm visit.
BARE_WORKER_PAGE = """<!doctype html><meta charset="utf-8"><title>Bare Pyodide in a worker</title>
<script type="module">
const worker = new Worker(new URL("worker.mjs", location.href), { type: "module" });
worker.onmessage = ({ data }) => { document.body.dataset.ready = data; };
</script><body></body>"""
BARE_WORKER = """import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/", location.href).href });
postMessage(py.runPython("1 + 1"));
"""


def build_site(site: Path, site_url: str) -> None:
    """`mkdocs build --strict` into `site`, for serving at `site_url`, plus the bare-Pyodide baseline pages."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SITE_URL": site_url}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (site / "bare").mkdir()
    (site / "bare" / "index.html").write_text(BARE_PYODIDE_PAGE, encoding="utf-8")
    (site / "bare-worker").mkdir()
    (site / "bare-worker" / "index.html").write_text(BARE_WORKER_PAGE, encoding="utf-8")
    (site / "bare-worker" / "worker.mjs").write_text(BARE_WORKER, encoding="utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    wasm_type = "application/wasm"
    overrides: dict = {}  # URL path -> bytes to serve instead, or None for a 404
    held: dict = {}  # file name ending -> threading.Event: such a file is sent only once the event is set
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json"}

    def guess_type(self, path):
        return self.wasm_type if str(path).endswith(".wasm") else super().guess_type(path)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in self.overrides:
            body = self.overrides[path]
            if body is None:
                return self.send_error(404)
            self.send_response(200)
            # A page's URL ends in "/": it is the folder's index.html.
            self.send_header("Content-Type", "text/html" if path.endswith("/") else self.guess_type(path))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        for ending, event in self.held.items():
            if path.endswith(ending):
                # A slow line: the file arrives whole, when the test lets it.
                event.wait()
        return super().do_GET()

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the page gave up on a held file: as a host shrugs
            pass

    def log_message(self, *args):  # keep test output quiet
        pass


def serve(site: Path, wasm_type: str = "application/wasm", overrides: dict | None = None,
          held: dict[str, threading.Event] | None = None):
    """Serve `site` on a free port of 127.0.0.1; `overrides` replace (bytes) or remove (None) files by URL path;
    `held` maps a file name ending (".wasm") to an event: each such file is sent only once it is set."""
    handler = type("Handler", (_Handler,), {"wasm_type": wasm_type, "overrides": overrides or {},
                                            "held": held or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
