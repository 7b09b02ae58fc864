"""The calculators' entry points, shared by the CLI (CPython) and the browser worker (Pyodide).

`run` never raises for bad input: it returns {"errors": [...]} instead, so neither the terminal
nor the page ever shows a traceback for something the user typed. Whatever the inputs hold (any
JSON value, of any size), the answer is a result or errors that each name a field and say what
is allowed; tests/test_input_fuzz.py draws such inputs, in CPython and in Pyodide.
"""

from __future__ import annotations

import datetime as dt
import json

from calculators.inputs import (EARLIEST, LATEST, InputErrors, LinkDay, Today, date_span, load_inputs, parse_date,
                                 read_fields)
from calculators.key_dates import key_dates
from calculators.messages import LANGS, Msg, Problem, UnknownLanguage, Words, language
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from calculators.upcoming import upcoming


def evaluate(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None, typed: bool = False,
             lang: str = "en", outlook: bool = True) -> dict:
    """The result of calculator `name` as a dict; raises InputErrors for bad input.

    as_of: a date or YYYY-MM-DD within inputs.DATE_SPAN; None means today.
    typed: the inputs are what a person typed in the form, so numbers may group thousands ("9,000").
    lang: "en" or "zh", the language of every sentence; keys, verdicts and amounts are the same in both.
    The messages of InputErrors are in `lang` too.
    outlook: add `upcoming` and `dates`; a chart's points (sweep.py) need only the answer, and each
    announced change is a second calculation.
    """
    try:
        say = Words(bundle, lang)
    except UnknownLanguage:
        raise InputErrors(Words(bundle).errors(_unknown_language())) from None
    try:
        calculator = CALCULATORS.get(name) if isinstance(name, str) else None
        if calculator is None:
            raise InputErrors([{"field": "calculator", "message": Msg("input.unknown_calculator",
                                                                      allowed=", ".join(CALCULATORS))}])
        as_of = checked_as_of(as_of, bundle)
        values = checked_values(calculator, inputs, bundle, as_of, typed)
    except InputErrors as bad:
        raise InputErrors(say.errors(bad.errors)) from None
    policy = Policy(bundle, lang)
    result = calculator.evaluate(policy, values, as_of).to_dict()
    if outlook:
        result["upcoming"] = upcoming(policy, calculator, values, as_of, result)
        result["dates"] = key_dates(policy, calculator, values, as_of, result)
    return result


def checked_values(calculator, inputs: object, bundle: dict, as_of: dt.date, typed: bool = False) -> dict:
    """The typed inputs of `calculator` (a registry entry, unit.Calculator), or InputErrors naming every mistake at once:
    each field's own (inputs.read_fields), and those between fields (calculator.check) once every
    field has a value to compare. A check may read the policies: which fields an answer needs can
    depend on the rules in force (eligibility's turnover)."""
    values, errors = read_fields(calculator.inputs, inputs, bundle, typed, as_of)
    if len(values) == len(calculator.inputs):
        errors += calculator.check(Policy(bundle), values, as_of)
    if errors:
        raise InputErrors(errors)
    return values


def run(bundle: dict, name: str, inputs: dict, as_of: dt.date | str | None = None, typed: bool = False,
        lang: str = "en") -> dict:
    """Like evaluate, but bad input gives {"errors": [{"field", "message"}, ...]}."""
    try:
        return evaluate(bundle, name, inputs, as_of, typed, lang)
    except InputErrors as bad:
        return {"errors": bad.errors}


def specs(bundle: dict, lang: str = "en") -> dict:
    """Every calculator's input spec, with choices from the policies: what `list` prints and forms draw.

    `lang` ("en" or "zh") is the language of the title, labels, help and choices; names and values
    stay the same. `as_of` gives the span the "Rules as of" date must lie in, like a date input's
    earliest/latest: from the day the handbook's rules begin (rules_begin).
    """
    say = Words(bundle, lang)
    as_of = {"type": "date", "earliest": rules_begin(bundle).isoformat(), "latest": LATEST.isoformat()}
    return {name: {"title": say(calculator.title), "verdicts": list(calculator.verdicts),
                   "inputs": [field.spec(bundle, say) for field in calculator.inputs], "as_of": as_of}
            for name, calculator in CALCULATORS.items()}


