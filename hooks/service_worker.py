"""The site's service worker (sw.js at its root): each build precaches the files it just wrote, so a
reader who has visited once keeps the handbook and its calculators with the network gone.

Workbox's generateSW (npm `workbox-build`, pinned in package.json) writes it, from
hooks/service_worker.mjs under Node, after every other file of the build is final (the CSP hashes
written into the pages included): each precached file carries the md5 of its bytes as its revision,
so a new build's worker fetches only what changed and removes the old build's cache
(cleanupOutdatedCaches); it takes over at once (skipWaiting, clientsClaim). The Workbox runtime is
inlined into sw.js: the worker loads nothing, from any host.

docs/assets/javascripts/offline.mjs registers it, and says on the page when the reader is offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "service_worker.mjs"
# Python's files alone are ~17 MB; a precache far above this means something unintended is in it.
MAX_PRECACHE_BYTES = 30 * 1024 * 1024


class ServiceWorkerError(Exception):
    """The service worker could not be written, or would precache what it should not."""


def write_service_worker(site: Path) -> dict:
    """Write site/sw.js; return what it precaches: {"count": files, "size": bytes, "warnings": []}."""
    node = shutil.which("node")
    if node is None:
        raise ServiceWorkerError("node is needed to write the service worker (Workbox): install Node.js.")
    if not (ROOT / "node_modules" / "workbox-build").is_dir():
        raise ServiceWorkerError("workbox-build is missing from node_modules: run `make install` (npm ci).")
    proc = subprocess.run([node, str(SCRIPT), str(site)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise ServiceWorkerError(f"writing the service worker failed:\n{proc.stderr[-2000:]}")
    made = json.loads(proc.stdout.strip().splitlines()[-1])
    if made["warnings"]:  # a pattern that matches nothing, a file too large to precache
        raise ServiceWorkerError("the service worker's precache is not what it should be:\n" + "\n".join(made["warnings"]))
    if made["size"] > MAX_PRECACHE_BYTES:
        raise ServiceWorkerError(f"the service worker would precache {made['size']:,} bytes "
                                 f"(at most {MAX_PRECACHE_BYTES:,}): check hooks/service_worker.mjs's patterns.")
    return made
