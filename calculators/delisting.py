"""Delisting risk: will the store pass its next annual sales assessment, and which listings go?

Rules: policies/staying/assessment.yaml, policies/staying/listings.yaml and the rejoin lock in
policies/joining/requirements.yaml. "At risk" is the site's own guidance (an illustrative margin),
not a platform rule.
"""

from __future__ import annotations

import datetime as dt

from calculators.inputs import CHOICE, DATE, INTEGER, MAX_LISTINGS, MAX_MONEY, MONEY, Field
from calculators.policy import COMPARISON_WORDS, OPPOSITE, Policy, compares, first_meeting, shortfall
from calculators.result import (FAIL, INFO, PASS, WARN, Finding, Result, fmt_date, fmt_money, fmt_month_day, iso,
                                money, recorder, temporary_measures)

NAME = "delisting"
TITLE = "Delisting risk"
# Each verdict's name and tone (ok / warn / bad / info) for the page; the keys are the contract's codes.
VERDICTS = {
    "not_assessed": {"label": "Not assessed", "tone": "info"},
    "safe": {"label": "Safe", "tone": "ok"},
    "at_risk": {"label": "At risk", "tone": "warn"},
    "below_threshold": {"label": "Below the threshold", "tone": "bad"},
}
# How each amount reads on the page: its label, and the unit that formats it (present.py).
AMOUNTS = {
    "threshold_usd": ("Sales threshold", "USD"),
    "shortfall_usd": ("Shortfall", "USD"),
    "assessment_date": ("Assessment date", "date"),
    "store_age_days": ("Store's age on that date", "days"),
    "rejoin_earliest": ("Earliest date to rejoin", "date"),
    "listing_cap": ("Listing cap", "count"),
    "listings_over_cap": ("Listings over the cap", "count"),
    "links_to_remove": ("Unsold links taken off", "count"),
}

INPUTS = [
    Field("category", CHOICE, "Business category", "The category your store trades in.", choices_from="category"),
    Field("store_opened_on", DATE, "Store opened on", "The day your store opened."),
    Field("sales_365d_usd", MONEY, "Sales in the last 365 days", "Payments received in the 365 days before the "
          "assessment date.", unit="USD", minimum=0, maximum=MAX_MONEY),
    Field("medal", CHOICE, "Medal", "Your store's seller medal.", choices_from="medal", required=False, default="none"),
    Field("active_listings", INTEGER, "Active listings", "Products listed now (up to 10 million, far above any "
          "category's cap).", unit="listings", minimum=0, maximum=MAX_LISTINGS),
    Field("listings_no_shipment_180d", INTEGER, "Listings with no shipment in 180 days",
          "Listed products that have not shipped an order in 180 days.", unit="listings", minimum=0,
          maximum=MAX_LISTINGS),
    Field("assessment_date", DATE, "Assessment date", "Leave empty for your category's next assessment.",
          required=False),
]

A = "assessment."
RULES_USED = {
    A + "assessment_date": ("month_day", None),
    A + "sales_window_days": ("count", "days"),
    A + "minimum_store_age_days": ("count", "days"),
    A + "new_store_max_age_days": ("count", "days"),
    A + "threshold_new_store_usd": ("amount", "USD"),
    A + "threshold_established_store_usd": ("amount", "USD"),
    A + "at_risk_margin_percent": ("percent", None),
    "listings.max_listings": ("count", "listings"),
    "listings.unsold_link_days": ("count", "days"),
    "requirements.rejoin_lock_days": ("count", "days"),
}
# The rules whose own `comparison` decides the result here (the loader checks each states one).
COMPARED = {A + "minimum_store_age_days", A + "new_store_max_age_days", A + "threshold_new_store_usd",
            A + "threshold_established_store_usd", A + "at_risk_margin_percent", "listings.max_listings"}


