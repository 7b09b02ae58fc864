"""Delisting risk: will the store pass its next annual sales assessment, and which listings go?

Rules: policies/staying/assessment.yaml, policies/staying/listings.yaml and the rejoin lock in
policies/joining/requirements.yaml. "At risk" is the site's own guidance (an illustrative margin),
not a platform rule.
"""

from __future__ import annotations

import datetime as dt

from calculators.formatters import fmt_day_number
from calculators.inputs import CHOICE, DATE, INTEGER, MAX_LISTINGS, MAX_MONEY, MONEY, Field, Today, parse_date
from calculators.key_dates import key_date
from calculators.messages import Msg, Problem, key
from calculators.policy import COMPARISON_KEYS, OPPOSITE, Policy, Resolved, Rules, compares, first_meeting, shortfall
from calculators.result import (FAIL, INFO, PASS, WARN, Finding, Result, answers_without_value, fmt_date, fmt_money,
                                fmt_month_day, iso, money, recorder, temporary_measures)
from calculators.unit import Calculator, Scenario, axis_end

NAME = "delisting"
# Each verdict's name (a message key) and tone (ok / warn / bad / info) for the page; the keys are the contract's codes.
VERDICTS = {
    "not_assessed": {"label": key("delisting.verdict_not_assessed"), "tone": "info"},
    "safe": {"label": key("delisting.verdict_safe"), "tone": "ok"},
    "at_risk": {"label": key("delisting.verdict_at_risk"), "tone": "warn"},
    "below_threshold": {"label": key("delisting.verdict_below_threshold"), "tone": "bad"},
}
# How each amount reads on the page: its label (a message key), and the unit that formats it (present.py).
AMOUNTS = {
    "threshold_usd": (key("delisting.amount_threshold_usd"), "USD"),
    "shortfall_usd": (key("delisting.amount_shortfall_usd"), "USD"),
    "assessment_date": (key("delisting.assessment_date"), "date"),
    "days_to_assessment": (key("delisting.amount_days_to_assessment"), "days"),
    "store_age_days": (key("delisting.amount_store_age_days"), "days"),
    "rejoin_earliest": (key("delisting.amount_rejoin_earliest"), "date"),
    "listing_cap": (key("delisting.amount_listing_cap"), "count"),
    "listings_over_cap": (key("delisting.amount_listings_over_cap"), "count"),
    "links_to_remove": (key("delisting.amount_links_to_remove"), "count"),
}

# Labels and help are message keys (catalogue/messages.yaml).
INPUTS = [
    Field("category", CHOICE, key("field.category"), key("delisting.category_help"), choices_from="category"),
    Field("store_opened_on", DATE, key("delisting.store_opened_on"), key("delisting.store_opened_on_help"),
          by_as_of=key("delisting.error_opened_future")),
    Field("sales_365d_usd", MONEY, key("delisting.sales_365d_usd"), key("delisting.sales_365d_usd_help"),
          unit="USD", minimum=0, maximum=MAX_MONEY),
    Field("medal", CHOICE, key("delisting.medal"), key("delisting.medal_help"), choices_from="medal", required=False,
          default="none"),
    Field("active_listings", INTEGER, key("delisting.active_listings"), key("delisting.active_listings_help"),
          unit="listings", minimum=0, maximum=MAX_LISTINGS),
    Field("listings_no_shipment_180d", INTEGER, key("delisting.listings_no_shipment_180d"),
          key("delisting.listings_no_shipment_180d_help"), unit="listings", minimum=0, maximum=MAX_LISTINGS),
    Field("assessment_date", DATE, key("delisting.assessment_date"), key("delisting.assessment_date_help"),
          required=False),
]

# The rules read, each with the kind and unit it must have (the loader checks the policies hold them).
A = Rules("assessment",
          assessment_date=("month_day", None),
          sales_window_days=("count", "days"),
          minimum_store_age_days=("count", "days"),
          new_store_max_age_days=("count", "days"),
          threshold_new_store_usd=("amount", "USD"),
          threshold_established_store_usd=("amount", "USD"),
          at_risk_margin_percent=("percent", None))
