"""The search index, made findable by numbers as a reader types them: 3000 finds "3,000".

Material's search splits text at its separator (spaces, and for Chinese the zero-width spaces its
jieba segmentation adds), so a grouped number is one token, "3,000", that the query 3000 never
matches. After the index is written (hooks/mkdocs_adapter.py, on_post_build), the digit-group
commas inside numbers are taken out of the indexed text and titles; the pages keep "3,000".
"""

from __future__ import annotations

import json
import re
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
