"""Markup planted in every policy text field never comes alive on a page (design/design.md, Security).

A copy of the project gets hostile markup in every translatable text and note of every policy
file: raw HTML with event handlers, <script>, <iframe srcdoc>, javascript: and data: links, an
attr_list that adds a handler, an image, a character reference spelling "javascript", a `|` that
would split a table, a line break, and block Markdown at the start. `check` refuses all of that
(asserted first, field by field); then the site is built once with the check switched off, so
what is tested is the pages' own escaping. Each built page is parsed with html.parser.
"""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from testsupport.project import project_copy
from policy_loader import PolicyErrors, load_bundle
from policy_loader.markup import text_fields
from policy_loader.yaml_source import dotted, load_yaml

MARK = "PLANT"  # numbered per field; escaped text may sit in attribute values (labels, titles)
# Block Markdown first (an admonition), then every inline form; {n} numbers the field.
PAYLOAD = ("!!! danger \"{mark}{n}\"\n# {mark}{n} <img src=x onerror=alert({n}) data-plant={n}> "
           "<script>plant({n})</script> <iframe srcdoc=\"<script>parent.plant({n})</script>\"></iframe> "
           "[js](javascript:plant({n})) [data](data:text/html,plant{n}) ![img](https://evil.example/{n}.png) "
           "*x*{{: onmouseover=plant({n}) data-plant={n}}} `code`{{: onclick=plant({n})}} "
           "[ref][plant] jav&#97;script: a | b | c \\`<b data-plant={n}>` ")
BYPASS = ("import sys, policy_loader.markup as t; t.check_file = lambda policy_file: []; "
          "from mkdocs.__main__ import cli; sys.argv = ['mkdocs', 'build', '-q', '-d', sys.argv[1]]; cli()")
LIVE_TAGS = {"iframe", "object", "embed", "frame", "base"}  # the theme has none; a plant would
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


def plant(tree: Path) -> dict[str, str]:
    """Put the payload into every text field under `tree`; {marker: 'file key.path'}."""
    planted = {}
    for path in sorted(tree.rglob("*.yaml")):
        if path.name == "messages.yaml":
            continue  # calculator templates, never Markdown: tests/test_messages.py checks they refuse markup
        data, _ = load_yaml(path)
        for key_path, text, _plain in list(text_fields(data)):
            n = len(planted)
            planted[f"{MARK}{n}"] = f"{path.relative_to(tree)} {dotted(key_path)}"
            node = data
            for key in key_path[:-1]:
                node = node[key]
            node[key_path[-1]] = PAYLOAD.format(mark=MARK, n=n) + text
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")
    return planted


class PageScan(html.parser.HTMLParser):
    """What on a page could run or leave: elements, attributes and URLs that came from a plant."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.text: list[str] = []
        self.in_script = False
        self.rows: list[int] = []  # cells per row of the table being read
        self.ragged_tables = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ("data-plant", "srcdoc"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.live.append(f"<{tag} {name}={value!r}>")
            # An https link is in the subset; a resource (an image) from another host is not.
            if name in URL_ATTRS - {"href"} and re.match(r"\s*(https?:)?//", value, re.I):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in LIVE_TAGS or (tag == "img" and dict(attrs).get("src") == "x"):
            self.live.append(f"<{tag}>")
        self.in_script = tag == "script"
        if tag == "table":
            self.rows = []
        elif tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th") and self.rows:
            self.rows[-1] += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if tag == "table" and len(set(self.rows)) > 1:
            self.ragged_tables += 1

    def handle_data(self, data):
        if self.in_script and "plant" in data:
            self.live.append(f"<script> running planted code: {data[:60]!r}")
        elif not self.in_script:
            self.text.append(data)


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    project_copy(project, share_build_cache=True)
    planted = plant(project / "policies")
    with pytest.raises(PolicyErrors) as refused:
        load_bundle(project / "policies")
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": "2026-11-22"}
    proc = subprocess.run([sys.executable, "-c", BYPASS, str(site)], cwd=project, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site, planted, refused.value.errors


def test_check_refuses_the_markup_in_every_planted_field(planted_site):
    _, planted, errors = planted_site
    refused_fields = {(Path(e.path).name, e.message.split(":", 1)[0]) for e in errors}
    missed = [where for where in planted.values()
              if (Path(where.split(" ")[0]).name, where.split(" ")[1]) not in refused_fields]
    assert len(planted) > 150
    assert not missed, missed[:10]


def test_no_planted_markup_is_live_on_any_page(planted_site):
    site, planted, _ = planted_site
    pages = sorted(site.rglob("*.html"))
    live, seen, ragged = [], set(), []
    for page in pages:
        scan = PageScan()
        scan.feed(page.read_text(encoding="utf-8"))
        live += [f"{page.relative_to(site)}: {what}" for what in scan.live]
        seen |= set(re.findall(rf"{MARK}\d+", "".join(scan.text)))
        if scan.ragged_tables:
            ragged.append(str(page.relative_to(site)))
    assert len(pages) > 20
    assert not live, live[:10]
    assert not ragged, f"a planted | split a table row: {ragged}"
    # The plant reached the pages as text, in every kind of field the pages show.
    shown = {planted[m] for m in seen}
    for field in (r"^\w+/[\w-]+\.yaml title\.en$", r"summary\.en$", r"^\w+/[\w-]+\.yaml rules\.\w+\.title\.en$",
                  r"description\.en$", r"\.value\[\d+\]\.en$", r"\.values\[\d+\]\.value\.en$",
                  r"categories\.yaml scopes\.[\w-]+\.label\.en$", r"categories\.yaml scopes\.[\w-]+\.categories\.[\w-]+\.label\.en$",
                  r"terms\.yaml \w+\.\w+\.label\.en$", r"examples\[\d+\]\.title\.en$", r"source\.note$"):
        assert any(re.search(field, where) for where in shown), f"no planted {field} field is shown on any page"


def test_the_planted_markup_reads_as_text(planted_site):
    site, _, _ = planted_site
    text = (site / "fees" / "refund" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(" in text and "&lt;script&gt;plant(" in text
    assert "{: onmouseover=plant(" in text or "&#123;: onmouseover=plant(" in text
