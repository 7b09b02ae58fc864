"""The search index, made findable by numbers as a reader types them: 3000 finds "3,000".

Material's search splits text at its separator (spaces, and for Chinese the zero-width spaces its
jieba segmentation adds), so a grouped number is one token, "3,000", that the query 3000 never
matches. After the index is written (hooks/mkdocs_adapter.py, on_post_build), the digit-group
commas inside numbers are taken out of the indexed text and titles; the pages keep "3,000".
"""

from __future__ import annotations

import json
import logging
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


# ---------------------------------------------------------------------------------------------
# The rule's page first
# ---------------------------------------------------------------------------------------------
# Material ranks by lunr's score: a word in a page's title counts 1,000 times one in its text, and
# one in its tags 1,000,000 times. So a section index that lists "Annual fee refund" among its
# topics outranked the rule's own page for "refund", and an editors' page that mentions delisting
# outranked the assessment rules. Two things set the order instead:
# - each page's tags: the glossary's terms whose `topic` is that page (catalogue/glossary.yaml),
#   and the name of each calculator on the topic it reads most of its rules from (the registry), so
#   "annual fee" reaches the annual fee's page and "delisting" the assessment's;
# - each page's boost, by who reads it: the rules above the calculators, the calculators above the
#   section indexes and the home page, the editors' and integrators' pages below every seller's.

BOOST_RULE, BOOST_CALCULATOR, BOOST_OTHER, BOOST_BACKSTAGE = 4.0, 2.0, 1.0, 0.25
BACKSTAGE = ("editors/", "integrators/", "changes/", "sources/")  # pages for the policy team and integrators


def page_tags(bundle: dict, lang: str) -> dict[str, list[str]]:
    """Page location (fees/annual-fee/) -> the terms that page is the home of, in `lang`."""
    from calculators.api import specs
    from calculators.registry import RULES_USED

    tags: dict[str, list[str]] = {}
    for entry in bundle["glossary"].values():
        if "topic" in entry:
            tags.setdefault(bundle["topics"][entry["topic"]]["page"], []).append(entry["term"][lang])
    read: dict[str, dict[str, int]] = {}  # calculator -> topic -> rules it reads there
    for address, (name, _kind, _unit) in RULES_USED.items():
        topic = address.split(".", 1)[0]
        read.setdefault(name, {})[topic] = read.setdefault(name, {}).get(topic, 0) + 1
    for name, spec in specs(bundle, lang).items():
        topic = max(sorted(read.get(name, {})), key=read[name].get, default=None)
        if topic is not None:
            tags.setdefault(bundle["topics"][topic]["page"], []).append(spec["title"])
    return {page: list(dict.fromkeys(terms)) for page, terms in tags.items()}


def boost(location: str, bundle: dict) -> float:
    page = location.split("#", 1)[0]
    if page in {topic["page"] for topic in bundle["topics"].values()}:
        return BOOST_RULE
    if page.startswith("calculators/") and page != "calculators/":
        return BOOST_CALCULATOR
    return BOOST_BACKSTAGE if page.startswith(BACKSTAGE) else BOOST_OTHER


def rank(site_dir: Path, bundle: dict, languages: list[str], default: str) -> None:
    """Give each language's index (split_by_language first) its pages' tags and boosts."""
    for lang in languages:
        path = Path(site_dir) / ("" if lang == default else lang) / "search" / "search_index.json"
        if not path.is_file():
            continue
        index = json.loads(path.read_text(encoding="utf-8"))
        tags = page_tags(bundle, lang)
        for doc in index["docs"]:
            doc["boost"] = boost(doc["location"], bundle)
            if doc["location"] in tags:
                doc["tags"] = [_segmented(term) for term in tags[doc["location"]]] if lang == "zh" else tags[doc["location"]]
        _write(path, index)


def _segmented(text: str) -> str:
    """Chinese text cut into its words, joined by zero-width spaces (the separator's), as the search
    plugin cuts the pages' text, but by jieba's own dictionary, without the glossary's terms the
    adapter teaches it: the pages keep a term such as 年费返还 whole, and its tag adds its words
    (年费, 返还), so a reader who types the shorter word finds the page that states its rule, and a
    page whose term is only one word of a longer one (年费 in 年费返还) does not outrank the
    shorter term's own page."""
    return "\u200b".join(word for word in _plain_jieba().cut(text) if re.search(r"\w", word))  # brackets are no words


_tokenizer = None


def _plain_jieba():
    global _tokenizer
    if _tokenizer is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _tokenizer = jieba.Tokenizer()
    return _tokenizer


# Material's query segmentation (its search worker) looks for the index's words in a run of Chinese
# characters, but never for one that ends at the run's last character: 年费 became 年. The one
# comparison is corrected in the built copy of the worker; a Material whose worker reads otherwise
# stops the build, so an upgrade is looked at rather than silently searching wrong.
SEGMENT_LOOP = re.compile(r"for\(let (\w)=(\w)\+1;\1<(\w)\.length;\1\+\+\)\3\.slice\(\2,\1\)in \w")


def fix_chinese_query_segmentation(site_dir: Path) -> None:
    workers = sorted((Path(site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return
    for worker in workers:
        text = worker.read_text(encoding="utf-8")
        if SEGMENT_LOOP.search(text.replace("<=", "<")) and not SEGMENT_LOOP.search(text):
            continue  # already corrected (a rebuild into the same folder)
        fixed, count = SEGMENT_LOOP.subn(lambda m: m[0].replace("<", "<=", 1), text)
        if count != 1:
            raise ValueError(f"{worker.name}: Material's Chinese query segmentation is not the loop "
                             "hooks/search_index.py corrects; check whether this Material still needs it")
        worker.write_text(fixed, encoding="utf-8")
