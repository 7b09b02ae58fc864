"""Entry eligibility: may this seller open a store, of which types, and what does it cost?

Rules: policies/joining/{requirements,store-types,recruitment,process}.yaml and the fee in
policies/fees/annual-fee.yaml. Every rule is applied and reported, so a seller who is not
eligible sees every requirement they miss, not only the first.
"""

from __future__ import annotations

import calendar
import datetime as dt

from calculators.inputs import BOOLEAN, CHOICE, DATE, INTEGER, MAX_BRANDS, MAX_MONEY, MAX_STORES, MONEY, Field
from calculators.policy import Policy
from calculators.result import (FAIL, INFO, PASS, WARN, Finding, Result, fmt_date, fmt_money, iso, money, recorder,
                                join_words, temporary_measures)

NAME = "eligibility"
TITLE = "Entry eligibility"
# Best first: a result can only move down this list when a requirement is taken away.
VERDICTS = {
    "eligible": {"label": "Eligible", "tone": "ok"},
    "not_prioritised": {"label": "Not prioritised", "tone": "warn"},
    "invitation_only": {"label": "By invitation only", "tone": "warn"},
    "not_eligible": {"label": "Not eligible", "tone": "bad"},
}
# How each amount reads on the page: its label, and the unit that formats it (present.py). The
# entry steps are the next steps too, so the page shows them once, there.
AMOUNTS = {
    "store_types": ("Store types open to you", "store_types"),
    "fee_cny": ("Annual fee", "CNY"),
    "rejoin_earliest": ("Earliest date to apply again", "date"),
    "documents": ("Documents to prepare", "list"),
}

INPUTS = [
    Field("entity_type", CHOICE, "Kind of business", "How your business is registered.", choices_from="entity_type"),
    Field("alipay_enterprise_verified", BOOLEAN, "Enterprise Alipay account authenticated",
          "An enterprise Alipay account that has passed enterprise authentication."),
    Field("brand_relationship", CHOICE, "Your relationship to the brand", "For several brands, the weakest one.",
          choices_from="brand_relationship"),
    Field("trademark_filed_on", DATE, "Trademark application filed on",
          "Only for a pending trademark (TM) application: the day it was filed.", required=False),
    Field("brands_count", INTEGER, "Brands in the store", "How many brands the new store will sell "
          "(0 only with no brand).", unit="brands", minimum=0, maximum=MAX_BRANDS, required=False, default=1),
    Field("category", CHOICE, "Business category", "The category the new store will trade in.",
          choices_from="category"),
    Field("seller_type", CHOICE, "Kind of seller", "How you trade today.", choices_from="seller_type"),
    Field("annual_turnover_cny", MONEY, "Annual turnover", "Your business's turnover over the last year.",
          unit="CNY", minimum=0, maximum=MAX_MONEY),
    Field("stores_total", INTEGER, "Stores your company holds now", "All categories together.", unit="stores",
          minimum=0, maximum=MAX_STORES, required=False, default=0),
    Field("stores_in_category", INTEGER, "Of those, stores in this category", unit="stores", minimum=0,
          maximum=MAX_STORES, required=False, default=0),
    Field("returned_on", DATE, "A store was returned on",
          "Only if the annual assessment returned one of your stores: the day it was returned.", required=False),
]

Q, T, RC, P = "requirements.", "store-types.", "recruitment.", "process."
FEE = "annual-fee.annual_fee_cny"
RULES_USED = {
    Q + "entity_type_accepted": ("boolean", None),
    Q + "alipay_enterprise_verification": ("boolean", None),
    Q + "brand_required": ("boolean", None),
    Q + "max_stores_per_company": ("count", "stores"),
    Q + "max_stores_per_category": ("count", "stores"),
    Q + "rejoin_lock_days": ("count", "days"),
    T + "store_types_by_brand_relationship": ("list", None),
    T + "multi_brand_store_types": ("list", None),
    T + "trademark_application_max_age_months": ("count", "months"),
    RC + "recruitment_scopes": ("list", None),
    RC + "preferred_turnover_cny": ("amount", "CNY"),
    RC + "invitation_only_seller_types": ("list", None),
    P + "entry_steps": ("text_list", None),
    P + "entry_documents": ("text_list", None),
    FEE: ("amount", "CNY"),
}
# The rules whose own `comparison` decides the result here (the loader checks each states one).
COMPARED = {Q + "max_stores_per_company", Q + "max_stores_per_category", T + "trademark_application_max_age_months",
            RC + "preferred_turnover_cny"}


