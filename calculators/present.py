"""What the page shows for a result: every word and every formatted figure, decided here in Python.

A result (result.py) is plain data for scripts; a *view* is that result made readable for a
person: amount labels and formatted values, the verdict's name and tone, the outcome words, each
source's kind and title, and the inputs as the reader gave them (for print). The browser only
draws a view (docs/assets/calculators/result.mjs), so it never guesses a label from a key name.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from calculators.api import as_of_date, link_day, read_request
from calculators.formatters import fmt_count, fmt_date, fmt_input, fmt_money, fmt_number, fmt_percent
from calculators.inputs import InputErrors, Today
from calculators.key_dates import dates_view
from calculators.messages import Problem, Words, key
from calculators.onward import onward_view
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from calculators.result import FAIL
from calculators.upcoming import upcoming_view

OUTCOMES = {"pass": key("view.outcome_pass"), "fail": key("view.outcome_fail"), "warn": key("view.outcome_warn"),
            "info": key("view.outcome_info")}
HEADINGS = {"why": key("view.heading_why"), "next_steps": key("view.heading_next_steps"),
            "inputs": key("view.heading_inputs")}


def view(bundle: dict, name: str, inputs: dict, result: dict, lang: str = "en", options: dict | None = None) -> dict:
    """The view of `result` (or of its input errors) for calculator `name`, in `lang`; `options` are the
    request's (api.run_json), which say when the answer was computed and whether a link's day set its as-of.

    With them, `labels` holds the field labels the inputs word as of the request's day (the sales field
    names its window's dates), with errors too: a seller still filling in the form reads them first."""
    calculator = CALCULATORS[name]
    say = Words(bundle, lang)
    inputs = inputs if isinstance(inputs, dict) else {}
    labels = field_labels(bundle, calculator, inputs, request_day(bundle, options), lang)
    if "errors" in result:
        # A dated link's notice stays with the errors: its button is how to leave the link's day.
        return {**_errors_view(calculator, result["errors"], inputs, say, labels), "labels": labels,
                "dated_link": _dated_link(options or {}, say)}
    tone = calculator.verdicts[result["verdict"]]["tone"]
    if tone == "ok" and any(f["outcome"] == FAIL for f in result["findings"]):
        tone = "warn"  # e.g. "safe" at the assessment, yet over the listing cap
    amounts = []
    for name_, value in result["amounts"].items():
        label, unit = calculator.amounts.get(name_, (None, None))
        text = _amount_text(bundle, value, unit, say)
        if label and text is not None:
            amounts.append({"name": name_, "label": say(label), "text": text})
    return {
        "tone": tone,
        "verdict_label": say(calculator.verdicts[result["verdict"]]["label"]),
        "amounts": amounts,
        "findings": [_finding_view(bundle, finding, say) for finding in result["findings"]],
        "inputs": _inputs_view(bundle, calculator, inputs, result["as_of"], say, labels),
        "labels": labels,
        "headings": {part: say(message) for part, message in HEADINGS.items()},
        "meta": say("view.meta", date=fmt_date(result["as_of"], lang), version=result["policy_version"]),
        "printed": _printed(result, options or {}, say),
        "dated_link": _dated_link(options or {}, say),
        # On every result, so on its print and on a shared link's page too: the answer is an estimate.
        "estimate": say("view.estimate"),
        # Announced changes and key dates (issue 25 §3, §4): their words and the calendar file, from Python.
        "upcoming": upcoming_view(bundle, calculator, inputs, result, lang),
        "dates": dates_view(bundle, calculator, result, lang),
        # The next calculator with this answer's figures (a store returned: when it may rejoin).
        "onward": onward_view(name, inputs, result, say),
    }


def request_day(bundle: dict, options: dict | None) -> dt.date | None:
    """The day the worker's request is answered as of (its "Rules as of", else a link's day as an
    inputs.LinkDay, else the reader's today as an inputs.Today), as api.run reads it; None when the
    options do not give a usable one."""
    if options is None:
        return None
    try:
        _, as_of, _, _ = read_request("{}", json.dumps(options))
        return as_of_date(bundle, as_of)
    except (InputErrors, Problem):
        return None


