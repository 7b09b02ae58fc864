"""What-if series for the calculators' charts: how the answer changes as one input moves.

A sweep sits beside a result. It decides nothing itself: every figure in it comes from running
the calculator (api.evaluate) at other inputs, or from the policy resolver (policy.Policy), and
every word a chart shows (axis names, legend, the text alternative's table) is written in Python, so
the page's JavaScript only draws. Standard library only: the same code runs in CPython (tests,
`python -m calculators run NAME --sweep`) and in Pyodide (the browser worker, through calculators/worker.py).

Each calculator's own series is its entry's `sweep` (in its module, unit.Calculator); here is what
every sweep shares: the request, the calculator run at other inputs (unit.Scenario.ask), and the
keys `calculator` and `kind`, the chart kind that chart.mjs draws (unit.CHART_KINDS):
  steps      (refund) one step per tier band, with its comparison word, the seller's point and the
             gap to the next tier; or `reason` when no tier refund applies;
  bar        (delisting) the store's sales against its threshold and at-risk band, and a time line;
  checklist  (eligibility) the requirements and the one change that makes the seller eligible.
"""

from __future__ import annotations

import datetime as dt
import json

from calculators.api import bundle_from_json, checked_as_of, evaluate, read_request
from calculators.inputs import InputErrors, validate
from calculators.messages import Words, key
from calculators.registry import CALCULATORS
from calculators.unit import Scenario

# The words of "pin this scenario and compare", the same on every calculator (message keys).
COMPARE_WORDS = {"pin": key("chart.pin"), "unpin": key("chart.unpin"), "pinned": key("chart.pinned"),
                 "now": key("chart.now"), "verdict": key("chart.verdict")}


def sweep(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None, typed: bool = False,
          lang: str = "en", result: dict | None = None) -> dict | None:
    """The sweep for calculator `name` at these inputs, in `lang`, or None when the inputs have errors.

    `result`: the calculator's result at these inputs, when the caller already has it (the worker's
    answer to the same request), so it is not computed twice."""
    try:
        day = checked_as_of(as_of, bundle)
        if result is None:
            result = evaluate(bundle, name, inputs, day, typed, lang, outlook=False)
        calculator = CALCULATORS[name]  # a name it does not have failed in evaluate, as an input error
        values = validate(calculator.inputs, inputs, bundle, typed=typed, as_of=day)
    except InputErrors:
        return None
    say = Words(bundle, lang)

    def ask(changed: dict, on: dt.date | str) -> dict:
        return evaluate(bundle, name, changed, on, typed, lang, outlook=False)

    drawn = calculator.sweep(Scenario(bundle, dict(inputs), values, day, result, say, ask))
    # `kind` tells the page which chart to draw (chart.mjs), whatever the calculator.
    out = {"calculator": name, "kind": calculator.chart_kind, **drawn}
    out["words"] = {part: say(message) for part, message in {**drawn["words"], **COMPARE_WORDS}.items()}
    return out


def sweep_json(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> str:
    """JSON text in and out, with the same options as api.run_json: what the browser worker calls.

    Answers `null` when the inputs have errors (the result already says what is wrong).
    """
    return json.dumps(sweep_request(bundle_from_json(bundle_json), name, inputs_json, options_json))


def sweep_request(bundle: dict, name: str, inputs_json: str, options_json: str,
                  result: dict | None = None) -> dict | None:
    """sweep_json's answer as data: the sweep, or None when the request or its inputs have errors.
    `result`: as for sweep."""
    try:
        inputs, as_of, typed, lang = read_request(inputs_json, options_json)
    except InputErrors:
        return None
    return sweep(bundle, name, inputs, as_of, typed=typed, lang=lang, result=result)


__all__ = ["sweep", "sweep_json", "sweep_request"]