def check(values: dict, as_of: dt.date) -> list[dict]:
    """Input errors that involve more than one field, or the as-of date.

    The brand count must agree with the relationship: a brand relationship sells at least one
    brand; "No brand" allows 0, or 1 (the field's default, so an untouched form still works).
    """
    errors = []
    relationship, brands = values["brand_relationship"], values["brands_count"]
    if relationship == "none" and brands > 1:
        errors.append({"field": "brands_count", "message": f"cannot be {brands} with no brand: leave it empty, "
                                                          "or choose your relationship to the brand"})
    if relationship != "none" and brands == 0:
        errors.append({"field": "brands_count", "message": "cannot be 0 with a brand relationship: enter 1 or "
                                                          "more, or choose 'No brand'"})
    filed, returned = values["trademark_filed_on"], values["returned_on"]
    if values["brand_relationship"] == "pending_owner" and filed is None:
        errors.append({"field": "trademark_filed_on", "message": "required for a pending trademark application"})
    if filed is not None and filed > as_of:
        errors.append({"field": "trademark_filed_on", "message": f"is after the as-of date {as_of}"})
    if returned is not None and returned > as_of:
        errors.append({"field": "returned_on", "message": f"is after the as-of date {as_of}"})
    if values["stores_in_category"] > values["stores_total"]:
        errors.append({"field": "stores_in_category",
                       "message": f"cannot exceed the stores your company holds ({values['stores_total']})"})
    return errors


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter.

    Past the calendar's end (a policy may set up to 1,000,000 months) it is the last date there is.

    >>> add_months(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    >>> add_months(dt.date(2100, 12, 31), 1_000_000)
    datetime.date(9999, 12, 31)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    findings: list[Finding] = []
    finding = recorder(policy, findings)
    amounts: dict = {"store_types": [], "fee_cny": None, "rejoin_earliest": None}
    temporary_measures(policy, NAME, as_of, finding)

    _entity(policy, values, as_of, finding)
    _alipay(policy, values, as_of, finding)
    amounts["store_types"] = _store_types(policy, values, as_of, finding)
    _store_counts(policy, values, as_of, finding)
    amounts["rejoin_earliest"] = _rejoin(policy, values, as_of, finding)
    recruitment = _recruitment(policy, values, as_of, finding)

    failed = [f for f in findings if f.outcome == FAIL]
    if failed:
        # Nothing is open to this seller: no store types, fee, documents or steps as if it were.
        count = len(failed)
        headline = f"Not eligible as of {fmt_date(as_of)}: {count} requirement{'s' if count > 1 else ''} not met."
        next_steps = list(dict.fromkeys(_remedy(policy, values, as_of, f.rule) for f in failed))
        return Result(NAME, as_of.isoformat(), policy.version, "not_eligible", headline,
                      {**amounts, "store_types": []}, findings, next_steps)

    fee = policy.resolve(FEE, as_of, category=values["category"])
    amounts["fee_cny"] = money(fee.value)
    if fee.in_force:
        finding(FEE, INFO, f"The annual fee for {policy.categories[values['category']]['label']['en']} is "
                           f"{fmt_money(fee.value, 'CNY')}, paid before the store opens.", fee.source)
    documents = policy.resolve(P + "entry_documents", as_of)
    steps = policy.resolve(P + "entry_steps", as_of)
    amounts["documents"] = [d["en"] for d in documents.value or []]
    amounts["entry_steps"] = [s["en"] for s in steps.value or []]

    if recruitment == "invitation_only":
        verdict, headline = "invitation_only", "By invitation only: your kind of seller cannot apply openly here."
        next_steps = ["Wait for a targeted invitation from the platform's recruitment team."]
    elif recruitment == "not_prioritised":
        verdict = "not_prioritised"
        headline = "You may apply, but your application will not be prioritised in this scope."
        next_steps = amounts["entry_steps"]
    else:
        verdict = "eligible"
        headline = "Eligible" + (f": open to you: {_names(policy, amounts['store_types'])}" if amounts["store_types"]
                                 else "") + (f"; the annual fee is {fmt_money(fee.value, 'CNY')}." if fee.in_force else ".")
        next_steps = amounts["entry_steps"]
    return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)


