"""What-if series for the calculators' charts: how the answer changes as one input moves.

A sweep sits beside a result. It decides nothing itself: every figure in it comes from running
the calculator (api.evaluate) at other inputs, or from the policy resolver (policy.Policy), and
every word a chart shows (axis names, legend, the text alternative's table) is written here, so
the page's JavaScript only draws. Standard library only: the same code runs in CPython (tests,
`python -m calculators run NAME --sweep`) and in Pyodide (the browser worker calls sweep_json).

Shapes (all JSON):
  refund       steps (one per tier band, with its comparison word), the seller's point and the gap
               to the next tier; or `reason` when no tier refund applies (service level, removal,
               mid-year exit, no scheme on the date);
  delisting    the store's sales against its threshold and at-risk band, and a time line;
  eligibility  a checklist of requirements and the one change that makes the seller eligible.
"""

from __future__ import annotations

import datetime as dt
import json

from calculators import refund as refund_calc
from calculators.api import _as_of, _bundle_cache, evaluate, read_request
from calculators.inputs import BOOLEAN, CHOICE, INTEGER, InputErrors, load_inputs, validate
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from calculators.result import FAIL, PASS, WARN, fmt_date, fmt_money, money

# The words of "pin this scenario and compare" (issue 16, point 7), the same on every calculator.
COMPARE_WORDS = {"pin": "Pin this scenario to compare", "unpin": "Unpin", "pinned": "Pinned", "now": "Now",
                 "verdict": "Verdict"}
# How far the refund chart reaches: about twice the top tier, so the last step is seen as flat.
REACH = 2


def sweep(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None, typed: bool = False) -> dict | None:
    """The sweep for calculator `name` at these inputs, or None when the inputs have errors."""
    try:
        day = _as_of(as_of)
        result = evaluate(bundle, name, inputs, day, typed)
        values = validate(CALCULATORS[name].INPUTS, inputs, bundle, typed=typed)
    except InputErrors:
        return None
    out = SWEEPS[name](bundle, dict(inputs), values, day, result, typed)
    out["words"] = {**out["words"], **COMPARE_WORDS}
    return out


