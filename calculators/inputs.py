"""Calculator inputs, declared once as a spec: the CLI validates against it, the page draws its form from it.

Validation never raises for bad input: it returns one message per bad field, so the page can
show each next to its field and the CLI can print them all at once.

Input is strict (design.md, Contracts):
- A number is a JSON number or a plain decimal string of ASCII digits ("9000", "50000.50").
  Every number field has a minimum and a maximum, both in the spec.
- A date is the string YYYY-MM-DD, and lies in DATE_SPAN (as does the as-of date), so that no
  date arithmetic in a calculator can leave the years Python can represent.
- Only declared input names; a near miss gets "did you mean". A name given twice is an error.
- `typed=True` is for what a person types into the form: it also accepts correctly grouped
  thousands ("9,000", "9 000", "1,234,567.5") and nothing else that plain mode refuses.

`load_inputs` parses JSON text with the same strictness (nesting, size, huge numbers, repeated
names), for the CLI and the browser worker alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Field types. The page maps each to a form control.
CHOICE, DATE, MONEY, INTEGER, BOOLEAN = "choice", "date", "money", "integer", "boolean"

# Every date input and the as-of date lie in this span. The platform and its rules start well
# after 2000; 2100 leaves room for any plan while keeping a calculator's date arithmetic
# (assessments up to 10 years ahead, locks and month limits from the policies, which the schema
# caps at 1,000,000 days) far from year 9999, Python's last.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
DATE_SPAN = f"between {EARLIEST} and {LATEST}"

# Shared maxima, so that every number has a documented range. Money beyond a trillion is a typo
# (the policy schema caps amounts at the same figure); counts are far above any real store.
MAX_MONEY = 10**12
MAX_LISTINGS = 10_000_000
MAX_BRANDS = 1_000
MAX_STORES = 1_000

# JSON input text: a calculator takes a dozen scalar fields, so these bounds only ever stop abuse.
MAX_INPUT_CHARS = 1_000_000
MAX_NESTING = 32
MAX_REPORTED_UNKNOWN = 20  # a flood of unknown names is summarised, not listed one by one


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: str
    help: str = ""
    unit: str | None = None  # USD, CNY, listings, ...
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices_from: str | None = None  # "category", or a vocabulary in catalogue/terms.yaml
    choices: tuple[str, ...] | None = None  # a fixed list, when not drawn from the policies
    default: Any = None  # shown in the form; used when an optional field is left empty
    earliest: str | None = None  # dates: the span, ISO; DATE_SPAN unless declared narrower
    latest: str | None = None

    def __post_init__(self) -> None:
        if self.type == DATE:
            object.__setattr__(self, "earliest", self.earliest or EARLIEST.isoformat())
            object.__setattr__(self, "latest", self.latest or LATEST.isoformat())
        if self.type in (MONEY, INTEGER) and (self.minimum is None or self.maximum is None):
            raise TypeError(f"number input {self.name} needs a minimum and a maximum")

    def spec(self, bundle: dict) -> dict:
        """This field as JSON for the form, with its choices labelled from the policies."""
        out = {k: v for k, v in self.__dict__.items() if v is not None and k not in ("choices_from", "choices")}
        if self.type == CHOICE:
            out["choices"] = [{"value": value, "label": label} for value, label in self.labelled_choices(bundle)]
            if self.choices_from == "category":
                out["groups"] = {cat: bundle["scopes"][info["scope"]]["label"]["en"]
                                 for cat, info in bundle["categories"].items()}
        return out

    def labelled_choices(self, bundle: dict) -> list[tuple[str, str]]:
        if self.choices_from == "category":
            return [(cat, info["label"]["en"]) for cat, info in bundle["categories"].items()]
        if self.choices_from:
            return [(term, info["label"]["en"]) for term, info in bundle["terms"][self.choices_from].items()]
        return [(str(c), str(c)) for c in self.choices or ()]


class InputErrors(Exception):
    """Bad input: a list of {"field", "message"} dicts (the CLI exits 2 with them)."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def validate(fields: list[Field], raw: Any, bundle: dict, typed: bool = False) -> dict[str, Any]:
    """Typed values for `raw`, or InputErrors naming every bad field.

    typed: accept what a person types in the form (grouped thousands), not only plain numbers.
    """
    if not isinstance(raw, dict):
        raise InputErrors([{"field": "(input)", "message": "expected a JSON object of input names and values"}])
    errors: list[dict] = []
    known = [f.name for f in fields]
    unknown = [name for name in raw if name not in known]
    for name in unknown[:MAX_REPORTED_UNKNOWN]:
        # A blank name cannot be shown as a field: the error goes on the input as a whole.
        field = _clip(str(name), 60) if str(name).strip() else "(input)"
        errors.append({"field": field, "message": _unknown_message(str(name), known)})
    if len(unknown) > MAX_REPORTED_UNKNOWN:
        errors.append({"field": "(input)", "message": f"{len(unknown) - MAX_REPORTED_UNKNOWN:,} more unknown inputs; "
                                                      f"allowed: {', '.join(known)}"})
    for name in getattr(raw, "repeated", ()):
        if name in known:
            errors.append({"field": name, "message": "given twice; give each input once"})
    values: dict[str, Any] = {}
    for field in fields:
        value = raw.get(field.name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if field.required:
                errors.append({"field": field.name, "message": "required"})
            else:
                values[field.name] = field.default
            continue
        try:
            values[field.name] = _coerce(field, value, bundle, typed)
        except ValueError as problem:
            errors.append({"field": field.name, "message": str(problem)})
    if errors:
        raise InputErrors(errors)
    return values


def parse_date(value: Any) -> dt.date:
    """An ISO date within DATE_SPAN, or ValueError with a message fit for a reader.

    >>> parse_date("2022-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2022-02-30' is not a real date; expected YYYY-MM-DD
    >>> parse_date("2024-W09-4")
    Traceback (most recent call last):
    ...
    ValueError: '2024-W09-4' is not a real date; expected YYYY-MM-DD
    >>> parse_date("9999-12-31")
    Traceback (most recent call last):
    ...
    ValueError: must be between 2000-01-01 and 2100-12-31
    """
    # fromisoformat alone also takes week dates ("2024-W09-4"), "20240229" and non-ASCII digits.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not EARLIEST <= day <= LATEST:
                raise ValueError(f"must be {DATE_SPAN}")
            return day
    raise ValueError(f"{_shown(value)} is not a real date; expected YYYY-MM-DD")


def load_inputs(text: str, field: str) -> Any:
    """JSON text parsed strictly, or InputErrors on `field` ("--input" for the CLI).

    Refuses text over MAX_INPUT_CHARS and nesting deeper than MAX_NESTING (before parsing, so
    neither CPython nor Pyodide recurses on "[[[[..."). Numbers too large for a float, or with
    more digits than Python turns into an int, are kept as Decimal so that the field reports
    its range. Objects remember names given twice (`.repeated`), which `validate` reports.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputErrors([{"field": field, "message": f"is {len(text):,} characters; input is at most "
                                                       f"{MAX_INPUT_CHARS:,}"}])
    if _nesting_depth(text) > MAX_NESTING:
        raise InputErrors([{"field": field, "message": f"not valid input: nested too deeply (over {MAX_NESTING} levels)"}])
    try:
        return json.loads(text, object_pairs_hook=_JsonObject.from_pairs, parse_int=_json_int,
                          parse_float=_json_float)
    except json.JSONDecodeError as err:
        raise InputErrors([{"field": field, "message": f"not valid JSON: {err.msg} at line {err.lineno} "
                                                       f"column {err.colno}"}]) from None
    except RecursionError:  # a safety net: _nesting_depth should have refused it
        raise InputErrors([{"field": field, "message": "not valid input: nested too deeply"}]) from None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
# Grouped thousands, one separator throughout: comma, space, no-break or narrow no-break space.
_GROUPED = re.compile("-?[0-9]{1,3}(?P<sep>[, \u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9][0-9. ]*,[0-9]+")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _coerce(field: Field, value: Any, bundle: dict, typed: bool) -> Any:
    if field.type == CHOICE:
        allowed = [v for v, _ in field.labelled_choices(bundle)]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**9 and str(value) in allowed:
            value = str(value)
        if not isinstance(value, str) or value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.75) if isinstance(value, str) else []
            close += [a for a in allowed if isinstance(value, str) and value and a.startswith(value)][:1]
            if close:
                raise ValueError(f"unknown choice {_shown(value)}; did you mean '{close[0]}'?")
            shown = ", ".join(allowed[:6]) + (", ..." if len(allowed) > 6 else "")
            raise ValueError(f"unknown choice {_shown(value)}; allowed: {shown}")
        return value
    if field.type == DATE:
        return parse_date(value)
    if field.type == BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError(f"expected true or false, found {_shown(value)}")
    number = _number(field, value, typed)
    # The range first: it bounds every later step, whatever the size of what was given.
    if number < field.minimum:
        raise ValueError("must not be negative" if field.minimum == 0 else f"must be at least {field.minimum:,}")
    if number > field.maximum:
        raise ValueError(f"must be at most {field.maximum:,}")
    if field.type == INTEGER:
        if number != int(number):
            raise ValueError(f"must be a whole number, found {_shown(value)}")
        return int(number)
    if isinstance(number, Decimal):  # from a string or huge JSON: whole amounts as int, like JSON 10000
        return int(number) if number == int(number) and "." not in str(value) else float(number)
    return number


def _number(field: Field, value: Any, typed: bool) -> int | float | Decimal:
    """The number in `value` (not yet range-checked), or ValueError saying what is allowed."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, found {str(value).lower()}")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"expected a finite number, found {_shown(value)}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a number, found {_shown(value)}")
    example = "9000" if field.type == MONEY else "3"
    enter = f"Enter a {'whole ' if field.type == INTEGER else ''}number, like {example}"
    text = value.strip(" \t\r\n")
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        raise ValueError(f"{_shown(value)} uses digits other than 0-9: {enter[0].lower()}{enter[1:]}")
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        plain = text.replace(grouped["sep"], "")
        if typed:
            return Decimal(plain)
        raise ValueError(f"{_shown(value)} is not a plain number: leave out the thousands separators, like {plain}")
    if _DECIMAL_COMMA.fullmatch(text):
        point = text.replace(".", "").replace(" ", "").replace(",", ".")
        raise ValueError(f"{_shown(value)} is not a number: use a point for decimals, like {point}")
    raise ValueError(enter)