def _remedy(policy: Policy, values: dict, as_of: dt.date, address: str) -> str:
    """What a seller who fails rule `address` can do about it, in one actionable sentence."""
    if address == Q + "entity_type_accepted":
        entity = values["entity_type"]
        rule = policy.resolve(address, as_of, entity_type=entity)
        accepted = [_short(policy, "entity_type", e) for e in policy.bundle["terms"]["entity_type"]
                    if policy.value(address, as_of, entity_type=e)]
        since = f" since {fmt_date(rule.effective_from)}" if rule.effective_from else ""
        instead = f"; register as {_a(join_words(accepted, 'or').lower())} first" if accepted else ""
        return f"{_plural(_short(policy, 'entity_type', entity))} cannot open stores{since}{instead}."
    if address == Q + "alipay_enterprise_verification":
        return "Open an enterprise Alipay account and pass its enterprise authentication, then apply."
    if address == Q + "brand_required":
        return "Register a trademark, or get a brand owner's authorisation to sell their brand, then apply."
    if address == T + "store_types_by_brand_relationship":
        return "Get a stronger tie to the brand (ownership or the owner's authorisation) to open a store type."
    if address == T + "trademark_application_max_age_months":
        limit = policy.value(address, as_of)
        return (f"A trademark application is accepted for {limit} months after filing; apply with the registered "
                "trademark (R mark) or a brand owner's authorisation instead.")
    if address == T + "multi_brand_store_types":
        return "Open the store with one brand, or as a store type that may sell several brands."
    if address == Q + "max_stores_per_company":
        return f"Close a store before opening another: a company may hold {policy.value(address, as_of)} stores."
    if address == Q + "max_stores_per_category":
        return (f"Close a store in this category before opening another: a company may hold "
                f"{policy.value(address, as_of)} in one category.")
    if address == Q + "rejoin_lock_days":
        lock = policy.value(address, values["returned_on"])
        return f"Apply again from {fmt_date(values['returned_on'] + dt.timedelta(days=lock))}."
    return f"Meet the requirement: {policy.title(address)}."


def _short(policy: Policy, vocabulary: str, term: str) -> str:
    """A term's label without its explanation: 'Individual business (registered sole proprietor)' -> 'Individual business'."""
    return policy.label(vocabulary, term).split(" (")[0]


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun



# ---------------------------------------------------------------------------------------------
# One helper per requirement; each records its finding, pass or fail.
# ---------------------------------------------------------------------------------------------


