"""The calculator page in headless Chromium: time to first result (cold and warm visits, on
localhost and on a throttled line), recalculation, and bytes (raw and gzip).

Honest measuring, so every figure is a ratio against baselines taken in the same run:
- "bare worker": a page whose module worker only calls loadPyodide (the unmodified npm files, the
  default stdlib) and answers 1 + 1: what Pyodide itself costs;
- "js worker": a page whose module worker fetches policies.json and answers in plain JavaScript:
  the floor, what any worker answer costs. For recalculation it has the same input and result
  slot as the calculator page: a change is posted to the worker, which answers in JavaScript, and
  the page draws the answer, so the floor holds the message round trip and the frame.

Recalculation is timed from the input event (the value set and `input` dispatched, as typing
does) to the result in the DOM ("answer in DOM": the work, whatever the display's frame), and to
the next animation frame after it ("answer, next frame": when that frame starts to paint, so the
waiting for the display's refresh is counted; the frame's own style and paint of the ~1 kB answer
are not). Each change is sent from the bench as the frame showing the previous change (its
chart, on the calculator page) begins, so it has nearly a whole frame to make the next one: "next
frame" at or under one frame means the answer was ready for the first frame after the input.
Typing at random moments within a frame would add up to one frame more to "next frame". The
calculator is timed twice, from a cold first answer: its changes begun at once (the worst case),
and after a 2 s pause (a seller reading the first answer). The chart's series follows the answer a
moment later (its own request): "chart, next frame" times the input to the first frame that begins
after the chart's figure holds the new series (ECharts redraws at that frame's start, chart.mjs).

Each (page, line, run) gets a persistent Chromium profile in a fresh directory: visit 1 is cold
(empty HTTP cache, Cache Storage and V8 code cache), visit 2, in the same profile, is warm. Between
the two the page is left until the network is idle and the calculator's worker has kept the Python
snapshot for later visits. How the calculator's worker started Python on each visit ("snapshot" or
"normal": a cold visit uses the shipped snapshot only if the line brings it in time) is counted too.
The "slow line" is a seller on an ordinary connection, throttled through the DevTools protocol
(Network.emulateNetworkConditions: 10 Mbit/s down, 40 ms latency). The site is served the way a
static host serves it: gzip for text and wasm, `Cache-Control: max-age=600` (as GitHub Pages
does), `immutable` for the snapshot, whose name is versioned (the build ships it gzipped, as
`.snapshot.gz`: the host sends those bytes as they are). Times are read inside the page with
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
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, NO_SERVICE_WORKER, build_site

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
const slot = document.querySelector(".calc-result");
worker.onmessage = ({ data }) => {
  if (typeof data === "string") return void (document.body.dataset.ready = data);
  const box = document.createElement("div");
  box.dataset.verdict = data.verdict;
  box.textContent = `${data.verdict}: USD ${data.sales}`;
  slot.replaceChildren(box);
};
document.querySelector("form").addEventListener("input", (e) => worker.postMessage({ sales: e.target.value }));
</script><body><form class="calc"><input name="sales_365d_usd"></form><div class="calc-result"></div></body>"""
JS_WORKER = """const bundle = fetch(new URL("../assets/policies.json", location.href)).then((r) => r.json());
self.onmessage = async ({ data }) => {
  const rules = await bundle;
  postMessage({ sales: data.sales, verdict: Number(data.sales) >= 10000 && rules ? "safe" : "at_risk" });
};
postMessage(String(Object.keys(await bundle).length));
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
# One change: {answer_dom, answer_frame, chart_frame} in ms from the input event (chart: null on a
# page without one). See the module docstring for what each end point means.
RECALCULATE = """async (value) => {
  const input = document.querySelector("form.calc [name='sales_365d_usd']");
  const slot = document.querySelector('.calc-result');
  const when = (ready, subtree) => new Promise((resolve) => {
    const observer = new MutationObserver(() => ready() && (observer.disconnect(), resolve(performance.now())));
    observer.observe(slot, {childList: true, subtree});
  });
  const answered = when(() => true, false);  // the answer (or a message) replaces the slot's content
  const charted = slot.querySelector('.calc-chart') && when(() => {
    const figure = slot.querySelector('.calc-chart[data-series]');
    return !!figure && JSON.parse(figure.dataset.series).bar?.sales_usd === value;
  }, true);
  const frame = () => new Promise(requestAnimationFrame).then(() => performance.now());
  const start = performance.now();
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  // Each end point's frame is asked for as soon as it is in the DOM: a chart drawn with the answer
  // shares the answer's frame (asking after the answer's frame had begun would count one more).
  const chartFrameAt = charted ? charted.then(frame) : null;
  const answerDom = await answered;
  const answerFrame = await frame();  // the frame that paints the answer begins
  const chartFrame = chartFrameAt ? await chartFrameAt : null;
  return {answer_dom: answerDom - start, answer_frame: answerFrame - start,
          chart_frame: chartFrame === null ? null : chartFrame - start};
}"""
FRAME = "() => new Promise(r => requestAnimationFrame(t0 => requestAnimationFrame(t1 => r(t1 - t0))))"
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
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.name.endswith(COMPRESSED):
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

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # a first visit abandoned the snapshot (a slow line)
            pass

    def log_message(self, *args):
        pass


def measure(runs: int = 3, lines: tuple[str, ...] = tuple(LINES), changes: int = 60, pause_ms: int | None = None) -> dict:
    """Every figure, from `runs` visits per page on each of `lines`, and `changes` recalculations
    begun at once and after `pause_ms` (PAUSE_MS unless given; the smoke test makes all of these small)."""
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
                figures = {**_first_result(playwright, root, Path(tmp), runs, lines),
                           **_recalculation(playwright, root, Path(tmp), changes, PAUSE_MS if pause_ms is None else pause_ms)}
                plain = _plain_page_requests(playwright, root, Path(tmp))
            figures["bytes"] = _bytes(figures.pop("requested"), plain, root, site)
        finally:
            server.shutdown()
    return figures


def _profile(playwright, tmp: Path):
    """A persistent Chromium profile in a fresh directory: an empty HTTP cache and code cache."""
    return playwright.chromium.launch_persistent_context(
        tempfile.mkdtemp(dir=tmp), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        **NO_SERVICE_WORKER)


def _first_result(playwright, root: str, tmp: Path, runs: int, lines: tuple[str, ...]) -> dict:
    samples = {f"{page} {line} {visit}": [] for page, _ in PAGES for line in lines for visit in ("cold", "warm")}
    boots = {f"{line} {visit}": [] for line in lines for visit in ("cold", "warm")}  # the calculator's start-ups
    requested: dict[str, set[str]] = {}
    for _ in range(runs):
        for line in lines:
            conditions = LINES[line]
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
                    if page == "calculator":
                        tab.evaluate(f"async () => {{ window.__client = await import('{root}assets/calculators/client.mjs'); }}")
                        boots[f"{line} {visit}"].append(tab.evaluate("window.__client.current().boot"))
                    if visit == "cold" and page == "calculator":  # and the snapshot is kept for visit 2
                        tab.wait_for_function("() => window.__client.snapshotKept() !== null", timeout=180_000)
                    if visit == "cold":
                        urls = requested.setdefault(f"{page} {line} cold-only", set(urls))
                context.close()
    medians = {key: statistics.median(values) for key, values in samples.items()}
    ratios = {}
    for line in lines:
        for visit in ("cold", "warm"):
            for base in ("bare worker", "js worker"):
                ratios[f"{line} {visit} vs {base}"] = medians[f"calculator {line} {visit}"] / medians[f"{base} {line} {visit}"]
    return {"first_result_ms": medians, "first_result_ratio": ratios, "runs": runs, "lines": list(lines),
            "boots": {key: {kind: kinds.count(kind) for kind in sorted(set(kinds))} for key, kinds in boots.items()},
            "requested": {k: sorted(v) for k, v in requested.items()}}


# The calculator again, its changes begun after a pause of this long (a seller reading the first
# answer): on a first visit started from the shipped snapshot the worker warms up meanwhile.
PAUSE_MS = 2000


def _recalculation(playwright, root: str, tmp: Path, changes: int, pause_ms: int) -> dict:
    """Recalculation on the calculator page and on the js-worker floor, in one profile each."""
    out = {}
    delisting = (f"calculators/delisting/?{CASE}", ".calc-result .calc-chart svg")
    for page, (path, ready), pause in (("calculator", delisting, 0), ("js worker", ("js-worker/", "body[data-ready]"), 0),
                                       ("calculator, after a pause", delisting, pause_ms)):
        context = _profile(playwright, tmp)
        tab = context.pages[0] if context.pages else context.new_page()
        tab.goto(root + path)
        tab.wait_for_selector(ready, timeout=180_000)  # the calculator: answer and chart drawn once
        tab.wait_for_timeout(pause)  # not a wait for something: the pause is what is measured
        samples = [tab.evaluate(RECALCULATE, 9000 + index) for index in range(changes)]
        frame = tab.evaluate(FRAME)
        tab.goto(root + "staying/assessment/")
        tab.wait_for_load_state("networkidle")
        context.close()
        row = {"changes": changes, "frame_ms": frame}
        for key in ("answer_dom", "answer_frame", "chart_frame"):
            values = [sample[key] for sample in samples if sample[key] is not None]
            if values:
                row[key] = {"median": statistics.median(values), "p95": percentile(values, 0.95)}
        out[page] = row
    calculator, floor = out["calculator"], out["js worker"]
    ratios = {f"{key} {stat} vs js worker": calculator[key][stat] / floor[key][stat]
              for key in ("answer_dom", "answer_frame") for stat in ("median", "p95")}
    ratios.update({f"{key} p95 vs frame": calculator[key]["p95"] / calculator["frame_ms"]
                   for key in ("answer_frame", "chart_frame")})
    paused = out["calculator, after a pause"]
    ratios.update({f"{key} p95 vs frame, after a pause": paused[key]["p95"] / paused["frame_ms"]
                   for key in ("answer_frame", "chart_frame")})
    return {"recalculation_ms": out, "recalculation_ratio": ratios, "pause_ms": pause_ms}


def _bytes(requested: dict, plain: list[str], root: str, site: Path) -> dict:
    """What a cold visit fetches, counted from the site's files: raw, and gzip as a host serves it."""
    out = {}
    # A cold visit on localhost starts from the shipped snapshot, so it is in the first row; on the
    # slow line it is abandoned, and fetched again after the answer (once the reader pauses).
    cold = requested["calculator localhost cold-only"]
    for label, urls in (("calculator page, cold, localhost (shipped snapshot), to the first result", cold),
                        ("calculator page, cold, without the snapshot (slow line), to the first result",
                         [u for u in cold if ".snapshot" not in u]),
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
                zipped = len(gzip.compress(body, 6)) if local.name.endswith(COMPRESSED) else len(body)
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
    for line in figures["lines"]:
        for visit in ("cold", "warm"):
            print(f"  {line:<10} {visit:<5} {first[f'calculator {line} {visit}']:>10,.0f} "
                  f"{first[f'bare worker {line} {visit}']:>11,.0f} {first[f'js worker {line} {visit}']:>9,.0f} "
                  f"{ratio[f'{line} {visit} vs bare worker']:>8.2f} {ratio[f'{line} {visit} vs js worker']:>6.2f}")
    recalc, ratio = figures["recalculation_ms"], figures["recalculation_ratio"]
    pause_label = f"after {figures['pause_ms'] / 1000:g} s pause"
    print(f"\nRecalculation ({recalc['calculator']['changes']} changes; ms from the input event, median / p95;"
          f" one frame here: {recalc['calculator']['frame_ms']:.1f} ms)")
    print(f"  {'end point':<20} {'calculator':>15} {'js worker':>15} {'vs js (p95)':>12} {'p95 vs frame':>13}"
          f" {pause_label:>17} {'p95 vs frame':>13}")
    for key, label in (("answer_dom", "answer in DOM"), ("answer_frame", "answer, next frame"),
                       ("chart_frame", "chart, next frame")):
        mine, floor = recalc["calculator"][key], recalc["js worker"].get(key)
        paused = recalc["calculator, after a pause"][key]
        floor_text = f"{floor['median']:.1f} / {floor['p95']:.1f}" if floor else "-"
        vs_js = ratio.get(f"{key} p95 vs js worker")
        vs_frame = ratio.get(f"{key} p95 vs frame")
        paused_vs_frame = ratio.get(f"{key} p95 vs frame, after a pause")
        print(f"  {label:<20} {mine['median']:>6.1f} / {mine['p95']:>6.1f} {floor_text:>15} "
              f"{'' if vs_js is None else f'{vs_js:.2f}':>12} {'' if vs_frame is None else f'{vs_frame:.2f}':>13}"
              f" {paused['median']:>8.1f} / {paused['p95']:>6.1f}"
              f" {'' if paused_vs_frame is None else f'{paused_vs_frame:.2f}':>13}")
    print("\nHow the calculator started Python: "
          + "; ".join(f"{key}: " + ", ".join(f"{kind} {count}" for kind, count in kinds.items())
                      for key, kinds in figures["boots"].items()))
    print("\nBytes fetched (site files; gzip as a static host serves them)")
    for label, row in figures["bytes"].items():
        print(f"  {label}: {row['raw'] / 1e6:.2f} MB raw, {row['gzip'] / 1e6:.2f} MB gzip in {row['requests']} "
              f"requests, {row['pyodide_requests']} from Pyodide; largest: "
              + ", ".join(f"{name} {raw / 1e6:.2f}/{zipped / 1e6:.2f} MB" for name, raw, zipped in row["largest"]))
