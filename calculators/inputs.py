"""Calculator inputs, declared once as a spec: the CLI validates against it, the page draws its form from it.

Validation never raises for bad input: it returns one message per bad field, so the page can
show each next to its field and the CLI can print them all at once.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

# Field types. The page maps each to a form control.
CHOICE, DATE, MONEY, INTEGER, BOOLEAN = "choice", "date", "money", "integer", "boolean"


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


def validate(fields: list[Field], raw: Any, bundle: dict) -> dict[str, Any]:
    """Typed values for `raw`, or InputErrors naming every bad field."""
    if not isinstance(raw, dict):
        raise InputErrors([{"field": "(input)", "message": "expected a JSON object of input names and values"}])
    errors: list[dict] = []
    known = {f.name for f in fields}
    for name in raw:
        if name not in known:
            errors.append({"field": name, "message": f"unknown input; allowed: {', '.join(f.name for f in fields)}"})
    values: dict[str, Any] = {}
    for field in fields:
        value = raw.get(field.name)
        if value is None or value == "":
            if field.required:
                errors.append({"field": field.name, "message": "required"})
            else:
                values[field.name] = field.default
            continue
        try:
            values[field.name] = _coerce(field, value, bundle)
        except ValueError as problem:
            errors.append({"field": field.name, "message": str(problem)})
    if errors:
        raise InputErrors(errors)
    return values


def parse_date(value: Any) -> dt.date:
    """An ISO date, or ValueError with a message fit for a reader.

    >>> parse_date("2022-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2022-02-30' is not a real date; expected YYYY-MM-DD
    """
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not a real date; expected YYYY-MM-DD")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _coerce(field: Field, value: Any, bundle: dict) -> Any:
    if field.type == CHOICE:
        allowed = [v for v, _ in field.labelled_choices(bundle)]
        if isinstance(value, int) and not isinstance(value, bool) and str(value) in allowed:
            value = str(value)
        if value not in allowed:
            shown = ", ".join(allowed[:6]) + (", ..." if len(allowed) > 6 else "")
            raise ValueError(f"unknown choice '{value}'; allowed: {shown}")
        return value
    if field.type == DATE:
        return parse_date(value)
    if field.type == BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError(f"expected true or false, found '{value}'")
    number = _number(value)
    if field.type == INTEGER and number != int(number):
        raise ValueError(f"must be a whole number, found {value}")
    if field.type == INTEGER:
        number = int(number)
    if field.minimum is not None and number < field.minimum:
        raise ValueError("must not be negative" if field.minimum == 0 else f"must be at least {field.minimum:g}")
    if field.maximum is not None and number > field.maximum:
        raise ValueError(f"must be at most {field.maximum:g}")
    return number


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, found {str(value).lower()}")
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            raise ValueError(f"expected a number, found '{value}'") from None
    else:
        raise ValueError(f"expected a number, found {type(value).__name__}")
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"expected a finite number, found {value}")
    return number
