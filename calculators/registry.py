"""The calculators by name, and the rules each one reads (the loader checks those rules exist).

The loader's check also works the other way round: a rule that no calculator reads must say
`documentation_only: true`, and a rule a calculator compares must state its `comparison`.
"""

from __future__ import annotations

from calculators import delisting, eligibility, refund

CALCULATORS = {module.NAME: module for module in (eligibility, refund, delisting)}

# rule address -> (calculator, kind, unit): what each calculator expects of the policies.
RULES_USED: dict[str, tuple[str, str, str | None]] = {
    address: (module.NAME, kind, unit)
    for module in CALCULATORS.values()
    for address, (kind, unit) in module.RULES_USED.items()
}
# rule address -> the calculator that decides by the rule's own `comparison` key.
RULES_COMPARED: dict[str, str] = {address: module.NAME for module in CALCULATORS.values() for address in module.COMPARED}
