"""How policy values read on a page: money, percentages, days, dates, lists, tiers, sources.

Used by the page templates as Jinja filters. Formatting only: every value comes from the bundle
and every "in force" question is answered by calculators.policy, as in the calculators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from calculators.result import fmt_date as long_date  # one home for how a date reads
from calculators.result import fmt_month_day as month_day
COMPARISON_WORDS = {"at_least": "at least", "more_than": "more than", "at_most": "at most", "less_than": "less than"}


def money(amount: float, currency: str) -> str:
    """'USD 10,000' / 'CNY 1.30'.

    >>> money(50000000, "CNY")
    'CNY 50,000,000'
    """
    return f"{currency} {amount:,.0f}" if float(amount).is_integer() else f"{currency} {amount:,.2f}"


def value_text(value: Any, rule: dict, bundle: dict) -> str:
    """One value of `rule`, as a reader sees it in running text or a table cell."""
    kind, unit = rule["kind"], rule.get("unit")
    if value is None:
        return "—"
    if kind == "amount":
        text = money(value, unit)
    elif kind == "percent":
        text = f"{value:g}%"
    elif kind == "count":
        text = f"{value:,} {unit if value != 1 else unit.rstrip('s')}"
    elif kind == "rate":
        text = f"CNY {value:g} per USD 1"
    elif kind == "boolean":
        text = "Yes" if value else "No"
    elif kind == "month_day":
        text = f"{month_day(value)} each year"
    elif kind == "date":
        text = long_date(value)
    elif kind == "list":
        text = ", ".join(label(item, rule.get("of"), bundle) for item in value) or "none"
    elif kind == "text":
        return value["en"]
    elif kind == "text_list":
        return "; ".join(item["en"] for item in value)
    elif kind == "tiers":
        return "; ".join(f"{t['percent']:g}% at {tier_condition(t, unit)}" for t in value)
    else:
        text = str(value)
    comparison = rule.get("comparison")
    return f"{COMPARISON_WORDS[comparison]} {text}" if comparison and kind in ("amount", "count") else text


def tier_condition(tier: dict, unit: str) -> str:
    amount = money(tier["amount"], unit)
    return f"more than {amount}" if tier["comparison"] == "more_than" else f"{amount} or more"


def label(key: str, vocabulary: str | None, bundle: dict) -> str:
    """The reader's name for an id: a category, scope or term."""
    if vocabulary in (None, "category", "scope"):
        # A scope id that is also a category id (apparel-accessories) reads as the whole scope.
        if key in bundle["scopes"]:
            scope = bundle["scopes"][key]["label"]["en"]
            return scope if vocabulary == "scope" else f"{scope} (whole scope)"
        if key in bundle["categories"]:
            return bundle["categories"][key]["label"]["en"]
    terms = bundle["terms"].get(vocabulary or "", {})
    return terms[key]["label"]["en"] if key in terms else key


def source_badge(source: Any, bundle: dict) -> str:
    """Inline HTML naming where a value comes from; illustrative values say so plainly."""
    ref, note = (source, None) if isinstance(source, str) else (source["ref"], source.get("note"))
    info = bundle["sources"][ref]
    if info["kind"] == "seed":
        text = (f'<span class="prov prov-seed" title="{_attr(info["title"]["en"])}">Source: seed '
                f'<code>{info["file"]}</code></span>')
    elif info["kind"] == "published":
        text = '<span class="prov prov-published">Source: published (secondary sources)</span>'
    else:
        text = '<span class="prov prov-illustrative">Illustrative: no source gives this value</span>'
    return text + (f' <span class="prov-note">({_escape(note)})</span>' if note else "")


def provenance_kind(source: Any, bundle: dict) -> str:
    ref = source if isinstance(source, str) else source["ref"]
    return bundle["sources"][ref]["kind"]


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
