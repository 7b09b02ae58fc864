"""A JSON Schema (draft 2020-12) of each calculator's result, published under /api/v1/schemas/.

Made from the calculators' own declarations (each calculator's entry: its verdicts and amounts, the units that
format its amounts), so a new verdict or amount is in the schema the day it is in the code. The
words of a result (headline, details, titles) are strings in the language asked for; the codes
(verdict, outcome, provenance kind, date kind) are the same in every language.
"""

from __future__ import annotations

from calculators.registry import CALCULATORS

_DATE = {"type": "string", "format": "date"}
_MONEY = {"type": ["number", "null"]}
# An amount's unit (the calculator's entry: unit.Calculator.amounts) -> the JSON it holds; null where the answer has none.
UNIT_TYPES = {
    "USD": _MONEY, "CNY": _MONEY, "percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
    "date": {"oneOf": [_DATE, {"type": "null"}]},
    "days": {"type": ["integer", "null"]}, "count": {"type": ["integer", "null"], "minimum": 0},
    "text": {"type": ["string", "null"]},
    "list": {"type": ["array", "null"], "items": {"type": "string"}},
    "store_types": {"type": ["array", "null"], "items": {"type": "string"}},
}
PROVENANCE = {
    "oneOf": [{"type": "null"}, {
        "type": "object", "required": ["kind", "source", "extended_from"],
        "properties": {"kind": {"enum": ["seed", "published", "illustrative"]}, "source": {"type": "string"},
                       "extended_from": {"type": ["string", "null"]}}}],
    "description": "Where the value actually applied comes from; illustrative when no source gives it or when "
                   "it is borrowed beyond the categories its source covers (extended_from names that source).",
}


def result_schema(name: str) -> dict:
    """The schema of calculator `name`'s result, as `calculators.api.run` and the CLI's `run` give it."""
    calculator = CALCULATORS[name]
    verdicts = list(calculator.verdicts)
    amounts = {amount: {**UNIT_TYPES[unit], "x-unit": unit} for amount, (_, unit) in calculator.amounts.items()}
    finding = {"type": "object", "required": ["rule", "title", "outcome", "detail", "source", "provenance"],
               "properties": {"rule": {"type": "string", "pattern": "^[a-z0-9-]+\\.[a-z][a-z0-9_]*$"},
                              "title": {"type": "string"}, "outcome": {"enum": ["pass", "fail", "warn", "info"]},
                              "detail": {"type": "string"},
                              "source": {"type": "string", "description": "the handbook page and anchor stating the rule"},
                              "provenance": PROVENANCE}}
    upcoming = {"type": "object", "required": ["on", "rule", "title", "from", "to", "verdict", "headline"],
                "properties": {"on": _DATE, "rule": {"type": "string"}, "title": {"type": "string"},
                               "from": {}, "to": {}, "verdict": {"enum": verdicts}, "headline": {"type": "string"}}}
    key_date = {"type": "object", "required": ["on", "kind", "title"],
                "properties": {"on": _DATE, "kind": {"type": "string"}, "title": {"type": "string"}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"result-{name}.schema.json",
        "title": f"Seller handbook calculator result v1: {name}",
        "type": "object",
        "required": ["calculator", "as_of", "policy_version", "verdict", "headline", "amounts", "findings",
                     "next_steps", "upcoming", "dates"],
        "properties": {
            "calculator": {"const": name}, "as_of": _DATE, "policy_version": {"type": "string", "pattern": "^[0-9a-f]{12}$"},
            "verdict": {"enum": verdicts}, "headline": {"type": "string", "minLength": 1},
            # The amounts the page shows, each with its unit; an answer gives those that apply to it.
            "amounts": {"type": "object", "properties": amounts},
            "findings": {"type": "array", "items": finding},
            "next_steps": {"type": "array", "items": {"type": "string"}},
            "upcoming": {"type": "array", "items": upcoming,
                         "description": "announced changes later than as_of to the rules used: the same inputs under each"},
            "dates": {"type": "array", "items": key_date, "description": "the result's key dates (run --format ics)"},
        },
    }


def result_schemas() -> dict[str, dict]:
    """File stem -> schema, for every calculator: result-delisting, result-refund, ..."""
    return {f"result-{name}": result_schema(name) for name in CALCULATORS}
