"""The dates a seller should remember from a result: its `dates` key, and what the calendar file holds.

`[{"on": "YYYY-MM-DD", "kind": "<kind>", "title": "…"}]`, by date then kind (the kinds and their
shape are in /work/notes/contract-dates.md). Each calculator lists its own from its result
(`key_dates` in its module: the next assessment, the sales window, the earliest rejoin date, a
pending trademark's last day, the refund's year end); the last day of a temporary measure that
applies is added here for all of them.
"""

from __future__ import annotations

import datetime as dt

from calculators.ics import calendar_text, file_name
from calculators.messages import Words
from calculators.policy import Policy
from calculators.result import fmt_date


def key_dates(policy: Policy, calculator, values: dict, as_of: dt.date, result: dict) -> list[dict]:
    """Every key date of `result`, each once."""
    dates = list(calculator.key_dates(policy, values, result)) + _temporary_ends(policy, calculator, as_of, result)
    unique = {(d["on"], d["kind"]): d for d in dates}
    return [unique[k] for k in sorted(unique)]


def key_date(on: dt.date | str, kind: str, title: str) -> dict:
    """One key date, its day as YYYY-MM-DD."""
    return {"on": on if isinstance(on, str) else on.isoformat(), "kind": kind, "title": title}


def _temporary_ends(policy: Policy, calculator, as_of: dt.date, result: dict) -> list[dict]:
    """The last day of each temporary measure the result applied (a finding) that has one."""
    applied = {finding["rule"] for finding in result["findings"]}
    return [key_date(resolved.effective_until, "temporary_measure_end",
                     policy.say("dates.temporary_measure_end", title=policy.title(address)))
            for address, resolved in policy.in_force_for(calculator.name, as_of)
            if address in applied and resolved.effective_until]


def dates_view(bundle: dict, calculator, result: dict, lang: str) -> dict | None:
    """What the page draws for the key dates (present.view): each date in words, and the calendar file
    the page offers as a download (made here, so the browser only wraps the text in a Blob). None
    when the result has no key date."""
    if not result["dates"]:
        return None
    say = Words(bundle, lang)
    name = say("dates.calendar_name", calculator=say(calculator.title))
    return {"heading": say("dates.heading"), "download": say("dates.download"), "file": file_name(result),
            "calendar": calendar_text(result, name),
            "items": [{"on": date["on"], "date": fmt_date(date["on"], lang), "title": date["title"]}
                      for date in result["dates"]]}
