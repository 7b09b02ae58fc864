"""Entry eligibility: may this seller open a store, of which types, and what does it cost?

Rules: policies/joining/{requirements,store-types,recruitment,process}.yaml and the fee in
policies/fees/annual-fee.yaml. Every rule is applied and reported, so a seller who is not
eligible sees every requirement they miss, not only the first.
"""

from __future__ import annotations

import calendar
import datetime as dt

from calculators.inputs import (BOOLEAN, CHOICE, DATE, INTEGER, MAX_BRANDS, MAX_MONEY, MAX_STORES, MONEY, Field,
                                 InputErrors)
from calculators.key_dates import key_date
from calculators.messages import Msg, Words, key
from calculators.policy import Policy, Rules
from calculators.result import (FAIL, INFO, PASS, WARN, Finding, Result, answers_without_value, fmt_date, fmt_money,
                                iso, money, recorder, temporary_measures)
from calculators.unit import Calculator, Scenario

NAME = "eligibility"
# Best first: a result can only move down this list when a requirement is taken away. Labels are message keys.
VERDICTS = {
    "eligible": {"label": key("eligibility.verdict_eligible"), "tone": "ok"},
    "not_prioritised": {"label": key("eligibility.verdict_not_prioritised"), "tone": "warn"},
    "invitation_only": {"label": key("eligibility.verdict_invitation_only"), "tone": "warn"},
    "not_eligible": {"label": key("eligibility.verdict_not_eligible"), "tone": "bad"},
}
# How each amount reads on the page: its label (a message key), and the unit that formats it (present.py).
# The entry steps are the next steps too, so the page shows them once, there.
AMOUNTS = {
    "store_types": (key("eligibility.amount_store_types"), "store_types"),
    "fee_cny": (key("field.annual_fee"), "CNY"),
    "rejoin_earliest": (key("eligibility.amount_rejoin_earliest"), "date"),
    "documents": (key("eligibility.amount_documents"), "list"),
}

# Labels and help are message keys (catalogue/messages.yaml).
INPUTS = [
    Field("entity_type", CHOICE, key("eligibility.entity_type"), key("eligibility.entity_type_help"),
          choices_from="entity_type"),
    Field("alipay_enterprise_verified", BOOLEAN, key("eligibility.alipay_enterprise_verified"),
          key("eligibility.alipay_enterprise_verified_help")),
    Field("brand_relationship", CHOICE, key("eligibility.brand_relationship"),
          key("eligibility.brand_relationship_help"), choices_from="brand_relationship"),
    Field("trademark_filed_on", DATE, key("eligibility.trademark_filed_on"), key("eligibility.trademark_filed_on_help"),
          required=False, needed_when=key("form.needed_if_pending"), by_as_of=key("eligibility.error_after_as_of")),
    Field("brands_count", INTEGER, key("eligibility.brands_count"), key("eligibility.brands_count_help"),
          unit="brands", minimum=0, maximum=MAX_BRANDS, required=False, default=1),
    Field("category", CHOICE, key("field.category"), key("eligibility.category_help"), choices_from="category"),
    Field("seller_type", CHOICE, key("eligibility.seller_type"), key("eligibility.seller_type_help"),
          choices_from="seller_type"),
    # Needed only where a turnover threshold applies (turnover_threshold): the form does not ask for
    # it as a must, and check() asks for it when the category's scope compares it.
    Field("annual_turnover_cny", MONEY, key("eligibility.annual_turnover_cny"),
          key("eligibility.annual_turnover_cny_help"), unit="CNY", minimum=0, maximum=MAX_MONEY, required=False,
          needed_when=key("form.needed_if_threshold")),
    Field("stores_total", INTEGER, key("eligibility.stores_total"), key("eligibility.stores_total_help"),
          unit="stores", minimum=0, maximum=MAX_STORES, required=False, default=0),
    Field("stores_in_category", INTEGER, key("eligibility.stores_in_category"), unit="stores", minimum=0,
          maximum=MAX_STORES, required=False, default=0),
    Field("returned_on", DATE, key("eligibility.returned_on"), key("eligibility.returned_on_help"), required=False,
          by_as_of=key("eligibility.error_after_as_of")),
]

