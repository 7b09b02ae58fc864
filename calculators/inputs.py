"""Calculator inputs, declared once as a spec: the CLI validates against it, the page draws its form from it.

Validation never raises for bad input: it returns one message per bad field, so the page can
show each next to its field and the CLI can print them all at once.

Input is strict (design/design.md, Contracts):
- A number is a JSON number or a plain decimal string of ASCII digits ("9000", "50000.50").
  Every number field has a minimum and a maximum, both in the spec.
- A date is the string YYYY-MM-DD, and lies in DATE_SPAN (as does the as-of date), so that no
  date arithmetic in a calculator can leave the years Python can represent.
- Only declared input names; a near miss gets "did you mean". A name given twice is an error.
- `typed=True` is for what a person types into the form: it also accepts correctly grouped
  thousands ("9,000", "9 000", "1,234,567.5") and the full-width digits of a Chinese input method
  ("１２，０００"), and nothing else that plain mode refuses.

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

from calculators.messages import Msg, Problem, key

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
    label: str  # message keys (catalogue/messages.yaml): the label and help in each language
    help: str = ""
    unit: str | None = None  # USD, CNY, listings, ...
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices_from: str | None = None  # "category", or a vocabulary in catalogue/terms.yaml
    choices: tuple[str, ...] | None = None  # a fixed list, when not drawn from the policies
    default: Any = None  # shown in the form; used when an optional field is left empty
    needed_when: str | None = None  # an optional field that some answers make required: the message
    #                                 key the form shows instead of "optional" ("if pending")
    earliest: str | None = None  # dates: the span, ISO; DATE_SPAN unless declared narrower
    latest: str | None = None
    # dates that cannot be after the as-of date (a store's opening): the message key that says so,
    # given the as-of day in words (as_of_words). Checked with the field, so a reader still filling
    # in the form already sees it.
    by_as_of: str | None = None

    def __post_init__(self) -> None:
        if self.type == DATE:
            object.__setattr__(self, "earliest", self.earliest or EARLIEST.isoformat())
            object.__setattr__(self, "latest", self.latest or LATEST.isoformat())
        if self.type in (MONEY, INTEGER) and (self.minimum is None or self.maximum is None):
            raise TypeError(f"number input {self.name} needs a minimum and a maximum")

    def spec(self, bundle: dict, say) -> dict:
        """This field as JSON for the form, in `say`'s language, with its choices labelled from the policies."""
        out = {k: v for k, v in self.__dict__.items()
               if v is not None and k not in ("choices_from", "choices", "by_as_of")}
        out["label"] = say(self.label)
        out["help"] = say(self.help) if self.help else ""
        if self.needed_when:
            out["needed_when"] = say(self.needed_when)
        if self.type == CHOICE:
            out["choices"] = [{"value": value, "label": label}
                              for value, label in self.labelled_choices(bundle, say.lang)]
            if self.choices_from == "category":
                out["groups"] = {cat: bundle["scopes"][info["scope"]]["label"][say.lang]
                                 for cat, info in bundle["categories"].items()}
        return out

    def labelled_choices(self, bundle: dict, lang: str = "en") -> list[tuple[str, str]]:
        if self.choices_from == "category":
            return [(cat, info["label"][lang]) for cat, info in bundle["categories"].items()]
        if self.choices_from:
            return [(term, info["label"][lang]) for term, info in bundle["terms"][self.choices_from].items()]
        return [(str(c), str(c)) for c in self.choices or ()]


class InputErrors(Exception):
    """Bad input: a list of {"field", "message"} dicts (the CLI exits 2 with them).

    A message may still be a messages.Msg: whoever answers the reader puts it into words
    (messages.Words.errors), in the reader's language.
    """

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def validate(fields: list[Field], raw: Any, bundle: dict, typed: bool = False,
             as_of: dt.date | None = None) -> dict[str, Any]:
    """Typed values for `raw`, or InputErrors naming every bad field.

    typed: accept what a person types in the form (grouped thousands), not only plain numbers.
    as_of: the day the rules are read for, for dates that cannot be after it (Field.by_as_of).
    """
    values, errors = read_fields(fields, raw, bundle, typed, as_of)
    if errors:
        raise InputErrors(errors)
    return values


