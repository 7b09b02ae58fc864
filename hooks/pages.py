"""The handbook's generated pages and menu, as a pure function of the policy bundle and a date.

`generate(bundle, today, lang=...)` -> {path: Markdown}: one page per topic file (policies/<section>/<topic>.yaml -> <section>/<topic>/), an index per
section, the changelog (changes/), the glossary (glossary/) and the editors' key reference
(editors/reference/), in English ("en") or Chinese ("zh"): the same templates, the policies'
text in that language, and the templates' own words from hooks/templates/words.yaml (`w`). Pages are
Markdown rendered from Jinja2 templates in hooks/templates/, so search, tables of contents,
admonitions and tabs work as on hand-written pages. Values in force on the build day (`today`, which
the pages name) are resolved by calculators.policy, the same resolver the calculators use; a change
due within DUE_SOON_DAYS of it stands out on its rule's page and on the changelog. `nav(bundle, lang)` is the site's menu,
from catalogue/sections.yaml and calculators.registry: the same shape in both languages.

Nothing here knows MkDocs: hooks/mkdocs_adapter.py hands the pages and the menu to it, so
another generator needs another adapter, not new pages. tests/test_page_generation.py calls
generate() directly.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from calculators.messages import Words
from calculators.policy import Policy, resolve_history, walk_cases
from calculators.registry import CALCULATORS
from calculators.result import MONTHS
from hooks import formatting
from policy_loader.schema_source import annotation

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), undefined=StrictUndefined,
                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
TEMPLATES.filters["tier_condition"] = formatting.tier_condition
# Policy text is escaped on its way into Markdown (see hooks/formatting.py): titles and labels
# read as typed, summaries and descriptions keep only the Markdown subset, table cells keep their `|`.
TEMPLATES.filters["plain"] = formatting.plain
TEMPLATES.filters["rich"] = formatting.rich
TEMPLATES.filters["cell"] = formatting.cell
TEMPLATES.filters["english"] = lambda text, lang: english(text, lang)
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policies" / "schema"
# A change due within this many days of the build day stands out (issue 25 §6): near enough that a
# seller should act on it now. The site rebuilds daily, so the count is right on the day it is read.
DUE_SOON_DAYS = 30

# ---------------------------------------------------------------------------------------------
# The pages and the menu
# ---------------------------------------------------------------------------------------------


def generate(bundle: dict, today: dt.date, calculator_pages: set[str] = frozenset(),
             hand_written: set[str] = frozenset(), lang: str = "en") -> dict[str, str]:
    """Every generated page in `lang`: path under docs/ (joining/requirements.md, ...) -> its Markdown.

    `calculator_pages` are the calculators with a page (examples link to them); a section index
    in `hand_written` (paths under docs/, without a language suffix) is left to the hand-written page.
    """
    policy = Policy(bundle)
    words = {"lang": lang, "w": lambda key, **fields: formatting.word(key, lang, **fields)}
    pages = {}
    for stem, topic in bundle["topics"].items():
        pages[f"{topic['section']}/{stem}.md"] = TEMPLATES.get_template("topic.md.j2").render(
            topic=topic, rules=[rule_view(policy, f"{stem}.{name}", today, lang) for name in topic["rules"]],
            by_category=category_table(policy, stem, today, lang),
            examples=example_views(bundle, stem, calculator_pages, lang), due_days=DUE_SOON_DAYS,
            today=formatting.long_date(today, lang), version=bundle["version"], **words)
    for section_id, section in policy.sections().items():
        topics = [t for t in bundle["topics"].values() if t["section"] == section_id]
        if topics and f"{section_id}/index.md" not in hand_written:
            pages[f"{section_id}/index.md"] = TEMPLATES.get_template("section.md.j2").render(
                section=section, topics=topics, **words)
    pages["changes.md"] = TEMPLATES.get_template("changes.md.j2").render(
        days=changelog(policy, today, lang), today=formatting.long_date(today, lang), due_days=DUE_SOON_DAYS,
        **words)
    pages["glossary.md"] = TEMPLATES.get_template("glossary.md.j2").render(entries=glossary_view(bundle, lang), **words)
    pages["sources.md"] = TEMPLATES.get_template("sources.md.j2").render(sources=sources_view(bundle, lang), **words)
    pages["editors/reference.md"] = TEMPLATES.get_template("reference.md.j2").render(
        schemas=schema_reference(lang), **words)
    return pages


def nav(bundle: dict, lang: str = "en") -> list:
    """The site's menu (MkDocs' `nav` shape) in `lang`: home, the sections with their topics, the
    calculators, the changes, the glossary and the editors' and integrators' pages. Titles from the
    YAML go through menu_text. Both languages have the same entries in the same order."""
    from calculators.api import specs

    def w(key: str) -> str:
        return formatting.word(key, lang)

    topics = bundle["topics"]
    menu: list = [{w("menu.home"): "index.md"}]
    for section_id, section in Policy(bundle).sections().items():
        # The index is titled here too: a title MkDocs took from the page's heading would reach
        # <title> unescaped by the theme's striptags (see menu_text).
        entries: list = [{menu_text(section["title"][lang]): f"{section_id}/index.md"}]
        entries += [{menu_text(entry["label"][lang]): f"{topics[stem]['section']}/{stem}.md"}
                    for stem, entry in section["topics"].items()]
        menu.append({menu_text(section["title"][lang]): entries})
    titles = {name: spec["title"] for name, spec in specs(bundle, lang).items()}
    menu.append({w("menu.calculators"): ["calculators/index.md"]
                 + [{menu_text(titles[name]): f"calculators/{name}.md"} for name in CALCULATORS]})
    menu.append({w("menu.changes"): "changes.md"})
    menu.append({w("menu.glossary"): "glossary.md"})
    menu.append({w("menu.sources"): "sources.md"})
    menu.append({w("menu.editors"): ["editors/index.md", {w("menu.key_reference"): "editors/reference.md"}]})
    menu.append({w("menu.integrators"): "integrators/index.md"})
    return menu


def glossary_view(bundle: dict, lang: str) -> list[dict]:
    """The glossary's entries as the page shows them: both terms, the definition in `lang`, and,
    where the seller centre has no established Chinese term, the note saying so."""
    out = []
    for entry_id, entry in bundle["glossary"].items():
        note = entry.get("zh_note", {}).get(lang) if entry.get("zh_established", True) is False else None
        out.append({"id": entry_id, "en": formatting.plain(entry["term"]["en"]), "zh": formatting.plain(entry["term"]["zh"]),
                    "definition": formatting.plain(entry["definition"][lang]),
                    "note": formatting.plain(note) if note else None})
    return out


def sources_view(bundle: dict, lang: str) -> list[dict]:
    """Each source as the sources page shows it: the badge a seller sees, what it is, who published
    it and when, and (for editors) the seed document's file and own headline."""
    rows = []
    for ref, source in bundle["sources"].items():
        date = source.get("date")
        rows.append({"id": ref, "badge": formatting.source_badge(ref, bundle, lang),
                     "title": formatting.plain(source["title"][lang]),
                     "by": formatting.plain(formatting.word("value.list_separator", lang).join(
                         source[k][lang] for k in ("publisher", "author") if source.get(k))),
                     "date": formatting.plain(_partial_date(date, lang)) if date else "—",
                     "url": source.get("url"), "file": source.get("file"),
                     "headline": formatting.plain(source["headline"][lang]) if source.get("headline") else ""})
    return rows