def check(values: dict, as_of: dt.date) -> list[dict]:
    """Input errors that involve more than one field."""
    errors = []
    opened, assessed = values["store_opened_on"], values["assessment_date"]
    if opened > as_of:
        errors.append({"field": "store_opened_on", "message": f"is after the as-of date {as_of}; "
                                                              "a store cannot open in the future"})
    if assessed is not None and assessed < opened:
        errors.append({"field": "assessment_date", "message": f"is before the store opened ({opened})"})
    if values["listings_no_shipment_180d"] > values["active_listings"]:
        errors.append({"field": "listings_no_shipment_180d",
                       "message": f"cannot exceed active listings ({values['active_listings']})"})
    return errors


def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    category = values["category"]
    sales = values["sales_365d_usd"]
    findings: list[Finding] = []
    finding = recorder(policy, findings)
    temporary_measures(policy, NAME, as_of, finding)

    assessment_date = values["assessment_date"] or next_assessment(policy, category, as_of)
    amounts: dict = {"threshold_usd": None, "shortfall_usd": 0, "assessment_date": iso(assessment_date),
                     "store_age_days": None, "listing_cap": None, "listings_over_cap": 0, "links_to_remove": 0}

    day = policy.resolve(A + "assessment_date", assessment_date, category=category) if assessment_date else None
    if day is None or not day.in_force:
        finding(A + "assessment_date", INFO, f"No annual sales assessment is in force on "
                                             f"{fmt_date(assessment_date or as_of)}{_first_assessment(policy, category)}.")
        return _result(policy, values, as_of, "not_assessed", "No annual sales assessment applies on that date.",
                       amounts, findings, [])
    finding(A + "assessment_date", INFO, f"Your category is assessed each year on {fmt_month_day(day.value)}; "
                                         f"this assessment is on {fmt_date(assessment_date)}.", day.source)

    age = (assessment_date - values["store_opened_on"]).days
    amounts["store_age_days"] = age
    min_age = policy.resolve(A + "minimum_store_age_days", assessment_date)
    too_young = policy.comparison(A + "minimum_store_age_days")
    if compares(age, too_young, min_age.value):
        finding(A + "minimum_store_age_days", INFO, f"Your store will be {age} days old on {fmt_date(assessment_date)}, "
                                                    f"{COMPARISON_WORDS[too_young]} {min_age.value} days, so it is not "
                                                    "assessed.", min_age.source)
        return _result(policy, values, as_of, "not_assessed",
                       f"Your store is too young to be assessed on {fmt_date(assessment_date)}.", amounts, findings,
                       [_first_assessment_step(policy, values, first_meeting(OPPOSITE[too_young], min_age.value))])

    new_max = policy.resolve(A + "new_store_max_age_days", assessment_date)
    is_new = policy.compares(age, A + "new_store_max_age_days", new_max.value)
    address = A + ("threshold_new_store_usd" if is_new else "threshold_established_store_usd")
    finding(A + "new_store_max_age_days", INFO, f"Your store will be {age:,} days old: "
                                                f"{_age_band(policy, is_new, min_age.value, new_max.value)}.",
            new_max.source)
    threshold = policy.resolve(address, assessment_date, category=category)
    amounts["threshold_usd"] = money(threshold.value)
    margin = policy.resolve(A + "at_risk_margin_percent", assessment_date)
    _sales_window(policy, assessment_date, finding)

    meets = policy.comparison(address)
    if not compares(sales, meets, threshold.value):
        short = shortfall(sales, meets, threshold.value)
        lock = policy.resolve("requirements.rejoin_lock_days", assessment_date)
        rejoin = assessment_date + dt.timedelta(days=lock.value)
        amounts.update(shortfall_usd=money(short), rejoin_earliest=iso(rejoin))
        finding(address, FAIL, f"Sales of {fmt_money(sales, 'USD')} are {fmt_money(short, 'USD')} short of the "
                               f"{fmt_money(threshold.value, 'USD')} threshold.", threshold.source)
        finding("requirements.rejoin_lock_days", FAIL, f"A returned store cannot rejoin for {lock.value} days: "
                                                       f"the earliest is {fmt_date(rejoin)}.", lock.source)
        return _result(policy, values, as_of, "below_threshold",
                       f"Below the threshold: the store would be returned on {fmt_date(assessment_date)} and could rejoin from {fmt_date(rejoin)}.",
                       amounts, findings,
                       [f"Sell {fmt_money(short, 'USD')} more before {fmt_date(assessment_date)} to meet the threshold.",
                        f"If the store is returned, a new application is possible from {fmt_date(rejoin)}."])

    finding(address, PASS, f"Sales of {fmt_money(sales, 'USD')} meet the {fmt_money(threshold.value, 'USD')} "
                           f"threshold ({COMPARISON_WORDS[meets]} the threshold passes).", threshold.source)
    cushion = threshold.value * (1 + margin.value / 100)
    safe_when = policy.comparison(A + "at_risk_margin_percent")
    if not compares(sales, safe_when, cushion):
        finding(A + "at_risk_margin_percent", WARN,
                f"Sales exceed the threshold by less than {margin.value:g}% ({COMPARISON_WORDS[OPPOSITE[safe_when]]} "
                f"{fmt_money(cushion, 'USD')}); "
                "a few refunds could tip the store below it. This is site guidance, not a platform rule.", margin.source)
        return _result(policy, values, as_of, "at_risk",
                       f"At risk: sales meet the {fmt_money(threshold.value, 'USD')} threshold by less than {margin.value:g}%.",
                       amounts, findings, [f"Aim for at least {fmt_money(cushion, 'USD')} in sales before {fmt_date(assessment_date)}."])
    finding(A + "at_risk_margin_percent", PASS, f"Sales exceed the threshold by {margin.value:g}% or more.", margin.source)
    return _result(policy, values, as_of, "safe",
                   f"Safe: sales meet the {fmt_money(threshold.value, 'USD')} threshold with room to spare.",
                   amounts, findings, [])


