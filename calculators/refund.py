"""Annual fee refund: how much of the annual fee comes back at year end, or on a mid-year exit.

Rules: policies/fees/refund.yaml and the fee in policies/fees/annual-fee.yaml. Tiers name their
comparison ("more than" is strict, "at least" inclusive); sales are compared in cents so that
"more than USD 60,000" starts at USD 60,000.01 exactly.
"""

from __future__ import annotations

import datetime as dt

from calculators.inputs import BOOLEAN, CHOICE, INTEGER, MAX_MONEY, MONEY, Field
from calculators.policy import COMPARISON_WORDS, Policy, compares, shortfall
from calculators.result import (FAIL, INFO, PASS, Finding, Result, fmt_money, fmt_month_day, money, recorder,
                                join_words, temporary_measures)

NAME = "refund"
TITLE = "Annual fee refund"
# Each verdict's name and tone (ok / warn / bad / info) for the page; the keys are the contract's codes.
VERDICTS = {
    "full_refund": {"label": "Full refund", "tone": "ok"},
    "partial_refund": {"label": "Partial refund", "tone": "ok"},
    "no_refund": {"label": "No refund", "tone": "bad"},
    "pro_rated": {"label": "Pro-rated refund", "tone": "info"},
}
# How each amount reads on the page: its label, and the unit that formats it (present.py).
AMOUNTS = {
    "fee_cny": ("Annual fee", "CNY"),
    "refund_percent": ("Refund", "percent"),
    "refund_cny": ("Refund amount", "CNY"),
    "tier_reached": ("Tier reached", "text"),
    "next_tier_percent": ("Next tier", "percent"),
    "next_tier_gap_usd": ("More sales needed for the next tier", "USD"),
}

# Annual fees are tens of thousands of yuan; a bound this far above them only catches typos.
MAX_FEE_PAID_CNY = 10_000_000

INPUTS = [
    Field("category", CHOICE, "Business category", "The category whose annual fee you paid.", choices_from="category"),
    Field("annual_sales_usd", MONEY, "Sales this year", "Payments received in the calendar year.", unit="USD", minimum=0,
          maximum=MAX_MONEY),
    Field("service_level", CHOICE, "Yearly service level", "Your store's service level for the year.",
          choices_from="service_level"),
    Field("removed_for_violation", BOOLEAN, "Store removed for violations",
          "Whether the platform removed the store for breaking its rules.", required=False, default=False),
    Field("fee_paid_cny", MONEY, "Annual fee paid", "Leave empty for your category's annual fee. At most "
          "CNY 10,000,000, a hundred times the highest annual fee: more is a typo.", unit="CNY",
          required=False, minimum=0, maximum=MAX_FEE_PAID_CNY),
    Field("exit_month", INTEGER, "Exit month", "Only if the store leaves mid-year: the month it exits (1-12). "
          "The exit month is not charged.", required=False, minimum=1, maximum=12),
]

R = "refund."
FEE = "annual-fee.annual_fee_cny"
RULES_USED = {
    R + "refund_tiers": ("tiers", "USD"),
    R + "qualifying_service_levels": ("list", None),
    R + "trade_through": ("month_day", None),
    R + "refund_after_violation_removal": ("boolean", None),
    R + "pro_rata_months": ("count", "months"),
    FEE: ("amount", "CNY"),
}
# Each refund tier names its own comparison (the schema requires it), so no rule-level one is read.
COMPARED: set[str] = set()

def check(values: dict, as_of: dt.date) -> list[dict]:
    """No input here depends on another; bounds are in the spec."""
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


def describe(tier: dict) -> str:
    """'100% at more than USD 60,000' or '50% at USD 15,000 or more'."""
    amount = fmt_money(tier["amount"], "USD")
    if tier["comparison"] == "at_least":
        return f"{tier['percent']:g}% at {amount} or more"
    return f"{tier['percent']:g}% at {COMPARISON_WORDS[tier['comparison']]} {amount}"