def _partial_date(date: str, lang: str) -> str:
    """'2021-12' -> 'December 2021' / 2021年12月; a whole date as any date reads; a year as itself."""
    parts = date.split("-")
    if len(parts) == 3:
        return formatting.long_date(date, lang)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return f"{year}年{month}月" if lang == "zh" else f"{MONTHS[month - 1]} {year}"
    return date


def glossary_words(bundle: dict) -> list[str]:
    """The glossary's Chinese words, for the search's word splitter: each run of Chinese characters
    in a term (POP（商家自运营）gives 商家自运营), two characters or more.

    >>> glossary_words({"glossary": {"x": {"term": {"en": "Annual fee", "zh": "年费"}},
    ...                              "y": {"term": {"en": "POP", "zh": "POP（商家自运营）"}}}})
    ['年费', '商家自运营']
    """
    out = []
    for entry in bundle["glossary"].values():
        for run in HAN_RUN.findall(entry["term"]["zh"]):
            if len(run) >= 2 and run not in out:
                out.append(run)
    return out


HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CODES = re.compile(r"\b(?:USD|CNY)\b")  # currency codes read the same in Chinese


def english(text: str, lang: str) -> str:
    """`text` marked as English on a page in another language when it has no Chinese in it: a schema
    description that lacks its Chinese twin (none does today). Screen readers then read it as
    English, and tests/test_languages.py knows it for English on purpose rather than a sentence the
    templates forgot to translate."""
    if lang == "en" or HAN_RUN.search(text) or not ENGLISH_WORD.search(CODES.sub("", text)):
        return text
    return f'<span lang="en">{text}</span>'