def _entity(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    entity = values["entity_type"]
    label = policy.bundle["terms"]["entity_type"][entity]["label"]["en"]
    accepted = policy.resolve(Q + "entity_type_accepted", as_of, entity_type=entity)
    if accepted.value:
        finding(Q + "entity_type_accepted", PASS, f"{label}: may open a store.", accepted.source)
    else:
        since = f" since {fmt_date(accepted.effective_from)}" if accepted.effective_from else ""
        finding(Q + "entity_type_accepted", FAIL, f"{label}: may not open a store{since}.", accepted.source)


def _alipay(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    rule = policy.resolve(Q + "alipay_enterprise_verification", as_of)
    if not rule.in_force:
        return
    if not rule.value or values["alipay_enterprise_verified"]:
        finding(Q + "alipay_enterprise_verification", PASS, "Your enterprise Alipay account is authenticated.",
                rule.source)
    else:
        finding(Q + "alipay_enterprise_verification", FAIL,
                "An enterprise Alipay account that has passed enterprise authentication is required.", rule.source)


def _store_types(policy: Policy, values: dict, as_of: dt.date, finding) -> list[str]:
    relationship, brands = values["brand_relationship"], values["brands_count"]
    required = policy.resolve(Q + "brand_required", as_of)
    by_relationship = policy.resolve(T + "store_types_by_brand_relationship", as_of, brand_relationship=relationship)
    if not required.in_force or not by_relationship.in_force:
        return []  # before store types existed (2016-08-15) nothing here applied
    if relationship == "none" or brands == 0:
        if required.value:
            finding(Q + "brand_required", FAIL, "You need a brand that you own or are authorised to sell.",
                    required.source)
            return []
    else:
        finding(Q + "brand_required", PASS, "You have a brand to sell.", required.source)

    types = list(by_relationship.value or [])
    label = policy.bundle["terms"]["brand_relationship"][relationship]["label"]["en"]
    finding(T + "store_types_by_brand_relationship", PASS if types else FAIL,
            f"{label}: {_names(policy, types) or 'no store type'}.", by_relationship.source)

    if relationship == "pending_owner" and types:
        limit = policy.resolve(T + "trademark_application_max_age_months", as_of)
        filed = values["trademark_filed_on"]
        last_day = add_months(filed, limit.value)
        if policy.compares(as_of, T + "trademark_application_max_age_months", last_day):
            finding(T + "trademark_application_max_age_months", PASS,
                    f"Your TM application of {fmt_date(filed)} is accepted until {fmt_date(last_day)}.", limit.source)
        else:
            finding(T + "trademark_application_max_age_months", FAIL,
                    f"Your TM application of {fmt_date(filed)} is more than {limit.value} months old (accepted until "
                    f"{fmt_date(last_day)}).", limit.source)
            types = []

    if brands > 1 and types:
        multi = policy.resolve(T + "multi_brand_store_types", as_of)
        allowed = [t for t in types if t in multi.value]
        finding(T + "multi_brand_store_types", PASS if allowed else FAIL,
                f"With {brands} brands the store can only be: {_names(policy, multi.value)}.", multi.source)
        types = allowed
    return types


def _store_counts(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    for address, held, where in ((Q + "max_stores_per_company", values["stores_total"], "in all"),
                                 (Q + "max_stores_per_category", values["stores_in_category"], "in this category")):
        limit = policy.resolve(address, as_of)
        if not limit.in_force:
            continue
        if policy.compares(held + 1, address, limit.value):
            finding(address, PASS, f"A new store makes {held + 1} {where}, within the limit of {limit.value}.",
                    limit.source)
        else:
            finding(address, FAIL, f"You hold {held} stores {where}; a new one would exceed the limit of "
                                   f"{limit.value}.", limit.source)


def _rejoin(policy: Policy, values: dict, as_of: dt.date, finding) -> str | None:
    returned = values["returned_on"]
    if returned is None:
        return None
    lock = policy.resolve(Q + "rejoin_lock_days", returned)
    if not lock.in_force:
        return None
    earliest = returned + dt.timedelta(days=lock.value)
    if as_of < earliest:
        finding(Q + "rejoin_lock_days", FAIL, f"A store returned on {fmt_date(returned)} locks you out for {lock.value} days: "
                                              f"you may rejoin from {fmt_date(earliest)}.", lock.source)
        return iso(earliest)
    finding(Q + "rejoin_lock_days", PASS, f"The {lock.value}-day lock after {fmt_date(returned)} ended on "
                                          f"{fmt_date(earliest - dt.timedelta(days=1))}.", lock.source)
    return None


def _recruitment(policy: Policy, values: dict, as_of: dt.date, finding) -> str | None:
    """'invitation_only', 'not_prioritised' or None, for the apparel recruitment thresholds."""
    scopes = policy.resolve(RC + "recruitment_scopes", as_of)
    scope = policy.scope_of(values["category"])
    if not scopes.in_force or scope not in scopes.value:
        first = (policy.history(RC + "recruitment_scopes") or [{}])[0].get("from")
        when = f" before {fmt_date(first)}" if first and not scopes.in_force else ""
        finding(RC + "recruitment_scopes", INFO, f"No turnover threshold applies to this category{when}.",
                scopes.source)
        return None
    seller_type = values["seller_type"]
    invitation = policy.resolve(RC + "invitation_only_seller_types", as_of)
    seller_label = policy.bundle["terms"]["seller_type"][seller_type]["label"]["en"]
    if invitation.in_force and seller_type in invitation.value:
        finding(RC + "invitation_only_seller_types", WARN,
                f"The seller type \u201c{seller_label}\u201d is recruited in this scope by targeted invitation only.", invitation.source)
        return "invitation_only"
    threshold = policy.resolve(RC + "preferred_turnover_cny", as_of, seller_type=seller_type)
    if not threshold.in_force:
        return None
    turnover = values["annual_turnover_cny"]
    if policy.compares(turnover, RC + "preferred_turnover_cny", threshold.value):
        finding(RC + "preferred_turnover_cny", PASS, f"A turnover of {fmt_money(turnover, 'CNY')} reaches the "
                                                     f"{fmt_money(threshold.value, 'CNY')} preferred for the seller type "
                                                     f"\u201c{seller_label}\u201d.", threshold.source)
        return None
    finding(RC + "preferred_turnover_cny", WARN, f"A turnover of {fmt_money(turnover, 'CNY')} is under the "
                                                 f"{fmt_money(threshold.value, 'CNY')} preferred for the seller type "
                                                 f"\u201c{seller_label}\u201d: the application is not refused, "
                                                 "but not prioritised.", threshold.source)
    return "not_prioritised"


def _names(policy: Policy, store_types: list[str]) -> str:
    labels = policy.bundle["terms"]["store_type"]
    return ", ".join(labels[t]["label"]["en"].lower() for t in store_types)