def _unknown_message(name: str, known: list[str]) -> str:
    """'unknown input 'sales'; did you mean 'sales_365d_usd'?', or the allowed names."""
    guess: list[str] = []
    if len(name) <= 100:  # difflib is quadratic; no real typo is that long
        guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        stem = name.strip().lower()
        guess = guess or [k for k in known if len(stem) >= 3 and stem in k][:1]
    if guess:
        return f"unknown input {_shown(name)}; did you mean '{guess[0]}'?"
    return f"unknown input {_shown(name)}; allowed: {', '.join(known)}"


def _shown(value: Any) -> str:
    """A short, safe rendering of what someone gave, for a message (never the whole of a huge value)."""
    if isinstance(value, str):
        return f"'{_clip(value, 40)}'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int) and abs(value) >= 10**30:  # str() of a huge int is slow, or refused
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= 30:
        return f"a number of about {value.adjusted() + 1:,} digits"
    if isinstance(value, (int, float, Decimal)):
        return _clip(str(value), 40)
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else f"a {type(value).__name__}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting in JSON text, strings skipped; linear, no recursion."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
        elif mark in "]}":
            depth -= 1
    return deepest


class _JsonObject(dict):
    """A parsed JSON object that remembers the names given more than once (the last one wins)."""

    repeated: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _JsonObject:
        obj = cls(pairs)
        if len(obj) < len(pairs):
            seen: set[str] = set()
            obj.repeated = tuple(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
        return obj


def _json_int(text: str) -> int | Decimal:
    # int() refuses over 4,300 digits (ValueError); anything over 30 digits is out of every range anyway.
    return int(text) if len(text) <= 30 else Decimal(text)


def _json_float(text: str) -> float | Decimal:
    number = float(text)
    return number if math.isfinite(number) else Decimal(text)  # 1e999: keep it, so its range is reported


__all__ = ["Field", "InputErrors", "validate", "parse_date", "load_inputs", "EARLIEST", "LATEST", "DATE_SPAN",
           "MAX_MONEY", "MAX_LISTINGS", "MAX_BRANDS", "MAX_STORES"]