def field_labels(bundle: dict, calculator, inputs: dict, as_of: dt.date | None, lang: str) -> dict[str, str]:
    """{input name: label} for the fields whose label a calculator words from the inputs as typed so
    far (its `field_labels`); {} without an as-of day or such fields."""
    words = calculator.field_labels
    if words is None or as_of is None:
        return {}
    return words(Policy(bundle, lang), inputs, as_of)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _errors_view(calculator, errors: list[dict], inputs: dict, say: Words, worded: dict) -> dict:
    labels = {field.name: worded.get(field.name) or say(field.label) for field in calculator.inputs}
    labels["as_of"] = say("field.rules_as_of")
    # A field left empty whose error is its own can only be at fault for being empty: "Required",
    # or needed because of another answer ("Required for a pending trademark application").
    names = {field.name for field in calculator.inputs}
    missing_fields = list(dict.fromkeys(e["field"] for e in errors
                                        if e.get("field") in names and inputs.get(e["field"]) in (None, "")))
    missing = [labels.get(field, field) for field in missing_fields]
    if missing:
        wrong = len({e.get("field") for e in errors} - set(missing_fields))
        summary = say("view.fill_in" if not wrong else "view.fill_in_and_correct_one" if wrong == 1
                      else "view.fill_in_and_correct", fields=say.join(missing))
    else:
        summary = say("view.correct_many" if len(errors) > 1 else "view.correct_one")
    # `required`: the fields whose only fault is being empty (the page marks them once the reader has been there).
    # `said`: what a screen reader hears for each error, in the errors' order, worded here and not in the page.
    said = [say("form.field_error", label=labels.get(e.get("field"), e.get("field") or ""), message=say.text(e["message"]))
            for e in errors]
    return {"summary": summary, "missing": missing, "required": missing_fields, "said": said}


def _finding_view(bundle: dict, finding: dict, say: Words) -> dict:
    """The finding's outcome word and its provenance badge: the badge's words and kind, and its
    hover title (what the source is, or why the value is illustrative)."""
    shown = {"outcome_label": say(OUTCOMES[finding["outcome"]]), "source_kind": None, "source_title": None,
             "provenance_label": None}
    provenance = finding.get("provenance")
    if provenance:
        shown.update(zip(("source_kind", "provenance_label", "source_title"), badge(bundle, provenance, say)))
    return shown


def badge(bundle: dict, provenance: dict, say: Words) -> tuple[str, str, str]:
    """(kind, badge text, hover title) for a value's provenance ({kind, source, extended_from}).

    A sourced value's badge names its source as a seller would ("Source: egainnews article (Dec
    2021)"), and its title says what that is. An illustrative value says so on the badge; borrowed
    from a source that speaks for other categories, it names that source too. Never a file name:
    that is for editors, on the sources page.
    """
    sources, lang = bundle["sources"], say.lang
    kind = provenance["kind"]
    origin = sources.get(provenance.get("extended_from") or "")
    if origin is not None:
        return kind, say("view.provenance_extended", label=origin["label"][lang]), \
            say("view.provenance_extended_title", label=origin["label"][lang], title=origin["title"][lang])
    if kind == "illustrative":
        return kind, say("view.provenance_illustrative"), say("view.provenance_no_source")
    source = sources[provenance["source"]]
    return kind, say("view.provenance_source", label=source["label"][lang]), source["title"][lang]


def _printed(result: dict, options: dict, say: Words) -> str:
    """The line a printout carries: the day it was computed (the reader's today) and the day of its rules."""
    computed = options.get("today") or Today.today().isoformat()
    try:
        computed = fmt_date(computed, say.lang)
    except ValueError:  # the reader's today as the page sent it, not a date: the machine's
        computed = fmt_date(Today.today(), say.lang)
    return say("view.printed", computed=computed, date=fmt_date(result["as_of"], say.lang))


def _dated_link(options: dict, say: Words) -> dict | None:
    """For a link opened after the day it was made, which the answer uses (api.link_day): the notice
    saying so and the words of the button that shows today's answer instead; None otherwise."""
    made = link_day(options)
    if made is None:
        return None
    return {"notice": say("view.dated_link", date=fmt_date(made, say.lang)), "today": say("view.dated_link_today")}


def _inputs_view(bundle: dict, calculator, inputs: dict, as_of: str, say: Words, labels: dict) -> list[dict]:
    """The inputs as the reader gave them, labelled as the form labels them; empty optional fields show their default."""
    shown = []
    for field in calculator.inputs:
        raw = inputs.get(field.name)
        if raw in (None, ""):
            if field.required:
                continue
            text = say("view.not_given") if field.default is None else fmt_input(field, field.default, say)
        else:
            text = fmt_input(field, raw, say)
        shown.append({"name": field.name, "label": labels.get(field.name) or say(field.label), "text": text})
    shown.append({"name": "as_of", "label": say("field.rules_as_of"), "text": fmt_date(as_of, say.lang)})
    return shown


def _amount_text(bundle: dict, value: Any, unit: str | None, say: Words) -> str | None:
    """An amount as a reader sees it; None for one that does not apply."""
    if value is None or unit is None:
        return None
    if unit in ("USD", "CNY"):
        return fmt_money(value, unit, say.lang)
    if unit == "percent":
        return fmt_percent(value)
    if unit == "date":
        return fmt_date(value, say.lang)
    if unit == "days":
        return fmt_count(value, "days", say)
    if unit == "store_types":
        names = [bundle["terms"]["store_type"][t]["label"][say.lang] for t in value]
        return say.list(names) if names else say("view.none")
    if unit == "list":
        return say.clauses(value) if value else None
    if isinstance(value, (int, float)):
        return fmt_number(value)
    return str(value)
