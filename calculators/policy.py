"""Read rules from the policy bundle, resolving every dated value as of one date.

This is the one resolver: calculators and handbook pages both ask it "the value of X as of D",
so they cannot disagree. A date before a rule existed, after it ended, or a case the rule does
not cover gives a `Resolved` whose `value` is None and whose `status` says why; never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterator

from calculators.messages import key

IN_FORCE, NOT_YET, ENDED, NO_CASE = "in_force", "not_yet_in_force", "ended", "no_value_for_case"

# A rule's `comparison` in the YAML, and how a result sentence says it. The page words are
# hooks/formatting.py's; both read the same key, so the verdict and the page cannot disagree.
COMPARISON_WORDS = {"at_least": "at least", "more_than": "more than", "at_most": "at most", "less_than": "less than"}
# The same words in the calculators' sentences, in either language (catalogue/messages.yaml).
COMPARISON_KEYS = {"at_least": key("common.comparison_at_least"), "more_than": key("common.comparison_more_than"),
                   "at_most": key("common.comparison_at_most"), "less_than": key("common.comparison_less_than")}
# The comparison that holds exactly when the other does not ("less than 365" fails <=> "at least 365").
OPPOSITE = {"at_least": "less_than", "less_than": "at_least", "more_than": "at_most", "at_most": "more_than"}


def compares(value: Any, comparison: str, limit: Any) -> bool:
    """Whether `value` is `comparison` `limit`: the one comparison every calculator makes.

    `comparison` is the rule's own word from the YAML (at_least, more_than, at_most, less_than).
    Numbers are compared in hundredths, so money is compared in cents as typed: "more than USD
    60,000" starts at USD 60,000.01 exactly, and float noise (60000.01 * 100) decides nothing.
    Dates compare as dates.

    >>> compares(60000, "more_than", 60000), compares(60000.01, "more_than", 60000)
    (False, True)
    >>> compares(10000, "at_least", 10000), compares(730, "at_most", 730), compares(365, "less_than", 365)
    (True, True, False)
    >>> compares(dt.date(2026, 11, 21), "at_most", dt.date(2026, 11, 21))
    True
    """
    value, limit = _comparable(value), _comparable(limit)
    if comparison == "at_least":
        return value >= limit
    if comparison == "more_than":
        return value > limit
    if comparison == "at_most":
        return value <= limit
    if comparison == "less_than":
        return value < limit
    raise ValueError(f"unknown comparison {comparison!r}; expected one of {', '.join(COMPARISON_WORDS)}")


def shortfall(value: float, comparison: str, limit: float, step: float = 0.01) -> float:
    """The smallest change to `value`, in whole `step`s, that makes `compares` true (0 when it is).

    Upward for at_least / more_than (sales still to make), downward for at_most / less_than
    (listings to remove). "More than" and "less than" need one `step` past the limit: a cent for
    money, 1 for a count. Whole numbers in give a whole number out.

    >>> shortfall(9999.5, "at_least", 10000), shortfall(60000, "more_than", 60000)
    (0.5, 0.01)
    >>> shortfall(3100, "at_most", 3000, step=1), shortfall(3000, "less_than", 3000, step=1)
    (100, 1)
    """
    v, lim, s = _hundredths(value), _hundredths(limit), _hundredths(step)
    need = {"at_least": lim - v, "more_than": lim + s - v, "at_most": v - lim, "less_than": v - lim + s}[comparison]
    need = max(0, need)
    whole = all(isinstance(x, int) for x in (value, limit, step))
    return need // 100 if whole else need / 100


def first_meeting(comparison: str, limit: int) -> int:
    """The smallest whole number from 0 that `compares` true: the first age a store is assessed.

    >>> first_meeting("at_least", 365), first_meeting("more_than", 365), first_meeting("at_most", 730)
    (365, 366, 0)
    """
    return shortfall(0, comparison, limit, step=1) if comparison in ("at_least", "more_than") else 0


def _hundredths(number: float) -> int:
    return round(number * 100)


def _comparable(value: Any) -> Any:
    return _hundredths(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class Rules:
    """The rules of one policy file that a calculator reads, each with the kind and unit it expects.

    `A = Rules("assessment", sales_window_days=("count", "days"))` gives `A.sales_window_days`, the
    address "assessment.sales_window_days": a misspelt rule is an AttributeError where it is read,
    not an address no policy holds. `used` is what the loader checks the policies against
    (registry.RULES_USED).
    """

    def __init__(self, topic: str, **rules: tuple[str, str | None]):
        self.used: dict[str, tuple[str, str | None]] = {f"{topic}.{name}": kind for name, kind in rules.items()}
        for name in rules:
            setattr(self, name, f"{topic}.{name}")

    def __getattr__(self, name: str) -> str:  # only for names not declared: says which are
        raise AttributeError(f"no rule {name!r} is declared here; declared: {', '.join(self.used)}")


@dataclass(frozen=True)
class Resolved:
    """A rule's value on one date, with the period it comes from."""

    address: str
    status: str
    value: Any = None
    effective_from: str | None = None
    effective_until: str | None = None
    source: str | None = None  # the source id the YAML names: seed-000, published, illustrative, ...
    source_note: str | None = None
    # Where the value as applied comes from, for a finding (Policy.provenance): {kind, source, extended_from}.
    provenance: dict | None = None

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE


