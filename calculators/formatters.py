"""How every figure reads, in either language: money, dates, counts, percentages, a rule's value, an
input as the reader gave it, and the separators between items.

One home for the calculators' results (result.py, present.py, upcoming.py, sweep.py), the pages
(hooks/formatting.py adds Markdown escaping on top), the policy diff and the Atom feed, so a page
and a result never write the same figure two ways. The words these forms use (units, yes/no,
"each year", separators) come from the catalogue (policies/catalogue/messages.yaml) through a
messages.Words; only the shapes of numbers are here.

Chinese figures are written as merchants write them: 10,000元 and 15,000美元 (the currency always
named), a large round amount in 万 (5,000万元), day counts without a thousands separator (1446天).
JSON amounts are numbers and never pass through here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from calculators.inputs import typed_number
# Dates are written in messages.py, below this module: field errors name dates too (inputs.py -> messages.py).
from calculators.messages import MONTHS, Problem, Words, fmt_date, key  # noqa: F401 - re-exported
from calculators.policy import COMPARISON_KEYS, Policy

# The currency a Chinese amount ends with: 元 is the renminbi, as sellers write it on the seller centre.
CURRENCY_ZH = {"CNY": "元", "USD": "美元"}
# A Chinese amount at least this large and a whole number of 万 (10,000) reads in 万: 5,000万元, not
# 50,000,000元. Below a million, the digits are as short and a merchant reads them at a glance.
WAN, WAN_FROM = 10_000, 1_000_000
# Time spans a Chinese sentence writes without a thousands separator ("1446天"): a separator there
# reads as a list of two numbers; counts of things keep theirs ("1,200个在线商品").
UNGROUPED_ZH = {"days", "months", "hours"}


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def money(amount: float | int | None) -> float | int | None:
    """Round to cents, and show whole amounts as integers (JSON 10000, not 10000.0)."""
    if amount is None:
        return None
    rounded = round(float(amount), 2)
    return int(rounded) if rounded == int(rounded) else rounded


def fmt_money(amount: float | int | None, currency: str, lang: str = "en") -> str:
    """An amount with its currency: 'USD 10,000' in English, as the seller centre writes it; in
    Chinese 10,000元, 15,000美元, and 5,000万元 for a large round amount.

    >>> fmt_money(9999.5, "USD"), fmt_money(9999.5, "USD", "zh"), fmt_money(50_000_000, "CNY", "zh")
    ('USD 9,999.50', '9,999.50美元', '5,000万元')
    """
    value = money(amount)
    digits = "-" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    if lang != "zh" or currency not in CURRENCY_ZH:
        return f"{currency} {digits}"
    if isinstance(value, int) and value >= WAN_FROM and value % WAN == 0:
        return f"{value // WAN:,}万{CURRENCY_ZH[currency]}"
    return f"{digits}{CURRENCY_ZH[currency]}"


def fmt_percent(value: float | int) -> str:
    """'10%', '12.5%'."""
    return f"{value:g}%"


def fmt_count(value: int, unit: str | None, say: Words) -> str:
    """'90 days', '1 scope', '1446天', '1,200个在线商品': a count with its unit's words (messages
    "common.count_<unit>", and "..._one" for one); a unit with no message keeps its own name."""
    grouped = fmt_day_number(value, say.lang) if unit in UNGROUPED_ZH else f"{value:,}"
    if unit not in COUNT_UNITS:
        return f"{grouped} {unit}" if unit and say.lang != "zh" else f"{grouped}{unit or ''}"
    return say(COUNT_UNITS[unit][value == 1], count=grouped)


def fmt_day_number(value: int, lang: str = "en") -> str:
    """The number of a count of days, for a sentence that writes the unit itself: '1,446', or 1446 in Chinese."""
    return str(value) if lang == "zh" else f"{value:,}"


def fmt_number(value: int | float) -> str:
    """A bare number with its thousands marked: '3,500', '12.50'."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


# The units a count is written with: unit -> (its message, its message for a count of one).
# (Written out, so that the message-key scan in tests/test_messages.py finds each key.)
COUNT_UNITS = {
    "days": (key("common.count_days"), key("common.count_days_one")),
    "months": (key("common.count_months"), key("common.count_months_one")),
    "stores": (key("common.count_stores"), key("common.count_stores_one")),
    "listings": (key("common.count_listings"), key("common.count_listings_one")),
    "hours": (key("common.count_hours"), key("common.count_hours_one")),
    "scopes": (key("common.count_scopes"), key("common.count_scopes_one")),
    "brands": (key("common.count_brands"), key("common.count_brands_one")),
}


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def fmt_month_day(value: str, lang: str = "en") -> str:
    """A yearly 'MM-DD' date: '02-14' -> '14 February', or 2月14日 in Chinese."""
    month, day = map(int, value.split("-"))
    return f"{month}月{day}日" if lang == "zh" else f"{day} {MONTHS[month - 1]}"


# ---------------------------------------------------------------------------------------------
# A rule's value
# ---------------------------------------------------------------------------------------------


