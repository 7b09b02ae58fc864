"""Where a result leads next, with its figures: the calculator a seller would open after this one.

The page draws each entry as a link to that calculator's page, its inputs in the link's fragment
(docs/assets/calculators/result.mjs); the link's figures fill the next form. Which result leads
where is decided here, beside the results, so the page only draws it:
- a delisting result below the threshold (the store would be returned on the assessment date)
  leads to eligibility with `returned_on` that day, as of that day: when could the seller rejoin;
- an eligibility result that lets the seller in leads to the annual fee refund, with its category.
"""

from __future__ import annotations

from calculators.messages import Words


def onward_view(name: str, inputs: dict, result: dict, say: Words) -> list[dict]:
    """[{"calculator", "inputs": {name: text}, "text"}] for `result` of calculator `name`; [] when it leads nowhere."""
    category = inputs.get("category")
    if not isinstance(category, str) or not category:
        return []
    if name == "delisting" and result["verdict"] == "below_threshold":
        returned = result["amounts"].get("assessment_date")
        if not returned:
            return []
        # As of the return: eligibility refuses a return date after its as-of date.
        return [{"calculator": "eligibility", "text": say("shared.onward_eligibility"),
                 "inputs": {"category": category, "returned_on": returned, "as_of": returned}}]
    if name == "eligibility" and result["verdict"] != "not_eligible":
        return [{"calculator": "refund", "text": say("shared.onward_refund"), "inputs": {"category": category}}]
    return []


__all__ = ["onward_view"]
