"""The calculator page in headless Chromium: time to first result (cold and warm visits, on
localhost and on a throttled line), recalculation, and bytes (raw and gzip).

Honest measuring, so every figure is a ratio against baselines taken in the same run:
- "bare worker": a page whose module worker only calls loadPyodide (the unmodified npm files, the
  default stdlib) and answers 1 + 1: what Pyodide itself costs;
- "js worker": a page whose module worker fetches policies.json and answers in plain JavaScript:
  the floor, what any worker answer costs.

Each (page, line, run) gets a persistent Chromium profile in a fresh directory: visit 1 is cold
(empty HTTP cache and V8 code cache), visit 2, in the same profile, is warm. Between the two the
page is left until the network is idle, so whatever it fetches for later visits has arrived.
The "slow line" is a seller on an ordinary connection, throttled through the DevTools protocol
(Network.emulateNetworkConditions: 10 Mbit/s down, 40 ms latency). The site is served the way a
static host serves it: gzip for text and wasm, `Cache-Control: max-age=600` (as GitHub Pages
does), `immutable` for the snapshot, whose name is versioned. Times are read inside the page with
performance.now(), which counts from navigation start.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import statistics
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.timing import percentile
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, build_site

CASE = "category=womens-clothing&store_opened_on=2023-06-01&sales_365d_usd=9999&medal=none&active_listings=120" \
       "&listings_no_shipment_180d=0&as_of=2026-11-22"
RESULT = ".calc-result [data-verdict]"
PAGES = (("calculator", f"calculators/delisting/?{CASE}"), ("bare worker", "bare-worker/"), ("js worker", "js-worker/"))
LINES = {
    "localhost": None,
    # 10 Mbit/s down, 5 Mbit/s up, 40 ms latency: an ordinary home line.
    "slow line": {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8},
}
# The floor: a module worker that fetches the policy bundle and answers in plain JavaScript.
JS_WORKER_PAGE = """<!doctype html><meta charset="utf-8"><title>Plain-JS worker</title>
<script type="module">
const worker = new Worker(new URL("worker.mjs", location.href), { type: "module" });
worker.onmessage = ({ data }) => { document.body.dataset.ready = data; };
</script><body></body>"""
JS_WORKER = """const bundle = await (await fetch(new URL("../assets/policies.json", location.href))).json();
postMessage(String(Object.keys(bundle).length));
"""
# Installed before any page script runs: records when the first result (or a baseline page's
# answer) appears, by watching the DOM.
FIRST_PAINT_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.calc-result [data-verdict], body[data-ready]')) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
RECALCULATE = """async (value) => {
  const input = document.querySelector("form.calc [name='sales_365d_usd']");
  const slot = document.querySelector('.calc-result');
  const changed = new Promise((resolve) => new MutationObserver((_, o) => { o.disconnect(); resolve(); })
    .observe(slot, {subtree: true, childList: true}));
  const start = performance.now();
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await changed;
  await new Promise(requestAnimationFrame);  // until the updated result is painted
  return performance.now() - start;
}"""
COMPRESSED = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".xml", ".map")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: gzip when asked, max-age=600, immutable for the snapshot."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                      ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm"}
    gzipped: dict = {}
    lock = threading.Lock()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return self.send_error(404)
        body = path.read_bytes()
        encoding = None
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.name.endswith(COMPRESSED + (".snapshot",)):
            with self.lock:
                if path not in self.gzipped:
                    self.gzipped[path] = gzip.compress(body, 6)
            body, encoding = self.gzipped[path], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        immutable = ".snapshot" in path.name or "/wheels/" in str(path)
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


def measure(runs: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        build_site(site, root)
        (site / "js-worker").mkdir()
        (site / "js-worker" / "index.html").write_text(JS_WORKER_PAGE, encoding="utf-8")
        (site / "js-worker" / "worker.mjs").write_text(JS_WORKER, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                figures = {**_first_result(playwright, root, Path(tmp), runs), **_recalculation(playwright, root, Path(tmp))}
                plain = _plain_page_requests(playwright, root, Path(tmp))
            figures["bytes"] = _bytes(figures.pop("requested"), plain, root, site)
        finally:
            server.shutdown()
    return figures


def _profile(playwright, tmp: Path):
    """A persistent Chromium profile in a fresh directory: an empty HTTP cache and code cache."""
    return playwright.chromium.launch_persistent_context(
        tempfile.mkdtemp(dir=tmp), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _first_result(playwright, root: str, tmp: Path, runs: int) -> dict:
    samples = {f"{page} {line} {visit}": [] for page, _ in PAGES for line in LINES for visit in ("cold", "warm")}
    requested: dict[str, set[str]] = {}
    for _ in range(runs):
        for line, conditions in LINES.items():
            for page, path in PAGES:
                context = _profile(playwright, tmp)
                context.add_init_script(FIRST_PAINT_PROBE)
                tab = context.pages[0] if context.pages else context.new_page()
                if conditions:
                    cdp = context.new_cdp_session(tab)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", conditions)
                urls = requested.setdefault(f"{page} {line}", set())
                tab.on("request", lambda request, urls=urls: urls.add(request.url))
                for visit in ("cold", "warm"):
                    tab.goto(root + path)
                    tab.wait_for_function("() => window.__firstResult", timeout=180_000)
                    samples[f"{page} {line} {visit}"].append(tab.evaluate("window.__firstResult"))
                    tab.wait_for_load_state("networkidle", timeout=180_000)  # idle-time fetches finish
                    if visit == "cold":
                        urls = requested.setdefault(f"{page} {line} cold-only", set(urls))
                context.close()
    medians = {key: statistics.median(values) for key, values in samples.items()}
    ratios = {}
    for line in LINES:
        for visit in ("cold", "warm"):
            for base in ("bare worker", "js worker"):
                ratios[f"{line} {visit} vs {base}"] = medians[f"calculator {line} {visit}"] / medians[f"{base} {line} {visit}"]
    return {"first_result_ms": medians, "first_result_ratio": ratios, "runs": runs,
            "requested": {k: sorted(v) for k, v in requested.items()}}


def _recalculation(playwright, root: str, tmp: Path, changes: int = 60) -> dict:
    context = _profile(playwright, tmp)
    tab = context.pages[0] if context.pages else context.new_page()
    tab.goto(root + f"calculators/delisting/?{CASE}")
    tab.wait_for_selector(RESULT, timeout=180_000)
    samples = [tab.evaluate(RECALCULATE, 9000 + index) for index in range(changes)]
    frame = tab.evaluate("() => new Promise(r => requestAnimationFrame(t0 => requestAnimationFrame(t1 => r(t1 - t0))))")
    tab.goto(root + "staying/assessment/")
    tab.wait_for_load_state("networkidle")
    context.close()
    return {"recalculation_ms": {"median": statistics.median(samples), "p95": percentile(samples, 0.95),
                                 "changes": changes, "frame_ms": frame}}


def _bytes(requested: dict, plain: list[str], root: str, site: Path) -> dict:
    """What a cold visit fetches, counted from the site's files: raw, and gzip as a host serves it."""
    out = {}
    cold = requested["calculator localhost cold-only"]
    for label, urls in (("calculator page, cold, to the first result", [u for u in cold if not u.endswith(".snapshot")]),
                        ("calculator page, cold, after the answer (for later visits)",
                         [u for u in cold if u.endswith(".snapshot")]),
                        ("bare worker, cold", requested["bare worker localhost cold-only"]),
                        ("plain page", plain)):
        rows = []
        for url in urls:
            if not url.startswith(root):
                continue
            local = site / unquote(urlsplit(url).path[len(urlsplit(root).path):])
            if local.is_dir():
                local = local / "index.html"
            if local.is_file():
                body = local.read_bytes()
                zipped = len(gzip.compress(body, 6)) if local.name.endswith(COMPRESSED + (".snapshot",)) else len(body)
                rows.append((local.relative_to(site).as_posix(), len(body), zipped))
        out[label] = {"requests": len(rows), "raw": sum(r[1] for r in rows), "gzip": sum(r[2] for r in rows),
                      "pyodide_requests": sum(1 for r in rows if r[0].startswith("assets/pyodide/")),
                      "largest": sorted(rows, key=lambda r: -r[1])[:4]}
    return out


