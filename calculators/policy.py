"""Read rules from the policy bundle, resolving every dated value as of one date.

This is the one resolver: calculators and handbook pages both ask it "the value of X as of D",
so they cannot disagree. A date before a rule existed, after it ended, or a case the rule does
not cover gives a `Resolved` whose `value` is None and whose `status` says why; never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

IN_FORCE, NOT_YET, ENDED, NO_CASE = "in_force", "not_yet_in_force", "ended", "no_value_for_case"


@dataclass(frozen=True)
class Resolved:
    """A rule's value on one date, with the period it comes from."""

    address: str
    status: str
    value: Any = None
    effective_from: str | None = None
    effective_until: str | None = None
    source: str | None = None  # the source id: seed-000, published, illustrative, ...
    source_note: str | None = None

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE


class Policy:
    """The bundle, with look-ups by rule address ("assessment.threshold_new_store_usd")."""

    def __init__(self, bundle: dict):
        self.bundle = bundle
        self.version: str = bundle["version"]
        self.rules: dict[str, dict] = bundle["rules"]
        self.categories: dict[str, dict] = bundle["categories"]

    def rule(self, address: str) -> dict:
        return self.rules[address]

    def resolve(self, address: str, as_of: dt.date, **dims: str) -> Resolved:
        """The value of rule `address` as of `as_of`, for the given dimensions (category=..., medal=...)."""
        history = self.history(address, **dims)
        if history is None:
            return Resolved(address, NO_CASE)
        return resolve_history(address, history, as_of)

    def value(self, address: str, as_of: dt.date, **dims: str) -> Any:
        return self.resolve(address, as_of, **dims).value

    def history(self, address: str, **dims: str) -> list[dict] | None:
        """The dated periods that apply to these dimensions, or None when no case or default covers them."""
        node: dict = self.rules[address]
        while True:
            dimension = node.get("varies_by")
            if dimension is None:
                return node.get("values")
            case = None
            for key in self._keys(dimension, dims.get(dimension)):
                if key in node.get("cases", {}):
                    case = node["cases"][key]
                    break
            if case is None:
                return node.get("values")
            if isinstance(case, list):
                return case
            node = case

    def source_url(self, address: str) -> str:
        """The handbook page and anchor stating the rule, relative to the site root."""
        rule = self.rules[address]
        return f"{rule['page']}#{rule['anchor']}"

    def title(self, address: str) -> str:
        return self.rules[address]["title"]["en"]

    def scope_of(self, category: str) -> str:
        return self.categories[category]["scope"]

    def in_force_for(self, calculator: str, as_of: dt.date) -> list[tuple[str, Resolved]]:
        """Temporary rules marked `applies_to` this calculator and in force on `as_of`."""
        out = []
        for address, rule in self.rules.items():
            if calculator in rule.get("applies_to", []):
                resolved = self.resolve(address, as_of)
                if resolved.in_force:
                    out.append((address, resolved))
        return out

    def _keys(self, dimension: str, value: str | None) -> list[str]:
        if value is None:
            return []
        if dimension == "category" and value in self.categories:
            return [value, self.categories[value]["scope"]]  # a category case beats its scope's
        return [value]


def resolve_history(address: str, history: list[dict], as_of: dt.date) -> Resolved:
    """Pick the period in force on `as_of`: the last one that started on or before it.

    >>> h = [{"from": "2020-01-01", "until": "2020-06-30", "value": 1, "source": "published"}]
    >>> resolve_history("x.y", h, dt.date(2019, 12, 31)).status
    'not_yet_in_force'
    >>> resolve_history("x.y", h, dt.date(2020, 6, 30)).value
    1
    >>> resolve_history("x.y", h, dt.date(2020, 7, 1)).status
    'ended'
    """
    current = None
    for period in history:
        if dt.date.fromisoformat(period["from"]) <= as_of:
            current = period
    if current is None:
        return Resolved(address, NOT_YET)
    until = current.get("until")
    if until is not None and as_of > dt.date.fromisoformat(until):
        return Resolved(address, ENDED, effective_from=current["from"], effective_until=until)
    source = current["source"]
    ref, note = (source, None) if isinstance(source, str) else (source["ref"], source.get("note"))
    return Resolved(address, IN_FORCE, current["value"], current["from"], until, ref, note)
