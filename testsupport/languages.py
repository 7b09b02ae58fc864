"""Reading a built page's main content as a reader sees it, to find English left on a Chinese page.

`english_sentences(html)` returns the runs of three or more English words in the page's article
(`.md-content__inner`), leaving out code (<code>, <pre>), the calculators' forms (their words come
from calculators/) and text marked lang="en" (English on purpose: a glossary's English column, a
calculator's words not yet translated). Codes, units and product names (USD, Pyodide, VS Code, ...)
are one or two words, so the three-word rule lets them pass; ALLOWED lists the longer ones.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Longer names that are the same in Chinese text (product names, file formats).
ALLOWED = {"Pyodide", "JSON Schema", "VS Code", "Red Hat", "yaml-language-server"}
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ ,;:()\-–—/]+[A-Za-z][A-Za-z'’]+){2,}")
SKIPPED_TAGS = {"code", "pre", "script", "style", "form", "svg"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, whether it starts a skipped region)
        self.in_main = 0
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        starts_main = "md-content__inner" in (attrs.get("class") or "")
        skip = self.in_main > 0 and (tag in SKIPPED_TAGS or attrs.get("lang") == "en"
                                     or "headerlink" in (attrs.get("class") or ""))
        self.stack.append((tag, skip, starts_main))
        self.in_main += starts_main or (self.in_main > 0)
        self.skipping += skip

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _skip, _main in self.stack):
            return  # a stray end tag closes nothing
        while self.stack:
            open_tag, skip, starts_main = self.stack.pop()
            self.skipping -= skip
            if self.in_main:
                self.in_main -= 1
            self.parts.append(" ")
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_main and not self.skipping:
            self.parts.append(data)


def main_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def english_sentences(html: str) -> list[str]:
    found = []
    for match in ENGLISH_RUN.finditer(main_text(html)):
        words = match.group()
        if not any(words.strip(" ,;:()") == allowed for allowed in ALLOWED):
            found.append(words)
    return found
