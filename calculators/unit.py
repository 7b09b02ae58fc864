"""A calculator as a declared unit: one `Calculator` entry holds everything the rest of the code reads.

Each calculator module ends with its entry (`CALCULATOR = Calculator(...)`), and calculators/registry.py
lists the modules. The API, the worker, the sweep, the CLI, batch, the schemas and the pages read
only the entry, so a new calculator is its own module, its YAML and its words in the catalogue:
nothing else names it. Its chart is one of the kinds the page already draws (CHART_KINDS), unless it
needs a new one (then docs/assets/calculators/chart.mjs learns to draw it).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from calculators.inputs import Field
from calculators.messages import Words
from calculators.policy import Policy, Rules
from calculators.result import money

# The charts the page knows how to draw (chart.mjs dispatches on a sweep's `kind`):
#   steps      a value that steps up with one amount (refund tiers against annual sales);
#   bar        an amount against a threshold and its warning band, with a time line;
#   checklist  each requirement's outcome, and the one change that would do.
CHART_KINDS = ("steps", "bar", "checklist")


@dataclass(frozen=True)
class Scenario:
    """What a calculator's sweep is drawn from: one request, answered.

    `ask(inputs, as_of)` is the calculator's own result (without its outlook) for other inputs or
    another day, in the same language and typing; it raises inputs.InputErrors for inputs it refuses.
    A sweep decides nothing itself: every figure comes from `result`, from `ask`, or from the policies.
    """

    bundle: dict
    inputs: dict  # as the reader gave them
    values: dict  # as the calculator read them
    as_of: dt.date
    result: dict
    say: Words
    ask: Callable[[dict, dt.date], dict]


@dataclass(frozen=True)
class Calculator:
    """One calculator: its spec (name, title, verdicts, amounts, inputs), the rules it reads, how it
    checks and evaluates, its key dates, its chart (sweep and kind) and how announced changes reach it.

    name        the contract's name, `python -m calculators run NAME`;
    title       a message key;
    verdicts    verdict code -> {"label": message key, "tone": ok/warn/bad/info}, best first;
    amounts     amount name -> (label message key, unit that formats it: present.py, result_schema.py);
    inputs      the input spec, in the form's order;
    rules       the policy rules it reads, with their kinds (policy.Rules);
    basis       the rules every answer rests on: the handbook's rules begin when these hold (api.rules_begin);
    compared    the rules whose own `comparison` decides its answer (the loader checks each states one);
    check       (policy, values, as_of) -> input errors between fields (which fields an answer needs can depend on the rules);
    evaluate    (policy, values, as_of) -> result.Result;
    key_dates   (policy, values, result dict) -> the result's own key dates;
    sweep       (Scenario) -> the chart's series, without `calculator`, `kind` and the comparison words;
    chart_kind  one of CHART_KINDS;
    announced_inputs, announced_when: optional, see upcoming.py;
    field_labels  optional, (policy, inputs as typed, as_of) -> {input name: label worded from them} (present.py);
    onward      optional, (category, result dict, say) -> the calculators this result leads to (onward.py).
    """

    name: str
    title: str
    verdicts: dict[str, dict]
    amounts: dict[str, tuple[str, str]]
    inputs: tuple[Field, ...]
    rules: tuple[Rules, ...]
    check: Callable[[Policy, dict, dt.date], list[dict]]
    evaluate: Callable[..., Any]
    key_dates: Callable[..., list[dict]]
    sweep: Callable[[Scenario], dict]
    chart_kind: str
    basis: tuple[str, ...] = ()
    compared: frozenset[str] = field(default_factory=frozenset)
    announced_inputs: Callable | None = None
    announced_when: Callable | None = None
    field_labels: Callable | None = None
    onward: Callable | None = None

    def __post_init__(self):
        if self.chart_kind not in CHART_KINDS:
            raise ValueError(f"{self.name}: chart kind {self.chart_kind!r} is not one of {', '.join(CHART_KINDS)}")
        unknown = (set(self.basis) | set(self.compared)) - set(self.rules_used)
        if unknown:
            raise ValueError(f"{self.name}: {', '.join(sorted(unknown))} not among the rules it reads")

    @property
    def rules_used(self) -> dict[str, tuple[str, str | None]]:
        """rule address -> (kind, unit): what the loader checks the policies hold."""
        return {address: kind for rules in self.rules for address, kind in rules.used.items()}


# Where an axis may end, times a power of ten: each is a whole number of ECharts' ticks, so the end is
# labelled like every other tick, not as a stray "990,000" ("99万") after 200,000 steps.
AXIS_ENDS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def axis_end(value: float) -> float | int:
    """The first of AXIS_ENDS (times a power of ten) at or above `value`, in money: 990000 -> 1000000."""
    if value <= 0:
        return money(value)
    power = 10 ** math.floor(math.log10(value))
    return next(money(step * power) for step in AXIS_ENDS if money(step * power) >= value)


__all__ = ["Calculator", "Scenario", "CHART_KINDS", "axis_end"]
