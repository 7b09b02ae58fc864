"""Annual fee refund: how much of the annual fee comes back at year end, or on a mid-year exit.

Rules: policies/fees/refund.yaml and the fee in policies/fees/annual-fee.yaml. Tiers name their
comparison ("more than" is strict, "at least" inclusive); sales are compared in cents so that
"more than USD 60,000" starts at USD 60,000.01 exactly.
"""

from __future__ import annotations

import datetime as dt

from calculators.inputs import BOOLEAN, CHOICE, INTEGER, MAX_MONEY, MONEY, Field
from calculators.key_dates import key_date
from calculators.messages import Msg, Words, key
from calculators.policy import COMPARISON_KEYS, Policy, Rules, compares, shortfall
from calculators.result import (FAIL, INFO, PASS, Finding, Result, answers_without_value, fmt_date, fmt_money,
                                fmt_month_day, money, recorder, temporary_measures)
from calculators.unit import Calculator, Scenario, axis_end

NAME = "refund"
# Each verdict's name (a message key) and tone (ok / warn / bad / info) for the page; the keys are the contract's codes.
VERDICTS = {
    "full_refund": {"label": key("refund.verdict_full_refund"), "tone": "ok"},
    "partial_refund": {"label": key("refund.verdict_partial_refund"), "tone": "ok"},
    "no_refund": {"label": key("refund.verdict_no_refund"), "tone": "bad"},
    "pro_rated": {"label": key("refund.verdict_pro_rated"), "tone": "info"},
}
# How each amount reads on the page: its label (a message key), and the unit that formats it (present.py).
AMOUNTS = {
    "fee_cny": (key("field.annual_fee"), "CNY"),
    "refund_percent": (key("refund.amount_refund_percent"), "percent"),
    "refund_cny": (key("refund.amount_refund_cny"), "CNY"),
    "tier_reached": (key("refund.amount_tier_reached"), "text"),
    "next_tier_percent": (key("refund.amount_next_tier_percent"), "percent"),
    "next_tier_gap_usd": (key("refund.amount_next_tier_gap_usd"), "USD"),
}

# Annual fees are tens of thousands of yuan; a bound this far above them only catches typos.
MAX_FEE_PAID_CNY = 10_000_000

# Labels and help are message keys (catalogue/messages.yaml).
INPUTS = [
    Field("category", CHOICE, key("field.category"), key("refund.category_help"), choices_from="category"),
    Field("annual_sales_usd", MONEY, key("refund.annual_sales_usd"), key("refund.annual_sales_usd_help"), unit="USD",
          minimum=0, maximum=MAX_MONEY),
    Field("service_level", CHOICE, key("refund.service_level"), key("refund.service_level_help"),
          choices_from="service_level"),
    Field("removed_for_violation", BOOLEAN, key("refund.removed_for_violation"),
          key("refund.removed_for_violation_help"), required=False, default=False),
    Field("fee_paid_cny", MONEY, key("refund.fee_paid_cny"), key("refund.fee_paid_cny_help"), unit="CNY",
          required=False, minimum=0, maximum=MAX_FEE_PAID_CNY),
    Field("exit_month", INTEGER, key("refund.exit_month"), key("refund.exit_month_help"), required=False, minimum=1,
          maximum=12),
    Field("joined_month", INTEGER, key("refund.joined_month"), key("refund.joined_month_help"), required=False,
          minimum=1, maximum=12),
]
# The month a fee year begins when the seller does not say (joined_month left empty): the result says it assumed it.
ASSUMED_JOINED_MONTH = 1

# The rules read, each with the kind and unit it must have (the loader checks the policies hold them).
R = Rules("refund",
          refund_tiers=("tiers", "USD"),
          qualifying_service_levels=("list", None),
          trade_through=("month_day", None),
          refund_after_violation_removal=("boolean", None),
          pro_rata_months=("count", "months"))
FEE = Rules("annual-fee", annual_fee_cny=("amount", "CNY"))
# The rules every answer rests on: the fee that is refunded and the tiers that refund it. The
# handbook's rules begin when every calculator's basis holds (api.rules_begin).
BASIS = (FEE.annual_fee_cny, R.refund_tiers)
# Each refund tier names its own comparison (the schema requires it), so no rule-level one is read.
COMPARED: set[str] = set()

def check(policy: Policy, values: dict, as_of: dt.date) -> list[dict]:
    """A store exits in its fee year, which begins in the month it joined: not before it."""
    exit_month, joined = values["exit_month"], values["joined_month"]
    if exit_month is not None and joined is not None and exit_month < joined:
        return [{"field": "exit_month", "message": Msg("refund.error_exit_before_joined", joined=joined)}]
    return []