def read_fields(fields: list[Field], raw: Any, bundle: dict, typed: bool = False,
                as_of: dt.date | None = None) -> tuple[dict[str, Any], list[dict]]:
    """validate's values and errors, both: a field with its typed value (its default when left
    empty) is in the values, even when its date is after the as-of date; a missing or unreadable
    one is not. Every field is in the values when only such dates are wrong."""
    if not isinstance(raw, dict):
        return {}, [{"field": "(input)", "message": Msg("input.not_an_object")}]
    errors: list[dict] = []
    known = [f.name for f in fields]
    unknown = [name for name in raw if name not in known]
    for name in unknown[:MAX_REPORTED_UNKNOWN]:
        # A blank name cannot be shown as a field: the error goes on the input as a whole.
        field = _clip(str(name), 60) if str(name).strip() else "(input)"
        errors.append({"field": field, "message": _unknown_message(str(name), known)})
    if len(unknown) > MAX_REPORTED_UNKNOWN:
        more = len(unknown) - MAX_REPORTED_UNKNOWN
        errors.append({"field": "(input)", "message": Msg("input.more_unknown_one" if more == 1 else "input.more_unknown",
                                                          count=f"{more:,}", allowed=", ".join(known))})
    for name in getattr(raw, "repeated", ()):
        if name in known:
            errors.append({"field": name, "message": Msg("input.given_twice")})
    values: dict[str, Any] = {}
    for field in fields:
        value = raw.get(field.name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if field.required:
                errors.append({"field": field.name, "message": Msg("input.required")})
            else:
                values[field.name] = field.default
            continue
        try:
            values[field.name] = _coerce(field, value, bundle, typed)
        except Problem as problem:
            errors.append({"field": field.name, "message": problem.msg})
            continue
        if field.by_as_of and as_of is not None and values[field.name] > as_of:
            errors.append({"field": field.name, "message": Msg(field.by_as_of, day=as_of_words(as_of))})
    return values, errors


def parse_date(value: Any) -> dt.date:
    """An ISO date within DATE_SPAN, or a Problem (a ValueError) whose message a reader can be given.

    >>> parse_date("2022-02-30")
    Traceback (most recent call last):
    ...
    calculators.messages.Problem: input.not_a_date {'value': "'2022-02-30'"}
    >>> parse_date("2024-W09-4")
    Traceback (most recent call last):
    ...
    calculators.messages.Problem: input.not_a_date {'value': "'2024-W09-4'"}
    >>> parse_date("9999-12-31")
    Traceback (most recent call last):
    ...
    calculators.messages.Problem: input.date_span {'earliest': '2000-01-01', 'latest': '2100-12-31'}
    """
    # fromisoformat alone also takes week dates ("2024-W09-4"), "20240229" and non-ASCII digits.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not EARLIEST <= day <= LATEST:
                raise date_span()
            return day
    raise Problem("input.not_a_date", value=_shown(value))


class Today(dt.date):
    """The as-of date when none was given: the reader's today (or the machine's). A message names it
    as "today", never as a "Rules as of" date the reader did not set (as_of_words)."""


class LinkDay(dt.date):
    """The as-of date taken from a calculator link: the day the link was made (api.link_day). A
    message names it as that day, never as "today" or a "Rules as of" date the reader did not set."""


def as_of_words(day: dt.date) -> Msg:
    """How a message names the as-of date: "today (24 November 2026)", "the day the link was made
    (7 December 2026)", or "the “Rules as of” date 22 November 2026"; in Chinese 2026年11月22日, as
    the page writes dates (the date stays a date until messages.Words puts it into words)."""
    if isinstance(day, Today):
        return Msg("input.day_today", date=day)
    if isinstance(day, LinkDay):
        return Msg("input.day_link_made", date=day)
    return Msg("input.day_as_of", label=Msg("field.rules_as_of"), date=day)


def date_span() -> Problem:
    """'must be between 2000-01-01 and 2100-12-31' (DATE_SPAN), as a Problem."""
    return Problem("input.date_span", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())


def load_inputs(text: str, field: str) -> Any:
    """JSON text parsed strictly, or InputErrors on `field` ("--input" for the CLI).

    Refuses text over MAX_INPUT_CHARS and nesting deeper than MAX_NESTING (before parsing, so
    neither CPython nor Pyodide recurses on "[[[[..."). Numbers too large for a float, or with
    more digits than Python turns into an int, are kept as Decimal so that the field reports
    its range. Objects remember names given twice (`.repeated`), which `validate` reports.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputErrors([{"field": field, "message": Msg("input.too_long", count=f"{len(text):,}",
                                                           limit=f"{MAX_INPUT_CHARS:,}")}])
    if _nesting_depth(text) > MAX_NESTING:
        raise InputErrors([{"field": field, "message": Msg("input.nested_over", limit=MAX_NESTING)}])
    try:
        return json.loads(text, object_pairs_hook=_JsonObject.from_pairs, parse_int=_json_int,
                          parse_float=_json_float)
    except json.JSONDecodeError as err:
        raise InputErrors([{"field": field, "message": Msg("input.not_json", problem=json_problem(err), line=err.lineno,
                                                           column=err.colno)}]) from None
    except RecursionError:  # a safety net: _nesting_depth should have refused it
        raise InputErrors([{"field": field, "message": Msg("input.nested")}]) from None


# Why text is not JSON, in the reader's words: json.JSONDecodeError.msg is English, and would leak into a
# Chinese message. These are the reasons CPython's json module gives; any other gets a general one.
JSON_PROBLEMS = {
    "Expecting value": key("input.json_expecting_value"),
    "Expecting property name enclosed in double quotes": key("input.json_expecting_name"),
    "Expecting ',' delimiter": key("input.json_expecting_comma"),
    "Expecting ':' delimiter": key("input.json_expecting_colon"),
    "Unterminated string starting at": key("input.json_unterminated_string"),
    "Extra data": key("input.json_extra_data"),
    "Invalid control character at": key("input.json_control_character"),
}


def json_problem(err: json.JSONDecodeError) -> Msg:
    """The parser's reason as a message (line and column are reported beside it).

    >>> json_problem(json.JSONDecodeError("Expecting value", "", 0))
    Msg('input.json_expecting_value', **{})
    >>> json_problem(json.JSONDecodeError("Invalid \\\\escape", "", 0))
    Msg('input.json_other', **{})
    """
    return Msg(JSON_PROBLEMS.get(err.msg, "input.json_other"))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
# Grouped thousands, one separator throughout: comma, space, no-break or narrow no-break space.
_GROUPED = re.compile("-?[0-9]{1,3}(?P<sep>[, \u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9][0-9. ]*,[0-9]+")
_POINT_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")  # "45.000", "1.234.567": a point for thousands
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
                raise Problem("input.unknown_choice_guess", value=_shown(value), guess=close[0])
            shown = ", ".join(allowed[:6]) + (", ..." if len(allowed) > 6 else "")
            raise Problem("input.unknown_choice", value=_shown(value), allowed=shown)
        return value
    if field.type == DATE:
        return parse_date(value)
    if field.type == BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise Problem("input.not_boolean", value=_shown(value))
    number = _number(field, value, typed)
    # The range first: it bounds every later step, whatever the size of what was given.
    if number < field.minimum:
        raise (Problem("input.negative") if field.minimum == 0 else Problem("input.at_least", limit=f"{field.minimum:,}"))
    if number > field.maximum:
        raise Problem("input.at_most", limit=f"{field.maximum:,}")
    if field.type == INTEGER:
        if number != int(number):
            raise Problem("input.not_whole", value=_shown(value))
        if problem := _point_thousands(value, whole=True):  # "45.000" listings: 45,000 in much of Europe, not 45
            raise problem
        return int(number)
    if field.type == MONEY and Decimal(str(number)).as_tuple().exponent < -2:
        # Money has cents, no finer: 14999.999 would be rounded into the USD 15,000 tier. "45.000"
        # is most likely 45,000 written with a point for thousands, as much of Europe writes it.
        raise _point_thousands(value) or Problem("input.finer_than_cents", value=_shown(value))
    if isinstance(number, Decimal):  # from a string or huge JSON: whole amounts as int, like JSON 10000
        return int(number) if number == int(number) and "." not in str(value) else float(number)
    return number


# Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space, as their ASCII selves.
FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def typed_number(field: Field, value: Any) -> int | float | Decimal:
    """The number a person typed into `field` ("9,000", full-width "１２０００"), read as validate reads
    it; a Problem if it is none. Not range-checked."""
    return _number(field, value, typed=True)


def _number(field: Field, value: Any, typed: bool) -> int | float | Decimal:
    """The number in `value` (not yet range-checked), or ValueError saying what is allowed."""
    if isinstance(value, bool):
        raise Problem("input.not_number", value=str(value).lower())
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
            raise Problem("input.not_finite", value=_shown(value))
        return value
    if not isinstance(value, str):
        raise Problem("input.not_number", value=_shown(value))
    whole = field.type == INTEGER
    example = "9000" if field.type == MONEY else "3"
    text = value.strip(" \t\r\n")
    if typed:  # a Chinese input method types full-width digits and marks: "１２，０００" is 12,000
        text = text.translate(FULL_WIDTH).strip(" ")
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        raise Problem("input.other_digits_whole" if whole else "input.other_digits", value=_shown(value),
                      example=example)
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        plain = text.replace(grouped["sep"], "")
        if typed:
            return Decimal(plain)
        raise Problem("input.grouped", value=_shown(value), plain=plain)
    if _DECIMAL_COMMA.fullmatch(text):
        point = text.replace(".", "").replace(" ", "").replace(",", ".")
        raise Problem("input.decimal_comma", value=_shown(value), point=point)
    if problem := _point_thousands(value, whole):  # "1.234.567"
        raise problem
    raise Problem("input.enter_whole" if whole else "input.enter_number", example=example)


def _point_thousands(value: Any, whole: bool = False) -> Problem | None:
    """For '45.000' (most likely 45,000 with a point for thousands): what is unclear and what to write.
    `whole`: for a count, which has no decimals at all."""
    text = value.strip(" \t\r\n").translate(FULL_WIDTH).strip(" ") if isinstance(value, str) else ""
    if not _POINT_GROUPED.fullmatch(text):
        return None
    plain = text.replace(".", "")
    return Problem("input.point_thousands_whole" if whole else "input.point_thousands", value=_shown(value),
                   plain=plain, grouped=f"{int(plain):,}")


def _unknown_message(name: str, known: list[str]) -> Msg:
    """'unknown input 'sales'; did you mean 'sales_365d_usd'?', or the allowed names."""
    guess: list[str] = []
    if len(name) <= 100:  # difflib is quadratic; no real typo is that long
        guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        stem = name.strip().lower()
        guess = guess or [k for k in known if len(stem) >= 3 and stem in k][:1]
    if guess:
        return Msg("input.unknown_input_guess", name=_shown(name), guess=guess[0])
    return Msg("input.unknown_input", name=_shown(name), allowed=", ".join(known))


def _shown(value: Any) -> str | Msg:
    """A short, safe rendering of what someone gave, for a message (never the whole of a huge value)."""
    if isinstance(value, str):
        return f"'{_clip(value, 40)}'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int) and abs(value) >= 10**30:  # str() of a huge int is slow, or refused
        return Msg("input.shown_digits", count=f"{int(value.bit_length() * 0.30103) + 1:,}")
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= 30:
        return Msg("input.shown_digits", count=f"{value.adjusted() + 1:,}")
    if isinstance(value, (int, float, Decimal)):
        return _clip(str(value), 40)
    if isinstance(value, list):
        return Msg("input.shown_list")
    return Msg("input.shown_object") if isinstance(value, dict) else Msg("input.shown_type", type=type(value).__name__)


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


__all__ = ["Field", "InputErrors", "validate", "parse_date", "date_span", "load_inputs", "EARLIEST", "LATEST", "DATE_SPAN",
           "MAX_MONEY", "MAX_LISTINGS", "MAX_BRANDS", "MAX_STORES"]
