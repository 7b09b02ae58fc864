"""The browser worker's door (docs/assets/calculators/worker.mjs): the calculators bound to one policy bundle.

The worker makes one `Calculators` when Python has started, from the policy bundle's JSON text;
that text crosses from JavaScript into Python once, there. Each change of a form is then one call,
`answer`, with the inputs' and options' JSON text, answered by one JSON text that holds the result
and its view; the chart's series follows from `sweep`. Only JSON text crosses (a JS null would
arrive as `jsnull`, not None), and bad input is an answer with errors, never an exception.

Why bound: passing the 80 kB bundle text on every call copied it into Python each time, about
0.7 ms a call in Chromium, three calls a change (the result, its view, the series); the result also
crossed twice, as JSON out of one call and into the next.
"""

from __future__ import annotations

import json

from calculators.api import bundle_from_json, check_bundle_json, request_options, run_request
from calculators.present import view
from calculators.registry import CALCULATORS
from calculators.sweep import sweep_request


class Calculators:
    """The calculators for one policy bundle; `problem` is '' when the bundle is usable, else what is wrong with it."""

    def __init__(self, bundle_json: str):
        self.problem = check_bundle_json(bundle_json)
        self._bundle = None if self.problem else bundle_from_json(bundle_json)
        self._answered: tuple = ((), None)  # (the newest request answered, its result): its sweep follows

    def answer(self, name: str, inputs_json: str, options_json: str = "{}") -> str:
        """{"result": ..., "view": ...} as JSON text: the result (or its errors) as api.run_json gives it, and
        what the page shows for it (present.view). Options as for api.run_json."""
        result, inputs, lang = run_request(self._bundle, name, inputs_json, options_json)
        self._answered = ((name, inputs_json, options_json), result)
        shown = (view(self._bundle, name, inputs, result, lang, request_options(options_json))
                 if name in CALCULATORS else None)  # an unknown name has errors that say so
        return json.dumps({"result": result, "view": shown})

    def sweep(self, name: str, inputs_json: str, options_json: str = "{}") -> str:
        """The chart's series as JSON text, or `null` when the inputs have errors (sweep.sweep_json's answer).
        The same request's answer, just given, is not computed again (half a delisting sweep's time)."""
        request, result = self._answered
        known = result if request == (name, inputs_json, options_json) else None
        return json.dumps(sweep_request(self._bundle, name, inputs_json, options_json, result=known))


__all__ = ["Calculators"]
