"""The worker's two ways to start Python, each ending in the CLI's result.

- A first visit boots normally (precompiled stdlib) and then fetches the snapshot and keeps it,
  decompressed, in Cache Storage for later visits;
- a later visit restores Python from that kept snapshot;
- a damaged snapshot (bytes changed in transit or in the cache), one from another Pyodide build,
  or one whose gzip stream is broken (the build ships it gzipped and the worker decompresses it)
  is refused (not kept, or dropped when restoring it fails), and the page boots normally and
  still answers.

Each test uses a persistent Chromium profile in a fresh directory: a kept snapshot lives in the
profile's Cache Storage between visits, as for a seller coming back.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import time

import pytest

from tests.browser.reader import cli, fill_as_a_reader, wait_for_result_like
from testsupport.served_site import CHROMIUM, CHROMIUM_ARGS, serve

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
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield context
    context.close()


def boot_info(built_site) -> dict:
    return json.loads((built_site / "assets/calculators/wheel.json").read_text(encoding="utf-8"))


def snapshot_path(built_site) -> str:
    """The snapshot's URL path on the server, e.g. /assets/pyodide/calculators-….snapshot.gz."""
    return "/assets/pyodide/" + boot_info(built_site)["snapshot"]["url"].rsplit("/", 1)[1]


def visit(profile, root: str, keeping: bool = False) -> dict:
    """One visit to the delisting page: fill it as a reader, check the CLI's answer; the start-up state.

    With `keeping`, the tab stays open until the worker has tried to keep the snapshot, which it
    fetches once it has answered (closing the tab would abort that), and the state says whether
    it was kept (`kept`).
    """
    tab = profile.new_page()
    tab.goto(root + "calculators/delisting/")
    fill_as_a_reader(tab, CASE)
    wait_for_result_like(tab, cli("delisting", CASE))
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


def first_visit(profile, root: str) -> dict:
    """A first visit, which also fetches the snapshot and tries to keep it once it has its answer."""
    return visit(profile, root, keeping=True)


def test_a_later_visit_restores_python_from_the_snapshot(profile, built_site, site_url):
    first = first_visit(profile, site_url)
    assert first == {"phase": "ready", "boot": "normal", "kept": True}  # a first visit never waits for it
    assert visit(profile, site_url) == {"phase": "ready", "boot": "snapshot"}
    assert visit(profile, site_url) == {"phase": "ready", "boot": "snapshot"}  # kept, not used up


# As soon as the first answer shows, types a new sales figure every `gap` ms, `count` times, as a
# seller trying figures (in the page, so no round trip to the test delays the first change);
# resolves to the time of the last change, in ms since the epoch (the clock of Python's time.time()).
TYPE_FIGURES_AFTER_THE_ANSWER = """async ({count, gap}) => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, gap));
  while (!document.querySelector(".calc-result [data-verdict]")) await new Promise(requestAnimationFrame);
  const box = document.querySelector("form.calc [name='sales_365d_usd']");
  for (let n = 1; n <= count; n++) {
    await pause();
    box.value = String(9000 + n);
    box.dispatchEvent(new Event("input", {bubbles: true}));
  }
  return performance.timeOrigin + performance.now();
}"""


def test_the_snapshot_is_kept_only_once_the_seller_pauses(profile, site_url):
    # Keeping it (31 MB to decompress and write) would compete with the answers to a seller's
    # changes, so the worker puts it off while they type: here 6 changes 600 ms apart, each well
    # inside the 2 s of quiet it waits for. Its download starts only after the last change, and
    # the answers keep following the figures.
    tab = profile.new_page()
    asked = []
    tab.on("request", lambda request: ".snapshot" in request.url and asked.append(time.time() * 1000))
    tab.goto(site_url + "calculators/delisting/")
    fill_as_a_reader(tab, CASE)
    last_change = tab.evaluate(TYPE_FIGURES_AFTER_THE_ANSWER, {"count": 6, "gap": 600})
    wait_for_result_like(tab, cli("delisting", {**CASE, "sales_365d_usd": "9006"}))
    tab.evaluate(f"async () => {{ window.__client = {CLIENT}; }}")  # a waiting check must be synchronous
    tab.wait_for_function("() => window.__client.snapshotKept() !== null", timeout=120_000)
    assert tab.evaluate(SNAPSHOT_KEPT) is True
    assert len(asked) == 1 and asked[0] >= last_change + 1900, (asked, last_change)  # 100 ms for the clocks


def boots_normally_twice(profile, built_site, overrides: dict, kept: bool) -> None:
    """Serve the site with `overrides` (path -> bytes): the first visit boots normally (and keeps
    the snapshot if its checks pass: `kept`), and so does the next one: a snapshot that is kept but
    cannot be restored is refused, never half-used."""
    server = serve(built_site, overrides=overrides)
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert first_visit(profile, root) == {"phase": "ready", "boot": "normal", "kept": kept}
        assert visit(profile, root) == {"phase": "ready", "boot": "normal"}
    finally:
        server.shutdown()


def test_a_damaged_snapshot_is_refused_and_python_starts_normally(profile, built_site, site_url):
    # The damaged copy's sha256 differs from wheel.json's: the first visit does not keep it.
    path = snapshot_path(built_site)
    damaged = bytearray((built_site / path.lstrip("/")).read_bytes())
    damaged[len(damaged) // 2: len(damaged) // 2 + 4096] = bytes(4096)  # a hole in Python's heap
    boots_normally_twice(profile, built_site, {path: bytes(damaged)}, kept=False)


def test_a_snapshot_of_another_pyodide_build_is_refused_and_python_starts_normally(profile, built_site, site_url):
    # Bytes whose sha256 matches what wheel.json says, but made by "another build": Pyodide's own
    # check refuses them while restoring (they are kept, as their sha256 matches), and the worker
    # boots normally instead.
    path = snapshot_path(built_site)
    other = bytearray(gzip.decompress((built_site / path.lstrip("/")).read_bytes()))
    other[16:48] = hashlib.sha256(b"another Pyodide build").digest()  # the header's build id
    shipped = gzip.compress(bytes(other), 1)
    boots_normally_twice(profile, built_site, {path: shipped,
                                               "/assets/calculators/wheel.json": wheel_json(built_site, shipped)},
                         kept=True)


def test_a_snapshot_whose_gzip_stream_is_broken_is_refused_and_python_starts_normally(profile, built_site, site_url):
    # The shipped bytes match wheel.json's sha256 (as a faulty build would make them), but the gzip
    # stream stops halfway: decompressing it into the cache fails, so the first visit keeps nothing.
    path = snapshot_path(built_site)
    whole = (built_site / path.lstrip("/")).read_bytes()
    cut = whole[: len(whole) // 2]
    boots_normally_twice(profile, built_site, {path: cut, "/assets/calculators/wheel.json": wheel_json(built_site, cut)},
                         kept=False)