def sweep_json(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> str:
    """JSON text in and out, with the same options as api.run_json: what the browser worker calls.

    Answers `null` when the inputs have errors (the result already says what is wrong).
    """
    try:
        inputs, as_of, typed = read_request(inputs_json, options_json)
    except InputErrors:
        return "null"
    return json.dumps(sweep(_bundle_cache(bundle_json), name, inputs, as_of, typed=typed))


# ---------------------------------------------------------------------------------------------
# Refund: the refund against annual sales
# ---------------------------------------------------------------------------------------------

REFUND_WORDS = {
    "title": "Refund by sales this year",
    "x_axis": "Sales this year (USD)",
    "y_axis": "Refund (%)",
    "y_axis_cny": "Refund amount (CNY)",
    "series": "Refund",
    "seller": "Your store",
    "gap": "Next tier",
    "open": "open end: the amount itself is not included",
    "closed": "closed end: the amount itself is included",
}


def _refund(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool) -> dict:
    amounts = result["amounts"]
    seller = {"sales_usd": money(values["annual_sales_usd"]), "percent": amounts["refund_percent"],
              "refund_cny": amounts["refund_cny"],
              "text": f"{REFUND_WORDS['seller']}: {fmt_money(values['annual_sales_usd'], 'USD')} in sales, "
                      f"{amounts['refund_percent']:g}% ({fmt_money(amounts['refund_cny'], 'CNY')})"}
    # The CNY axis runs to the whole fee, so that 100% on one side is the fee on the other.
    out = {"calculator": "refund", "words": REFUND_WORDS, "seller": seller, "fee_cny": amounts["fee_cny"]}
    reason = _refund_reason(result, values)
    if reason:
        return {**out, "reason": reason, "steps": None, "gap": None, "table": None}

    tiers = Policy(bundle).resolve(refund_calc.R + "refund_tiers", as_of, category=values["category"]).value
    top = max(tier["amount"] for tier in tiers)
    reach = money(max(top * REACH, values["annual_sales_usd"] * 1.1))

    def at(sales: float) -> dict:
        # The calculator itself at these sales: the chart never recomputes a refund.
        return evaluate(bundle, "refund", {**inputs, "annual_sales_usd": money(sales)}, as_of, typed)["amounts"]

    starts = [(0.0, None)] + [(refund_calc.gap(0, tier), tier) for tier in tiers]
    steps = []
    for i, (start, tier) in enumerate(starts):
        end = tiers[i]["amount"] if i < len(tiers) else reach
        got = at(start)
        steps.append({
            "from_usd": money(tier["amount"] if tier else 0), "to_usd": money(end),
            # where the step starts being paid: the first cent past a "more than" amount
            "first_usd": money(start),
            "comparison": tier["comparison"] if tier else None,
            "start": ("open" if tier["comparison"] == "more_than" else "closed") if tier else "closed",
            "percent": got["refund_percent"], "refund_cny": got["refund_cny"],
        })
    for step, following in zip(steps, steps[1:] + [None]):
        step["band"] = _sales_band(step, following)
        step["label"] = f"{step['percent']:g}%: {step['band']}"
    gap = None
    if amounts["next_tier_gap_usd"] is not None:
        gap = {"gap_usd": amounts["next_tier_gap_usd"], "to_percent": amounts["next_tier_percent"],
               "at_usd": money(values["annual_sales_usd"] + amounts["next_tier_gap_usd"]),
               "text": f"{fmt_money(amounts['next_tier_gap_usd'], 'USD')} more for {amounts['next_tier_percent']:g}%"}
    table = {"caption": REFUND_WORDS["title"], "columns": ["Sales this year", "Refund", "Refund amount"],
             "rows": [[step["band"], f"{step['percent']:g}%", fmt_money(step["refund_cny"], "CNY")] for step in steps]}
    return {**out, "reason": None, "steps": steps, "x_max": reach, "gap": gap, "table": table}


def _sales_band(step: dict, following: dict | None) -> str:
    """A step's sales in words, naming its comparison: 'more than USD 60,000', 'USD 15,000 or more'."""
    if step["comparison"] is None:
        # below the first tier: "up to" its amount when that amount itself still gets nothing
        word = "up to" if following and following["comparison"] == "more_than" else "under"
        return f"{word} {fmt_money(step['to_usd'], 'USD')}"
    amount = fmt_money(step["from_usd"], "USD")
    return f"more than {amount}" if step["comparison"] == "more_than" else f"{amount} or more"


def _refund_reason(result: dict, values: dict) -> dict | None:
    """Why no tier refund applies whatever the sales, in the calculator's own words; None when tiers apply."""
    blocking = {refund_calc.R + "refund_after_violation_removal": "removed",
                refund_calc.R + "qualifying_service_levels": "service_level"}
    for finding in result["findings"]:
        if finding["outcome"] == FAIL and finding["rule"] in blocking:
            return {"code": blocking[finding["rule"]], "text": finding["detail"]}
    if values["exit_month"] is not None:
        return {"code": "mid_year_exit", "text": "A store that exits mid-year gets a pro-rated refund by months, "
                                                 "not a refund by sales tier. " + result["headline"]}
    if not any(finding["rule"] == refund_calc.R + "refund_tiers" and finding["outcome"] != "info"
               for finding in result["findings"]):
        return {"code": "no_scheme", "text": result["headline"]}
    return None


# ---------------------------------------------------------------------------------------------
# Delisting: sales against the threshold, and a time line
# ---------------------------------------------------------------------------------------------

DELISTING_WORDS = {
    "title": "Sales against the threshold",
    "x_axis": "Sales in the last 365 days (USD)",
    "sales": "Your sales",
    "threshold": "Threshold",
    "at_risk": "At risk (site guidance)",
    "timeline": "Your store's time line",
}


def _delisting(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool) -> dict:
    from calculators import delisting as calc

    policy = Policy(bundle)
    amounts = result["amounts"]
    sales, threshold = values["sales_365d_usd"], amounts["threshold_usd"]
    assessed = dt.date.fromisoformat(amounts["assessment_date"]) if amounts["assessment_date"] else None
    rules_day = assessed or as_of
    out = {"calculator": "delisting", "words": DELISTING_WORDS}
    bar = None
    if threshold is not None:
        margin = policy.resolve(calc.A + "at_risk_margin_percent", rules_day).value
        at_risk_until = money(threshold * (1 + margin / 100))
        over = money(sales - threshold)
        bar = {"sales_usd": money(sales), "threshold_usd": threshold, "at_risk_until_usd": at_risk_until,
               "margin_percent": margin, "shortfall_usd": amounts["shortfall_usd"] or 0,
               "margin_usd": over if over >= 0 else 0, "verdict": result["verdict"],
               "x_max": money(max(sales, at_risk_until) * 1.25),
               "text": (f"{fmt_money(-over, 'USD')} short of the threshold" if over < 0 else
                        f"{fmt_money(over, 'USD')} above the threshold")}
    opened = values["store_opened_on"]
    min_age = policy.resolve(calc.A + "minimum_store_age_days", rules_day)
    new_max = policy.resolve(calc.A + "new_store_max_age_days", rules_day)
    events = [{"kind": "opened", "date": opened.isoformat(), "label": "Store opened"}]
    if min_age.in_force:
        events.append({"kind": "assessed_from", "date": (opened + dt.timedelta(days=min_age.value)).isoformat(),
                       "label": f"Old enough to be assessed ({min_age.value} days)"})
    if new_max.in_force:
        events.append({"kind": "established", "date": (opened + dt.timedelta(days=new_max.value + 1)).isoformat(),
                       "label": f"Established store (over {new_max.value} days)"})
    events.append({"kind": "today", "date": as_of.isoformat(), "label": "Rules as of"})
    if assessed:
        events.append({"kind": "assessment", "date": assessed.isoformat(), "label": "Next assessment"})
    events.sort(key=lambda event: event["date"])
    for event in events:
        event["text"] = fmt_date(event["date"])
    rows = [["Your sales", fmt_money(sales, "USD")]]
    if bar:
        rows += [["Threshold", fmt_money(threshold, "USD")], ["At risk below", fmt_money(bar["at_risk_until_usd"], "USD")],
                 ["Difference", bar["text"]]]
    rows += [[event["label"], event["text"]] for event in events]
    table = {"caption": DELISTING_WORDS["title"], "columns": ["", ""], "rows": rows}
    return {**out, "bar": bar, "reason": None if bar else {"code": result["verdict"], "text": result["headline"]},
            "timeline": events, "table": table}


# ---------------------------------------------------------------------------------------------
# Eligibility: a checklist, and the one change that would do
# ---------------------------------------------------------------------------------------------

OUTCOME_WORDS = {PASS: "Passed", FAIL: "Failed", WARN: "Warning"}
# Which inputs feed which requirement: where a single change is looked for when it fails.
RULE_INPUTS = {
    "requirements.entity_type_accepted": ("entity_type",),
    "requirements.alipay_enterprise_verification": ("alipay_enterprise_verified",),
    "requirements.brand_required": ("brand_relationship", "brands_count"),
    "store-types.store_types_by_brand_relationship": ("brand_relationship",),
    "store-types.trademark_application_max_age_months": ("brand_relationship",),
    "store-types.multi_brand_store_types": ("brands_count", "brand_relationship"),
    "requirements.max_stores_per_company": ("stores_total",),
    "requirements.max_stores_per_category": ("stores_in_category",),
    "recruitment.invitation_only_seller_types": ("seller_type",),
    "recruitment.preferred_turnover_cny": ("annual_turnover_cny",),
}
MAX_TRIES = 60  # runs at most per sweep: each is a fraction of a millisecond, and the page waits


def _eligibility(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool) -> dict:
    from calculators import eligibility as calc

    checklist = [{"rule": f["rule"], "title": f["title"], "outcome": f["outcome"], "outcome_label": OUTCOME_WORDS[f["outcome"]],
                  "detail": f["detail"]} for f in result["findings"] if f["outcome"] in OUTCOME_WORDS]
    change = None
    if result["verdict"] != "eligible":
        change = _one_change(bundle, inputs, values, as_of, result, typed, calc)
    return {"calculator": "eligibility", "words": {"title": "Requirements", "change": "One change that would do"},
            "checklist": checklist, "change": change,
            "change_text": change["text"] if change else ("No single change makes you eligible."
                                                          if result["verdict"] != "eligible" else None)}


def _one_change(bundle, inputs, values, as_of, result, typed, calc) -> dict | None:
    """The first single input change (in the order the requirements were checked) that gives "eligible"."""
    fields = {field.name: field for field in calc.INPUTS}
    policy = Policy(bundle)
    tries = 0
    blocked = [f["rule"] for f in result["findings"] if f["outcome"] in (FAIL, WARN)]
    for rule in blocked:
        if rule == "requirements.rejoin_lock_days" and result["amounts"]["rejoin_earliest"]:
            # Time is the only remedy: the same inputs on the first day the lock has ended.
            day = result["amounts"]["rejoin_earliest"]
            if evaluate(bundle, "eligibility", inputs, day, typed)["verdict"] == "eligible":
                return {"field": "as_of", "label": "Date", "from": as_of.isoformat(), "to": day,
                        "text": f"Apply on or after {fmt_date(day)}."}
            continue
        for name in RULE_INPUTS.get(rule, ()):
            field = fields[name]

            def eligible_with(value) -> bool:
                nonlocal tries
                tries += 1
                try:
                    return evaluate(bundle, "eligibility", {**inputs, name: value}, as_of, typed)["verdict"] == "eligible"
                except InputErrors:
                    return False

            if field.type == INTEGER and name != "brands_count":
                # Store counts: fewer never hurts, so search for the smallest cut that would do.
                best = _largest(int(field.minimum or 0), values[name] - 1, eligible_with)
                if best is not None:
                    return {"field": name, "label": field.label, "from": values[name], "to": best,
                            "text": f"{field.label}: {best:,} (now {values[name]:,})."}
                continue
            for value, shown in _candidates(field, values, bundle, policy, as_of):
                if tries >= MAX_TRIES:
                    return None
                if eligible_with(value):
                    return {"field": name, "label": field.label, "from": inputs.get(name), "to": value,
                            "text": f"{field.label}: {shown}."}
    return None


def _largest(low: int, high: int, works) -> int | None:
    """The largest n in [low, high] for which works(n), when works holds for every n up to some bound."""
    if high < low or not works(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if works(middle) else (low, middle - 1)
    return low


def _candidates(field, values: dict, bundle: dict, policy: Policy, as_of: dt.date):
    """Values to try for one input: (value, the value in words)."""
    current = values[field.name]
    if field.type == CHOICE:
        for value, label in field.labelled_choices(bundle):
            if value != current:
                yield value, label
    elif field.type == BOOLEAN:
        yield (not current), ("yes" if not current else "no")
    elif field.name == "brands_count" and current != 1:
        yield 1, "1"  # one brand: what a single-brand store type needs
    elif field.name == "annual_turnover_cny":
        preferred = policy.resolve("recruitment.preferred_turnover_cny", as_of, seller_type=values["seller_type"])
        if preferred.in_force:
            yield preferred.value, f"at least {fmt_money(preferred.value, 'CNY')}"


SWEEPS = {"refund": _refund, "delisting": _delisting, "eligibility": _eligibility}

__all__ = ["sweep", "sweep_json", "SWEEPS"]