L = Rules("listings", max_listings=("count", "listings"), unsold_link_days=("count", "days"))
Q = Rules("requirements", rejoin_lock_days=("count", "days"))
# The rules every answer rests on (api.rules_begin): none on the as-of date itself, since the
# assessment judged is the next one on or after it (next_assessment), whenever the rules start.
BASIS: tuple[str, ...] = ()
# The rules whose own `comparison` decides the result here (the loader checks each states one).
COMPARED = {A.minimum_store_age_days, A.new_store_max_age_days, A.threshold_new_store_usd,
            A.threshold_established_store_usd, A.at_risk_margin_percent, L.max_listings}


def check(policy: Policy, values: dict, as_of: dt.date) -> list[dict]:
    """Input errors that involve more than one field (messages put into words by api.evaluate)."""
    errors = []
    opened, assessed = values["store_opened_on"], values["assessment_date"]
    if assessed is not None and assessed < opened:
        errors.append({"field": "assessment_date", "message": Msg("delisting.error_assessed_before_opening",
                                                                  opened=opened)})
    if values["listings_no_shipment_180d"] > values["active_listings"]:
        errors.append({"field": "listings_no_shipment_180d",
                       "message": Msg("delisting.error_unsold_over_active", count=values["active_listings"])})
    return errors