# The rules read, each with the kind and unit it must have (the loader checks the policies hold them).
Q = Rules("requirements",
          entity_type_accepted=("boolean", None),
          alipay_enterprise_verification=("boolean", None),
          brand_required=("boolean", None),
          max_stores_per_company=("count", "stores"),
          max_stores_per_category=("count", "stores"),
          rejoin_lock_days=("count", "days"))
T = Rules("store-types",
          store_types_by_brand_relationship=("list", None),
          multi_brand_store_types=("list", None),
          trademark_application_max_age_months=("count", "months"))
RC = Rules("recruitment",
           recruitment_scopes=("list", None),
           preferred_turnover_cny=("amount", "CNY"),
           invitation_only_seller_types=("list", None))
P = Rules("process", entry_steps=("text_list", None), entry_documents=("text_list", None))
FEE = Rules("annual-fee", annual_fee_cny=("amount", "CNY"))
# The rules every answer rests on: without the entity types and the annual fee (a requirement of
# every seller), "eligible" would name nothing to pay; the handbook's rules begin when these hold
# (api.rules_begin), and an earlier as-of date is an input error, not an answer.
BASIS = (Q.entity_type_accepted, FEE.annual_fee_cny)
# The rules whose own `comparison` decides the result here (the loader checks each states one).
COMPARED = {Q.max_stores_per_company, Q.max_stores_per_category, T.trademark_application_max_age_months,
            RC.preferred_turnover_cny}


def check(policy: Policy, values: dict, as_of: dt.date) -> list[dict]:
    """Input errors that involve more than one field, the as-of date, or the policies.

    The brand count must agree with the relationship: a brand relationship sells at least one
    brand; "No brand" allows 0, or 1 (the field's default, so an untouched form still works).
    The turnover is needed only when a threshold is compared with it (turnover_threshold).
    """
    errors = []
    relationship, brands = values["brand_relationship"], values["brands_count"]
    if relationship == "none" and brands > 1:
        errors.append({"field": "brands_count", "message": Msg("eligibility.error_brands_without_brand", count=brands)})
    if relationship != "none" and brands == 0:
        errors.append({"field": "brands_count", "message": Msg("eligibility.error_no_brands_with_brand")})
    if values["brand_relationship"] == "pending_owner" and values["trademark_filed_on"] is None:
        errors.append({"field": "trademark_filed_on", "message": Msg("eligibility.error_filed_required")})
    if values["stores_in_category"] > values["stores_total"]:
        errors.append({"field": "stores_in_category",
                       "message": Msg("eligibility.error_category_over_total", count=values["stores_total"])})
    if values["annual_turnover_cny"] is None and turnover_threshold(policy, values, as_of) is not None:
        errors.append({"field": "annual_turnover_cny", "message": Msg("eligibility.error_turnover_required")})
    return errors


def turnover_threshold(policy: Policy, values: dict, as_of: dt.date):
    """The preferred turnover this seller's application is compared with as of `as_of` (a Resolved),
    or None where none is: a category outside the recruitment scopes, a day before they began, a
    seller type recruited by invitation only, or one with no threshold in force."""
    scopes = policy.resolve(RC.recruitment_scopes, as_of)
    if not scopes.in_force or policy.scope_of(values["category"]) not in scopes.value:
        return None
    invitation = policy.resolve(RC.invitation_only_seller_types, as_of)
    if invitation.in_force and values["seller_type"] in invitation.value:
        return None
    threshold = policy.resolve(RC.preferred_turnover_cny, as_of, seller_type=values["seller_type"])
    return threshold if threshold.in_force else None


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