class NoValue(Exception):
    """A rule a calculation needs has no value in force on the day it is read (Policy.applied)."""

    def __init__(self, resolved: Resolved, day: dt.date, dims: dict):
        super().__init__(f"{resolved.address} has no value in force on {day} ({resolved.status}) for {dims}")
        self.address, self.day, self.dims = resolved.address, day, dims


class Policy:
    """The bundle, with look-ups by rule address ("assessment.threshold_new_store_usd")."""

    def __init__(self, bundle: dict, lang: str = "en"):
        self.bundle = bundle
        self.lang = lang  # the language of titles, labels and every sentence (`say`)
        self._say = None
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
        resolved = resolve_history(address, history, as_of)
        if not resolved.in_force:
            return resolved
        period = _period_on(history, as_of)
        return replace(resolved, provenance=self.provenance(period["source"], dims.get("category")))

    def provenance(self, source: str | dict, category: str | None = None) -> dict:
        """Where a value comes from as applied to `category`: {kind, source, extended_from}.

        `kind` is seed, published or illustrative, so a reader needs no second look-up. A value whose
        source says which categories it `covers`, applied to one it does not cover, is illustrative:
        the site borrowed the figure (`extended_from` names the source it was borrowed from).

        >>> p = Policy({"version": "v", "rules": {}, "categories": {"toys": {"scope": "kids"},
        ...             "phones": {"scope": "tech"}}, "sources": {"seed-000": {"kind": "seed"}}})
        >>> p.provenance({"ref": "seed-000", "covers": ["kids"]}, "toys")
        {'kind': 'seed', 'source': 'seed-000', 'extended_from': None}
        >>> p.provenance({"ref": "seed-000", "covers": ["kids"]}, "phones")
        {'kind': 'illustrative', 'source': 'illustrative', 'extended_from': 'seed-000'}
        """
        ref, _note = source_parts(source)
        covers = source_covers(source)
        if category is not None and covers not in (None, ALL) and not set(self._keys("category", category)) & set(covers):
            return {"kind": "illustrative", "source": "illustrative", "extended_from": ref}
        return {"kind": self.source(ref)["kind"], "source": ref, "extended_from": None}

    def item_provenance(self, resolved: Resolved, item: dict, category: str | None = None) -> dict | None:
        """The provenance of one item of a list value (a refund tier): its own `source` if it names
        one, else the value's."""
        if isinstance(item, dict) and "source" in item:
            return self.provenance(item["source"], category)
        return resolved.provenance

    def applied(self, address: str, as_of: dt.date, **dims: str) -> Resolved:
        """The value a calculation applies: `resolve`, in force, or NoValue (never a None to compare with).

        A calculator reads every value it computes with through here. `check` refuses a day with no
        value after a rule's first day, but a date before the first day (or after a last `until`),
        or a bundle built some other way, can still ask for one; then the calculator's answer says
        so (result.answers_without_value) instead of failing on None.
        """
        resolved = self.resolve(address, as_of, **dims)
        if not resolved.in_force:
            raise NoValue(resolved, as_of, dims)
        return resolved

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

    def comparison(self, address: str) -> str:
        """The rule's own comparison word from the YAML; the loader's check makes sure a compared rule has one."""
        return self.rules[address]["comparison"]

    def compares(self, value: Any, address: str, limit: Any) -> bool:
        """Whether `value` meets rule `address`'s `limit` by the rule's own comparison."""
        return compares(value, self.comparison(address), limit)

    @property
    def say(self):
        """messages.Words in this policy's language: say("key", name=value) is the text."""
        if self._say is None:
            from calculators.messages import Words

            self._say = Words(self.bundle, self.lang)
        return self._say

    def title(self, address: str) -> str:
        return self.rules[address]["title"][self.lang]

    def scope_of(self, category: str) -> str:
        return self.categories[category]["scope"]

    def in_force_for(self, calculator: str, as_of: dt.date) -> list[tuple[str, Resolved]]:
        """Temporary rules marked `applies_to` this calculator and in force on `as_of`.

        Each calculator lists them as notes (result.temporary_measures), so a run as of a day
        inside a temporary window shows the measure that applied then.
        """
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
        """The name of `term` in `vocabulary` (a terms.yaml list, "category" or "scope") in this policy's
        language; the id if unnamed."""
        table = {"category": self.categories, "scope": self.bundle["scopes"]}.get(vocabulary)
        if table is None:
            table = self.bundle["terms"].get(vocabulary, {})
        return table[term]["label"][self.lang] if term in table else term

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

    def first_day(self, address: str) -> dt.date | None:
        """The earliest date on which rule `address` has a value, in any case (None if it never has)."""
        starts = [period["from"] for case in self.cases(address) for period in case.history if period.get("from")]
        return dt.date.fromisoformat(min(starts)) if starts else None

    def _keys(self, dimension: str, value: str | None) -> list[str]:
        if value is None:
            return []
        if dimension == "category" and value in self.categories:
            return [value, self.categories[value]["scope"]]  # a category case beats its scope's
        return [value]