def run_json(bundle_json: str, name: str, inputs_json: str, options_json: str = "{}") -> str:
    """JSON text in, JSON text out: one calculation from text, as the browser worker asks for it
    (calculators/worker.py binds the bundle once and adds the view; the Pyodide tests call this).

    Only strings cross the JavaScript/Python boundary, so JS `null` (which Pyodide turns into
    `jsnull`, not None) can never reach a calculator. `options_json` holds:
      as_of  the "Rules as of" date; missing, null or "" means today;
      today  the reader's own date (their time zone), used for "today" instead of the machine's;
      made   the day the page's link was made: without an as_of, a link made before today answers
             as of that day (link_day);
      typed  true when the inputs are what a person typed: "9,000" and "9 000" are then 9000;
      lang   "en" or "zh", the language of the answer's words; missing or "" means "en", anything
             else is an error on "lang".
    Inputs are parsed as strictly as the CLI's (inputs.load_inputs); text that is not JSON is an
    error on "(input)", not an exception.
    """
    return json.dumps(run_request(bundle_from_json(bundle_json), name, inputs_json, options_json)[0])


def run_request(bundle: dict, name: str, inputs_json: str, options_json: str) -> tuple[dict, object, str]:
    """run_json's answer as (result or errors, the inputs as read, the language of the answer's words).

    The inputs are {} when their text could not be read (the errors say so)."""
    try:
        inputs, as_of, typed, lang = read_request(inputs_json, options_json)
    except InputErrors as bad:
        lang = request_language(options_json)
        return {"errors": Words(bundle, lang).errors(bad.errors)}, {}, lang
    return run(bundle, name, inputs, as_of, typed=typed, lang=lang), inputs, lang


def read_request(inputs_json: str, options_json: str) -> tuple[object, object, bool, str]:
    """The worker's JSON texts as (inputs, as_of, typed, lang); InputErrors if not JSON or the language
    is not one the calculators speak (messages untranslated: see InputErrors). as_of is the "Rules as of"
    text as given, else the day the page's link was made (link_day), else the reader's today (Today),
    else None (the machine's today)."""
    options = load_inputs(options_json or "{}", "(options)")
    if not isinstance(options, dict):
        options = {}
    try:
        lang = language(options.get("lang"))
    except UnknownLanguage:
        raise InputErrors(_unknown_language()) from None
    inputs = load_inputs(inputs_json, "(input)")
    as_of = options.get("as_of") or link_day(options) or _today(options.get("today"))
    return inputs, as_of, options.get("typed") is True, lang


def request_options(options_json: str) -> dict:
    """The options of a request as a dict, {} when their text is not a JSON object (run_request reports that)."""
    try:
        options = json.loads(options_json or "{}")
    except (ValueError, RecursionError):
        return {}
    return options if isinstance(options, dict) else {}


def link_day(options: dict) -> LinkDay | None:
    """The day the page's link was made (`made`), when the answer is to use it as its as-of date:
    the reader set no "Rules as of" date and the link was made before their today. None otherwise:
    a link made today (or, by another time zone's clock, later) answers as of today, and so does a
    `made` that is not a date (a link edited by hand).

    >>> link_day({"made": "2026-12-07", "today": "2027-01-20"})
    LinkDay(2026, 12, 7)
    >>> link_day({"made": "2026-12-07", "today": "2026-12-07"}), link_day({"made": "7 Dec", "today": "2027-01-20"})
    (None, None)
    >>> link_day({"made": "2026-12-07", "today": "2027-01-20", "as_of": "2027-01-01"}) is None
    True
    """
    if options.get("as_of"):
        return None
    made, today = _date_or_none(options.get("made")), _date_or_none(options.get("today")) or Today.today()
    return LinkDay(made.year, made.month, made.day) if made and made < today else None


def _date_or_none(text: object) -> dt.date | None:
    try:
        return parse_date(text) if text else None
    except Problem:
        return None


