"""What-if series for the calculators' charts: how the answer changes as one input moves.

A sweep sits beside a result. It decides nothing itself: every figure in it comes from running
the calculator (api.evaluate) at other inputs, or from the policy resolver (policy.Policy), and
every word a chart shows (axis names, legend, the text alternative's table) is written here, so
the page's JavaScript only draws. Standard library only: the same code runs in CPython (tests,
`python -m calculators run NAME --sweep`) and in Pyodide (the browser worker, through calculators/worker.py).

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
import math

from calculators import refund as refund_calc
from calculators.api import _as_of, _bundle_cache, evaluate, read_request
from calculators.inputs import BOOLEAN, CHOICE, INTEGER, InputErrors, load_inputs, validate
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from calculators.messages import Words, key
from calculators.result import FAIL, PASS, WARN, fmt_date, fmt_money, money

# The words of "pin this scenario and compare", the same on every calculator (message keys).
COMPARE_WORDS = {"pin": key("chart.pin"), "unpin": key("chart.unpin"), "pinned": key("chart.pinned"),
                 "now": key("chart.now"), "verdict": key("chart.verdict")}
# How far the refund chart reaches: about twice the top tier, so the last step is seen as flat.
REACH = 2
# Where an axis may end, times a power of ten: each is a whole number of ECharts' ticks, so the end is
# labelled like every other tick, not as a stray "990,000" ("99万") after 200,000 steps.
AXIS_ENDS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def axis_end(value: float) -> float | int:
    """The first of AXIS_ENDS (times a power of ten) at or above `value`, in money: 990000 -> 1000000."""
    if value <= 0:
        return money(value)
    power = 10 ** math.floor(math.log10(value))
    return next(money(step * power) for step in AXIS_ENDS if money(step * power) >= value)


def sweep(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None, typed: bool = False,
          lang: str = "en", result: dict | None = None) -> dict | None:
    """The sweep for calculator `name` at these inputs, in `lang`, or None when the inputs have errors.

    `result`: the calculator's result at these inputs, when the caller already has it (the worker's
    answer to the same request), so it is not computed twice."""
    try:
        day = _as_of(as_of, bundle)
        if result is None:
            result = evaluate(bundle, name, inputs, day, typed, lang, outlook=False)
        values = validate(CALCULATORS[name].INPUTS, inputs, bundle, typed=typed, as_of=day)
    except InputErrors:
        return None
    say = Words(bundle, lang)
    out = SWEEPS[name](bundle, dict(inputs), values, day, result, typed, say)
    out["words"] = {part: say(message) for part, message in {**out["words"], **COMPARE_WORDS}.items()}
    out["words"]["description"] = _description(out, say)
    return out


def _description(out: dict, say: Words) -> str:
    """What a screen reader hears for the chart (its aria-label): its title and the seller's point, one sentence."""
    detail = next((part["text"] for part in (out.get("seller"), out.get("bar")) if isinstance(part, dict) and part.get("text")),
                  None)
    title = out["words"]["title"]
    return say("chart.description", title=title, detail=say.unstop(detail)) if detail else say("common.sentence", text=title)


