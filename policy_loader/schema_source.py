"""The JSON Schemas for the policy files, written once here and saved to policies/schema/.

Rules come in value kinds (amount, percent, tiers, ...). Each kind needs its own shape for a
value, and that shape repeats inside every dated period and every per-category case, so the
schema is generated rather than hand-copied. `make schema` (python -m handbook.schema) rewrites the
files; a test fails when the committed files differ from what this module generates.
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policies" / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# ---------------------------------------------------------------------------------------------
# Data: the value kinds and what a value of each kind looks like
# ---------------------------------------------------------------------------------------------

COMPARISONS = ["at_least", "more_than", "at_most", "less_than"]
VARIES_BY = ["category", "entity_type", "brand_relationship", "store_type", "seller_type", "medal",
             "service_level"]

# Text that is not empty and not only spaces: an empty translation is a missing one.
# (bundle._explain turns a failure of this pattern into "the Chinese text (zh) is empty".)
NON_BLANK = {"type": "string", "pattern": "\\S"}
LANGUAGES = {"en": "English", "zh": "Chinese"}  # every policy text is written in both

TEXT = {
    "type": "object",
    "description": "Text in both languages: `en` (English) and `zh` (Simplified Chinese), both required "
                   "and non-empty. The glossary (catalogue/glossary.yaml) fixes the terms.",
    "properties": {"en": {**NON_BLANK, "description": "The English text."},
                   "zh": {**NON_BLANK, "description": "The Simplified Chinese text."}},
    "patternProperties": {"^[a-z]{2}(-[A-Z]{2})?$": NON_BLANK},
    "required": list(LANGUAGES),
    "additionalProperties": False,
}

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"}

VALUE_KINDS: dict[str, dict] = {
    "amount": {"type": "number", "minimum": 0, "maximum": 1e12,
               "description": "A sum of money in the rule's currency (`unit`)."},
    "rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000,
             "description": "An exchange rate: units of the first currency per unit of the second."},
    "percent": {"type": "number", "minimum": 0, "maximum": 100,
                "description": "A percentage, 0 to 100."},
    "count": {"type": "integer", "minimum": 0, "maximum": 1000000,
              "description": "A whole number of the rule's `unit` (days, months, stores, ...)."},
    "boolean": {"type": "boolean", "description": "true or false."},
    "month_day": {"type": "string", "pattern": "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                  "description": "A day of the year, MM-DD, repeating every year."},
    "date": {"type": "string", "format": "date", "description": "A calendar date, YYYY-MM-DD."},
    "list": {"type": "array", "items": ID, "uniqueItems": True,
             "description": "A list of ids (store types, service levels, scopes, ...)."},
    "tiers": {
        "type": "array", "minItems": 1,
        "description": "Tiers, lowest first: each pays `percent` when the figure compares to `amount`.",
        "items": {
            "type": "object",
            "properties": {
                "percent": {"type": "number", "minimum": 0, "maximum": 100},
                "comparison": {"enum": ["at_least", "more_than"],
                               "description": "at_least: the amount or more; more_than: strictly more."},
                "amount": {"type": "number", "minimum": 0, "maximum": 1e12},
            },
            "required": ["percent", "comparison", "amount"],
            "additionalProperties": False,
        },
    },
    "text": {"$ref": "#/$defs/text"},
    "text_list": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/text"}},
}

# The units a rule of each kind may state. Money kinds name a currency.
UNITS: dict[str, list[str]] = {
    "amount": ["USD", "CNY"],
    "tiers": ["USD", "CNY"],
    "rate": ["CNY per USD"],
    "count": ["days", "hours", "months", "stores", "scopes", "listings"],
}

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _source() -> dict:
    return {
        "description": "Where the value comes from: an id from catalogue/sources.yaml, or {ref, note}.",
        "if": {"type": "string"},
        "then": ID,
        "else": {
            "type": "object",
            "properties": {"ref": ID,
                           "note": {**NON_BLANK, "description": "What part of the value the source gives (English)."},
                           "note_zh": {**NON_BLANK, "description": "The note in Simplified Chinese; required with `note`."}},
            "required": ["ref"],
            # A note is policy text too: it is shown in both languages. (A plain string, not an
            # {en, zh} object, because the pages, the feed and the calculators read `note` as text.)
            "dependentRequired": {"note": ["note_zh"], "note_zh": ["note"]},
            "additionalProperties": False,
        },
    }


def _kind_defs(kind: str) -> dict[str, dict]:
    """history, case and variation definitions for one value kind."""
    period = {
        "type": "object",
        "description": "One dated value: in force from `from` up to and including `until` (or open-ended).",
        "properties": {
            "from": {"type": "string", "format": "date"},
            "until": {"type": "string", "format": "date"},
            "value": {"$ref": f"#/$defs/value_{kind}"},
            "source": {"$ref": "#/$defs/source"},
        },
        "required": ["from", "value", "source"],
        "additionalProperties": False,
    }
    return {
        f"value_{kind}": VALUE_KINDS[kind],
        f"history_{kind}": {"type": "array", "minItems": 1, "items": period,
                            "description": "The rule's dated values, oldest first."},
        f"case_{kind}": {
            "description": "Either a dated history, or a further variation (for example by medal).",
            "if": {"type": "array"},
            "then": {"$ref": f"#/$defs/history_{kind}"},
            "else": {"$ref": f"#/$defs/variation_{kind}"},
        },
        f"variation_{kind}": {
            "type": "object",
            "properties": {
                "varies_by": {"enum": VARIES_BY},
                "values": {"$ref": f"#/$defs/history_{kind}"},
                "cases": {"type": "object", "additionalProperties": {"$ref": f"#/$defs/case_{kind}"}},
            },
            "required": ["varies_by", "cases"],
            "additionalProperties": False,
        },
    }


def _rule(calculators: list[str]) -> dict:
    kind_rules = []
    for kind in VALUE_KINDS:
        then: dict = {
            "properties": {
                "values": {"$ref": f"#/$defs/history_{kind}"},
                "cases": {"type": "object", "additionalProperties": {"$ref": f"#/$defs/case_{kind}"}},
            }
        }
        if kind in UNITS:
            then["properties"]["unit"] = {"enum": UNITS[kind]}
            then["required"] = ["unit"]
        kind_rules.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then})
    return {
        "type": "object",
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "description": {"$ref": "#/$defs/text"},
            "kind": {"enum": list(VALUE_KINDS), "description": "What kind of value the rule holds."},
            "unit": {"type": "string", "description": "Currency or unit: USD, CNY, days, months, ..."},
            "comparison": {"enum": COMPARISONS,
                           "description": "How a figure is compared with the value: at_least, more_than, at_most, less_than."},
            "applies_to": {"type": "array", "items": {"enum": calculators}, "uniqueItems": True,
                           "description": "Calculators that apply this (temporary) rule while it is in force."},
            "documentation_only": {"const": True,
                                   "description": "No calculator reads this rule: it is stated on its page only. "
                                                  "`check` refuses a rule that no calculator reads unless it says so."},
            "of": {"enum": VARIES_BY + ["scope"],
                   "description": "For a list: the vocabulary its ids must come from."},
            "varies_by": {"enum": VARIES_BY, "description": "The dimension `cases` are keyed by."},
            "values": {"description": "The dated values: the default when `cases` has no entry."},
            "cases": {"description": "Dated values for particular categories, scopes, seller types, ..."},
        },
        "required": ["title", "kind"],
        "additionalProperties": False,
        "allOf": kind_rules + [
            {"if": {"required": ["cases"]}, "then": {"required": ["varies_by"]}},
            {"if": {"required": ["varies_by"]}, "then": {"required": ["cases"]}, "else": {"required": ["values"]}},
        ],
    }


def _example(calculators: list[str]) -> dict:
    return {
        "type": "object",
        "description": "A worked example: a calculator's inputs and the result it must give. Run by pytest.",
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "calculator": {"enum": calculators},
            "as_of": {"type": "string", "format": "date"},
            "inputs": {"type": "object"},
            "expect": {
                "type": "object",
                "properties": {
                    "verdict": {"type": "string"},
                    "amounts": {"type": "object"},
                },
                "required": ["verdict"],
                "additionalProperties": False,
            },
        },
        "required": ["title", "calculator", "as_of", "inputs", "expect"],
        "additionalProperties": False,
    }


def topic_schema(calculators: list[str]) -> dict:
    defs: dict[str, dict] = {"text": TEXT, "source": _source(), "rule": _rule(calculators),
                             "example": _example(calculators)}
    for kind in VALUE_KINDS:
        defs.update(_kind_defs(kind))
    return {
        "$schema": DIALECT,
        "$id": "topic.schema.json",
        "title": "Policy topic",
        "description": "One topic of the handbook: its rules with dated values, and worked examples.",
        "type": "object",
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "summary": {"$ref": "#/$defs/text"},
            "rules": {"type": "object", "minProperties": 1,
                      "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                      "additionalProperties": {"$ref": "#/$defs/rule"}},
            "examples": {"type": "array", "items": {"$ref": "#/$defs/example"}},
        },
        "required": ["title", "summary", "rules"],
        "additionalProperties": False,
        "$defs": defs,
    }


def _labelled() -> dict:
    return {"type": "object", "properties": {"label": {"$ref": "#/$defs/text"}},
            "required": ["label"], "additionalProperties": False}


def categories_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "categories.schema.json",
        "title": "Business scopes and categories",
        "type": "object",
        "properties": {
            "source": {"$ref": "#/$defs/source"},
            "scopes": {
                "type": "object", "minProperties": 1, "propertyNames": {"pattern": ID["pattern"]},
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "label": {"$ref": "#/$defs/text"},
                        "categories": {"type": "object", "minProperties": 1,
                                       "propertyNames": {"pattern": ID["pattern"]},
                                       "additionalProperties": _labelled()},
                    },
                    "required": ["label", "categories"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["source", "scopes"],
        "additionalProperties": False,
        "$defs": {"text": TEXT, "source": _source()},
    }


def terms_schema() -> dict:
    vocab = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID["pattern"]},
             "additionalProperties": _labelled()}
    names = [v for v in VARIES_BY if v != "category"]
    return {
        "$schema": DIALECT,
        "$id": "terms.schema.json",
        "title": "Vocabularies",
        "type": "object",
        "properties": {name: vocab for name in names},
        "required": names,
        "additionalProperties": False,
        "$defs": {"text": TEXT},
    }


def sources_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "sources.schema.json",
        "title": "Sources",
        "type": "object",
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["seed", "published", "illustrative"]},
                "file": {"type": "string", "pattern": r"^[0-9]{3}_[0-9a-f]+\.txt$"},
                "title": {"$ref": "#/$defs/text"},
            },
            "required": ["kind", "title"],
            "additionalProperties": False,
            "if": {"properties": {"kind": {"const": "seed"}}},
            "then": {"required": ["file"]},
        },
        "$defs": {"text": TEXT},
    }


def glossary_schema() -> dict:
    vocabularies = "|".join(v for v in VARIES_BY if v != "category")
    entry = {
        "type": "object",
        "description": "One term of the handbook, in both languages, with a short definition.",
        "properties": {
            "term": {"$ref": "#/$defs/text"},
            "definition": {"$ref": "#/$defs/text"},
            "terms": {"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"type": "string", "pattern": f"^({vocabularies})\\.[a-z][a-z0-9_-]*$"},
                      "description": "The vocabulary ids (catalogue/terms.yaml) this entry explains, "
                                     "as vocabulary.id, such as store_type.official."},
            "zh_established": {"type": "boolean",
                               "description": "false when the seller centre has no established Chinese term "
                                              "and the handbook coined or described one (say why in zh_note)."},
            "zh_note": {"$ref": "#/$defs/text",
                        "description": "Why this Chinese term: required when zh_established is false."},
        },
        "required": ["term", "definition"],
        "additionalProperties": False,
        "if": {"properties": {"zh_established": {"const": False}}, "required": ["zh_established"]},
        "then": {"required": ["zh_note"]},
    }
    return {
        "$schema": DIALECT,
        "$id": "glossary.schema.json",
        "title": "Glossary",
        "description": "The terms both languages use, fixed once: the English and the Chinese term and a "
                       "definition in each. Every vocabulary term in catalogue/terms.yaml has an entry.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": entry,
        "$defs": {"text": TEXT},
    }


def sections_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "sections.schema.json",
        "title": "Sections",
        "description": "The handbook's sections in menu order; each id is a folder of topic files.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": {
            "type": "object",
            "description": "One section: its title, the intro of its index page, and its menu.",
            "properties": {
                "title": {"$ref": "#/$defs/text"},
                "intro": {"$ref": "#/$defs/text"},
                "topics": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID["pattern"]},
                           "description": "The menu, in order: topic id (its file name) -> the menu's label.",
                           "additionalProperties": _labelled()},
            },
            "required": ["title", "intro", "topics"],
            "additionalProperties": False,
        },
        "$defs": {"text": TEXT},
    }


# A message key: dotted lower-case words, "delisting.headline_safe" (calculators/messages.py).
MESSAGE_KEY = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$"


def messages_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "messages.schema.json",
        "title": "Calculator messages",
        "description": "Every word the calculators say (form labels, help, errors, headlines, findings, next "
                       "steps, chart words), in both languages. Templates use {placeholders}; the zh template "
                       "must use exactly the placeholders of the en one.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": MESSAGE_KEY},
        "additionalProperties": {"$ref": "#/$defs/text"},
        "$defs": {"text": TEXT},
    }


SCHEMAS = {
    "topic.schema.json": topic_schema,
    "categories.schema.json": categories_schema,
    "terms.schema.json": terms_schema,
    "sources.schema.json": sources_schema,
    "glossary.schema.json": glossary_schema,
    "sections.schema.json": sections_schema,
    "messages.schema.json": messages_schema,
}


def render(name: str, calculators: list[str]) -> str:
    """One schema file's text. The calculator names (for `calculator:` and `applies_to:`) are
    given by the caller: this package knows nothing of the calculators (handbook/schema.py passes
    calculators.registry's names; `make schema` runs it)."""
    schema = SCHEMAS[name](calculators) if name == "topic.schema.json" else SCHEMAS[name]()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(calculators: list[str], schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        (schema_dir / name).write_text(render(name, calculators), encoding="utf-8")
        written.append(schema_dir / name)
    return written
