"""Read rules from the policy bundle, resolving every dated value as of one date.

This is the one resolver: calculators and handbook pages both ask it "the value of X as of D",
so they cannot disagree. A date before a rule existed, after it ended, or a case the rule does
not cover gives a `Resolved` whose `value` is None and whose `status` says why; never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

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

    # -----------------------------------------------------------------------------------------
    # Typed accessors: code reads names and sources through these, not bundle["terms"][...]["label"]["en"]
    # -----------------------------------------------------------------------------------------

    def label(self, vocabulary: str, term: str) -> str:
        """The English name of `term` in `vocabulary` (a terms.yaml list, "category" or "scope"); the id if unnamed."""
        table = {"category": self.categories, "scope": self.bundle["scopes"]}.get(vocabulary)
        if table is None:
            table = self.bundle["terms"].get(vocabulary, {})
        return table[term]["label"]["en"] if term in table else term

    def category_label(self, category: str) -> str:
        return self.label("category", category)

    def scope_label(self, scope: str) -> str:
        return self.label("scope", scope)

    def terms(self, vocabulary: str) -> dict[str, dict]:
        """The ids of a terms.yaml vocabulary (store_type, medal, ...) in policy order."""
        return self.bundle["terms"].get(vocabulary, {})

    def source(self, ref: str) -> dict:
        """The catalogue entry of source `ref`: kind (seed, published, illustrative), title, file."""
        return self.bundle["sources"][ref]

    def sections(self) -> dict[str, dict]:
        """Section id -> {title, intro, topics: {topic id: {label}}}, in menu order (catalogue/sections.yaml)."""
        return self.bundle["sections"]

    def cases(self, address: str) -> Iterator[Case]:
        """Every dated history of rule `address`: see walk_cases."""
        return walk_cases(self.rules[address])

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
    ref, note = source_parts(current["source"])
    return Resolved(address, IN_FORCE, current["value"], current["from"], until, ref, note)


# ---------------------------------------------------------------------------------------------
# The one walk over a rule's `varies_by` / `cases`, and the one reading of a value's `source`.
# The loader's checks, the pages, the feed, the review and the tests all use these two.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One dated history inside a rule: its default `values` or one case's, at any depth.

    `dims` names the case from the rule down, ((dimension, key), ...), empty for the rule's own
    `values`; `path` is the key path from the rule to the history, for error messages;
    `varies_by` is the dimension of the node whose `values` these are (None for a case's own list,
    and for a rule that does not vary).
    """

    dims: tuple[tuple[str, str], ...]
    history: list
    path: tuple
    varies_by: str | None = None

    @property
    def is_default(self) -> bool:
        """True for "all others" at some level: a `values` list beside cases."""
        return self.path[-1] == "values" and self.varies_by is not None


def walk_cases(node: dict, dims: tuple = (), path: tuple = ()) -> Iterator[Case]:
    """Every dated history under a rule (or nested case), default first, then cases in file order.

    >>> rule = {"varies_by": "category", "values": [1], "cases": {"toys": [2],
    ...         "wigs": {"varies_by": "medal", "values": [3], "cases": {"gold": [4]}}}}
    >>> [(c.dims, c.history, c.path) for c in walk_cases(rule)]  # doctest: +NORMALIZE_WHITESPACE
    [((), [1], ('values',)), ((('category', 'toys'),), [2], ('cases', 'toys')),
     ((('category', 'wigs'),), [3], ('cases', 'wigs', 'values')),
     ((('category', 'wigs'), ('medal', 'gold')), [4], ('cases', 'wigs', 'cases', 'gold'))]
    """
    dimension = node.get("varies_by")
    if "values" in node:
        yield Case(dims, node["values"], path + ("values",), dimension)
    for key, case in (node.get("cases") or {}).items():
        here, case_path = dims + ((dimension, key),), path + ("cases", key)
        if isinstance(case, list):
            yield Case(here, case, case_path)
        else:
            yield from walk_cases(case, here, case_path)


def source_parts(source: str | dict) -> tuple[str, str | None]:
    """(ref, note) of a value's `source`, written either as an id or as {ref, note}.

    >>> source_parts("published"), source_parts({"ref": "seed-000", "note": "p. 3"})
    (('published', None), ('seed-000', 'p. 3'))
    """
    if isinstance(source, str):
        return source, None
    return source["ref"], source.get("note")