def sweep_json(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> str:
    """JSON text in and out, with the same options as api.run_json: what the browser worker calls.

    Answers `null` when the inputs have errors (the result already says what is wrong).
    """
    return json.dumps(sweep_request(_bundle_cache(bundle_json), name, inputs_json, options_json))


def sweep_request(bundle: dict, name: str, inputs_json: str, options_json: str,
                  result: dict | None = None) -> dict | None:
    """sweep_json's answer as data: the sweep, or None when the request or its inputs have errors.
    `result`: as for sweep."""
    try:
        inputs, as_of, typed, lang = read_request(inputs_json, options_json)
    except InputErrors:
        return None
    return sweep(bundle, name, inputs, as_of, typed=typed, lang=lang, result=result)


# ---------------------------------------------------------------------------------------------
# Refund: the refund against annual sales
# ---------------------------------------------------------------------------------------------

# The chart's words, as message keys; sweep() puts them into words.
REFUND_WORDS = {
    "title": key("chart.refund_title"),
    "x_axis": key("chart.refund_x_axis"),
    "y_axis": key("chart.refund_y_axis"),
    "y_axis_cny": key("chart.refund_y_axis_cny"),
    "series": key("refund.amount_refund_percent"),
    "seller": key("chart.your_store"),
    "gap": key("refund.amount_next_tier_percent"),
    "open": key("chart.open_end"),
    "closed": key("chart.closed_end"),
}


def _refund(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool, say: Words) -> dict:
    lang = say.lang
    amounts = result["amounts"]
    if amounts["refund_percent"] is None:
        # No answer (a rule had no value that day: result.answers_without_value): no tiers to draw.
        return {"calculator": "refund", "words": REFUND_WORDS, "seller": None, "fee_cny": None, "steps": None,
                "gap": None, "table": None, "reason": {"code": "no_value", "text": result["headline"]}}
    seller = {"sales_usd": money(values["annual_sales_usd"]), "percent": amounts["refund_percent"],
              "refund_cny": amounts["refund_cny"],
              # what the chart writes by the seller's point, so the point says whose it is
              "label": say("chart.your_store_at", percent=f"{amounts['refund_percent']:g}"),
              "text": say("chart.refund_seller", sales=fmt_money(values["annual_sales_usd"], "USD", lang),
                          percent=f"{amounts['refund_percent']:g}",
                          refund=fmt_money(amounts["refund_cny"], "CNY", lang))}
    # The CNY axis runs to the whole fee, so that 100% on one side is the fee on the other.
    out = {"calculator": "refund", "words": REFUND_WORDS, "seller": seller, "fee_cny": amounts["fee_cny"]}
    reason = _refund_reason(result, values, say)
    if reason:
        return {**out, "reason": reason, "steps": None, "gap": None, "table": None}

    tiers = Policy(bundle).resolve(refund_calc.R + "refund_tiers", as_of, category=values["category"]).value
    top = max(tier["amount"] for tier in tiers)
    reach = axis_end(max(top * REACH, values["annual_sales_usd"] * 1.1))

    def at(sales: float) -> dict:
        # The calculator itself at these sales: the chart never recomputes a refund.
        return evaluate(bundle, "refund", {**inputs, "annual_sales_usd": money(sales)}, as_of, typed, lang,
                        outlook=False)["amounts"]

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
        step["band"] = _sales_band(step, following, say)
        step["label"] = f"{step['percent']:g}%: {step['band']}"
    gap = None
    if amounts["next_tier_gap_usd"] is not None:
        gap = {"gap_usd": amounts["next_tier_gap_usd"], "to_percent": amounts["next_tier_percent"],
               "at_usd": money(values["annual_sales_usd"] + amounts["next_tier_gap_usd"]),
               "text": say("chart.refund_gap", gap=fmt_money(amounts["next_tier_gap_usd"], "USD", lang),
                           percent=f"{amounts['next_tier_percent']:g}")}
    table = {"caption": say(REFUND_WORDS["title"]),
             "columns": [say("refund.annual_sales_usd"), say("refund.amount_refund_percent"),
                         say("refund.amount_refund_cny")],
             "rows": [[step["band"], f"{step['percent']:g}%", fmt_money(step["refund_cny"], "CNY", lang)]
                      for step in steps]}
    return {**out, "reason": None, "steps": steps, "x_max": reach, "gap": gap, "table": table}


def _sales_band(step: dict, following: dict | None, say: Words) -> str:
    """A step's sales in words, naming its comparison: 'more than USD 60,000', 'USD 15,000 or more'."""
    if step["comparison"] is None:
        # below the first tier: "up to" its amount when that amount itself still gets nothing
        up_to = following and following["comparison"] == "more_than"
        return say("chart.band_up_to" if up_to else "chart.band_under", amount=fmt_money(step["to_usd"], "USD", say.lang))
    amount = fmt_money(step["from_usd"], "USD", say.lang)
    return say("chart.band_more_than" if step["comparison"] == "more_than" else "chart.band_or_more", amount=amount)


def _refund_reason(result: dict, values: dict, say: Words) -> dict | None:
    """Why no tier refund applies whatever the sales, in the calculator's own words; None when tiers apply."""
    blocking = {refund_calc.R + "refund_after_violation_removal": "removed",
                refund_calc.R + "qualifying_service_levels": "service_level"}
    if values["fee_paid_cny"] == 0:  # nothing paid, nothing to refund at any sales
        return {"code": "no_fee_paid", "text": result["headline"]}
    for finding in result["findings"]:
        if finding["outcome"] == FAIL and finding["rule"] in blocking:
            return {"code": blocking[finding["rule"]], "text": finding["detail"]}
    if values["exit_month"] is not None:
        return {"code": "mid_year_exit", "text": say("chart.reason_mid_year_exit", headline=result["headline"])}
    if not any(finding["rule"] == refund_calc.R + "refund_tiers" and finding["outcome"] != "info"
               for finding in result["findings"]):
        return {"code": "no_scheme", "text": result["headline"]}
    return None


# ---------------------------------------------------------------------------------------------
# Delisting: sales against the threshold, and a time line
# ---------------------------------------------------------------------------------------------

DELISTING_WORDS = {
    "title": key("chart.delisting_title"),
    "x_axis": key("chart.delisting_x_axis"),
    "sales": key("chart.your_sales"),
    "threshold": key("chart.threshold"),
    "at_risk": key("chart.at_risk"),
    "timeline": key("chart.timeline"),
}


def _delisting(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool,
               say: Words) -> dict:
    from calculators import delisting as calc

    lang = say.lang
    usd = lambda amount: fmt_money(amount, "USD", lang)  # noqa: E731
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
               "x_max": axis_end(max(sales, at_risk_until) * 1.25),
               # written on the chart: the value at the end of the seller's bar, and the threshold's line
               "sales_text": usd(sales), "threshold_text": say("chart.threshold_at", amount=usd(threshold)),
               "text": (say("chart.short_of_threshold", amount=usd(-over)) if over < 0 else
                        say("chart.above_threshold", amount=usd(over)))}
    opened = values["store_opened_on"]
    min_age = policy.resolve(calc.A + "minimum_store_age_days", rules_day)
    new_max = policy.resolve(calc.A + "new_store_max_age_days", rules_day)
    events = [{"kind": "opened", "date": opened.isoformat(), "label": say("chart.event_opened")}]
    # Too young for the category's next assessment (the calculator measured its age, yet did not assess
    # it): that assessment is not the store's, and its own first one is the next after the minimum age.
    too_young = result["verdict"] == "not_assessed" and amounts.get("store_age_days") is not None
    if min_age.in_force:
        # Reaching the minimum age is not being assessed: assessment happens only on an assessment date.
        old_enough, first = calc.first_assessment_of_store(policy, values, min_age.value)
        events.append({"kind": "assessed_from", "date": old_enough.isoformat(),
                       "label": say("chart.event_assessed_from", days=min_age.value)})
        if too_young and first is not None:
            events.append({"kind": "first_assessment", "date": first.isoformat(),
                           "label": say("chart.event_first_assessment")})
    if new_max.in_force:
        events.append({"kind": "established", "date": (opened + dt.timedelta(days=new_max.value + 1)).isoformat(),
                       "label": say("chart.event_established", days=new_max.value)})
    events.append({"kind": "today", "date": as_of.isoformat(), "label": say("field.rules_as_of")})
    if assessed:
        events.append({"kind": "assessment", "date": assessed.isoformat(),
                       "label": say("chart.event_assessment_too_young", days=min_age.value) if too_young
                       else say("chart.event_assessment")})
    events.sort(key=lambda event: event["date"])
    for event in events:
        event["text"] = fmt_date(event["date"], lang)
    rows = [[say("chart.your_sales"), usd(sales)]]
    if bar:
        rows += [[say("chart.threshold"), usd(threshold)], [say("chart.at_risk_below"), usd(bar["at_risk_until_usd"])],
                 [say("chart.difference"), bar["text"]]]
    rows += [[event["label"], event["text"]] for event in events]
    table = {"caption": say(DELISTING_WORDS["title"]), "columns": ["", ""], "rows": rows}
    return {**out, "bar": bar, "reason": None if bar else {"code": result["verdict"], "text": result["headline"]},
            "timeline": events, "table": table}


