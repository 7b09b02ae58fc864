"""What the page shows for a result: every word and every formatted figure, decided here in Python.

A result (result.py) is plain data for scripts; a *view* is that result made readable for a
person: amount labels and formatted values, the verdict's name and tone, the outcome words, each
source's kind and title, and the inputs as the reader gave them (for print). The browser only
draws a view (docs/assets/calculators/result.mjs), so it never guesses a label from a key name.
"""

from __future__ import annotations

import json
from typing import Any

from calculators.registry import CALCULATORS
from calculators.result import FAIL, fmt_date, fmt_money, join_words

OUTCOMES = {"pass": "Passed", "fail": "Failed", "warn": "Warning", "info": "Note"}
HEADINGS = {"why": "Why", "next_steps": "Next steps", "inputs": "Your inputs"}
PROVENANCE = {"seed": "Source: seed document {file}", "published": "Source: published (secondary sources)",
              "illustrative": "Illustrative: no source gives this value"}


def view(bundle: dict, name: str, inputs: dict, result: dict) -> dict:
    """The view of `result` (or of its input errors) for calculator `name`."""
    calculator = CALCULATORS[name]
    if "errors" in result:
        return _errors_view(calculator, result["errors"])
    tone = calculator.VERDICTS[result["verdict"]]["tone"]
    if tone == "ok" and any(f["outcome"] == FAIL for f in result["findings"]):
        tone = "warn"  # e.g. "safe" at the assessment, yet over the listing cap
    amounts = []
    for key, value in result["amounts"].items():
        label, unit = calculator.AMOUNTS.get(key, (None, None))
        text = _amount_text(bundle, value, unit)
        if label and text is not None:
            amounts.append({"name": key, "label": label, "text": text})
    return {
        "tone": tone,
        "verdict_label": calculator.VERDICTS[result["verdict"]]["label"],
        "amounts": amounts,
        "findings": [_finding_view(bundle, finding) for finding in result["findings"]],
        "inputs": _inputs_view(bundle, calculator, inputs, result["as_of"]),
        "headings": HEADINGS,
        "meta": f"Rules in force on {fmt_date(result['as_of'])} · policy data version {result['policy_version']}",
    }


def view_json(bundle_json: str, name: str, inputs_json: str, result_json: str) -> str:
    """JSON in, JSON out, for the browser worker (bundle parsing is shared with api.run_json)."""
    from calculators.api import _bundle_cache

    return json.dumps(view(_bundle_cache(bundle_json), name, json.loads(inputs_json), json.loads(result_json)))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _errors_view(calculator, errors: list[dict]) -> dict:
    labels = {field.name: field.label for field in calculator.INPUTS}
    labels["as_of"] = "Rules as of"
    missing = [labels.get(e["field"], e["field"]) for e in errors if e.get("code") == "required"
               or e["message"] == "required"]
    if missing:
        wrong = len(errors) > len(missing)
        summary = "To see a result, fill in: " + join_words(missing) + (", and correct the marked fields." if wrong else ".")
    else:
        summary = "Correct the marked field" + ("s" if len(errors) > 1 else "") + " to see a result."
    return {"summary": summary, "missing": missing}


def _finding_view(bundle: dict, finding: dict) -> dict:
    source = bundle["sources"].get(finding.get("provenance") or "", {})
    kind = source.get("kind")
    return {"outcome_label": OUTCOMES[finding["outcome"]], "source_kind": kind,
            "source_title": source.get("title", {}).get("en"),
            "provenance_label": PROVENANCE[kind].format(file=source.get("file", "")) if kind else None}


def _inputs_view(bundle: dict, calculator, inputs: dict, as_of: str) -> list[dict]:
    """The inputs as the reader gave them, labelled; empty optional fields show their default."""
    shown = []
    for field in calculator.INPUTS:
        raw = inputs.get(field.name)
        if raw in (None, ""):
            if field.required:
                continue
            text = "not given" if field.default is None else _value_text(bundle, field, field.default)
        else:
            text = _value_text(bundle, field, raw)
        shown.append({"name": field.name, "label": field.label, "text": text})
    shown.append({"name": "as_of", "label": "Rules as of", "text": fmt_date(as_of)})
    return shown


def _value_text(bundle: dict, field, value: Any) -> str:
    if field.type == "choice":
        return dict(field.labelled_choices(bundle)).get(str(value), str(value))
    if field.type == "boolean":
        return "Yes" if value in (True, "true") else "No"
    if field.type == "date":
        try:
            return fmt_date(str(value))
        except ValueError:
            return str(value)
    if field.unit in ("USD", "CNY"):
        try:
            return fmt_money(float(str(value).replace(",", "").replace(" ", "")), field.unit)
        except ValueError:
            return str(value)
    return f"{value} {field.unit}" if field.unit and field.unit not in ("listings", "stores", "brands") else str(value)


def _amount_text(bundle: dict, value: Any, unit: str | None) -> str | None:
    """An amount as a reader sees it; None for one that does not apply."""
    if value is None or unit is None:
        return None
    if unit in ("USD", "CNY"):
        return fmt_money(value, unit)
    if unit == "percent":
        return f"{value:g}%"
    if unit == "date":
        return fmt_date(value)
    if unit == "days":
        return f"{value:,} days"
    if unit == "store_types":
        names = [bundle["terms"]["store_type"][t]["label"]["en"] for t in value]
        return ", ".join(names) if names else "none"
    if unit == "list":
        return "; ".join(value) if value else None
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)