def fmt_rule_value(rule: dict, value: Any, say: Words, *, yearly: bool = True, compared: bool = False,
                   name: Callable[[str, str | None], str] | None = None,
                   text: Callable[[str], str] = lambda words: words) -> str:
    """One value of `rule` as a reader sees it: '10%', 'USD 5,000', '90 days', 'Yes', '14 February
    each year', a list of category names, the refund tiers, a policy text.

    `yearly=False` leaves "each year" off a yearly date (a table column that says it once);
    `compared` puts the rule's comparison before an amount or count ("at least USD 10,000"), as a
    page states a threshold. A page passes `name` and `text` to escape names and policy text for
    Markdown; by default both stay as they are (a sentence, a terminal, a feed).

    >>> say = Words({"messages": {"common.yes": {"en": "Yes"}}})
    >>> fmt_rule_value({"kind": "percent"}, 10, say), fmt_rule_value({"kind": "amount", "unit": "CNY"}, 1.3, say)
    ('10%', 'CNY 1.30')
    """
    kind, unit, lang = rule["kind"], rule.get("unit"), say.lang
    name = name or (lambda item, vocabulary: item_name(item, vocabulary, say))
    if value is None:
        return "—"
    if kind == "text":
        return text(value[lang])
    if kind == "text_list":
        # Items joined into one line: an item's own full stop would read ".;" / "。；" before the next.
        stop = say("value.full_stop")
        return say.clauses([text(item[lang]).removesuffix(stop) for item in value])
    if kind == "tiers":
        return say.clauses([say("value.tier", percent=f"{t['percent']:g}", condition=tier_condition(t, unit, say))
                            for t in value])
    shown = _scalar(kind, unit, value, say, yearly, name)
    comparison = rule.get("comparison")
    if compared and comparison and kind in ("amount", "count"):
        return f"{say(COMPARISON_KEYS[comparison])}{'' if lang == 'zh' else ' '}{shown}"
    return shown


def _scalar(kind: str, unit: str | None, value: Any, say: Words, yearly: bool, name) -> str:
    if kind == "amount":
        return fmt_money(value, unit, say.lang)
    if kind == "percent":
        return fmt_percent(value)
    if kind == "count":
        return fmt_count(value, unit, say)
    if kind == "rate":
        return say("value.rate", rate=f"{value:g}")
    if kind == "boolean":
        return say("common.yes" if value else "common.no")
    if kind == "month_day":
        return say("value.each_year", day=fmt_month_day(value, say.lang)) if yearly else fmt_month_day(value, say.lang)
    if kind == "date":
        return fmt_date(value, say.lang)
    if kind == "list":
        return say.list([name(item, None) for item in value]) or say("view.none")
    return str(value)


def tier_condition(tier: dict, unit: str, say: Words) -> str:
    """A refund tier's condition: 'more than USD 10,000', '超过15,000美元', '10,000美元及以上'."""
    amount = fmt_money(tier["amount"], unit, say.lang)
    return say("chart.band_more_than" if tier["comparison"] == "more_than" else "chart.band_or_more", amount=amount)


def item_name(item: str, vocabulary: str | None, say: Words) -> str:
    """The reader's name for an id in a list value or a case: a category, a scope (read as the whole
    scope where a category could stand) or a term; the id if unnamed."""
    policy = Policy(say.bundle, say.lang)
    if vocabulary in (None, "category", "scope"):
        if item in say.bundle["scopes"]:
            scope = policy.label("scope", item)
            return scope if vocabulary == "scope" else say("value.whole_scope", scope=scope)
        if item in say.bundle["categories"]:
            return policy.label("category", item)
    return policy.label(vocabulary or "", item)


def case_name(rule: dict, case, say: Words, name: Callable[[str, str | None], str] | None = None) -> str:
    """A case of a rule (policy.walk_cases) as a reader names it: "Human hair wigs — Gold", "All other
    categories", and for the default of a vocabulary whose cases leave one term, that term ("No
    medal", not "All others")."""
    name = name or (lambda item, vocabulary: item_name(item, vocabulary, say))
    names = [name(item, dimension) for dimension, item in case.dims]
    if case.is_default:
        names.append(_others(rule, case, say, name))
    return " — ".join(names)


def _others(rule: dict, case, say: Words, name) -> str:
    if case.varies_by == "category":
        return say("case.all_other_categories")
    node = rule
    for step in case.path[:-1]:
        node = node[step]
    left = [term for term in say.bundle["terms"].get(case.varies_by, {}) if term not in (node.get("cases") or {})]
    return name(left[0], case.varies_by) if len(left) == 1 else say("case.all_others")


# ---------------------------------------------------------------------------------------------
# An input as the reader gave it
# ---------------------------------------------------------------------------------------------


def fmt_input(field, value: Any, say: Words) -> str:
    """An input as a reader typed or picked it (inputs.Field `field`): the choice's label, Yes/No,
    the date written out, money with its currency; counts of things as the number alone (the
    label names what is counted), time spans with their unit. Text that is not a number stays as typed.
    """
    if field.type == "choice":
        return dict(field.labelled_choices(say.bundle, say.lang)).get(str(value), str(value))
    if field.type == "boolean":
        return say("common.yes") if value in (True, "true") else say("common.no")
    if field.type == "date":
        try:
            return fmt_date(str(value), say.lang)
        except ValueError:
            return str(value)
    try:  # read as the calculators read what a person typed ("9,000", "１２０００")
        number = typed_number(field, value)
    except Problem:
        return str(value)
    if field.unit in CURRENCY_ZH:
        return fmt_money(float(number), field.unit, say.lang)
    if field.unit in UNGROUPED_ZH:
        return fmt_count(int(number), field.unit, say)
    return fmt_number(number)