def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    category = values["category"]
    findings: list[Finding] = []
    finding = recorder(policy, findings)
    temporary_measures(policy, NAME, as_of, finding)
    fee_rule = policy.resolve(FEE, as_of, category=category)
    fee = values["fee_paid_cny"] if values["fee_paid_cny"] is not None else fee_rule.value or 0
    if values["fee_paid_cny"] is None and fee_rule.in_force:
        finding(FEE, INFO, f"The annual fee for your category is {fmt_money(fee, 'CNY')}.", fee_rule.source)
    sales = values["annual_sales_usd"]
    tiers = policy.resolve(R + "refund_tiers", as_of, category=category)
    if not tiers.in_force:
        finding(R + "refund_tiers", INFO, f"No annual fee refund scheme is in force on {as_of}.")
        return Result(NAME, as_of.isoformat(), policy.version, "no_refund", "No refund scheme applies on that date.",
                      {"fee_cny": money(fee), "refund_percent": 0, "refund_cny": 0, "tier_reached": None,
                       "next_tier_percent": None, "next_tier_gap_usd": None}, findings, [])
    reached = [t for t in tiers.value if reaches(sales, t)]
    tier = reached[-1] if reached else None
    following = next((t for t in tiers.value if not reaches(sales, t)), None)
    amounts: dict = {"fee_cny": money(fee), "refund_percent": 0, "refund_cny": 0,
                     "tier_reached": describe(tier) if tier else None,
                     "next_tier_percent": following["percent"] if following else None,
                     "next_tier_gap_usd": money(gap(sales, following)) if following else None}

    def result(verdict: str, headline: str, next_steps: list[str]) -> Result:
        return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)

    violation = policy.resolve(R + "refund_after_violation_removal", as_of)
    if values["removed_for_violation"] and not violation.value:
        finding(R + "refund_after_violation_removal", FAIL, "A store removed for violations gets no refund.",
                violation.source)
        amounts.update(tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
        return result("no_refund", "No refund: the store was removed for violations.", [])
    finding(R + "refund_after_violation_removal", PASS, "The store was not removed for violations.", violation.source)

    if values["exit_month"] is not None:
        return _pro_rated(policy, values, as_of, fee, amounts, finding, result)

    trade = policy.resolve(R + "trade_through", as_of)
    finding(R + "trade_through", INFO, f"The refund is paid at year end to stores still trading on "
                                       f"{fmt_month_day(trade.value)}.", trade.source)

    levels = policy.resolve(R + "qualifying_service_levels", as_of)
    level = values["service_level"]
    level_name, needed = _level_label(policy, level), join_words([_level_label(policy, v) for v in levels.value], "or")
    qualifies = level in levels.value
    if qualifies:
        finding(R + "qualifying_service_levels", PASS, f"A {level_name} service level qualifies for a refund.",
                levels.source)
    else:
        finding(R + "qualifying_service_levels", FAIL, f"A {level_name} service level does not qualify; the refund "
                                                       f"needs {needed}.", levels.source)

    sales_text = fmt_money(values["annual_sales_usd"], "USD")
    if tier:
        finding(R + "refund_tiers", PASS, f"Sales of {sales_text} reach the tier {describe(tier)}.", tiers.source)
    else:
        finding(R + "refund_tiers", FAIL, f"Sales of {sales_text} are below the first tier, {describe(tiers.value[0])}.",
                tiers.source)
    gap_step = (f"Sell {fmt_money(amounts['next_tier_gap_usd'], 'USD')} more this year to reach the "
                f"{following['percent']:g}% tier." if following else None)
    if not qualifies:
        # Only the service level stands between the seller and a refund: the tiers do not apply yet.
        amounts.update(tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
        if tier:
            would = money(fee * tier["percent"] / 100)
            steps = [f"Bring the yearly service level up to {needed}: with these sales that would refund "
                     f"{tier['percent']:g}% ({fmt_money(would, 'CNY')})."]
        else:
            steps = [f"Bring the yearly service level up to {needed}, and sell "
                     f"{fmt_money(gap(sales, tiers.value[0]), 'USD')} more to reach the first tier."]
        return result("no_refund", f"No refund: a {level_name} service level does not qualify; it needs {needed}.",
                      steps)
    if not tier:
        return result("no_refund", f"No refund: sales of {sales_text} are below the first tier.", [gap_step])
    percent = tier["percent"]
    amounts.update(refund_percent=percent, refund_cny=money(fee * percent / 100))
    verdict = "full_refund" if percent >= 100 else "partial_refund"
    return result(verdict, f"A {percent:g}% refund: {fmt_money(amounts['refund_cny'], 'CNY')} of the "
                           f"{fmt_money(fee, 'CNY')} fee, paid at year end.", [gap_step] if gap_step else [])


def _level_label(policy: Policy, level: str) -> str:
    return f"\u201c{policy.label('service_level', level)}\u201d"



# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _pro_rated(policy: Policy, values: dict, as_of: dt.date, fee: float, amounts: dict, finding, result) -> Result:
    """refund = fee - fee / 12 x months used; the fee covers the calendar year, and the exit month is not charged."""
    months = policy.resolve(R + "pro_rata_months", as_of)
    used = values["exit_month"] - 1
    refund = fee - fee / months.value * used
    amounts.update(refund_cny=money(refund), refund_percent=money(refund / fee * 100) if fee else 0,
                   tier_reached=None, next_tier_percent=None, next_tier_gap_usd=None)
    finding(R + "pro_rata_months", INFO, f"Exiting in month {values['exit_month']} uses {used} months: "
                                         f"{fmt_money(fee, 'CNY')} - {fmt_money(fee, 'CNY')} / {months.value} x {used} "
                                         f"= {fmt_money(refund, 'CNY')}.", months.source)
    return result("pro_rated", f"A mid-year exit refunds {fmt_money(refund, 'CNY')} of the {fmt_money(fee, 'CNY')} "
                               f"fee for the {months.value - used} unused months.", [])
