"""Where a result leads next, with its figures: the calculator a seller would open after this one.

The page draws each entry as a link to that calculator's page, its inputs in the link's fragment
(docs/assets/calculators/result.mjs); the link's figures fill the next form. Which result leads
where is each calculator's own `onward` (its unit.Calculator entry); here is what they share: a
result leads on only with the seller's category, which every onward link carries.
"""

from __future__ import annotations

from calculators.messages import Words
from calculators.registry import CALCULATORS


def onward_view(name: str, inputs: dict, result: dict, say: Words) -> list[dict]:
    """[{"calculator", "inputs": {name: text}, "text"}] for `result` of calculator `name`; [] when it leads nowhere."""
    category = inputs.get("category")
    leads = CALCULATORS[name].onward
    if not leads or not isinstance(category, str) or not category:
        return []
    return leads(category, result, say)


__all__ = ["onward_view"]
