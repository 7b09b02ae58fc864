"""The browser worker's door (docs/assets/calculators/worker.mjs): the calculators bound to one policy bundle.

The worker makes one `Calculators` when Python has started, from the policy bundle's JSON text;
that text crosses from JavaScript into Python once, there. Each change of a form is then one call,
`answer`, with the inputs' and options' JSON text, answered by one JSON text that holds the result,
its view and the chart's series. Only JSON text crosses (a JS null would arrive as `jsnull`, not
None), and bad input is an answer with errors, never an exception.

Why the series rides with the answer: asked for separately, it came a message later, often after
the frame that painted the answer, so the chart lagged the answer by a frame or more. Sweeping costs
a fraction of the answer (the answer's result is reused), so both are drawn in one task, one frame.

Why bound: passing the 80 kB bundle text on every call copied it into Python each time, about
0.7 ms a call in Chromium, three calls a change (the result, its view, the series); the result also
crossed twice, as JSON out of one call and into the next.
"""

from __future__ import annotations

import json
import traceback

from calculators.api import bundle_from_json, check_bundle_json, request_options, run_request
from calculators.present import view
from calculators.registry import CALCULATORS
from calculators.sweep import sweep_request


class Calculators:
    """The calculators for one policy bundle; `problem` is '' when the bundle is usable, else what is wrong with it."""

    def __init__(self, bundle_json: str):
        self.problem = check_bundle_json(bundle_json)
        self._bundle = None if self.problem else bundle_from_json(bundle_json)

    def answer(self, name: str, inputs_json: str, options_json: str = "{}") -> str:
        """{"result": ..., "view": ..., "sweep": ...} as JSON text: the result (or its errors) as
        api.run_json gives it, what the page shows for it (present.view), and the chart's series
        (sweep.sweep_json's answer: null when the inputs have errors). Options as for api.run_json."""
        result, inputs, lang = run_request(self._bundle, name, inputs_json, options_json)
        shown = (view(self._bundle, name, inputs, result, lang, request_options(options_json))
                 if name in CALCULATORS else None)  # an unknown name has errors that say so
        return json.dumps({"result": result, "view": shown,
                           "sweep": self._series(name, inputs_json, options_json, result)})

    def _series(self, name: str, inputs_json: str, options_json: str, result: dict) -> dict | None:
        """The chart's series for an answered request; a fault in it costs the chart, never the answer."""
        if result.get("errors"):
            return None
        try:
            return sweep_request(self._bundle, name, inputs_json, options_json, result=result)
        except Exception:  # noqa: BLE001 - our bug, in the chart only: the console (stderr) says what
            traceback.print_exc()
            return None


__all__ = ["Calculators"]
