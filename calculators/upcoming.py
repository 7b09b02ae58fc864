"""Announced changes, applied to the seller's own figures: a result's `upcoming` (design.md, Result).

For each rule the calculation used (its findings), in the case its inputs select (category,
medal, ...), every dated value that starts after the as-of date is an announced change. The same
inputs are run again in a copy of the policies where that change is in force from the as-of date
on, so the answer shows what the change does to these figures. A calculator may say which of its
dates the change first reaches (`announced_inputs`, giving the inputs and as-of date to run: delisting
moves to the first assessment on or after the change, eligibility to an application on the day of
the change), so the headline under the change names the day it will apply.

Computed here once for every calculator (api.evaluate calls `upcoming`), never per calculator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from calculators.messages import Words, key
from calculators.policy import Policy, resolve_history
from calculators.result import fmt_date, fmt_month_day, fmt_rule_value


def upcoming(policy: Policy, calculator, values: dict, as_of: dt.date, result: dict) -> list[dict]:
    """`[{"on", "rule", "title", "from", "to", "verdict", "headline"}]`, by date then rule; [] when nothing is announced."""
    items = []
    for address, index, history, path in _announced(policy, values, result, as_of):
        period = history[index]
        on = dt.date.fromisoformat(period["from"])
        before = resolve_history(address, history, on - dt.timedelta(days=1))
        if before.in_force and before.value == period["value"]:
            continue  # a new period (a new source, say) that changes nothing
        changed = Policy(_with_change(policy.bundle, address, path, history, index, as_of), policy.lang)
        moved = calculator.announced_inputs
        rerun = calculator.evaluate(changed, *(moved(changed, values, as_of, on) if moved else (values, as_of)))
        items.append({"on": period["from"], "rule": address, "title": policy.title(address),
                      "from": before.value if before.in_force else None, "to": period["value"],
                      "verdict": rerun.verdict, "headline": rerun.headline})
    return sorted(items, key=lambda item: (item["on"], item["rule"]))


def notices(bundle: dict, calculator, inputs: dict, result: dict, lang: str) -> list[str]:
    """What the page says under a result about its `upcoming`, one sentence group per change, in `lang`;
    ["No announced change affects these figures."] when there is none."""
    say = Words(bundle, lang)
    if not result.get("upcoming"):
        return [say("upcoming.none")]
    policy = Policy(bundle, lang)
    category = inputs.get("category") if isinstance(inputs, dict) else None
    said = []
    for item in result["upcoming"]:
        rule = policy.rule(item["rule"])
        dimension = rule.get("varies_by")
        chosen = inputs.get(dimension) if dimension and isinstance(inputs, dict) else None
        # The case's name without its explanation: "Individual business", not "... (registered sole proprietor)".
        case = policy.label(dimension, chosen).split(" (")[0].split("（")[0] if isinstance(chosen, str) else ""
        where = say("upcoming.for_case", case=case) if case else ""
        text = say(_change_key(item), date=fmt_date(item["on"], lang), title=say.quote(item["title"]), where=where,
                   before=_value_text(rule, item["from"], say), after=_value_text(rule, item["to"], say))
        when = calculator.announced_when
        applies = when(policy, result, category, dt.date.fromisoformat(item["on"])) if when else None
        same = item["verdict"] == result["verdict"] and item["headline"] == result["headline"]
        outcome = say("upcoming.same") if same else say("upcoming.would", headline=item["headline"])
        said.append(("" if lang == "zh" else " ").join(part for part in (text, applies, outcome) if part))
    return said


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _announced(policy: Policy, values: dict, result: dict, as_of: dt.date) -> Iterator[tuple[str, int, list, tuple]]:
    """(rule, index of the period, its history, the history's key path) for each dated value that starts
    after `as_of`, in the rules the result's findings applied and the case the inputs select."""
    dims = {name: value for name, value in values.items() if isinstance(value, str)}
    for address in dict.fromkeys(finding["rule"] for finding in result["findings"]):
        if address not in policy.rules:
            continue
        history = policy.history(address, **dims)
        if not history:
            continue
        # The key path of that history, from the one walk over the rule (identity: the same list).
        path = next(case.path for case in policy.cases(address) if case.history is history)
        for index, period in enumerate(history):
            if dt.date.fromisoformat(period["from"]) > as_of:
                yield address, index, history, path


def _with_change(bundle: dict, address: str, path: tuple, history: list, index: int, as_of: dt.date) -> dict:
    """A copy of `bundle` (shallow but for the one rule) where period `index` of the history at `path`
    is in force from `as_of`: the periods in force by then end the day before; the ones after it stay."""
    cut = (as_of - dt.timedelta(days=1)).isoformat()
    kept = [dict(period) for period in history[:index] if period["from"] <= as_of.isoformat()]
    for period in kept:
        if period.get("until") is None or period["until"] > cut:
            period["until"] = cut
    changed = kept + [{**history[index], "from": as_of.isoformat()}] + list(history[index + 1:])
    rule = _replaced(bundle["rules"][address], path, changed)
    return {**bundle, "rules": {**bundle["rules"], address: rule}}


def _replaced(node: dict, path: tuple, history: list) -> dict:
    """`node` copied along `path` (("cases", "toys-hobbies") or ("values",)), with `history` at its end."""
    head, *rest = path
    if not rest:
        return {**node, head: history}
    return {**node, head: _replaced(node[head], tuple(rest), history)}


def _change_key(item: dict) -> str:
    before, after = item["from"], item["to"]
    if before is None:
        return key("upcoming.starts")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (before, after))
    if numbers:
        return key("upcoming.rises") if after > before else key("upcoming.falls")
    return key("upcoming.changes")


def _value_text(rule: dict, value: Any, say: Words) -> str:
    """A rule's value as the notice says it: 'USD 12,000', 'no', or a list's items."""
    if value is None:
        return say("view.none")
    if rule["kind"] == "tiers":
        from calculators.refund import describe  # the one wording of a tier

        return say.list([describe(tier, say) for tier in value])
    if isinstance(value, list):
        return say.list([item.get(say.lang, str(item)) if isinstance(item, dict) else str(item) for item in value])
    if rule["kind"] == "month_day":
        return fmt_month_day(value, say.lang)  # a yearly day: "14 January"
    if rule["kind"] == "boolean":
        return say.quote(fmt_rule_value(rule, value, say))  # changes from “yes” to “no”
    return fmt_rule_value(rule, value, say)



def upcoming_view(bundle: dict, calculator, inputs: dict, result: dict, lang: str) -> dict:
    """What the page draws under a result (present.view): a heading and the notices, in `lang`."""
    return {"heading": Words(bundle, lang)("upcoming.heading"), "announced": bool(result["upcoming"]),
            "notices": notices(bundle, calculator, inputs, result, lang)}
