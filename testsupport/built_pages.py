"""Reading a built site's pages as text: for the page tests and those that edit a copy and rebuild."""

from __future__ import annotations

import html
from pathlib import Path


def page_text(site: Path, page: str) -> str:
    return html.unescape((site / page / "index.html").read_text(encoding="utf-8"))


def rule_section(site: Path, page: str, anchor: str) -> str:
    """The HTML from the rule's heading to the next h2: where its values are stated."""
    text = page_text(site, page)
    start = text.index(f'id="{anchor}"')
    end = text.find("<h2", start)
    return text[start:end if end > 0 else None]
