"""The calculator page in headless Chromium on 127.0.0.1: time to first result, recalculation, bytes.

Baselines are measured in the same run: a bare page that only calls loadPyodide from the same
self-hosted files (for time to first result), and a plain handbook page (for bytes). Times are
read inside the page with performance.now(), which counts from navigation start.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.timing import percentile
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, build_site, serve

CASE = "category=womens-clothing&store_opened_on=2023-06-01&sales_365d_usd=9999&medal=none&active_listings=120" \
       "&listings_no_shipment_180d=0&as_of=2026-11-22"
RESULT = ".calc-result [data-verdict]"
# Installed before any page script runs: records when the first result (or the bare page's
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


def measure(runs: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = serve(site)
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        build_site(site, root)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                figures = {**_first_result(browser, root, runs), **_recalculation(browser, root),
                           **_bytes(browser, root)}
                browser.close()
        finally:
            server.shutdown()
    return figures


def _first_result(browser, root: str, runs: int) -> dict:
    pages = (("calculator", f"calculators/delisting/?{CASE}"), ("bare", "bare/"), ("bare worker", "bare-worker/"))
    samples: dict[str, list[float]] = {f"{page} {cache}": [] for page, _ in pages for cache in ("cold", "warm")}
    for _ in range(runs):
        for page, path in pages:
            context = browser.new_context()  # an empty cache: the first visit is cold, the second warm
            context.add_init_script(FIRST_PAINT_PROBE)
            tab = context.new_page()
            for cache in ("cold", "warm"):
                tab.goto(root + path)
                tab.wait_for_function("() => window.__firstResult", timeout=120_000)
                samples[f"{page} {cache}"].append(tab.evaluate("window.__firstResult"))
            context.close()
    medians = {key: statistics.median(values) for key, values in samples.items()}
    return {"first_result_ms": medians,
            "first_result_ratio": {f"{cache} vs {base}": medians[f"calculator {cache}"] / medians[f"{base} {cache}"]
                                   for cache in ("cold", "warm") for base in ("bare", "bare worker")}}


def _recalculation(browser, root: str, changes: int = 60) -> dict:
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(root + f"calculators/delisting/?{CASE}")
    tab.wait_for_selector(RESULT, timeout=120_000)
    samples = [tab.evaluate(RECALCULATE, 9000 + index) for index in range(changes)]
    frame = tab.evaluate("() => new Promise(r => requestAnimationFrame(t0 => requestAnimationFrame(t1 => r(t1 - t0))))")
    context.close()
    return {"recalculation_ms": {"median": statistics.median(samples), "p95": percentile(samples, 0.95),
                                 "changes": changes, "frame_ms": frame}}


def _bytes(browser, root: str) -> dict:
    out = {}
    for label, path in (("calculator page", f"calculators/delisting/?{CASE}"), ("plain page", "staying/assessment/")):
        context = browser.new_context()
        tab = context.new_page()
        responses = []
        tab.on("requestfinished", lambda request: responses.append(request))
        tab.goto(root + path)
        if label == "calculator page":
            tab.wait_for_selector(RESULT, timeout=120_000)
        tab.wait_for_load_state("networkidle")
        sizes = [(r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]) for r in responses]
        out[label] = {"requests": len(sizes), "bytes": sum(size for _, size in sizes),
                      "pyodide_requests": sum(1 for url, _ in sizes if "/pyodide/" in url),
                      "largest": sorted(((size, url.replace(root, "")) for url, size in sizes), reverse=True)[:3]}
        context.close()
    return {"bytes": out}


def print_table(figures: dict) -> None:
    first, ratio = figures["first_result_ms"], figures["first_result_ratio"]
    print("\nTime to first result, delisting page vs bare loadPyodide pages (ms from navigation start, median)")
    for cache in ("cold", "warm"):
        print(f"  {cache}: calculator {first[f'calculator {cache}']:.0f}, bare Pyodide {first[f'bare {cache}']:.0f} "
              f"(ratio {ratio[f'{cache} vs bare']:.2f}), bare Pyodide in a worker {first[f'bare worker {cache}']:.0f} "
              f"(ratio {ratio[f'{cache} vs bare worker']:.2f})")
    recalc = figures["recalculation_ms"]
    print(f"\nRecalculation, input change to painted result ({recalc['changes']} changes): median "
          f"{recalc['median']:.1f} ms, p95 {recalc['p95']:.1f} ms (one frame here: {recalc['frame_ms']:.1f} ms)")
    print("\nBytes transferred")
    for label, row in figures["bytes"].items():
        print(f"  {label}: {row['bytes'] / 1024:,.0f} KiB in {row['requests']} requests, "
              f"{row['pyodide_requests']} from Pyodide; largest: "
              + ", ".join(f"{name} {size / 1024:,.0f} KiB" for size, name in row["largest"]))
