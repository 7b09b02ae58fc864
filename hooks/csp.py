"""A Content-Security-Policy <meta> on every page (design/design.md, Security); hooks/mkdocs_adapter.py calls it.

The policy allows only the site's own origin. The theme's inline scripts (Material's
`__md_scope` bootstrap, palette and tab restorers) are allowed by their sha256 hashes, computed
here from the HTML as built, so a script that is not exactly one of them does not run, and
there is no 'unsafe-inline' for scripts.

Material's instant navigation swaps in the next page without reloading, so the CSP of the first
page loaded is the one in force for every page visited after it. Each page therefore carries the
hashes of all the site's inline scripts (seven today: the bootstrap at four depths, and three
restorers that are the same everywhere), so no page's inline script can be refused after
navigation: with_meta (after each page and template) puts a placeholder and collects hashes;
fill_hashes (after the build) writes the full list into every HTML file.

What each directive is for:
- script-src 'self' 'wasm-unsafe-eval' + hashes: the theme's bundle, page.mjs and the calculator
  modules are files. Pyodide compiles WebAssembly, which needs 'wasm-unsafe-eval' (without it
  Chromium refuses WebAssembly.instantiateStreaming); it needs no 'unsafe-eval'. Pyodide runs in
  the calculators' module worker, and a <meta> CSP does not reach workers (they take the CSP of
  their own response's headers), so on the page it is only there to make the meta and the
  header a host sends (design/hosting.md) the same policy: tests/browser/test_csp.py serves that
  header and runs a calculator under it.
- style-src 'self' (no 'unsafe-inline'): the only inline styles were Python-Markdown's
  `style="text-align: right"` on table cells; mkdocs.yml sets the tables extension's
  use_align_attribute, so cells carry `align="right"`, which Material's CSS honours. Material's
  scripts set styles through the CSSOM (element.style), which a CSP does not restrict.
- img-src 'self' data:: the theme's icons are inline SVG data: URLs in its CSS.
- worker-src 'self': the calculators' worker, Material's search worker and the service worker
  (sw.js, registered by the file assets/javascripts/offline.mjs) are files of the site.
- connect-src 'self': Pyodide, its packages, the calculators' wheel, policies.json, search index.
- base-uri 'self', form-action 'self', object-src 'none': nothing can re-point relative URLs,
  send a form elsewhere, or load a plugin.
frame-ancestors cannot be set from a <meta>; a host sends it as a header (design/hosting.md).

`mkdocs serve`, the local preview, adds an inline script of its own to every page it serves (the
live reload), whose text changes with every request, so no hash can allow it; and a browser
ignores 'unsafe-inline' in a list that holds a hash. So the preview's pages allow inline scripts
('unsafe-inline', no hashes): without it the preview never reloads after an edit. A build never.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

PLACEHOLDER = "__HANDBOOK_SCRIPT_HASHES__"
BASE_POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' " + PLACEHOLDER + "; style-src 'self'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
               "object-src 'none'; base-uri 'self'; form-action 'self'")
META = f'<meta http-equiv="Content-Security-Policy" content="{BASE_POLICY}">'
# Inline scripts that the browser executes (no src, and a JavaScript type or none). JSON data
# blocks such as Material's <script id="__config" type="application/json"> never run.
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)

_hashes: set[str] = set()

# ---------------------------------------------------------------------------------------------
# The build's three moments
# ---------------------------------------------------------------------------------------------


def reset() -> None:
    """Before a build: `mkdocs serve` rebuilds in the same process."""
    _hashes.clear()


def fill_hashes(site_dir: Path, preview: bool = False) -> None:
    """After the build: every page's placeholder becomes the hashes of all the site's inline
    scripts, or, for `mkdocs serve`'s preview, 'unsafe-inline' (see above)."""
    sources = "'unsafe-inline'" if preview else " ".join(sorted(_hashes))
    for path in Path(site_dir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if PLACEHOLDER in text:
            path.write_text(text.replace(PLACEHOLDER, sources), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def with_meta(html: str) -> str:
    """`html` with the CSP meta right after <meta charset> (before any script), its scripts' hashes noted."""
    if "<head" not in html or "Content-Security-Policy" in html:
        return html
    _hashes.update(script_hashes(html))
    charset = CHARSET.search(html)
    if charset:
        return html[:charset.end()] + "\n" + META + html[charset.end():]
    head = re.search(r"<head[^>]*>", html, re.I)
    return html[:head.end()] + "\n" + META + html[head.end():]


def script_hashes(html: str) -> set[str]:
    """'sha256-…' of each executable inline script's exact text, as the browser hashes it."""
    out = set()
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]*)", attrs, re.I)
        if (kind.group(1).lower() if kind else "") not in JS_TYPES:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        out.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return out