# With a rule it needs unanswered that day, no store can be said to be open to the seller.
@answers_without_value(NAME, "not_eligible", AMOUNTS)
def evaluate(policy: Policy, values: dict, as_of: dt.date) -> Result:
    say, lang = policy.say, policy.lang
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
        headline = say("eligibility.headline_not_eligible_many" if count > 1 else "eligibility.headline_not_eligible_one",
                       date=fmt_date(as_of, lang), count=count)
        next_steps = list(dict.fromkeys(_remedy(policy, values, as_of, f.rule) for f in failed))
        return Result(NAME, as_of.isoformat(), policy.version, "not_eligible", headline,
                      {**amounts, "store_types": []}, findings, next_steps)

    fee = policy.resolve(FEE.annual_fee_cny, as_of, category=values["category"])
    amounts["fee_cny"] = money(fee.value)
    if fee.in_force:
        finding(FEE.annual_fee_cny, INFO, say("eligibility.fee", category=policy.category_label(values["category"]),
                               fee=fmt_money(fee.value, "CNY", lang)), fee.provenance)
    documents = policy.resolve(P.entry_documents, as_of)
    # The steps of the seller's own kind of business (an individual business registers as itself).
    steps = policy.resolve(P.entry_steps, as_of, entity_type=values["entity_type"])
    amounts["documents"] = [d[lang] for d in documents.value or []]
    amounts["entry_steps"] = [s[lang] for s in steps.value or []]

    if recruitment == "invitation_only":
        verdict, headline = "invitation_only", say("eligibility.headline_invitation_only")
        next_steps = [say("eligibility.step_wait_for_invitation")]
    elif recruitment == "turnover_unknown":
        verdict, headline = "eligible", say("eligibility.headline_turnover_unknown")
        next_steps = amounts["entry_steps"]
    elif recruitment == "not_prioritised":
        verdict = "not_prioritised"
        headline = say("eligibility.headline_not_prioritised")
        next_steps = amounts["entry_steps"]
    else:
        verdict = "eligible"
        fee_text = fmt_money(fee.value, "CNY", lang)
        names = _names(policy, amounts["store_types"])
        if names:
            headline = (say("eligibility.headline_eligible_types_fee", types=names, fee=fee_text) if fee.in_force
                        else say("eligibility.headline_eligible_types", types=names))
        else:
            headline = (say("eligibility.headline_eligible_fee", fee=fee_text) if fee.in_force
                        else say("eligibility.headline_eligible"))
        next_steps = amounts["entry_steps"]
    return Result(NAME, as_of.isoformat(), policy.version, verdict, headline, amounts, findings, next_steps)


def key_dates(policy: Policy, values: dict, result: dict) -> list[dict]:
    """The earliest day to rejoin while locked out, and a pending trademark's last day of acceptance
    while it is still accepted (key_dates.py)."""
    say, dates = policy.say, []
    if result["amounts"].get("rejoin_earliest"):
        dates.append(key_date(result["amounts"]["rejoin_earliest"], "rejoin_earliest", say("dates.rejoin_earliest")))
    accepted = any(f["rule"] == T.trademark_application_max_age_months and f["outcome"] == PASS
                   for f in result["findings"])
    if accepted:
        limit = policy.value(T.trademark_application_max_age_months, dt.date.fromisoformat(result["as_of"]))
        dates.append(key_date(add_months(values["trademark_filed_on"], limit), "trademark_last_day",
                              say("dates.trademark_last_day")))
    return dates


def announced_inputs(policy: Policy, values: dict, as_of: dt.date, on: dt.date) -> tuple[dict, dt.date]:
    """The same seller applying on the day a change announced for `on` takes effect (upcoming.py)."""
    return values, on


def _remedy(policy: Policy, values: dict, as_of: dt.date, address: str) -> str:
    """What a seller who fails rule `address` can do about it, in one actionable sentence."""
    say, lang = policy.say, policy.lang
    if address == Q.entity_type_accepted:
        entity = values["entity_type"]
        rule = policy.resolve(address, as_of, entity_type=entity)
        accepted = [_short(policy, "entity_type", e) for e in policy.bundle["terms"]["entity_type"]
                    if policy.value(address, as_of, entity_type=e)]
        since = say("eligibility.since", date=fmt_date(rule.effective_from, lang)) if rule.effective_from else ""
        name = _short(policy, "entity_type", entity)
        if lang == "en":  # English grammar: "Individuals cannot ...; register as an enterprise first."
            name, accepted_text = _plural(name), _a(say.join(accepted, "or").lower())
        else:
            accepted_text = say.join(accepted, "or")
        if accepted:
            return say("eligibility.remedy_entity_register", entity=name, since=since, accepted=accepted_text)
        return say("eligibility.remedy_entity", entity=name, since=since)
    if address == Q.alipay_enterprise_verification:
        return say("eligibility.remedy_alipay")
    if address == Q.brand_required:
        return say("eligibility.remedy_brand")
    if address == T.store_types_by_brand_relationship:
        return say("eligibility.remedy_store_types")
    if address == T.trademark_application_max_age_months:
        return say("eligibility.remedy_trademark_age", months=policy.applied(address, as_of).value)
    if address == T.multi_brand_store_types:
        return say("eligibility.remedy_multi_brand")
    if address == Q.max_stores_per_company:
        return say("eligibility.remedy_max_stores", limit=policy.applied(address, as_of).value)
    if address == Q.max_stores_per_category:
        return say("eligibility.remedy_max_stores_category", limit=policy.applied(address, as_of).value)
    if address == Q.rejoin_lock_days:
        lock = policy.applied(address, values["returned_on"]).value
        return say("eligibility.remedy_rejoin", date=fmt_date(values["returned_on"] + dt.timedelta(days=lock), lang))
    return say("eligibility.remedy_other", title=policy.title(address))


