"""Results and findings: plain data that the CLI prints as JSON and the page draws.

Nothing here decides anything; rendering a result is a separate step in the browser.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

# fmt_date and MONTHS live with the words (messages.py), which write dates in input errors too.
from calculators.messages import MONTHS, fmt_date, key  # noqa: F401 - fmt_date is imported from here too
from calculators.policy import NoValue

PASS, FAIL, WARN, INFO = "pass", "fail", "warn", "info"


@dataclass
class Finding:
    """One rule that was applied, and how the seller's inputs fared against it."""

    rule: str  # the rule address, "assessment.threshold_new_store_usd"
    title: str
    outcome: str  # pass / fail / warn / info
    detail: str
    source: str  # handbook page and anchor: "staying/assessment/#threshold_new_store_usd"
    provenance: dict | None = None  # {kind, source, extended_from} of the value applied (Policy.provenance)


@dataclass
class Result:
    calculator: str
    as_of: str
    policy_version: str
    verdict: str
    headline: str
    amounts: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        # Shallow on purpose: dataclasses.asdict deep-copies every value and took two thirds of
        # a delisting run's time (bench/cli.py). Results are built fresh per call, so no copy is needed.
        return {**vars(self), "amounts": dict(self.amounts), "findings": [vars(f).copy() for f in self.findings],
                "next_steps": list(self.next_steps)}


def recorder(policy, findings: list[Finding]):
    """finding(address, outcome, detail, provenance): append a finding that cites its rule's page."""

    def finding(address: str, outcome: str, detail: str, provenance: dict | None = None) -> None:
        findings.append(Finding(address, policy.title(address), outcome, detail, policy.source_url(address), provenance))

    return finding


def answers_without_value(name: str, verdict: str, amounts: Iterable[str]) -> Callable:
    """Decorate a calculator's `evaluate`: when a rule it reads (Policy.applied) has no value in force on
    the day it needs one, the answer is `verdict` (one of the contract's codes) with every amount
    unknown (None) and a finding that says which rule had no value then, never an exception."""
    def decorate(evaluate: Callable) -> Callable:
        @functools.wraps(evaluate)
        def evaluate_or_say(policy, values: dict, as_of: dt.date) -> Result:
            try:
                return evaluate(policy, values, as_of)
            except NoValue as gap:
                return _no_value(policy, name, verdict, amounts, gap, as_of)
        return evaluate_or_say
    return decorate


def _no_value(policy, name: str, verdict: str, amounts: Iterable[str], gap: NoValue, as_of: dt.date) -> Result:
    say, title = policy.say, policy.say.quote(policy.title(gap.address))
    day = fmt_date(gap.day, policy.lang)
    category = gap.dims.get("category")
    detail = (say("common.no_value_for", title=title, date=day, category=say.quote(policy.category_label(category)))
              if category else say("common.no_value", title=title, date=day))
    findings: list[Finding] = []
    recorder(policy, findings)(gap.address, INFO, detail)
    return Result(name, as_of.isoformat(), policy.version, verdict, say("common.headline_no_value", title=title, date=day),
                  {amount: None for amount in amounts}, findings, [say("common.step_no_value")])


def temporary_measures(policy, calculator: str, as_of: dt.date, finding) -> None:
    """A note for each temporary measure (`applies_to` this calculator) in force on `as_of`.

    The brief: a calculation as of a date inside a temporary window applies that measure. None of
    them changes a verdict, so each is a note that says what applied then and for how long.
    """
    say, lang = policy.say, policy.lang
    for address, resolved in policy.in_force_for(calculator, as_of):
        rule = policy.rule(address)
        start = fmt_date(resolved.effective_from, lang)
        span = (say("common.span_from_to", start=start, end=fmt_date(resolved.effective_until, lang))
                if resolved.effective_until else say("common.span_from", start=start))
        about = rule.get("description", {}).get(lang)
        finding(address, INFO, say("common.temporary_measure", day=fmt_date(as_of, lang), span=span,
                                   title=rule["title"][lang], value=fmt_rule_value(rule, resolved.value, say))
                + (f" {about}" if about else ""), resolved.provenance)


def fmt_rule_value(rule: dict, value: Any, say=None) -> str:
    """A rule's value in a sentence: '10%', 'USD 5,000', '90 days', 'yes', '12 February 2020'.

    `say` (messages.Words) gives the words and the language; counts and yes/no need it.

    >>> fmt_rule_value({"kind": "percent"}, 10), fmt_rule_value({"kind": "amount", "unit": "CNY"}, 1.3)
    ('10%', 'CNY 1.30')
    """
    kind, unit = rule["kind"], rule.get("unit")
    lang = say.lang if say else "en"
    if kind == "percent":
        return f"{value:g}%"
    if kind == "amount":
        return fmt_money(value, unit, lang)
    if kind == "count":
        return fmt_count(value, unit, say)
    if kind == "boolean":
        return say("common.yes") if value else say("common.no")
    if kind == "date":
        return fmt_date(value, lang)
    return str(value)


def fmt_count(value: int, unit: str | None, say) -> str:
    """'90 days', '1 scope', '120个在线商品': a count with its unit's words (messages "common.count_<unit>",
    and "..._one" for one); a unit with no message keeps its own name."""
    if unit not in COUNT_UNITS:
        return f"{value:,} {unit}" if unit else f"{value:,}"
    return say(COUNT_UNITS[unit][value == 1], count=f"{value:,}")


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


def money(amount: float | int | None) -> float | int | None:
    """Round to cents, and show whole amounts as integers (JSON 10000, not 10000.0)."""
    if amount is None:
        return None
    rounded = round(float(amount), 2)
    return int(rounded) if rounded == int(rounded) else rounded


def fmt_money(amount: float | int | None, currency: str, lang: str = "en") -> str:
    """'USD 10,000' or 'USD 9,999.50', in both languages: the seller centre writes amounts with
    their currency code, and one form everywhere keeps a page and its calculator comparable.

    >>> fmt_money(9999.5, "USD")
    'USD 9,999.50'
    """
    value = money(amount)
    if value is None:
        return f"{currency} -"
    return f"{currency} {value:,}" if isinstance(value, int) else f"{currency} {value:,.2f}"


def fmt_month_day(value: str, lang: str = "en") -> str:
    """A yearly 'MM-DD' date: '02-14' -> '14 February', or 2月14日 in Chinese."""
    month, day = map(int, value.split("-"))
    return f"{month}月{day}日" if lang == "zh" else f"{day} {MONTHS[month - 1]}"


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
