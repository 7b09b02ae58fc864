"""The search index, made findable by numbers as a reader types them: 3000 finds "3,000".

Material's search splits text at its separator (spaces, and for Chinese the zero-width spaces its
jieba segmentation adds), so a grouped number is one token, "3,000", that the query 3000 never
matches. After the index is written (hooks/mkdocs_adapter.py, on_post_build), the digit-group
commas inside numbers are taken out of the indexed text and titles; the pages keep "3,000".
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

GROUPED = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def ungroup(text: str) -> str:
    """'USD 10,000 and 3,000 listings, 1,2' -> 'USD 10000 and 3000 listings, 1,2'.

    >>> ungroup("USD 10,000 and 3,000 listings, 1,2")
    'USD 10000 and 3000 listings, 1,2'
    """
    return GROUPED.sub("", text)


def make_numbers_findable(site_dir: Path) -> None:
    """Rewrite site_dir/search/search_index.json with ungrouped numbers (no-op without search)."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            if field in doc:
                doc[field] = ungroup(doc[field])
    path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# One index per language
# ---------------------------------------------------------------------------------------------
# The i18n plugin writes one index for both languages at search/search_index.json, so an English
# search listed Chinese pages and a Chinese one English pages (with links out of /zh/). Material
# reads its index, and instant navigation its sitemap, from the page's `base` (its __config): each
# other language's pages get that language's root as their base (language_base, after each page),
# and that root its own index (split_by_language, after the build) and a copy of the sitemap, whose
# addresses are absolute and so the same from either root.

CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{"annotate": [^,]*, "base": ")([^"]*)(")')


def language_base(html: str) -> str:
    """A page under a language's folder (zh/...) with that folder as Material's base: "../../.." on
    zh/fees/refund/ becomes "../.."; ".." on zh/ becomes "."."""
    def one_level_up(match: re.Match) -> str:
        parts = match[2].split("/")
        if not parts or parts[0] != "..":
            return match[0]
        return match[1] + ("/".join(parts[1:]) or ".") + match[3]

    return CONFIG_BASE.sub(one_level_up, html, count=1)


def split_by_language(site_dir: Path, languages: list[str]) -> None:
    """Move each of `languages`' pages out of site_dir/search/search_index.json into
    site_dir/<lang>/search/search_index.json, their locations relative to <lang>/; copy the sitemap
    beside it. The default language's pages stay where they were."""
    site_dir = Path(site_dir)
    path = site_dir / "search" / "search_index.json"
    if not path.is_file() or not languages:
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for lang in languages:
        prefix = f"{lang}/"
        mine = [{**doc, "location": doc["location"][len(prefix):]} for doc in index["docs"]
                if doc["location"].startswith(prefix)]
        index["docs"] = [doc for doc in index["docs"] if not doc["location"].startswith(prefix)]
        target = site_dir / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, {**index, "docs": mine})
        if (site_dir / "sitemap.xml").is_file():
            shutil.copyfile(site_dir / "sitemap.xml", site_dir / lang / "sitemap.xml")
    _write(path, index)


def _write(path: Path, index: dict) -> None:
    path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
