"""The calculators by name, each one entry (unit.Calculator) that its own module declares, and the
rules each one reads (the loader checks those rules exist).

The loader's check also works the other way round: a rule that no calculator reads must say
`documentation_only: true`, and a rule a calculator compares must state its `comparison`.
"""

from __future__ import annotations

from calculators import delisting, eligibility, refund
from calculators.unit import Calculator

# In the site's menu order.
CALCULATORS: dict[str, Calculator] = {module.CALCULATOR.name: module.CALCULATOR
                                      for module in (eligibility, refund, delisting)}

# rule address -> (calculator, kind, unit): what each calculator expects of the policies.
RULES_USED: dict[str, tuple[str, str, str | None]] = {
    address: (calculator.name, kind, unit)
    for calculator in CALCULATORS.values()
    for address, (kind, unit) in calculator.rules_used.items()
}
# rule address -> the calculator that decides by the rule's own `comparison` key.
RULES_COMPARED: dict[str, str] = {address: calculator.name for calculator in CALCULATORS.values()
                                  for address in calculator.compared}
