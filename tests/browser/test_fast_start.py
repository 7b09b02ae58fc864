"""The worker's two ways to start Python, each ending in an answer.

- A first visit on a fast line restores Python from the shipped snapshot, and keeps it,
  decompressed, in Cache Storage for later visits (from the bytes in hand: one download);
- on a slow line (the snapshot does not arrive within the wait) it gives up on the snapshot, boots
  normally (precompiled stdlib), and fetches and keeps the snapshot once the seller pauses;
- a later visit restores Python from the kept snapshot;
- a damaged snapshot (bytes changed in transit or in the cache), one from another Pyodide build,
  or one whose gzip stream is broken (the build ships it gzipped and the worker decompresses it)
  is refused (not used, not kept, or dropped when restoring the kept copy fails), and the page
  boots normally and still answers.

How long a first visit waits for the shipped snapshot depends on the line, and a busy test
machine is a slow one; so the tests that need one way or the other say how long to wait
(`?snapshot_wait=`, 0 for never), or hold the snapshot back at the server.

Each test uses a persistent Chromium profile in a fresh directory: a kept snapshot lives in the
profile's Cache Storage between visits, as for a seller coming back.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import threading

import pytest

from tests.browser.reader import fill_as_a_reader, wait_for_answer
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, NO_SERVICE_WORKER, serve
from testsupport.today import freeze_browser_today

CASE = {"category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": "9999",
        "active_listings": "120", "listings_no_shipment_180d": "0"}
# The start-up state the page's worker client holds: {phase: "ready", boot: "snapshot"|"normal"}.
CLIENT = "(await import(new URL('/assets/calculators/client.mjs', location.href)))"
CLIENT_STATE = f"async () => {CLIENT}.current()"
# Whether the worker kept the snapshot for the next visit: null until it has tried, then true/false.
SNAPSHOT_KEPT = f"async () => {CLIENT}.snapshotKept()"


@pytest.fixture()
def profile(browser, tmp_path):
    """A persistent profile (its own disk cache) in a fresh directory."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        **NO_SERVICE_WORKER)
    freeze_browser_today(context)
    yield context
    context.close()


def boot_info(built_site) -> dict:
    return json.loads((built_site / "assets/calculators/wheel.json").read_text(encoding="utf-8"))


def snapshot_path(built_site) -> str:
    """The snapshot's URL path on the server, e.g. /assets/pyodide/calculators-….snapshot.gz."""
    return "/assets/pyodide/" + boot_info(built_site)["snapshot"]["url"].rsplit("/", 1)[1]


# Long enough for the shipped snapshot to arrive on a busy machine: the first visit uses it.
FAST_LINE = 10_000


def visit(profile, root: str, keeping: bool = False, wait: int | None = None) -> dict:
    """One visit to the delisting page: fill it as a reader, check the CLI's answer; the start-up state.

    With `keeping`, the tab stays open until the worker has tried to keep the snapshot, which it
    does once it has answered (closing the tab would abort that), and the state says whether it
    was kept (`kept`). `wait`: how long a first visit waits for the shipped snapshot (ms; 0: never).
    """
    tab = profile.new_page()
    tab.goto(root + "calculators/delisting/" + ("" if wait is None else f"?snapshot_wait={wait}"))
    fill_as_a_reader(tab, CASE)
    wait_for_answer(tab, "below_threshold")
    state = tab.evaluate(CLIENT_STATE)
    if keeping:
        tab.evaluate(f"async () => {{ window.__client = {CLIENT}; }}")  # a waiting check must be synchronous
        tab.wait_for_function("() => window.__client.snapshotKept() !== null", timeout=120_000)
        state["kept"] = tab.evaluate(SNAPSHOT_KEPT)
    tab.close()
    return state


def wheel_json(built_site, shipped: bytes) -> bytes:
    """wheel.json naming `shipped` as the snapshot: its sha256 matches, whatever the bytes hold."""
    info = boot_info(built_site)
    info["snapshot"]["integrity"] = "sha256-" + base64.b64encode(hashlib.sha256(shipped).digest()).decode()
    return json.dumps(info).encode()


def first_visit(profile, root: str, wait: int | None = None) -> dict:
    """A first visit, which also tries to keep the snapshot once it has its answer."""
    return visit(profile, root, keeping=True, wait=wait)


def requests_for(profile, part: str = ".snapshot") -> list:
    """The requests for URLs holding `part` that the profile's pages make from now on, and their
    failures: [url, None] when asked for, [url, failure] when one failed."""
    asked = []
    profile.on("request", lambda request: part in request.url and asked.append([request.url, None]))
    profile.on("requestfailed", lambda request: part in request.url and asked.append([request.url, request.failure]))
    return asked