def reaches(sales: float, tier: dict) -> bool:
    """Whether sales reach a tier, by the tier's own comparison word (compared in cents).

    >>> reaches(60000, {"comparison": "more_than", "amount": 60000})
    False
    >>> reaches(60000.01, {"comparison": "more_than", "amount": 60000})
    True
    >>> reaches(15000, {"comparison": "at_least", "amount": 15000})
    True
    """
    return compares(sales, tier["comparison"], tier["amount"])


def gap(sales: float, tier: dict) -> float:
    """The smallest extra sales that reach `tier`: a cent past a "more than" amount."""
    return shortfall(sales, tier["comparison"], tier["amount"])


def describe(tier: dict, say) -> str:
    """'100% at more than USD 60,000' or '50% at USD 15,000 or more'."""
    amount = fmt_money(tier["amount"], "USD", say.lang)
    if tier["comparison"] == "at_least":
        return say("refund.tier_at_least", percent=f"{tier['percent']:g}", amount=amount)
    return say("refund.tier", percent=f"{tier['percent']:g}", comparison=say(COMPARISON_KEYS[tier["comparison"]]),
               amount=amount)


@answers_without_value(NAME, "no_refund", AMOUNTS)
def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    say, lang = policy.say, policy.lang
    usd = lambda amount: fmt_money(amount, "USD", lang)  # noqa: E731 - money in the reader's language
    cny = lambda amount: fmt_money(amount, "CNY", lang)  # noqa: E731
    category = values["category"]
    findings: list[Finding] = []
    finding = recorder(policy, findings)
    temporary_measures(policy, NAME, as_of, finding)
    # The category's fee is read only when the seller does not say what they paid: with no fee in
    # force that day the answer says so, never "no annual fee was paid".
    fee_rule = policy.applied(FEE.annual_fee_cny, as_of, category=category) if values["fee_paid_cny"] is None else None
    fee = values["fee_paid_cny"] if fee_rule is None else fee_rule.value
    if fee_rule is not None:
        finding(FEE.annual_fee_cny, INFO, say("refund.fee", fee=cny(fee)), fee_rule.provenance)
    sales = values["annual_sales_usd"]
    tiers = policy.resolve(R.refund_tiers, as_of, category=category)
    if not tiers.in_force:
        finding(R.refund_tiers, INFO, say("refund.no_scheme", date=fmt_date(as_of, lang)))
        return Result(NAME, as_of.isoformat(), policy.version, "no_refund", say("refund.headline_no_scheme"),
                      {"fee_cny": money(fee), "refund_percent": 0, "refund_cny": 0, "tier_reached": None,
                       "next_tier_percent": None, "next_tier_gap_usd": None}, findings, [])
    reached = [t for t in tiers.value if reaches(sales, t)]
    tier = reached[-1] if reached else None
    following = next((t for t in tiers.value if not reaches(sales, t)), None)
    amounts: dict = {"fee_cny": money(fee), "refund_percent": 0, "refund_cny": 0,
                     "tier_reached": describe(tier, say) if tier else None,
                     "next_tier_percent": following["percent"] if following else None,
                     "next_tier_gap_usd": money(gap(sales, following)) if following else None}

    def result(verdict: str, headline: str, next_steps: list[str]) -> Result:
        return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)

    if fee == 0:
        # A seller who paid no annual fee (the brief's entry step is "pay the annual fee or deposit")
        # gets nothing back, whatever the tier or exit month: say so, rather than "50%: CNY 0 of CNY 0".
        finding(FEE.annual_fee_cny, INFO, say("refund.no_fee_paid", fee=cny(0)), fee_rule.provenance if fee_rule else None)
        amounts.update(tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
        return result("no_refund", say("refund.headline_no_fee_paid"), [])

    violation = policy.applied(R.refund_after_violation_removal, as_of)
    if values["removed_for_violation"] and not violation.value:
        finding(R.refund_after_violation_removal, FAIL, say("refund.removed"), violation.provenance)
        amounts.update(tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
        return result("no_refund", say("refund.headline_removed"), [])
    finding(R.refund_after_violation_removal, PASS, say("refund.not_removed"), violation.provenance)

    if values["exit_month"] is not None:
        return _pro_rated(policy, values, as_of, fee, amounts, finding, result)

    trade = policy.applied(R.trade_through, as_of)
    finding(R.trade_through, INFO, say("refund.trade_through", month_day=fmt_month_day(trade.value, lang)),
            trade.provenance)

    levels = policy.applied(R.qualifying_service_levels, as_of)
    level = values["service_level"]
    level_name, needed = _level_label(policy, level), say.join([_level_label(policy, v) for v in levels.value], "or")
    qualifies = level in levels.value
    if qualifies:
        finding(R.qualifying_service_levels, PASS, say("refund.level_qualifies", level=level_name),
                levels.provenance)
    else:
        finding(R.qualifying_service_levels, FAIL, say("refund.level_fails", level=level_name, needed=needed),
                levels.provenance)

    sales_text = usd(values["annual_sales_usd"])
    if tier:
        # The tier applied carries its own provenance: one tier may be sourced, the next illustrative.
        finding(R.refund_tiers, PASS, say("refund.tier_reached", sales=sales_text, tier=describe(tier, say)),
                policy.item_provenance(tiers, tier, category))
    else:
        finding(R.refund_tiers, FAIL, say("refund.below_first_tier", sales=sales_text,
                                          tier=describe(tiers.value[0], say)),
                policy.item_provenance(tiers, tiers.value[0], category))
    gap_step = (say("refund.step_next_tier", gap=usd(amounts["next_tier_gap_usd"]),
                    percent=f"{following['percent']:g}") if following else None)
    if not qualifies:
        # Only the service level stands between the seller and a refund: the tiers do not apply yet.
        amounts.update(tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
        if tier:
            would = money(fee * tier["percent"] / 100)
            steps = [say("refund.step_level_would", needed=needed, percent=f"{tier['percent']:g}", refund=cny(would))]
        else:
            steps = [say("refund.step_level_and_sales", needed=needed, gap=usd(gap(sales, tiers.value[0])))]
        return result("no_refund", say("refund.headline_level", level=level_name, needed=needed), steps)
    if not tier:
        return result("no_refund", say("refund.headline_below_first_tier", sales=sales_text), [gap_step])
    percent = tier["percent"]
    amounts.update(refund_percent=percent, refund_cny=money(fee * percent / 100))
    verdict = "full_refund" if percent >= 100 else "partial_refund"
    return result(verdict, say("refund.headline_refund", percent=f"{percent:g}", refund=cny(amounts["refund_cny"]),
                               fee=cny(fee)), [gap_step] if gap_step else [])


def key_dates(policy: Policy, values: dict, result: dict) -> list[dict]:
    """The day to trade through for the year-end refund (31 December), when the answer rests on it."""
    if not any(f["rule"] == R.trade_through for f in result["findings"]):
        return []
    year = dt.date.fromisoformat(result["as_of"]).year
    trade = policy.resolve(R.trade_through, dt.date.fromisoformat(result["as_of"]))
    if not trade.in_force:  # the answer already says the rule had no value that day
        return []
    month, day = map(int, trade.value.split("-"))
    return [key_date(dt.date(year, month, day), "trade_through", policy.say("dates.trade_through"))]


def announced_inputs(policy: Policy, values: dict, as_of: dt.date, on: dt.date) -> tuple[dict, dt.date]:
    """A change announced for a later year first reaches that year's refund: the answer under it is
    that year's, as of the change's day (upcoming.py). One within this year changes this year's."""
    return values, (on if on.year > as_of.year else as_of)


def announced_when(policy: Policy, result: dict, category: str | None, on: dt.date) -> str | None:
    """'Your 2026 refund still uses the current value; 2027 is the first year to use the new one.'"""
    year = dt.date.fromisoformat(result["as_of"]).year
    if on.year <= year:
        return None
    return policy.say("upcoming.refund_next_year", year=year, next=on.year)


def _level_label(policy: Policy, level: str) -> str:
    return policy.say.quote(policy.label("service_level", level))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _pro_rated(policy: Policy, values: dict, as_of: dt.date, fee: float, amounts: dict, finding, result) -> Result:
    """refund = fee - fee / 12 x months used: the months from the one the store joined (its fee year's first;
    January when not given, and then the result says so) up to the exit month, which is not charged."""
    say, cny = policy.say, lambda amount: fmt_money(amount, "CNY", policy.lang)
    months = policy.applied(R.pro_rata_months, as_of)
    joined = values["joined_month"]
    used = values["exit_month"] - (joined or ASSUMED_JOINED_MONTH)
    refund = fee - fee / months.value * used
    amounts.update(refund_cny=money(refund), refund_percent=money(refund / fee * 100) if fee else 0,
                   tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
    unused = months.value - used
    said = {(True, False): "refund.pro_rata_assumed", (True, True): "refund.pro_rata_assumed_one",
            (False, False): "refund.pro_rata", (False, True): "refund.pro_rata_one"}[joined is None, used == 1]
    finding(R.pro_rata_months, INFO, say(said, joined=joined or ASSUMED_JOINED_MONTH, month=values["exit_month"],
                                         used=used, fee=cny(fee), months=months.value, refund=cny(refund)),
            months.provenance)
    steps = [say("refund.step_give_joined_month")] if joined is None and used else []
    return result("pro_rated", say("refund.headline_pro_rated_one" if unused == 1 else "refund.headline_pro_rated",
                                   refund=cny(refund), fee=cny(fee), unused=unused), steps)


# ---------------------------------------------------------------------------------------------
# The chart: the refund against annual sales
# ---------------------------------------------------------------------------------------------

# How far the chart reaches: about twice the top tier, so the last step is seen as flat.
REACH = 2
# The chart's words, as message keys; sweep.sweep puts them into words.
CHART_WORDS = {
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


def sweep(scenario: Scenario) -> dict:
    """The refund against annual sales, one step per tier (chart kind "steps"), or why no tier applies."""
    bundle, inputs, values, as_of, result, say = (scenario.bundle, scenario.inputs, scenario.values, scenario.as_of,
                                                  scenario.result, scenario.say)
    lang = say.lang
    amounts = result["amounts"]
    if amounts["refund_percent"] is None:
        # No answer (a rule had no value that day: result.answers_without_value): no tiers to draw.
        return {"words": CHART_WORDS, "seller": None, "fee_cny": None, "steps": None,
                "gap": None, "table": None, "reason": {"code": "no_value", "text": result["headline"]}}
    seller = {"sales_usd": money(values["annual_sales_usd"]), "percent": amounts["refund_percent"],
              "refund_cny": amounts["refund_cny"],
              # what the chart writes by the seller's point, so the point says whose it is
              "label": say("chart.your_store_at", percent=f"{amounts['refund_percent']:g}"),
              "text": say("chart.refund_seller", sales=fmt_money(values["annual_sales_usd"], "USD", lang),
                          percent=f"{amounts['refund_percent']:g}",
                          refund=fmt_money(amounts["refund_cny"], "CNY", lang))}
    # The CNY axis runs to the whole fee, so that 100% on one side is the fee on the other.
    out = {"words": CHART_WORDS, "seller": seller, "fee_cny": amounts["fee_cny"]}
    reason = _refund_reason(result, values, say)
    if reason:
        return {**out, "reason": reason, "steps": None, "gap": None, "table": None}

    tiers = Policy(bundle).resolve(R.refund_tiers, as_of, category=values["category"]).value
    top = max(tier["amount"] for tier in tiers)
    reach = axis_end(max(top * REACH, values["annual_sales_usd"] * 1.1))

    def at(sales: float) -> dict:
        # The calculator itself at these sales: the chart never recomputes a refund.
        return scenario.ask({**inputs, "annual_sales_usd": money(sales)}, as_of)["amounts"]

    starts = [(0.0, None)] + [(gap(0, tier), tier) for tier in tiers]
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
    to_next = None
    if amounts["next_tier_gap_usd"] is not None:
        to_next = {"gap_usd": amounts["next_tier_gap_usd"], "to_percent": amounts["next_tier_percent"],
               "at_usd": money(values["annual_sales_usd"] + amounts["next_tier_gap_usd"]),
               "text": say("chart.refund_gap", gap=fmt_money(amounts["next_tier_gap_usd"], "USD", lang),
                           percent=f"{amounts['next_tier_percent']:g}")}
    table = {"caption": say(CHART_WORDS["title"]),
             "columns": [say("refund.annual_sales_usd"), say("refund.amount_refund_percent"),
                         say("refund.amount_refund_cny")],
             "rows": [[step["band"], f"{step['percent']:g}%", fmt_money(step["refund_cny"], "CNY", lang)]
                      for step in steps]}
    return {**out, "reason": None, "steps": steps, "x_max": reach, "gap": to_next, "table": table}


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
    blocking = {R.refund_after_violation_removal: "removed",
                R.qualifying_service_levels: "service_level"}
    if values["fee_paid_cny"] == 0:  # nothing paid, nothing to refund at any sales
        return {"code": "no_fee_paid", "text": result["headline"]}
    for finding in result["findings"]:
        if finding["outcome"] == FAIL and finding["rule"] in blocking:
            return {"code": blocking[finding["rule"]], "text": finding["detail"]}
    if values["exit_month"] is not None:
        return {"code": "mid_year_exit", "text": say("chart.reason_mid_year_exit", headline=result["headline"])}
    if not any(finding["rule"] == R.refund_tiers and finding["outcome"] != "info"
               for finding in result["findings"]):
        return {"code": "no_scheme", "text": result["headline"]}
    return None


# This calculator as the rest of the code reads it (unit.Calculator); calculators/registry.py lists it.
CALCULATOR = Calculator(
    name=NAME, title=key("refund.title"), verdicts=VERDICTS, amounts=AMOUNTS, inputs=tuple(INPUTS),
    rules=(R, FEE), basis=BASIS, compared=frozenset(COMPARED), check=check, evaluate=evaluate,
    key_dates=key_dates, sweep=sweep, chart_kind="steps", announced_inputs=announced_inputs, announced_when=announced_when)