def _today(text: object) -> Today | object:
    """The reader's today from the page ("YYYY-MM-DD", their time zone) as Today; None when not given
    (the machine's today). Text that is not a date is passed on as it is, to be reported on "as_of"."""
    if not text:
        return None
    try:
        day = parse_date(text)
    except Problem:
        return text
    return Today(day.year, day.month, day.day)


def _unknown_language() -> list[dict]:
    """The input error for a language the calculators do not speak (its message still a Msg)."""
    return [{"field": "lang", "message": Msg("input.unknown_language", allowed=", ".join(LANGS))}]


def request_language(options_json: str) -> str:
    """The language of the options if it can be read, else English (for the errors of a bad request)."""
    try:
        options = json.loads(options_json or "{}")
        return language(options.get("lang")) if isinstance(options, dict) else "en"
    except (ValueError, UnknownLanguage, RecursionError):
        return "en"


def rules_begin(bundle: dict) -> dt.date:
    """The first day the handbook's rules cover: the day every calculator's BASIS rules have begun.

    From the policies, never a constant: the latest of those rules' first days (2016-01-01, the
    annual fee's, with today's policies). Before it a calculator would answer from rules that do not
    exist yet ("Eligible." with no fee and no store type), so an earlier as-of date is an input error.
    """
    policy = Policy(bundle)
    firsts = [policy.first_day(address) for calculator in CALCULATORS.values() for address in calculator.basis]
    return max((day for day in firsts if day is not None), default=EARLIEST)


def as_of_date(bundle: dict, as_of: object) -> dt.date:
    """The as-of date: today when None, else a date or YYYY-MM-DD from rules_begin to LATEST; else a Problem."""
    if as_of is None:
        return Today.today()
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if isinstance(as_of, dt.date):
        if not EARLIEST <= as_of <= LATEST:
            raise date_span()
        day = as_of
    else:
        try:
            day = parse_date(as_of)
        except Problem as problem:
            if problem.msg.key != "input.date_span":
                raise
            # A real date outside the calendar's span: after it, the span's problem; before it
            # (1999-01-01), before the rules too, said below.
            day = dt.date.fromisoformat(as_of)
            if day > LATEST:
                raise
    begin = rules_begin(bundle)
    if day < begin:
        raise Problem("input.before_rules", earliest=begin.isoformat(), latest=LATEST.isoformat())
    return day


def checked_as_of(as_of: object, bundle: dict) -> dt.date:
    """as_of_date, with its problem as an input error on "as_of" (what the page shows on "Rules as of"):
    for whatever answers a request (api.evaluate, the sweep)."""
    try:
        return as_of_date(bundle, as_of)
    except Problem as problem:
        raise InputErrors([{"field": "as_of", "message": problem.msg}]) from None


def check_bundle_json(bundle_json: str) -> str:
    """'' when the policy bundle text is usable, else what is wrong with it (the worker checks once, at start).

    The bundle parsed here is the one later calculations use (the cache below), not parsed twice."""
    try:
        bundle = bundle_from_json(bundle_json)
    except ValueError as problem:
        return f"the policy data is not valid JSON ({problem})"
    missing = [key for key in ("version", "rules", "categories", "terms", "sources", "messages") if not isinstance(bundle, dict)
               or key not in bundle]
    return f"the policy data lacks {', '.join(missing)}" if missing else ""


_CACHE: dict = {}


def bundle_from_json(bundle_json: str) -> dict:
    """The bundle from its JSON text, parsed once for as long as the text stays the same.

    Callers of the *_json functions pass the same bundle text each time. Compared by value, not by
    identity: Pyodide makes a new Python str from a JS string on every call."""
    if _CACHE.get("text") != bundle_json:
        _CACHE.update(text=bundle_json, bundle=json.loads(bundle_json))
    return _CACHE["bundle"]


__all__ = ["evaluate", "run", "specs", "run_json", "run_request", "read_request", "request_options", "link_day",
           "checked_values", "check_bundle_json", "bundle_from_json", "rules_begin", "as_of_date", "checked_as_of",
           "InputErrors", "LANGS"]
