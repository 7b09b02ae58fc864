"""Every dated change in the policies: one walk, read by the changelog page (hooks/pages.py) and the
Atom feeds (hooks/atom.py), so the two never disagree on what changed when.

A change is one case of one rule on one day: a new value (or a new rule or case), or a value that
stops applying. Values stay raw here; each reader writes them (calculators/formatters.py) as it needs:
Markdown for the page, plain text for the feed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from calculators.formatters import case_name
from calculators.messages import Words
from calculators.policy import walk_cases


@dataclass(frozen=True)
class Change:
    """One dated change to one case of a rule.

    `old` is None for a new rule or case, `new` None when the value stops applying; `source` is the
    source of the period that starts (or ends); `same_value` marks a new period whose value is the
    one before (a new source for the same rule: the page lists it, the feed does not).
    """

    address: str
    case: str  # the case's key path, "toys-hobbies" or "values" for the rule's own values
    label: str  # the case as a reader names it ("Toys & hobbies"), "" for the rule's own values
    on: dt.date
    old: Any
    new: Any
    source: Any
    same_value: bool = False


def changes(bundle: dict, lang: str = "en") -> Iterator[Change]:
    """Every dated change, rule by rule in the bundle's order, each case's in date order."""
    say = Words(bundle, lang)
    for address, rule in bundle["rules"].items():
        for case in walk_cases(rule):
            key = "/".join(key for _, key in case.dims) or "values"
            yield from _case_changes(address, key, case_name(rule, case, say), case.history)


def _case_changes(address: str, case: str, label: str, history: list[dict]) -> Iterator[Change]:
    """A case's periods -> changes. A period that starts the day after the one before ends (or
    replaces one with no end) is one change, old -> new; after a gap it is new, and the gap an end."""
    day = dt.timedelta(days=1)
    before = None  # (until, value, source) of the period before
    for period in history:
        starts = dt.date.fromisoformat(period["from"])
        until = dt.date.fromisoformat(period["until"]) if period.get("until") else None
        if before is not None and before[0] is not None and before[0] + day < starts:
            yield Change(address, case, label, before[0] + day, before[1], None, before[2])
            before = None
        yield Change(address, case, label, starts, before[1] if before else None, period["value"], period["source"],
                     same_value=before is not None and before[1] == period["value"])
        before = (until, period["value"], period["source"])
    if before is not None and before[0] is not None:
        yield Change(address, case, label, before[0] + day, before[1], None, before[2])