def _period_on(history: list[dict], as_of: dt.date) -> dict | None:
    """The last period that started on or before `as_of` (resolve_history's pick)."""
    current = None
    for period in history:
        if dt.date.fromisoformat(period["from"]) <= as_of:
            current = period
    return current


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
    current = _period_on(history, as_of)
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


# `covers: all`: the source speaks for every category the value is applied to.
ALL = "all"


def source_covers(source: str | dict) -> str | list[str] | None:
    """The categories or scopes a value's source speaks for: a list of ids, "all", or None when the
    `source` does not say (then it speaks for wherever the value stands: a case, or a rule that does
    not vary by category; `check` requires `covers` where a seed or published default would be
    borrowed by other categories).

    >>> source_covers("seed-000"), source_covers({"ref": "seed-000", "covers": ["apparel-accessories"]})
    (None, ['apparel-accessories'])
    """
    return source.get("covers") if isinstance(source, dict) else None


def source_parts(source: str | dict) -> tuple[str, str | None]:
    """(ref, note) of a value's `source`, written either as an id or as {ref, note}.

    >>> source_parts("published"), source_parts({"ref": "seed-000", "note": "p. 3"})
    (('published', None), ('seed-000', 'p. 3'))
    """
    if isinstance(source, str):
        return source, None
    return source["ref"], source.get("note")