def next_assessment(policy: Policy, category: str, as_of: dt.date) -> dt.date | None:
    """The category's first assessment date on or after `as_of` (None when no assessment is ever set).

    Looks ahead a few years so that an as-of date before the first assessment finds it.
    """
    for year in range(as_of.year, as_of.year + 10):
        probe = dt.date(year, 12, 31)
        day = policy.resolve(A + "assessment_date", probe, category=category)
        if not day.in_force:
            continue
        month, dom = map(int, day.value.split("-"))
        candidate = dt.date(year, month, dom)
        if candidate >= as_of and policy.resolve(A + "assessment_date", candidate, category=category).in_force:
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _listings(policy: Policy, values: dict, as_of: dt.date, amounts: dict, finding) -> list[str]:
    """Check the listing cap and the unsold-link rule; return what the seller must do about them."""
    cap = policy.resolve("listings.max_listings", as_of, category=values["category"], medal=values["medal"])
    unsold_days = policy.resolve("listings.unsold_link_days", as_of)
    active, unsold = values["active_listings"], values["listings_no_shipment_180d"]
    # The platform takes off the unsold links itself; only what is still over the cap is the seller's to remove.
    taken_off = unsold if unsold_days.in_force else 0
    amounts["links_to_remove"] = taken_off
    actions = []
    if taken_off:
        finding("listings.unsold_link_days", WARN, f"{unsold:,} product links with no shipment in "
                                                   f"{unsold_days.value} days are taken off the shelf.", unsold_days.source)
    elif unsold_days.in_force:
        finding("listings.unsold_link_days", PASS, f"No product link has gone {unsold_days.value} days without a shipment.",
                unsold_days.source)
    if not cap.in_force:
        if taken_off:
            actions.append(f"{taken_off:,} unsold links will be taken off the shelf")
        return actions
    # How many listings are over the cap, by the cap's own comparison (at most 3,000: 3,001 is one over).
    over = shortfall(active, policy.comparison("listings.max_listings"), cap.value, step=1)
    amounts.update(listing_cap=cap.value, listings_over_cap=over)
    if not over:
        finding("listings.max_listings", PASS, f"{active:,} active listings are within the cap of {cap.value:,}.",
                cap.source)
        if taken_off:
            actions.append(f"{taken_off:,} unsold links will be taken off the shelf")
        return actions
    finding("listings.max_listings", FAIL, f"{active:,} active listings are {over:,} over the cap of "
                                           f"{cap.value:,} for your category and medal.", cap.source)
    still_over = over - min(over, taken_off)
    if not taken_off:
        actions.append(f"remove {over:,} listings to get within the cap of {cap.value:,}")
    elif still_over:
        actions.append(f"{taken_off:,} unsold links will be taken off; remove {still_over:,} more to get within "
                       f"the cap of {cap.value:,}")
    else:
        actions.append(f"{taken_off:,} unsold links will be taken off, which brings the store within the cap of "
                       f"{cap.value:,}")
    return actions


