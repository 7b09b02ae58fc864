"""The calculators' entry points, shared by the CLI (CPython) and the browser worker (Pyodide).

`run` never raises for bad input: it returns {"errors": [...]} instead, so neither the terminal
nor the page ever shows a traceback for something the user typed.
"""

from __future__ import annotations

import datetime as dt
import json

from calculators.inputs import InputErrors, parse_date, validate
from calculators.policy import Policy
from calculators.registry import CALCULATORS


def evaluate(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None) -> dict:
    """The result of calculator `name` as a dict; raises InputErrors for bad input."""
    calculator = CALCULATORS[name]
    if as_of is None:
        as_of = dt.date.today()
    elif isinstance(as_of, str):
        try:
            as_of = parse_date(as_of)
        except ValueError as problem:
            raise InputErrors([{"field": "as_of", "message": str(problem)}]) from None
    values = validate(calculator.INPUTS, inputs, bundle)
    errors = calculator.check(values, as_of)
    if errors:
        raise InputErrors(errors)
    return calculator.evaluate(Policy(bundle), values, as_of).to_dict()


def run(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None) -> dict:
    """Like evaluate, but bad input gives {"errors": [{"field", "message"}, ...]}."""
    try:
        return evaluate(bundle, name, inputs, as_of)
    except InputErrors as bad:
        return {"errors": bad.errors}


def specs(bundle: dict) -> dict:
    """Every calculator's input spec, with choices from the policies: what `list` prints and forms draw."""
    return {name: {"title": module.TITLE, "verdicts": list(module.VERDICTS),
                   "inputs": [field.spec(bundle) for field in module.INPUTS]}
            for name, module in CALCULATORS.items()}


def run_json(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> str:
    """JSON text in, JSON text out: the one call the browser worker makes per calculation.

    Only strings cross the JavaScript/Python boundary, so JS `null` (which Pyodide turns into
    `jsnull`, not None) can never reach a calculator. `options_json` holds:
      as_of  the "Rules as of" date; missing, null or "" means today;
      today  the reader's own date (their time zone), used for "today" instead of the machine's.
    """
    options = json.loads(options_json or "{}")
    if not isinstance(options, dict):
        options = {}
    as_of = options.get("as_of") or options.get("today") or None
    return json.dumps(run(_bundle_cache(bundle_json), name, json.loads(inputs_json), as_of))


def check_bundle_json(bundle_json: str) -> str:
    """'' when the policy bundle text is usable, else what is wrong with it (the worker checks once, at start)."""
    try:
        bundle = json.loads(bundle_json)
    except ValueError as problem:
        return f"the policy data is not valid JSON ({problem})"
    missing = [key for key in ("version", "rules", "categories", "terms", "sources") if not isinstance(bundle, dict)
               or key not in bundle]
    return f"the policy data lacks {', '.join(missing)}" if missing else ""


_CACHE: dict = {}


def _bundle_cache(bundle_json: str) -> dict:
    # The worker passes the same bundle text each time; parse it once.
    if _CACHE.get("text") is not bundle_json:
        _CACHE.update(text=bundle_json, bundle=json.loads(bundle_json))
    return _CACHE["bundle"]


__all__ = ["evaluate", "run", "specs", "run_json", "check_bundle_json", "InputErrors"]