def _short(policy: Policy, vocabulary: str, term: str) -> str:
    """A term's label without its explanation: 'Individual business (registered sole proprietor)' -> 'Individual business'."""
    return policy.label(vocabulary, term).split(" (")[0].split("（")[0]


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# ---------------------------------------------------------------------------------------------
# One helper per requirement; each records its finding, pass or fail.
# ---------------------------------------------------------------------------------------------


def _entity(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    say = policy.say
    entity = values["entity_type"]
    label = policy.label("entity_type", entity)
    accepted = policy.applied(Q.entity_type_accepted, as_of, entity_type=entity)
    if accepted.value:
        finding(Q.entity_type_accepted, PASS, say("eligibility.entity_may", entity=label), accepted.provenance)
    else:
        since = (say("eligibility.since", date=fmt_date(accepted.effective_from, policy.lang))
                 if accepted.effective_from else "")
        finding(Q.entity_type_accepted, FAIL, say("eligibility.entity_may_not", entity=label, since=since),
                accepted.provenance)


def _alipay(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    rule = policy.resolve(Q.alipay_enterprise_verification, as_of)
    if not rule.in_force:
        return
    if not rule.value or values["alipay_enterprise_verified"]:
        finding(Q.alipay_enterprise_verification, PASS, policy.say("eligibility.alipay_ok"), rule.provenance)
    else:
        finding(Q.alipay_enterprise_verification, FAIL, policy.say("eligibility.alipay_needed"), rule.provenance)


def _store_types(policy: Policy, values: dict, as_of: dt.date, finding) -> list[str]:
    say, lang = policy.say, policy.lang
    relationship, brands = values["brand_relationship"], values["brands_count"]
    required = policy.resolve(Q.brand_required, as_of)
    by_relationship = policy.resolve(T.store_types_by_brand_relationship, as_of, brand_relationship=relationship)
    if not required.in_force or not by_relationship.in_force:
        # Before store types existed (2016-08-15 today) nothing here applied: said, so that "no
        # store type" reads as history, not as a door closed to this seller.
        began = policy.first_day(T.store_types_by_brand_relationship)
        if began is not None and as_of < began:
            finding(T.store_types_by_brand_relationship, INFO,
                    say("eligibility.store_types_not_yet", date=fmt_date(began, lang),
                        types=say.join([policy.label("store_type", t) for t in policy.terms("store_type")])))
        return []
    if relationship == "none" or brands == 0:
        if required.value:
            finding(Q.brand_required, FAIL, say("eligibility.brand_needed"), required.provenance)
            return []
    else:
        finding(Q.brand_required, PASS, say("eligibility.brand_ok"), required.provenance)

    types = list(by_relationship.value or [])
    label = policy.label("brand_relationship", relationship)
    finding(T.store_types_by_brand_relationship, PASS if types else FAIL,
            say("eligibility.relationship_types", relationship=label,
                types=_names(policy, types) or say("eligibility.no_store_type")), by_relationship.provenance)

    if relationship == "pending_owner" and types:
        limit = policy.applied(T.trademark_application_max_age_months, as_of)
        filed = values["trademark_filed_on"]
        last_day = add_months(filed, limit.value)
        if policy.compares(as_of, T.trademark_application_max_age_months, last_day):
            finding(T.trademark_application_max_age_months, PASS,
                    say("eligibility.tm_accepted", filed=fmt_date(filed, lang), until=fmt_date(last_day, lang)),
                    limit.provenance)
        else:
            finding(T.trademark_application_max_age_months, FAIL,
                    say("eligibility.tm_too_old", filed=fmt_date(filed, lang), months=limit.value,
                        until=fmt_date(last_day, lang)), limit.provenance)
            types = []

    if brands > 1 and types:
        multi = policy.applied(T.multi_brand_store_types, as_of)
        allowed = [t for t in types if t in multi.value]
        finding(T.multi_brand_store_types, PASS if allowed else FAIL,
                say("eligibility.multi_brand", brands=brands, types=_names(policy, multi.value)), multi.provenance)
        types = allowed
    return types


def _store_counts(policy: Policy, values: dict, as_of: dt.date, finding) -> None:
    say = policy.say
    for address, held, in_all in ((Q.max_stores_per_company, values["stores_total"], True),
                                  (Q.max_stores_per_category, values["stores_in_category"], False)):
        limit = policy.resolve(address, as_of)
        if not limit.in_force:
            continue
        if policy.compares(held + 1, address, limit.value):
            finding(address, PASS, say("eligibility.stores_within" if in_all else "eligibility.stores_within_category",
                                       count=held + 1, limit=limit.value), limit.provenance)
        else:
            finding(address, FAIL, say("eligibility.stores_over" if in_all else "eligibility.stores_over_category",
                                       count=held, limit=limit.value), limit.provenance)


def _rejoin(policy: Policy, values: dict, as_of: dt.date, finding) -> str | None:
    say, lang = policy.say, policy.lang
    returned = values["returned_on"]
    if returned is None:
        return None
    lock = policy.resolve(Q.rejoin_lock_days, returned)
    if not lock.in_force:
        return None
    earliest = returned + dt.timedelta(days=lock.value)
    if as_of < earliest:
        finding(Q.rejoin_lock_days, FAIL, say("eligibility.rejoin_locked", returned=fmt_date(returned, lang),
                                              days=lock.value, date=fmt_date(earliest, lang)), lock.provenance)
        return iso(earliest)
    finding(Q.rejoin_lock_days, PASS, say("eligibility.rejoin_ended", days=lock.value,
                                          returned=fmt_date(returned, lang),
                                          date=fmt_date(earliest - dt.timedelta(days=1), lang)), lock.provenance)
    return None


def _recruitment(policy: Policy, values: dict, as_of: dt.date, finding) -> str | None:
    """'invitation_only', 'not_prioritised', 'turnover_unknown' (a threshold, no turnover given) or None,
    for the apparel recruitment thresholds."""
    say, lang = policy.say, policy.lang
    scopes = policy.resolve(RC.recruitment_scopes, as_of)
    scope = policy.scope_of(values["category"])
    if not scopes.in_force or scope not in scopes.value:
        first = (policy.history(RC.recruitment_scopes) or [{}])[0].get("from")
        if first and not scopes.in_force:
            text = say("eligibility.no_turnover_threshold_before", date=fmt_date(first, lang))
        else:
            text = say("eligibility.no_turnover_threshold")
        finding(RC.recruitment_scopes, INFO, text, scopes.provenance)
        return None
    seller_type = values["seller_type"]
    invitation = policy.resolve(RC.invitation_only_seller_types, as_of)
    seller_label = say.quote(policy.label("seller_type", seller_type))
    if invitation.in_force and seller_type in invitation.value:
        finding(RC.invitation_only_seller_types, WARN, say("eligibility.invitation_only", seller=seller_label),
                invitation.provenance)
        return "invitation_only"
    threshold = policy.resolve(RC.preferred_turnover_cny, as_of, seller_type=seller_type)
    if not threshold.in_force:
        return None
    turnover = values["annual_turnover_cny"]
    cny = lambda amount: fmt_money(amount, "CNY", lang)  # noqa: E731
    if turnover is None:
        # Not asked for on the day answered (check): a threshold announced for a later day (upcoming.py)
        # meets a seller who left it empty. Whether they are preferred then is not known, and said so.
        finding(RC.preferred_turnover_cny, WARN, say("eligibility.turnover_not_given", preferred=cny(threshold.value),
                                                         seller=seller_label), threshold.provenance)
        return "turnover_unknown"
    if policy.compares(turnover, RC.preferred_turnover_cny, threshold.value):
        finding(RC.preferred_turnover_cny, PASS, say("eligibility.turnover_ok", turnover=cny(turnover),
                                                         preferred=cny(threshold.value), seller=seller_label),
                threshold.provenance)
        return None
    finding(RC.preferred_turnover_cny, WARN, say("eligibility.turnover_low", turnover=cny(turnover),
                                                 preferred=cny(threshold.value), seller=seller_label),
            threshold.provenance)
    return "not_prioritised"


def _names(policy: Policy, store_types: list[str]) -> str:
    """'official store, specialty store' or '官方店、专卖店'."""
    names = [policy.label("store_type", t) for t in store_types]
    return policy.say.list([n.lower() for n in names] if policy.lang == "en" else names)


# ---------------------------------------------------------------------------------------------
# The chart: a checklist, and the one change that would do
# ---------------------------------------------------------------------------------------------

OUTCOME_WORDS = {PASS: key("view.outcome_pass"), FAIL: key("view.outcome_fail"), WARN: key("view.outcome_warn")}
# Which inputs feed which requirement: where a single change is looked for when it fails.
RULE_INPUTS = {
    Q.entity_type_accepted: ("entity_type",),
    Q.alipay_enterprise_verification: ("alipay_enterprise_verified",),
    Q.brand_required: ("brand_relationship", "brands_count"),
    T.store_types_by_brand_relationship: ("brand_relationship",),
    T.trademark_application_max_age_months: ("brand_relationship",),
    T.multi_brand_store_types: ("brands_count", "brand_relationship"),
    Q.max_stores_per_company: ("stores_total",),
    Q.max_stores_per_category: ("stores_in_category",),
    RC.invitation_only_seller_types: ("seller_type",),
    RC.preferred_turnover_cny: ("annual_turnover_cny",),
}
MAX_TRIES = 60  # runs at most per sweep: each is a fraction of a millisecond, and the page waits


def sweep(scenario: Scenario) -> dict:
    """A checklist of the requirements, and the one change that makes the seller eligible (chart kind "checklist")."""
    result, say = scenario.result, scenario.say
    checklist = [{"rule": f["rule"], "title": f["title"], "outcome": f["outcome"],
                  "outcome_label": say(OUTCOME_WORDS[f["outcome"]]), "detail": f["detail"]}
                 for f in result["findings"] if f["outcome"] in OUTCOME_WORDS]
    change = None
    if result["verdict"] != "eligible":
        change = _one_change(scenario)
    # "One change that would do:" only before a change: with none, the sentence says so alone.
    words = {"title": key("chart.requirements"), **({"change": key("chart.one_change")} if change else {})}
    return {"words": words, "checklist": checklist, "change": change,
            "change_text": change["text"] if change else (say("chart.no_single_change")
                                                          if result["verdict"] != "eligible" else None)}


def _one_change(scenario: Scenario) -> dict | None:
    """The first single input change (in the order the requirements were checked) that gives "eligible"."""
    bundle, inputs, values, as_of, result = (scenario.bundle, scenario.inputs, scenario.values, scenario.as_of,
                                             scenario.result)
    say, ask = scenario.say, scenario.ask
    lang = say.lang
    fields = {field.name: field for field in INPUTS}
    policy = Policy(bundle)
    tries = 0
    blocked = [f["rule"] for f in result["findings"] if f["outcome"] in (FAIL, WARN)]
    category_ok = Q.max_stores_per_category not in blocked
    for rule in blocked:
        if rule == Q.rejoin_lock_days and result["amounts"]["rejoin_earliest"]:
            # Time is the only remedy: the same inputs on the first day the lock has ended.
            day = result["amounts"]["rejoin_earliest"]
            if ask(inputs, day)["verdict"] == "eligible":
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
                    return ask(changed, as_of)["verdict"] == "eligible"
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
        preferred = policy.resolve(RC.preferred_turnover_cny, as_of, seller_type=values["seller_type"])
        if preferred.in_force:
            yield preferred.value, say("chart.at_least", amount=fmt_money(preferred.value, "CNY", say.lang))


# This calculator as the rest of the code reads it (unit.Calculator); calculators/registry.py lists it.
def onward(category: str, result: dict, say) -> list[dict]:
    """A seller who may apply goes on to the annual fee refund, with their category."""
    if result["verdict"] == "not_eligible":
        return []
    return [{"calculator": "refund", "text": say("shared.onward_refund"), "inputs": {"category": category}}]


CALCULATOR = Calculator(
    name=NAME, title=key("eligibility.title"), verdicts=VERDICTS, amounts=AMOUNTS, inputs=tuple(INPUTS),
    rules=(Q, T, RC, P, FEE), basis=BASIS, compared=frozenset(COMPARED), check=check, evaluate=evaluate,
    key_dates=key_dates, sweep=sweep, chart_kind="checklist", announced_inputs=announced_inputs, onward=onward)