@answers_without_value(NAME, "not_assessed", AMOUNTS)
def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    say, lang = policy.say, policy.lang
    date = lambda day: fmt_date(day, lang)  # noqa: E731 - a date in the reader's language
    usd = lambda amount: fmt_money(amount, "USD", lang)  # noqa: E731
    category = values["category"]
    sales = values["sales_365d_usd"]
    findings: list[Finding] = []
    finding = recorder(policy, findings)
    temporary_measures(policy, NAME, as_of, finding)

    assessment_date = values["assessment_date"] or next_assessment(policy, category, as_of)
    # No threshold and no shortfall until the store is assessed: a shortfall of 0 would read "you pass".
    amounts: dict = {"threshold_usd": None, "shortfall_usd": None, "assessment_date": iso(assessment_date),
                     "days_to_assessment": _days_left(assessment_date, as_of), "store_age_days": None,
                     "listing_cap": None, "listings_over_cap": 0, "links_to_remove": 0}

    day = policy.resolve(A.assessment_date, assessment_date, category=category) if assessment_date else None
    if day is None or not day.in_force:
        first = _first_assessment(policy, category)
        on = date(assessment_date or as_of)
        finding(A.assessment_date, INFO, say("delisting.no_assessment_first", date=on, year=first) if first
                else say("delisting.no_assessment", date=on))
        return _result(policy, values, as_of, "not_assessed", say("delisting.headline_not_assessed"),
                       amounts, findings, [])
    began = policy.first_day(A.assessment_date)
    # An as-of date before the assessment existed: its next assessment is the first one, years on.
    said = "delisting.assessed_first_after" if began is not None and as_of < began else "delisting.assessed_each_year"
    if not _is_category_day(assessment_date, day.value):
        finding(A.assessment_date, INFO, _not_category_day(policy, category, assessment_date, day.value),
                day.provenance)
    else:
        finding(A.assessment_date, INFO, say(said, month_day=fmt_month_day(day.value, lang),
                                                 date=date(assessment_date), as_of=date(as_of)), day.provenance)

    age = (assessment_date - values["store_opened_on"]).days
    amounts["store_age_days"] = age
    min_age = policy.applied(A.minimum_store_age_days, assessment_date)
    too_young = policy.comparison(A.minimum_store_age_days)
    if compares(age, too_young, min_age.value):
        finding(A.minimum_store_age_days, INFO, say("delisting.too_young_one" if age == 1 else "delisting.too_young",
                                                    age=age, date=date(assessment_date),
                                                    comparison=say(COMPARISON_KEYS[too_young]),
                                                    days=min_age.value), min_age.provenance)
        return _result(policy, values, as_of, "not_assessed",
                       say("delisting.headline_too_young", date=date(assessment_date)), amounts, findings,
                       [_first_assessment_step(policy, values, first_meeting(OPPOSITE[too_young], min_age.value))])

    new_max = policy.applied(A.new_store_max_age_days, assessment_date)
    is_new = policy.compares(age, A.new_store_max_age_days, new_max.value)
    address = A.threshold_new_store_usd if is_new else A.threshold_established_store_usd
    finding(A.new_store_max_age_days, INFO, say("delisting.store_age", age=fmt_day_number(age, policy.lang),
                                                    band=_age_band(policy, is_new, min_age.value, new_max.value)),
            new_max.provenance)
    threshold = policy.applied(address, assessment_date, category=category)
    amounts.update(threshold_usd=money(threshold.value), shortfall_usd=0)
    margin = policy.applied(A.at_risk_margin_percent, assessment_date)
    _sales_window(policy, assessment_date, finding)

    meets = policy.comparison(address)
    if not compares(sales, meets, threshold.value):
        short = shortfall(sales, meets, threshold.value)
        lock = policy.applied(Q.rejoin_lock_days, assessment_date)
        rejoin = assessment_date + dt.timedelta(days=lock.value)
        amounts.update(shortfall_usd=money(short), rejoin_earliest=iso(rejoin))
        # Sales are the payments so far in the window: before the assessment there is still time to sell.
        left = amounts["days_to_assessment"]
        finding(address, FAIL, say("delisting.below", sales=usd(sales), short=usd(short),
                                   threshold=usd(threshold.value)), threshold.provenance)
        finding(Q.rejoin_lock_days, FAIL, say("delisting.rejoin_lock", days=lock.value,
                                              date=date(rejoin)), lock.provenance)
        sell = (say("delisting.step_sell_more_days_one" if left == 1 else "delisting.step_sell_more_days",
                    short=usd(short), days=fmt_day_number(left, policy.lang), date=date(assessment_date)) if left
                else say("delisting.step_sell_more", short=usd(short), date=date(assessment_date)))
        return _result(policy, values, as_of, "below_threshold",
                       say("delisting.headline_below", date=date(assessment_date), rejoin=date(rejoin)),
                       amounts, findings, [sell, say("delisting.step_reapply", rejoin=date(rejoin))])

    finding(address, PASS, say("delisting.meets", sales=usd(sales), threshold=usd(threshold.value),
                               comparison=say(COMPARISON_KEYS[meets])), threshold.provenance)
    cushion = threshold.value * (1 + margin.value / 100)
    safe_when = policy.comparison(A.at_risk_margin_percent)
    if not compares(sales, safe_when, cushion):
        finding(A.at_risk_margin_percent, WARN,
                say("delisting.thin_margin", margin=f"{margin.value:g}", cushion=usd(cushion),
                    comparison=say(COMPARISON_KEYS[OPPOSITE[safe_when]])), margin.provenance)
        return _result(policy, values, as_of, "at_risk",
                       say("delisting.headline_at_risk", threshold=usd(threshold.value), margin=f"{margin.value:g}",
                           date=date(assessment_date)),
                       amounts, findings, [say("delisting.step_aim", cushion=usd(cushion), date=date(assessment_date))])
    finding(A.at_risk_margin_percent, PASS, say("delisting.margin_ok", margin=f"{margin.value:g}"), margin.provenance)
    return _result(policy, values, as_of, "safe", say("delisting.headline_safe", threshold=usd(threshold.value),
                                                          date=date(assessment_date)),
                   amounts, findings, [])