def test_a_first_visit_on_a_fast_line_starts_from_the_shipped_snapshot_and_keeps_it(profile, built_site, site_url):
    asked, python = requests_for(profile), requests_for(profile, "/assets/pyodide/")
    assert first_visit(profile, site_url, wait=FAST_LINE) == {"phase": "ready", "boot": "snapshot", "kept": True}
    # Python's own files were asked for early, by the worker, and handed to Pyodide: each once.
    names = sorted(url.rsplit("/", 1)[1] for url, _ in python)
    assert [name for name in names if name.endswith((".wasm", ".zip"))] == [
        "pyodide.asm.wasm", boot_info(built_site)["stdlib"].rsplit("/", 1)[1]], names
    assert visit(profile, site_url) == {"phase": "ready", "boot": "snapshot"}  # the kept copy
    assert visit(profile, site_url) == {"phase": "ready", "boot": "snapshot"}  # kept, not used up
    assert [failure for _, failure in asked] == [None]  # downloaded once, for the first visit, and kept from it


def test_only_a_whole_number_of_milliseconds_up_to_ten_seconds_sets_the_snapshot_wait(browser, site_url):
    # The rest (an empty value too, which JavaScript would read as 0: never) leaves the worker's 1 s.
    asked = {"": None, "?snapshot_wait=": None, "?snapshot_wait=%20": None, "?snapshot_wait=abc": None,
             "?snapshot_wait=-5": None, "?snapshot_wait=1.5": None, "?snapshot_wait=99999": None,
             "?snapshot_wait=Infinity": None, "?snapshot_wait=0": 0, "?snapshot_wait=2500": 2500,
             "?snapshot_wait=10000": 10000}
    tab = browser.new_page()
    tab.goto(site_url + "staying/assessment/")  # a plain page: importing the client starts no worker
    seen = tab.evaluate(f"""async (searches) => {{
      const {{ snapshotWait }} = {CLIENT};
      return Object.fromEntries(searches.map((search) => [search, snapshotWait(search)]));
    }}""", list(asked))
    tab.close()
    assert seen == asked


def test_a_first_visit_on_a_slow_line_gives_up_on_the_snapshot_and_keeps_it_for_later(profile, built_site):
    # The snapshot is held back at the server, as a slow line would: after the default wait (1 s)
    # the worker abandons it and starts Python normally. Once the answer shows, the line clears:
    # the worker fetches the snapshot again, once the seller pauses, and keeps it for later visits.
    line_clear = threading.Event()
    server = serve(built_site, held={".snapshot.gz": line_clear})
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    asked = requests_for(profile)
    try:
        tab = profile.new_page()
        tab.goto(root + "calculators/delisting/")
        fill_as_a_reader(tab, CASE)
        wait_for_answer(tab, "below_threshold")
        assert tab.evaluate(CLIENT_STATE) == {"phase": "ready", "boot": "normal"}
        line_clear.set()
        tab.evaluate(f"async () => {{ window.__client = {CLIENT}; }}")  # a waiting check must be synchronous
        tab.wait_for_function("() => window.__client.snapshotKept() !== null", timeout=120_000)
        assert tab.evaluate(SNAPSHOT_KEPT) is True
        tab.close()
        assert visit(profile, root) == {"phase": "ready", "boot": "snapshot"}
    finally:
        line_clear.set()  # no request thread is left waiting
        server.shutdown()
    # Asked for twice: abandoned on the first visit (the request was aborted), then kept.
    assert len(asked) == 3 and asked[1][1] == "net::ERR_ABORTED" and asked[2] == [asked[0][0], None], asked


# As soon as the first answer shows, types a new sales figure every `gap` ms, `count` times, as a
# seller trying figures (in the page, so no round trip to the test spaces the changes), and tells
# the test of each change through window.__changed as it makes it.
TYPE_FIGURES_AFTER_THE_ANSWER = """async ({count, gap}) => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, gap));
  while (!document.querySelector(".calc-result [data-verdict]")) await new Promise(requestAnimationFrame);
  const box = document.querySelector("form.calc [name='sales_365d_usd']");
  for (let n = 1; n <= count; n++) {
    await pause();
    box.value = String(9000 + n);
    box.dispatchEvent(new Event("input", {bubbles: true}));
    window.__changed(n);
  }
}"""
# 30 changes 100 ms apart: each pause far inside the worker's 2 s of quiet (KEEP_AFTER_QUIET_MS),
# and the typing as a whole longer than it (timers never fire early), so a worker that kept the
# snapshot at a fixed time after its start, rather than after the last change, would ask mid-typing.
CHANGES, GAP_MS = 30, 100


