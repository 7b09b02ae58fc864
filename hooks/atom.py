"""The Atom feeds of policy changes (RFC 4287), one per language, for feed readers and programs.

  changes.atom       English
  changes.zh.atom    Chinese (its entries link the Chinese pages, under zh/)

Both sit at the site's root, beside sitemap.xml: Material's instant navigation takes every
`<link rel="alternate">` for a language version and fetches the sitemap.xml beside it, so a feed
anywhere else (under /api/v1/ or /zh/, which have none) cost every page a 404.

One entry per dated change to a rule's case, a new rule or case included, and one when a value
stops applying; announced changes are entries too, dated on the day they take effect. Each entry
links the rule's section on the handbook page of the feed's language.

Written with the standard library's ElementTree: the feed is a handful of elements, ElementTree
escapes every text, and the one maintained generator on PyPI (feedgen) would bring lxml, a
compiled dependency, into the site's build for that. The tests read the feeds back with
feedparser.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from calculators.policy import walk_cases
from hooks import formatting

ATOM = "http://www.w3.org/2005/Atom"
# A tag URI (RFC 4151) names each entry for good: it never changes when the site moves host.
TAG = "tag:seller-handbook.example,2026:"


@dataclass(frozen=True)
class Change:
    """One dated change to one case of a rule: `old` is None for a new rule or case, `new` None when it ends."""

    address: str
    case: str  # the case's key path, "toys-hobbies" or "" for the rule's own values
    label: str  # the case as a reader names it ("Toys & hobbies"), "" for the rule's own values
    on: dt.date
    old: str | None
    new: str | None


def changes(bundle: dict, lang: str) -> Iterator[Change]:
    """Every dated change in the policies, worded in `lang` as plain text (not Markdown)."""
    for address, rule in bundle["rules"].items():
        for case in walk_cases(rule):
            names = [formatting.label_text(key, dimension, bundle, lang) for dimension, key in case.dims]
            if case.is_default:
                names.append(formatting.all_others(rule, case, bundle, lang))
            label, key = " — ".join(names), "/".join(key for _, key in case.dims) or "values"
            yield from _case_changes(address, key, label, [
                (dt.date.fromisoformat(p["from"]), dt.date.fromisoformat(p["until"]) if p.get("until") else None,
                 formatting.value_text(p["value"], rule, bundle, markdown=False, lang=lang)) for p in case.history])


def _case_changes(address: str, case: str, label: str, periods: list) -> Iterator[Change]:
    """(from, until, value) periods -> changes. A period that starts the day after the one before ends
    (or replaces one with no end) is one change, old -> new; after a gap it is new, and the gap an end."""
    day = dt.timedelta(days=1)
    before = None
    for starts, until, value in periods:
        if before is not None and before[1] is not None and before[1] + day < starts:
            yield Change(address, case, label, before[1] + day, before[2], None)
            before = None
        if before is None or before[2] != value:  # a new source for the same value is not a change to the rule
            yield Change(address, case, label, starts, before[2] if before else None, value)
        before = (starts, until, value)
    if before is not None and before[1] is not None:
        yield Change(address, case, label, before[1] + day, before[2], None)


def feed(bundle: dict, lang: str, today: dt.date, built_at: str) -> bytes:
    """The Atom document for `lang`: newest change first; links are relative to the language's site root."""
    w = lambda key, **fields: formatting.word(key, lang, **fields)  # noqa: E731 (a local shorthand)
    xml = "{http://www.w3.org/XML/1998/namespace}"
    # Links are relative to the language's pages: the site's root, or its folder (zh/) for another language.
    root = ET.Element(f"{{{ATOM}}}feed", {f"{xml}lang": _bcp47(lang), f"{xml}base": _pages(lang)})
    _text(root, "id", f"{TAG}changes/{lang}")
    _text(root, "title", w("feed.title"))
    _text(root, "subtitle", w("feed.subtitle"))
    _text(root, "updated", built_at)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", w("feed.author"))
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                           "href": "../" * _pages(lang).count("/") + feed_path(lang)})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": "changes/"})
    for change in sorted(changes(bundle, lang), key=lambda c: (c.on, c.address, c.case), reverse=True):
        rule = bundle["rules"][change.address]
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{TAG}{change.address}/{change.case}/{change.on.isoformat()}")
        what = " ".join(rule["title"][lang].split()) + (f" — {change.label}" if change.label else "")
        _text(entry, "title", w("feed.entry_title", what=what, change=_change_words(change, w)))
        stamp = f"{change.on.isoformat()}T00:00:00Z"
        _text(entry, "updated", stamp)
        _text(entry, "published", stamp)
        day = formatting.long_date(change.on, lang)
        _text(entry, "summary", w("feed.announced" if change.on > today else "feed.in_force", day=day,
                                  what=what, change=_change_words(change, w)))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                                "href": f"{rule['page']}#{rule['anchor']}"})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": rule["topic"]})
    ET.register_namespace("", ATOM)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def feed_path(lang: str) -> str:
    """Where `lang`'s feed is, from the site's root."""
    return "changes.atom" if lang == "en" else f"changes.{lang}.atom"


def _pages(lang: str) -> str:
    """The language's pages, from the site's root: "" for English, "zh/" for Chinese."""
    return "" if lang == "en" else f"{lang}/"


def write_feeds(site: Path, bundle: dict, languages: tuple[str, ...], today: dt.date, built_at: str) -> list[Path]:
    """Each language's feed (feed_path)."""
    written = []
    for lang in languages:
        target = site / feed_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(feed(bundle, lang, today, built_at))
        written.append(target)
    return written


def _change_words(change: Change, w) -> str:
    if change.new is None:
        return w("feed.ended", old=change.old)
    if change.old is None:
        return w("feed.new", new=change.new)
    return w("feed.changed", old=change.old, new=change.new)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _bcp47(lang: str) -> str:
    return "zh-Hans" if lang == "zh" else lang