def _plain_page_requests(playwright, root: str, tmp: Path) -> list[str]:
    context = _profile(playwright, tmp)
    tab = context.pages[0] if context.pages else context.new_page()
    urls = []
    tab.on("request", lambda request: urls.append(request.url))
    tab.goto(root + "staying/assessment/")
    tab.wait_for_load_state("networkidle")
    context.close()
    return urls


def print_table(figures: dict) -> None:
    first, ratio = figures["first_result_ms"], figures["first_result_ratio"]
    print(f"\nTime to first result (ms from navigation start, median of {figures['runs']}; persistent profile,"
          " visit 1 cold, visit 2 warm)")
    print(f"  {'line':<10} {'visit':<5} {'calculator':>10} {'bare worker':>11} {'js worker':>9} "
          f"{'vs bare':>8} {'vs js':>6}")
    for line in LINES:
        for visit in ("cold", "warm"):
            print(f"  {line:<10} {visit:<5} {first[f'calculator {line} {visit}']:>10,.0f} "
                  f"{first[f'bare worker {line} {visit}']:>11,.0f} {first[f'js worker {line} {visit}']:>9,.0f} "
                  f"{ratio[f'{line} {visit} vs bare worker']:>8.2f} {ratio[f'{line} {visit} vs js worker']:>6.2f}")
    recalc = figures["recalculation_ms"]
    print(f"\nRecalculation, input change to painted result ({recalc['changes']} changes): median "
          f"{recalc['median']:.1f} ms, p95 {recalc['p95']:.1f} ms (one frame here: {recalc['frame_ms']:.1f} ms)")
    print("\nBytes fetched (site files; gzip as a static host serves them)")
    for label, row in figures["bytes"].items():
        print(f"  {label}: {row['raw'] / 1e6:.2f} MB raw, {row['gzip'] / 1e6:.2f} MB gzip in {row['requests']} "
              f"requests, {row['pyodide_requests']} from Pyodide; largest: "
              + ", ".join(f"{name} {raw / 1e6:.2f}/{zipped / 1e6:.2f} MB" for name, raw, zipped in row["largest"]))