def menu_text(text: str) -> str:
    """A menu title that is text wherever the theme puts it.

    The theme prints a menu title as HTML in the menu, and in <title> after `striptags`, which
    turns character references back into characters. So `<` and `>` (which the check refuses in
    a label anyway) become look-alike quotes that no parser reads as a tag, and the rest is escaped.

    >>> menu_text('Fees & </title><img src=x onerror=alert(1)>')
    'Fees &amp; ‹/title›‹img src=x onerror=alert(1)›'
    """
    return html.escape(" ".join(text.split()).replace("<", "\u2039").replace(">", "\u203a"), quote=False)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def today_for_build() -> dt.date:
    """The build day the pages are written for: HANDBOOK_TODAY (YYYY-MM-DD; the tests pin it), else
    the machine's date in its time zone (the Pages workflow sets TZ, and rebuilds every day)."""
    pinned = os.environ.get("HANDBOOK_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def rule_view(policy, address: str, today: dt.date, lang: str = "en") -> dict:
    """What a rule's section shows: its rows (one per case), each with today's value and history."""
    rule = policy.rule(address)
    bundle = policy.bundle
    rows = []
    for label, history in _cases(rule, bundle, lang):
        now = resolve_history(address, history, today)
        periods = []
        for period in history:
            starts, ends = period["from"], period.get("until")
            status = ("announced" if dt.date.fromisoformat(starts) > today else
                      "ended" if ends and dt.date.fromisoformat(ends) < today else
                      "in force" if now.in_force and now.effective_from == starts else "replaced")
            periods.append({"from": formatting.long_date(starts, lang),
                            "until": formatting.long_date(ends, lang) if ends else "",
                            "value": formatting.value_text(period["value"], rule, bundle, lang=lang), "raw": period["value"],
                            "source": formatting.source_badge(period["source"], bundle, lang), "status": status,
                            "provenance": formatting.provenance_kind(period["source"], bundle),
                            "due": due_soon(starts, today, lang),
                            # A tier may name its own source (one sourced, the next illustrative).
                            "tier_sources": [formatting.tier_badge(tier, period["source"], bundle, lang)
                                             for tier in period["value"]] if rule["kind"] == "tiers" else []})
        current = next((p for p in periods if p["status"] == "in force"), None)
        rows.append({"label": label, "current": current, "periods": periods,
                     "status": now.status, "announced": [p for p in periods if p["status"] == "announced"],
                     "soon": [p for p in periods if p["due"]]})
    return {"address": address, "name": rule["name"], "title": formatting.plain(rule["title"][lang]),
            "description": formatting.rich(rule.get("description", {}).get(lang, "")), "kind": rule["kind"],
            "unit": rule.get("unit"), "varies_by": rule.get("varies_by"), "rows": rows,
            "temporary": all(p["until"] for r in rows for p in r["periods"]),
            "soon": [{"label": r["label"], **p} for r in rows for p in r["soon"]],
            "window_state": window_state(rule, today),
            "dimension": dimension_name(rule.get("varies_by") or "", bundle, lang)}


def due_soon(day: str, today: dt.date, lang: str = "en") -> str | None:
    """How a page marks a change due within DUE_SOON_DAYS of `today`; None for one due later (or past).

    >>> due_soon("2027-03-01", dt.date(2027, 1, 30)), due_soon("2027-03-01", dt.date(2027, 1, 29))
    ('From 1 March 2027, in 30 days', None)
    >>> due_soon("2027-03-01", dt.date(2027, 2, 28), "zh")
    '2027年3月1日起生效，即明天'
    """
    days = (dt.date.fromisoformat(day) - today).days
    if not 0 < days <= DUE_SOON_DAYS:
        return None
    if days == 1:
        return formatting.word("topic.due_tomorrow", lang, day=formatting.long_date(day, lang))
    return formatting.word("topic.due", lang, day=formatting.long_date(day, lang), days=days)


def window_state(rule: dict, today: dt.date) -> str:
    """Where `today` (the build day) stands in a rule's dated window: "upcoming" before its first
    day, "history" after its last `until`, else "in_force". A temporary measure's page words itself
    by it, so a measure announced for next month is not called history.

    >>> rule = {"values": [{"from": "2027-03-01", "until": "2027-03-31"}]}
    >>> [window_state(rule, dt.date(2027, 3, d)) for d in (1, 31)], window_state(rule, dt.date(2027, 2, 28))
    (['in_force', 'in_force'], 'upcoming')
    >>> window_state(rule, dt.date(2027, 4, 1))
    'history'
    """
    periods = [period for case in walk_cases(rule) for period in case.history]
    if not periods:
        return "history"
    if today < min(dt.date.fromisoformat(p["from"]) for p in periods):
        return "upcoming"
    ends = [p.get("until") for p in periods]
    if all(ends) and today > max(dt.date.fromisoformat(end) for end in ends):
        return "history"
    return "in_force"


def dimension_name(dimension: str, bundle: dict, lang: str) -> str:
    """A table's first column: what the rule varies by (category, medal, store type, ...)."""
    if not dimension:
        return ""
    if dimension in ("category", "scope"):
        return formatting.word(f"topic.{dimension}", lang)
    # A vocabulary (catalogue/terms.yaml) has its glossary entry under its own id: entity_type, medal, ...
    entry = bundle["glossary"].get(dimension)
    if entry is not None:
        return formatting.plain(entry["term"][lang])
    return dimension.replace("_", " ").capitalize()


def _cases(rule: dict, bundle: dict, lang: str = "en"):
    """(label, history) for the default and every case, nested variations flattened."""
    for case in walk_cases(rule):
        names = [formatting.label(key, dimension, bundle, lang) for dimension, key in case.dims]
        if case.is_default:
            names.append(formatting.plain(formatting.all_others(rule, case, bundle, lang)))
        yield " — ".join(names), case.history


def category_table(policy, stem: str, today: dt.date, lang: str = "en") -> dict | None:
    """The topic's category-varying rules side by side, one row per category, resolved today."""
    bundle = policy.bundle
    columns = [name for name in bundle["topics"][stem]["rules"]
               if policy.rule(f"{stem}.{name}").get("varies_by") == "category"
               and policy.rule(f"{stem}.{name}")["kind"] not in ("tiers", "list")]
    if not columns:
        return None
    rows = []
    for category, info in bundle["categories"].items():
        cells = []
        for name in columns:
            rule = policy.rule(f"{stem}.{name}")
            resolved = policy.resolve(f"{stem}.{name}", today, category=category, medal="none")
            cells.append(formatting.value_text(resolved.value, rule, bundle, lang=lang, yearly=False)
                         if resolved.in_force else "—")
        rows.append({"category": formatting.plain(formatting.name_of("category", category, bundle, lang)),
                     "scope": formatting.plain(formatting.name_of("scope", info["scope"], bundle, lang)), "cells": cells})
    return {"headers": [formatting.plain(policy.rule(f"{stem}.{n}")["title"][lang]) for n in columns], "rows": rows}


def example_views(bundle: dict, stem: str, calculator_pages: set[str], lang: str = "en") -> list[dict]:
    """The topic's worked examples as readable cases: labelled inputs, and the calculator's own headline.

    The result is computed here by the same code the tests check the example against, so the page
    shows exactly the outcome the example pins.
    """
    from urllib.parse import urlencode

    from calculators.api import run, specs

    fields = {name: {f["name"]: f for f in spec["inputs"]} for name, spec in specs(bundle, lang).items()}
    views = []
    for example in bundle["examples"]:
        if example["topic"] != stem:
            continue
        name = example["calculator"]
        result = run(bundle, name, example["inputs"], example["as_of"], lang=lang)
        query = urlencode({**{k: _query_value(v) for k, v in example["inputs"].items()}, "as_of": example["as_of"]})
        views.append({
            "title": formatting.plain(example["title"][lang]), "as_of": formatting.long_date(example["as_of"], lang),
            "headline": formatting.plain(result.get("headline", "")),
            "inputs": [(formatting.plain(fields[name][k]["label"]),
                        formatting.plain(_shown_input(fields[name][k], v, bundle, lang)))
                       for k, v in example["inputs"].items()],
            "link": f"../calculators/{name}.md?{query}" if name in calculator_pages else None,
        })
    return views


def _shown_input(field: dict, value: Any, bundle: dict, lang: str = "en") -> str:
    """An input as a reader would type or pick it: choice labels, Yes/No, grouped digits with units."""
    if field["type"] == "choice":
        return next((c["label"] for c in field["choices"] if c["value"] == value), str(value))
    if field["type"] == "boolean":
        return formatting.word("value.yes" if value else "value.no", lang)
    if field["type"] == "date":
        return formatting.long_date(value, lang)
    if isinstance(value, (int, float)):
        unit = field.get("unit")
        if unit in ("USD", "CNY"):
            return formatting.money(value, unit, lang)
        if unit:
            return formatting.fmt_count(value, unit, Words(bundle, lang))
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def _query_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def changelog(policy, today: dt.date, lang: str = "en") -> list[dict]:
    """Every dated change, grouped by day, newest first."""
    from collections import defaultdict

    ended = formatting.word("changes.no_longer_applies", lang)
    events: dict[str, list[dict]] = defaultdict(list)
    for address in policy.rules:
        view = rule_view(policy, address, today, lang)
        rule = policy.rule(address)
        for row in view["rows"]:
            what = view["title"] + (f" — {row['label']}" if row["label"] else "")
            link = f"{rule['page'].rstrip('/')}.md#{rule['anchor']}"
            previous = None
            for period, raw in zip(row["periods"], _raw_periods(rule, row["label"], policy.bundle, lang)):
                events[raw["from"]].append({"what": what, "link": link, "old": previous["value"] if previous else "—",
                                            "new": period["value"], "source": period["source"],
                                            "announced": period["status"] == "announced"})
                if raw.get("until"):
                    after = (dt.date.fromisoformat(raw["until"]) + dt.timedelta(days=1)).isoformat()
                    events[after].append({"what": what, "link": link, "old": period["value"], "new": ended,
                                          "source": period["source"], "announced": after > today.isoformat()})
                previous = period
    # A period that ends the day before the next starts is one change, not an end and a start.
    for day, entries in events.items():
        changed = {e["what"] for e in entries if e["new"] != ended}
        events[day] = [e for e in entries if not (e["new"] == ended and e["what"] in changed)]
    return [{"date": day, "long_date": formatting.long_date(day, lang), "entries": events[day],
             "due": due_soon(day, today, lang)}
            for day in sorted(events, reverse=True) if events[day]]


def _raw_periods(rule: dict, label: str, bundle: dict, lang: str = "en") -> list[dict]:
    for case_label, history in _cases(rule, bundle, lang):
        if case_label == label:
            return history
    return []


def _referred(node: dict, schema: dict) -> dict:
    """The definition a key's schema names (`$ref`, or its items' `$ref`), whose description
    says what the key means when the key's own schema does not; {} when it names none."""
    ref = node.get("$ref") or node.get("items", {}).get("$ref", "")
    prefix = "#/$defs/"
    return schema.get("$defs", {}).get(ref[len(prefix):], {}) if ref.startswith(prefix) else {}


def schema_reference(lang: str = "en") -> list[dict]:
    """Every object in the JSON Schemas with its keys, read from policies/schema/*.json.

    Titles and descriptions are in `lang`: on a Chinese page the schemas' Chinese twins
    (`x-title-zh`, `x-description-zh`, written beside the English in policy_loader/schema_source.py);
    a node without one would show its English, marked as English (`english`). Key names and the
    schemas' ids stay as they are in both languages."""
    yes, no = formatting.word("value.yes", lang), formatting.word("value.no", lang)

    def said(node: dict, keyword: str) -> str:
        return english(annotation(node, keyword, lang), lang)

    out = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        objects = [("(the file)", schema)] + [(name, d) for name, d in schema.get("$defs", {}).items()]
        the_file = formatting.word("reference.the_file", lang)
        tables = []
        seen_shapes = set()
        for name, node in objects:
            for label, obj in _objects_in(name, node):
                keys = [{"key": key, "type": _type_of(sub, lang),
                         "required": yes if key in obj.get("required", []) else no,
                         "description": said(sub, "description") or said(_referred(sub, schema), "description")}
                        for key, sub in obj["properties"].items()]
                shape = json.dumps(keys, sort_keys=True)
                if shape in seen_shapes:
                    continue  # the per-kind copies (history_amount, history_percent, ...) share one shape
                seen_shapes.add(shape)
                tables.append({"name": label.replace("(the file)", the_file),
                               "description": said(obj, "description"), "keys": keys,
                               "strict": obj.get("additionalProperties") is False})
        out.append({"file": path.name, "title": said(schema, "title") or path.name,
                    "description": said(schema, "description"), "tables": tables})
    return out


def _objects_in(name: str, node: dict):
    if "properties" in node:
        yield name, node
        for key, sub in node["properties"].items():
            if isinstance(sub, dict):
                yield from _objects_in(key if name == "(the file)" else f"{name} → {key}", sub)
    for sub_name, sub in (("items", node.get("items")), ("else", node.get("else")),
                          ("additionalProperties", node.get("additionalProperties"))):
        if isinstance(sub, dict):
            yield from _objects_in(f"{name} → {sub_name}" if sub_name != "else" else name, sub)


def _type_of(node: dict, lang: str = "en") -> str:
    """A key's type as the reference shows it: the JSON type in `lang` (words.yaml's
    reference.type_*), with its format, pattern and bounds; a shared definition by its name
    (as code on a Chinese page: it is the heading of that definition's table)."""
    def w(key: str, **fields: Any) -> str:
        return formatting.word(key, lang, **fields)

    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        return name.replace("_", " ") if lang == "en" else f"`{name}`"
    if "enum" in node:
        return w("reference.one_of", values=w("value.list_separator").join(f"`{v}`" for v in node["enum"]))
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    kind = w(f"reference.type_{node.get('type', 'any')}")
    extra = []
    if "format" in node:
        extra.append(w(f"reference.format_{node['format']}"))
    if "pattern" in node:
        extra.append(w("reference.pattern", pattern=f"`{node['pattern']}`"))
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">")):
        if key in node:
            extra.append(f"{sign} {node[key]:g}")
    return kind + (w("reference.details", details=w("value.list_separator").join(extra)) if extra else "")