# ---------------------------------------------------------------------------------------------
# Eligibility: a checklist, and the one change that would do
# ---------------------------------------------------------------------------------------------

OUTCOME_WORDS = {PASS: key("view.outcome_pass"), FAIL: key("view.outcome_fail"), WARN: key("view.outcome_warn")}
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


def _eligibility(bundle: dict, inputs: dict, values: dict, as_of: dt.date, result: dict, typed: bool,
                 say: Words) -> dict:
    from calculators import eligibility as calc

    checklist = [{"rule": f["rule"], "title": f["title"], "outcome": f["outcome"],
                  "outcome_label": say(OUTCOME_WORDS[f["outcome"]]), "detail": f["detail"]}
                 for f in result["findings"] if f["outcome"] in OUTCOME_WORDS]
    change = None
    if result["verdict"] != "eligible":
        change = _one_change(bundle, inputs, values, as_of, result, typed, calc, say)
    # "One change that would do:" only before a change: with none, the sentence says so alone.
    words = {"title": key("chart.requirements"), **({"change": key("chart.one_change")} if change else {})}
    return {"calculator": "eligibility", "words": words,
            "checklist": checklist, "change": change,
            "change_text": change["text"] if change else (say("chart.no_single_change")
                                                          if result["verdict"] != "eligible" else None)}