def _first_assessment(policy: Policy, category: str) -> str:
    """'; the first was in 2022': the year of the category's first assessment, from the YAML."""
    history = policy.history(A + "assessment_date", category=category)
    first = next_assessment(policy, category, dt.date.fromisoformat(history[0]["from"])) if history else None
    return f"; the first was in {first.year}" if first else ""


def _age_band(policy: Policy, is_new: bool, min_age: int, new_max: int) -> str:
    """'a new store (365 to 730 days)' or 'an established store (over 730 days)', by the rules' comparisons."""
    first_assessed = first_meeting(OPPOSITE[policy.comparison(A + "minimum_store_age_days")], min_age)
    first_established = first_meeting(OPPOSITE[policy.comparison(A + "new_store_max_age_days")], new_max)
    if is_new:
        return f"a new store ({first_assessed} to {first_established - 1} days)"
    return f"an established store (over {first_established - 1} days)"


def _sales_window(policy: Policy, assessment_date: dt.date, finding) -> None:
    """Which payments the assessment counts: the window's days before the assessment date."""
    window = policy.resolve(A + "sales_window_days", assessment_date)
    if not window.in_force:
        return
    start, end = assessment_date - dt.timedelta(days=window.value), assessment_date - dt.timedelta(days=1)
    finding(A + "sales_window_days", INFO, f"Payments in the {window.value} days before the assessment count, in USD: "
                                           f"from {fmt_date(start)} to {fmt_date(end)}.", window.source)


def _first_assessment_step(policy: Policy, values: dict, min_age_days: int) -> str:
    old_enough = values["store_opened_on"] + dt.timedelta(days=min_age_days)
    first = next_assessment(policy, values["category"], old_enough)
    if first is None:
        return f"Your store is first assessed on an assessment date at least {min_age_days} days after opening."
    return f"Your store's first assessment will be on {fmt_date(first)}, once it is at least {min_age_days} days old."


def _result(policy: Policy, values: dict, as_of: dt.date, verdict: str, headline: str, amounts: dict,
            findings: list[Finding], next_steps: list[str]) -> Result:
    """The result, with the listing rules checked whatever the assessment says.

    The verdict stays the assessment's (design.md), but the headline and the first next step name
    every failed rule, the listing cap included, so a "safe" store over its cap is told so at once.
    """
    actions = _listings(policy, values, as_of, amounts, recorder(policy, findings))
    if amounts["listings_over_cap"]:
        headline = f"{headline.rstrip('.')}, but {values['active_listings']:,} active listings are " \
                   f"{amounts['listings_over_cap']:,} over the cap of {amounts['listing_cap']:,}."
    if actions:
        action = "; ".join(actions)
        if next_steps and verdict == "below_threshold":
            first = next_steps[0].rstrip(".")
            next_steps = [f"{first}; and {action}."] + next_steps[1:]
        else:
            next_steps = [action[0].upper() + action[1:] + "."] + next_steps
    return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)
