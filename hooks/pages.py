"""The handbook's generated pages and menu, as a pure function of the policy bundle and a date.

`generate(bundle, today)` -> {path: Markdown}: one page per topic file (policies/<section>/<topic>.yaml -> <section>/<topic>/), an index per
section, the changelog (changes/) and the editors' key reference (editors/reference/). Pages are
Markdown rendered from Jinja2 templates in hooks/templates/, so search, tables of contents,
admonitions and tabs work as on hand-written pages. Values "in force today" are resolved by
calculators.policy, the same resolver the calculators use. `nav(bundle)` is the site's menu,
from catalogue/sections.yaml and calculators.registry.

Nothing here knows MkDocs: hooks/mkdocs_adapter.py hands the pages and the menu to it, so
another generator needs another adapter, not new pages. tests/test_page_generation.py calls
generate() directly.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from calculators.policy import Policy, resolve_history, walk_cases
from calculators.registry import CALCULATORS
from hooks import policy_text

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), undefined=StrictUndefined,
                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
TEMPLATES.filters["tier_condition"] = policy_text.tier_condition
# Policy text is escaped on its way into Markdown (see hooks/policy_text.py): titles and labels
# read as typed, summaries and descriptions keep only the Markdown subset, table cells keep their `|`.
TEMPLATES.filters["plain"] = policy_text.plain
TEMPLATES.filters["rich"] = policy_text.rich
TEMPLATES.filters["cell"] = policy_text.cell
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policies" / "schema"

# ---------------------------------------------------------------------------------------------
# The pages and the menu
# ---------------------------------------------------------------------------------------------


def generate(bundle: dict, today: dt.date, calculator_pages: set[str] = frozenset(),
             hand_written: set[str] = frozenset()) -> dict[str, str]:
    """Every generated page: path under docs/ (joining/requirements.md, ...) -> its Markdown.

    `calculator_pages` are the calculators with a page (examples link to them); a section index
    in `hand_written` (paths under docs/) is left to the hand-written page.
    """
    policy = Policy(bundle)
    pages = {}
    for stem, topic in bundle["topics"].items():
        pages[f"{topic['section']}/{stem}.md"] = TEMPLATES.get_template("topic.md.j2").render(
            topic=topic, rules=[rule_view(policy, f"{stem}.{name}", today) for name in topic["rules"]],
            by_category=category_table(policy, stem, today), examples=example_views(bundle, stem, calculator_pages),
            today=today.isoformat(), version=bundle["version"])
    for section_id, section in policy.sections().items():
        topics = [t for t in bundle["topics"].values() if t["section"] == section_id]
        if topics and f"{section_id}/index.md" not in hand_written:
            pages[f"{section_id}/index.md"] = TEMPLATES.get_template("section.md.j2").render(section=section,
                                                                                             topics=topics)
    pages["changes.md"] = TEMPLATES.get_template("changes.md.j2").render(days=changelog(policy, today),
                                                                         today=today.isoformat())
    pages["editors/reference.md"] = TEMPLATES.get_template("reference.md.j2").render(schemas=schema_reference())
    return pages


def nav(bundle: dict) -> list:
    """The site's menu (MkDocs' `nav` shape): home, the sections with their topics, the calculators,
    the changes and the editors' pages. Titles from the YAML go through menu_text."""
    topics = bundle["topics"]
    menu: list = [{"Home": "index.md"}]
    for section_id, section in Policy(bundle).sections().items():
        # The index is titled here too: a title MkDocs took from the page's heading would reach
        # <title> unescaped by the theme's striptags (see menu_text).
        entries: list = [{menu_text(section["title"]["en"]): f"{section_id}/index.md"}]
        entries += [{menu_text(entry["label"]["en"]): f"{topics[stem]['section']}/{stem}.md"}
                    for stem, entry in section["topics"].items()]
        menu.append({menu_text(section["title"]["en"]): entries})
    menu.append({"Calculators": ["calculators/index.md"]
                 + [{module.TITLE: f"calculators/{name}.md"} for name, module in CALCULATORS.items()]})
    menu.append({"Changes": "changes.md"})
    menu.append({"For policy editors": ["editors/index.md", {"Key reference": "editors/reference.md"}]})
    menu.append({"For integrators": "integrators/index.md"})
    return menu


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
    pinned = os.environ.get("HANDBOOK_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def rule_view(policy, address: str, today: dt.date) -> dict:
    """What a rule's section shows: its rows (one per case), each with today's value and history."""
    rule = policy.rule(address)
    bundle = policy.bundle
    rows = []
    for label, history in _cases(rule, bundle):
        now = resolve_history(address, history, today)
        periods = []
        for period in history:
            starts, ends = period["from"], period.get("until")
            status = ("announced" if dt.date.fromisoformat(starts) > today else
                      "ended" if ends and dt.date.fromisoformat(ends) < today else
                      "in force" if now.in_force and now.effective_from == starts else "replaced")
            periods.append({"from": policy_text.long_date(starts), "until": policy_text.long_date(ends) if ends else "",
                            "value": policy_text.value_text(period["value"], rule, bundle), "raw": period["value"],
                            "source": policy_text.source_badge(period["source"], bundle), "status": status,
                            "provenance": policy_text.provenance_kind(period["source"], bundle)})
        current = next((p for p in periods if p["status"] == "in force"), None)
        rows.append({"label": label, "current": current, "periods": periods,
                     "status": now.status, "announced": [p for p in periods if p["status"] == "announced"]})
    return {"address": address, "name": rule["name"], "title": policy_text.plain(rule["title"]["en"]),
            "description": policy_text.rich(rule.get("description", {}).get("en", "")), "kind": rule["kind"],
            "unit": rule.get("unit"), "varies_by": rule.get("varies_by"), "rows": rows,
            "temporary": all(p["until"] for r in rows for p in r["periods"]),
            "dimension": (rule.get("varies_by") or "").replace("_", " ").capitalize()}


def _cases(rule: dict, bundle: dict):
    """(label, history) for the default and every case, nested variations flattened."""
    for case in walk_cases(rule):
        names = [policy_text.label(key, dimension, bundle) for dimension, key in case.dims]
        if case.is_default:
            names.append("All other categories" if case.varies_by == "category" else "All others")
        yield " — ".join(names), case.history


def category_table(policy, stem: str, today: dt.date) -> dict | None:
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
            cell = policy_text.value_text(resolved.value, rule, bundle) if resolved.in_force else "—"
            cells.append(cell.replace(" each year", ""))
        rows.append({"category": policy_text.plain(policy.category_label(category)),
                     "scope": policy_text.plain(policy.scope_label(info["scope"])), "cells": cells})
    return {"headers": [policy_text.plain(policy.title(f"{stem}.{n}")) for n in columns], "rows": rows}


def example_views(bundle: dict, stem: str, calculator_pages: set[str]) -> list[dict]:
    """The topic's worked examples as readable cases: labelled inputs, and the calculator's own headline.

    The result is computed here by the same code the tests check the example against, so the page
    shows exactly the outcome the example pins.
    """
    from urllib.parse import urlencode

    from calculators.api import run, specs

    fields = {name: {f["name"]: f for f in spec["inputs"]} for name, spec in specs(bundle).items()}
    views = []
    for example in bundle["examples"]:
        if example["topic"] != stem:
            continue
        name = example["calculator"]
        result = run(bundle, name, example["inputs"], example["as_of"])
        query = urlencode({**{k: _query_value(v) for k, v in example["inputs"].items()}, "as_of": example["as_of"]})
        views.append({
            "title": policy_text.plain(example["title"]["en"]), "as_of": policy_text.long_date(example["as_of"]),
            "calculator": name, "verdict": example["expect"]["verdict"].replace("_", " "),
            "headline": policy_text.plain(result.get("headline", "")),
            "inputs": [(policy_text.plain(fields[name][k]["label"]), policy_text.plain(_shown_input(fields[name][k], v)))
                       for k, v in example["inputs"].items()],
            "link": f"../calculators/{name}.md?{query}" if name in calculator_pages else None,
        })
    return views


def _shown_input(field: dict, value: Any) -> str:
    """An input as a reader would type or pick it: choice labels, Yes/No, grouped digits with units."""
    if field["type"] == "choice":
        return next((c["label"] for c in field["choices"] if c["value"] == value), str(value))
    if field["type"] == "boolean":
        return "Yes" if value else "No"
    if field["type"] == "date":
        return policy_text.long_date(value)
    if isinstance(value, (int, float)):
        text = f"{value:,}" if float(value).is_integer() else f"{value:,.2f}"
        text = text.removesuffix(".0")
        unit = field.get("unit")
        return f"{unit} {text}" if unit in ("USD", "CNY") else f"{text} {unit}" if unit else text
    return str(value)


def _query_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def changelog(policy, today: dt.date) -> list[dict]:
    """Every dated change, grouped by day, newest first."""
    from collections import defaultdict

    events: dict[str, list[dict]] = defaultdict(list)
    for address in policy.rules:
        view = rule_view(policy, address, today)
        rule = policy.rule(address)
        for row in view["rows"]:
            what = view["title"] + (f" — {row['label']}" if row["label"] else "")
            link = f"{rule['page'].rstrip('/')}.md#{rule['anchor']}"
            previous = None
            for period, raw in zip(row["periods"], _raw_periods(rule, row["label"], policy.bundle)):
                events[raw["from"]].append({"what": what, "link": link, "old": previous["value"] if previous else "—",
                                            "new": period["value"], "source": period["source"],
                                            "announced": period["status"] == "announced"})
                if raw.get("until"):
                    after = (dt.date.fromisoformat(raw["until"]) + dt.timedelta(days=1)).isoformat()
                    events[after].append({"what": what, "link": link, "old": period["value"], "new": "no longer applies",
                                          "source": period["source"], "announced": after > today.isoformat()})
                previous = period
    # A period that ends the day before the next starts is one change, not an end and a start.
    for day, entries in events.items():
        changed = {e["what"] for e in entries if e["new"] != "no longer applies"}
        events[day] = [e for e in entries if not (e["new"] == "no longer applies" and e["what"] in changed)]
    return [{"date": day, "long_date": policy_text.long_date(day), "entries": events[day]}
            for day in sorted(events, reverse=True) if events[day]]


def _raw_periods(rule: dict, label: str, bundle: dict) -> list[dict]:
    for case_label, history in _cases(rule, bundle):
        if case_label == label:
            return history
    return []


def schema_reference() -> list[dict]:
    """Every object in the JSON Schemas with its keys, read from policies/schema/*.json."""
    out = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        objects = [("(the file)", schema)] + [(name, d) for name, d in schema.get("$defs", {}).items()]
        tables = []
        seen_shapes = set()
        for name, node in objects:
            for label, obj in _objects_in(name, node):
                keys = [{"key": key, "type": _type_of(sub), "required": key in obj.get("required", []),
                         "description": sub.get("description", "")} for key, sub in obj["properties"].items()]
                shape = json.dumps(keys, sort_keys=True)
                if shape in seen_shapes:
                    continue  # the per-kind copies (history_amount, history_percent, ...) share one shape
                seen_shapes.add(shape)
                tables.append({"name": label, "description": obj.get("description", ""), "keys": keys,
                               "strict": obj.get("additionalProperties") is False})
        out.append({"file": path.name, "title": schema.get("title", path.name), "description": schema.get("description", ""),
                    "tables": tables})
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


def _type_of(node: dict) -> str:
    if "$ref" in node:
        return node["$ref"].split("/")[-1].replace("_", " ")
    if "enum" in node:
        return "one of: " + ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type", "any")
    extra = []
    if "format" in node:
        extra.append(node["format"])
    if "pattern" in node:
        extra.append(f"pattern `{node['pattern']}`")
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">")):
        if key in node:
            extra.append(f"{word} {node[key]:g}")
    return f"{kind}" + (f" ({', '.join(extra)})" if extra else "")