def _one_change(bundle, inputs, values, as_of, result, typed, calc, say: Words) -> dict | None:
    """The first single input change (in the order the requirements were checked) that gives "eligible"."""
    lang = say.lang
    fields = {field.name: field for field in calc.INPUTS}
    policy = Policy(bundle)
    tries = 0
    blocked = [f["rule"] for f in result["findings"] if f["outcome"] in (FAIL, WARN)]
    category_ok = "requirements.max_stores_per_category" not in blocked
    for rule in blocked:
        if rule == "requirements.rejoin_lock_days" and result["amounts"]["rejoin_earliest"]:
            # Time is the only remedy: the same inputs on the first day the lock has ended.
            day = result["amounts"]["rejoin_earliest"]
            if evaluate(bundle, "eligibility", inputs, day, typed, outlook=False)["verdict"] == "eligible":
                return {"field": "as_of", "label": say("chart.date"), "from": as_of.isoformat(), "to": day,
                        "text": say("chart.apply_on_or_after", date=fmt_date(day, lang))}
            continue
        for name in RULE_INPUTS.get(rule, ()):
            field = fields[name]

            def eligible_with(value) -> bool:
                nonlocal tries
                tries += 1
                changed = {**inputs, name: value}
                if name == "stores_total" and values["stores_in_category"] > value and category_ok:
                    # Fewer stores in all means no more than that in the category: one change, not
                    # an input error (more in a category than in all), which hid every cut.
                    changed["stores_in_category"] = value
                try:
                    return evaluate(bundle, "eligibility", changed, as_of, typed, outlook=False)["verdict"] == "eligible"
                except InputErrors:
                    return False

            if field.type == INTEGER and name != "brands_count":
                # Store counts: fewer never hurts, so search for the smallest cut that would do.
                best = _largest(int(field.minimum or 0), values[name] - 1, eligible_with)
                if best is not None:
                    return {"field": name, "label": say(field.label), "from": values[name], "to": best,
                            "text": say("chart.change_count", label=say(field.label), to=f"{best:,}",
                                        now=f"{values[name]:,}")}
                continue
            for value, shown in _candidates(field, values, bundle, policy, as_of, say):
                if tries >= MAX_TRIES:
                    return None
                if eligible_with(value):
                    return {"field": name, "label": say(field.label), "from": inputs.get(name), "to": value,
                            "text": say("chart.change_value", label=say(field.label), value=shown)}
    return None


def _largest(low: int, high: int, works) -> int | None:
    """The largest n in [low, high] for which works(n), when works holds for every n up to some bound."""
    if high < low or not works(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if works(middle) else (low, middle - 1)
    return low


def _candidates(field, values: dict, bundle: dict, policy: Policy, as_of: dt.date, say: Words):
    """Values to try for one input: (value, the value in words)."""
    current = values[field.name]
    if field.type == CHOICE:
        for value, label in field.labelled_choices(bundle, say.lang):
            if value != current:
                yield value, label
    elif field.type == BOOLEAN:
        yield (not current), (say("common.yes") if not current else say("common.no"))
    elif field.name == "brands_count" and current != 1:
        yield 1, "1"  # one brand: what a single-brand store type needs
    elif field.name == "annual_turnover_cny":
        preferred = policy.resolve("recruitment.preferred_turnover_cny", as_of, seller_type=values["seller_type"])
        if preferred.in_force:
            yield preferred.value, say("chart.at_least", amount=fmt_money(preferred.value, "CNY", say.lang))


SWEEPS = {"refund": _refund, "delisting": _delisting, "eligibility": _eligibility}

__all__ = ["sweep", "sweep_json", "sweep_request", "SWEEPS"]