def field_labels(policy: Policy, inputs: dict, as_of: dt.date) -> dict[str, str]:
    """The sales field's label, naming the window it counts once the category is known (and the
    assessment date, if one is typed): "Sales from 14 February 2026 to today". The form shows it
    as the seller fills in the figures (present.view); before that, the field's own label.

    `as_of` is an inputs.Today when it is the reader's today: then the window runs "to today".
    """
    window = sales_window(policy, inputs, as_of)
    if window is None:
        return {"sales_365d_usd": policy.say(key("delisting.sales_365d_usd"))}
    start, end = window
    say, lang = policy.say, policy.lang
    if start <= as_of <= end and isinstance(as_of, Today):
        label = say("delisting.sales_label_to_today", start=fmt_date(start, lang))
    else:  # a "Rules as of" day inside the window, or the whole of a window not yet open or already closed
        label = say("delisting.sales_label_to_day", start=fmt_date(start, lang),
                    day=fmt_date(as_of if start <= as_of <= end else end, lang))
    return {"sales_365d_usd": label}


def sales_window(policy: Policy, inputs: dict, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of the payments the assessment counts, from the inputs as typed so far
    (a known category; the assessment date if one is typed, else the category's next); None while
    they do not say, or no window is in force."""
    category = inputs.get("category")
    if not isinstance(category, str) or category not in policy.categories:
        return None
    typed = inputs.get("assessment_date")
    try:
        assessed = parse_date(typed) if typed not in (None, "") else next_assessment(policy, category, as_of)
    except Problem:
        return None
    window = _window(policy, assessed) if assessed else None
    return window[:2] if window else None


def _window(policy: Policy, assessed: dt.date) -> tuple[dt.date, dt.date, Resolved] | None:
    """(first day, last day, the rule's value) of the window before the assessment on `assessed`."""
    days = policy.resolve(A.sales_window_days, assessed)
    if not days.in_force:
        return None
    return assessed - dt.timedelta(days=days.value), assessed - dt.timedelta(days=1), days


def next_assessment(policy: Policy, category: str, as_of: dt.date) -> dt.date | None:
    """The category's first assessment date on or after `as_of` (None when no assessment is ever set).

    Looks ahead a few years so that an as-of date before the first assessment finds it.
    """
    for year in range(as_of.year, as_of.year + 10):
        probe = dt.date(year, 12, 31)
        day = policy.resolve(A.assessment_date, probe, category=category)
        if not day.in_force:
            continue
        month, dom = map(int, day.value.split("-"))
        candidate = dt.date(year, month, dom)
        if candidate >= as_of and policy.resolve(A.assessment_date, candidate, category=category).in_force:
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# Time: the dates a seller should remember (key_dates.py), and which assessment an announced
# change first reaches (upcoming.py)
# ---------------------------------------------------------------------------------------------


def key_dates(policy: Policy, values: dict, result: dict) -> list[dict]:
    """The assessment judged and the window of sales it counts (once the store is assessed), and the
    earliest day to rejoin after a return."""
    say, amounts = policy.say, result["amounts"]
    if amounts["threshold_usd"] is None:
        return []
    assessed = dt.date.fromisoformat(amounts["assessment_date"])
    on = fmt_date(assessed, policy.lang)
    dates = [key_date(assessed, "assessment", say("dates.assessment", category=policy.category_label(values["category"])))]
    window = policy.resolve(A.sales_window_days, assessed)
    if window.in_force:
        dates += [key_date(assessed - dt.timedelta(days=window.value), "sales_window_start",
                           say("dates.sales_window_start", date=on)),
                  key_date(assessed - dt.timedelta(days=1), "sales_window_end", say("dates.sales_window_end", date=on))]
    if amounts.get("rejoin_earliest"):
        dates.append(key_date(amounts["rejoin_earliest"], "rejoin_earliest", say("dates.rejoin_earliest")))
    return dates


def announced_inputs(policy: Policy, values: dict, as_of: dt.date, on: dt.date) -> tuple[dict, dt.date]:
    """The inputs and as-of date under a change announced for `on`: a change after the assessment
    judged first reaches the next assessment on or after its day, so that is the one judged."""
    assessed = values["assessment_date"] or next_assessment(policy, values["category"], as_of)
    if assessed is None or on <= assessed:
        return values, as_of
    return {**values, "assessment_date": next_assessment(policy, values["category"], on) or assessed}, as_of


def announced_when(policy: Policy, result: dict, category: str | None, on: dt.date) -> str | None:
    """Which assessment a change announced for `on` reaches: 'Your 14 February 2027 assessment uses
    the new value.', or that it still uses the current one and the next assessment is the first."""
    assessed = result["amounts"].get("assessment_date")
    if not assessed or category not in policy.categories:
        return None
    day = dt.date.fromisoformat(assessed)
    if on <= day:
        return policy.say("upcoming.delisting_this", date=fmt_date(day, policy.lang))
    following = next_assessment(policy, category, on)
    if following is None:
        return None
    return policy.say("upcoming.delisting_next", date=fmt_date(day, policy.lang),
                      next=fmt_date(following, policy.lang))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _days_left(assessment_date: dt.date | None, as_of: dt.date) -> int | None:
    """Days from the as-of day to the assessment; None when there is none, or it is past."""
    return (assessment_date - as_of).days if assessment_date and assessment_date >= as_of else None


def _listings(policy: Policy, values: dict, as_of: dt.date, amounts: dict, finding) -> list[str]:
    """Check the listing cap and the unsold-link rule; return what the seller must do about them."""
    say = policy.say
    cap = policy.resolve(L.max_listings, as_of, category=values["category"], medal=values["medal"])
    unsold_days = policy.resolve(L.unsold_link_days, as_of)
    active, unsold = values["active_listings"], values["listings_no_shipment_180d"]
    # The platform takes off the unsold links itself; only what is still over the cap is the seller's to remove.
    taken_off = unsold if unsold_days.in_force else 0
    amounts["links_to_remove"] = taken_off
    actions = []
    if taken_off:
        finding(L.unsold_link_days, WARN, say("delisting.unsold_taken_off_one" if unsold == 1
                                              else "delisting.unsold_taken_off", count=f"{unsold:,}",
                                              days=unsold_days.value), unsold_days.provenance)
    elif unsold_days.in_force:
        finding(L.unsold_link_days, PASS, say("delisting.unsold_none", days=unsold_days.value),
                unsold_days.provenance)
    else:
        _not_yet(policy, L.unsold_link_days, as_of, "delisting.unsold_not_yet", finding)
    if not cap.in_force:
        _not_yet(policy, L.max_listings, as_of, "delisting.cap_not_yet", finding)
        if taken_off:
            actions.append(say("delisting.action_taken_off_one" if taken_off == 1 else "delisting.action_taken_off",
                               count=f"{taken_off:,}"))
        return actions
    # How many listings are over the cap, by the cap's own comparison (at most 3,000: 3,001 is one over).
    over = shortfall(active, policy.comparison(L.max_listings), cap.value, step=1)
    amounts.update(listing_cap=cap.value, listings_over_cap=over)
    if not over:
        finding(L.max_listings, PASS, say("delisting.within_cap_one" if active == 1 else "delisting.within_cap",
                                          active=f"{active:,}", cap=f"{cap.value:,}"),
                cap.provenance)
        if taken_off:
            actions.append(say("delisting.action_taken_off_one" if taken_off == 1 else "delisting.action_taken_off",
                               count=f"{taken_off:,}"))
        return actions
    finding(L.max_listings, FAIL, say("delisting.over_cap", active=f"{active:,}", over=f"{over:,}",
                                      cap=f"{cap.value:,}"), cap.provenance)
    still_over = over - min(over, taken_off)
    if not taken_off:
        actions.append(say("delisting.action_remove_one" if over == 1 else "delisting.action_remove", over=f"{over:,}",
                           cap=f"{cap.value:,}"))
    elif still_over:
        actions.append(say("delisting.action_taken_off_remove_one" if taken_off == 1
                           else "delisting.action_taken_off_remove", count=f"{taken_off:,}", more=f"{still_over:,}",
                           cap=f"{cap.value:,}"))
    else:
        actions.append(say("delisting.action_taken_off_enough_one" if taken_off == 1
                           else "delisting.action_taken_off_enough", count=f"{taken_off:,}", cap=f"{cap.value:,}"))
    return actions


def _is_category_day(assessed: dt.date, month_day: str) -> bool:
    """Whether `assessed` falls on the category's yearly assessment day ('MM-DD')."""
    return assessed.strftime("%m-%d") == month_day


def _not_category_day(policy: Policy, category: str, assessed: dt.date, month_day: str) -> str:
    """The note for an assessment date the seller typed that is not the category's day: the answer is
    for the date asked, and the note names the category's day and its next one on or after that date."""
    lang = policy.lang
    words = {"date": fmt_date(assessed, lang), "category": policy.category_label(category),
             "month_day": fmt_month_day(month_day, lang)}
    following = next_assessment(policy, category, assessed)
    if following is None:
        return policy.say("delisting.assessment_not_category_day_no_next", **words)
    return policy.say("delisting.assessment_not_category_day", next=fmt_date(following, lang), **words)


def _not_yet(policy: Policy, address: str, as_of: dt.date, message: str, finding) -> None:
    """A note for a listing rule that had not begun on `as_of` (none after it ended): said, so that an
    amount of 0 or no cap reads as history, not as a rule the store passed. The day is the YAML's."""
    began = policy.first_day(address)
    if began is not None and as_of < began:
        finding(address, INFO, policy.say(message, as_of=fmt_date(as_of, policy.lang),
                                          date=fmt_date(began, policy.lang)))


def _first_assessment(policy: Policy, category: str) -> int | None:
    """The year of the category's first assessment, from the YAML (None if it has none)."""
    history = policy.history(A.assessment_date, category=category)
    first = next_assessment(policy, category, dt.date.fromisoformat(history[0]["from"])) if history else None
    return first.year if first else None


def _age_band(policy: Policy, is_new: bool, min_age: int, new_max: int) -> str:
    """'a new store (365 to 730 days)' or 'an established store (over 730 days)', by the rules' comparisons."""
    first_assessed = first_meeting(OPPOSITE[policy.comparison(A.minimum_store_age_days)], min_age)
    first_established = first_meeting(OPPOSITE[policy.comparison(A.new_store_max_age_days)], new_max)
    if is_new:
        return policy.say("delisting.band_new", first=first_assessed, last=first_established - 1)
    return policy.say("delisting.band_established", last=first_established - 1)


def _sales_window(policy: Policy, assessment_date: dt.date, finding) -> None:
    """Which payments the assessment counts: the window's days before the assessment date."""
    if (found := _window(policy, assessment_date)) is None:
        return
    start, end, window = found
    finding(A.sales_window_days, INFO, policy.say("delisting.sales_window", days=window.value,
                                                  start=fmt_date(start, policy.lang),
                                                  end=fmt_date(end, policy.lang)), window.provenance)


def first_assessment_of_store(policy: Policy, values: dict, min_age_days: int) -> tuple[dt.date, dt.date | None]:
    """(the day the store reaches the minimum age, its first assessment on or after that day or None).

    The next step and the chart's time line (sweep.py) both ask here, so they cannot disagree.
    """
    old_enough = values["store_opened_on"] + dt.timedelta(days=min_age_days)
    return old_enough, next_assessment(policy, values["category"], old_enough)


def _first_assessment_step(policy: Policy, values: dict, min_age_days: int) -> str:
    _, first = first_assessment_of_store(policy, values, min_age_days)
    if first is None:
        return policy.say("delisting.step_first_unknown", days=min_age_days)
    return policy.say("delisting.step_first", date=fmt_date(first, policy.lang), days=min_age_days)


def _result(policy: Policy, values: dict, as_of: dt.date, verdict: str, headline: str, amounts: dict,
            findings: list[Finding], next_steps: list[str]) -> Result:
    """The result, with the listing rules checked whatever the assessment says.

    The verdict stays the assessment's (design/design.md), but the headline and the first next step name
    every failed rule, the listing cap included, so a "safe" store over its cap is told so at once.
    """
    say = policy.say
    actions = _listings(policy, values, as_of, amounts, recorder(policy, findings))
    if amounts["listings_over_cap"]:
        # "Safe, but ... over the cap"; "Below the threshold, and ... over the cap": two bad news are not contrasted.
        joined = "delisting.headline_but_over_cap" if VERDICTS[verdict]["tone"] in ("ok", "info") else \
            "delisting.headline_and_over_cap"
        headline = say(joined, headline=say.unstop(headline),
                       active=f"{values['active_listings']:,}", over=f"{amounts['listings_over_cap']:,}",
                       cap=f"{amounts['listing_cap']:,}")
    if actions:
        action = say.clauses(actions)
        if next_steps and verdict == "below_threshold":
            next_steps = [say("delisting.step_and", first=say.unstop(next_steps[0]), action=action)] + next_steps[1:]
        else:
            next_steps = [say("common.sentence", text=action[0].upper() + action[1:])] + next_steps
    return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)


# ---------------------------------------------------------------------------------------------
# The chart: sales against the threshold, and a time line
# ---------------------------------------------------------------------------------------------

# The chart's words, as message keys; sweep.sweep puts them into words.
CHART_WORDS = {
    "title": key("chart.delisting_title"),
    "x_axis": key("chart.delisting_x_axis"),
    "sales": key("chart.your_sales"),
    "threshold": key("chart.threshold"),
    "at_risk": key("chart.at_risk"),
    "timeline": key("chart.timeline"),
}


def sweep(scenario: Scenario) -> dict:
    """The store's sales against its threshold and at-risk band, and a time line (chart kind "bar")."""
    bundle, values, as_of, result, say = (scenario.bundle, scenario.values, scenario.as_of, scenario.result,
                                          scenario.say)
    lang = say.lang
    usd = lambda amount: fmt_money(amount, "USD", lang)  # noqa: E731
    policy = Policy(bundle)
    amounts = result["amounts"]
    sales, threshold = values["sales_365d_usd"], amounts["threshold_usd"]
    assessed = dt.date.fromisoformat(amounts["assessment_date"]) if amounts["assessment_date"] else None
    rules_day = assessed or as_of
    out = {"words": CHART_WORDS}
    bar = None
    if threshold is not None:
        margin = policy.resolve(A.at_risk_margin_percent, rules_day).value
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
    min_age = policy.resolve(A.minimum_store_age_days, rules_day)
    new_max = policy.resolve(A.new_store_max_age_days, rules_day)
    events = [{"kind": "opened", "date": opened.isoformat(), "label": say("chart.event_opened")}]
    # Too young for the category's next assessment (the calculator measured its age, yet did not assess
    # it): that assessment is not the store's, and its own first one is the next after the minimum age.
    too_young = result["verdict"] == "not_assessed" and amounts.get("store_age_days") is not None
    if min_age.in_force:
        # Reaching the minimum age is not being assessed: assessment happens only on an assessment date.
        old_enough, first = first_assessment_of_store(policy, values, min_age.value)
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
    table = {"caption": say(CHART_WORDS["title"]), "columns": ["", ""], "rows": rows}
    return {**out, "bar": bar, "reason": None if bar else {"code": result["verdict"], "text": result["headline"]},
            "timeline": events, "table": table}


# This calculator as the rest of the code reads it (unit.Calculator); calculators/registry.py lists it.
def onward(category: str, result: dict, say) -> list[dict]:
    """Below the threshold the store would be returned on the assessment date: eligibility answers when
    the seller could rejoin, as of that day (eligibility refuses a return date after its as-of date)."""
    returned = result["amounts"].get("assessment_date")
    if result["verdict"] != "below_threshold" or not returned:
        return []
    return [{"calculator": "eligibility", "text": say("shared.onward_eligibility"),
             "inputs": {"category": category, "returned_on": returned, "as_of": returned}}]


CALCULATOR = Calculator(
    name=NAME, title=key("delisting.title"), verdicts=VERDICTS, amounts=AMOUNTS, inputs=tuple(INPUTS),
    rules=(A, L, Q), basis=BASIS, compared=frozenset(COMPARED), check=check, evaluate=evaluate,
    key_dates=key_dates, sweep=sweep, chart_kind="bar", announced_inputs=announced_inputs, announced_when=announced_when,
    field_labels=field_labels, onward=onward)
