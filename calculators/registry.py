"""The calculators by name, and the rules each one reads (the loader checks those rules exist)."""

from __future__ import annotations

from calculators import delisting, eligibility, refund

CALCULATORS = {module.NAME: module for module in (eligibility, refund, delisting)}

# rule address -> (calculator, kind, unit): what each calculator expects of the policies.
RULES_USED: dict[str, tuple[str, str, str | None]] = {
    address: (module.NAME, kind, unit)
    for module in CALCULATORS.values()
    for address, (kind, unit) in module.RULES_USED.items()
}