def test_the_snapshot_is_kept_only_once_the_seller_pauses(profile, site_url):
    # Keeping it (31 MB to decompress and write, and on a slow line 5 MB to download) would
    # compete with the answers to a seller's changes, so the worker puts it off while they type.
    # The first visit does not use the shipped snapshot (a slow line), so its download is the
    # keeping's first step: it must come after the last change, and the answers keep following the
    # figures. Asserted on the order of events (one connection brings both in the order they
    # happened), not on the clock, so a loaded machine cannot change the outcome.
    tab = profile.new_page()
    events = []
    tab.expose_function("__changed", lambda n: events.append(f"change {n}"))
    tab.on("request", lambda request: ".snapshot" in request.url and events.append("snapshot asked for"))
    tab.goto(site_url + "calculators/delisting/?snapshot_wait=0")
    fill_as_a_reader(tab, CASE)
    tab.evaluate(TYPE_FIGURES_AFTER_THE_ANSWER, {"count": CHANGES, "gap": GAP_MS})
    # The answer to the last figure typed: the threshold (the same for every figure) less that figure.
    threshold = wait_for_answer(tab, "below_threshold")["amounts"]["threshold_usd"]
    wait_for_answer(tab, "below_threshold", shortfall_usd=threshold - (9000 + CHANGES))
    tab.evaluate(f"async () => {{ window.__client = {CLIENT}; }}")  # a waiting check must be synchronous
    tab.wait_for_function("() => window.__client.snapshotKept() !== null", timeout=120_000)
    assert tab.evaluate(SNAPSHOT_KEPT) is True
    assert events == [f"change {n}" for n in range(1, CHANGES + 1)] + ["snapshot asked for"], events


def boots_normally_twice(profile, built_site, overrides: dict, wait: int, kept: bool) -> None:
    """Serve the site with `overrides` (path -> bytes): the first visit, waiting `wait` ms for the
    shipped snapshot, boots normally (and keeps the snapshot if its checks pass: `kept`), and so
    does the next one: a snapshot that cannot be restored is refused, never half-used."""
    server = serve(built_site, overrides=overrides)
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert first_visit(profile, root, wait=wait) == {"phase": "ready", "boot": "normal", "kept": kept}
        assert visit(profile, root, wait=wait) == {"phase": "ready", "boot": "normal"}
    finally:
        server.shutdown()


def damaged(built_site) -> dict:
    """The snapshot with a hole in Python's heap: its sha256 differs from wheel.json's."""
    path = snapshot_path(built_site)
    bad = bytearray((built_site / path.lstrip("/")).read_bytes())
    bad[len(bad) // 2: len(bad) // 2 + 4096] = bytes(4096)
    return {path: bytes(bad)}


def of_another_build(built_site) -> dict:
    """Bytes whose sha256 matches what wheel.json says, but made by "another Pyodide build"."""
    path = snapshot_path(built_site)
    other = bytearray(gzip.decompress((built_site / path.lstrip("/")).read_bytes()))
    other[16:48] = hashlib.sha256(b"another Pyodide build").digest()  # the header's build id
    shipped = gzip.compress(bytes(other), 1)
    return {path: shipped, "/assets/calculators/wheel.json": wheel_json(built_site, shipped)}


def with_a_broken_gzip_stream(built_site) -> dict:
    """Bytes that match wheel.json's sha256 (as a faulty build would make them), whose gzip stream stops halfway."""
    path = snapshot_path(built_site)
    cut = (built_site / path.lstrip("/")).read_bytes()
    cut = cut[: len(cut) // 2]
    return {path: cut, "/assets/calculators/wheel.json": wheel_json(built_site, cut)}


# Each bad snapshot, shipped to a first visit that would use it (a fast line) and, where its
# sha256 passes, fetched to be kept after a normal first visit (wait 0) and refused by the next.
# kept: whether the first visit keeps it. Pyodide's own check refuses another build's snapshot
# while restoring; a broken gzip stream fails while decompressing; a damaged one fails its sha256.
@pytest.mark.parametrize("snapshot, wait, kept", [
    pytest.param(damaged, FAST_LINE, False, id="damaged, shipped"),
    pytest.param(damaged, 0, False, id="damaged, fetched to keep"),
    pytest.param(of_another_build, FAST_LINE, False, id="another build, shipped"),
    # kept, as its sha256 matches; the next visit fails to restore it and drops it
    pytest.param(of_another_build, 0, True, id="another build, fetched to keep"),
    pytest.param(with_a_broken_gzip_stream, FAST_LINE, False, id="broken gzip, shipped"),
    pytest.param(with_a_broken_gzip_stream, 0, False, id="broken gzip, fetched to keep"),
])
def test_a_bad_snapshot_is_refused_and_python_starts_normally(profile, built_site, site_url, snapshot, wait, kept):
    boots_normally_twice(profile, built_site, snapshot(built_site), wait, kept)
