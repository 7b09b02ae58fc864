"""A result's key dates as an iCalendar file (RFC 5545): what `run … --format ics` prints and the page downloads.

Standard library only (it runs in the browser too). Each key date is an all-day event
(`DTSTART;VALUE=DATE`, ending the next day). The file depends on the result alone, never on the
clock: DTSTAMP is the as-of date at midnight UTC and each UID is made from the calculator, the
date's kind and its day, so the same answer gives the same file, and a calendar that imports a
later answer's file updates the events it already holds instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib

PRODID = "-//Seller Policy Handbook//Calculators//EN"
MAX_OCTETS = 75  # RFC 5545 3.1: a content line longer than this is folded


def calendar_text(result: dict, name: str) -> str:
    """The VCALENDAR of `result["dates"]`, named `name`, with CRLF line ends and folded lines.

    >>> text = calendar_text({"calculator": "refund", "as_of": "2026-12-07", "dates": [
    ...     {"on": "2026-12-31", "kind": "trade_through", "title": "Trade through; then, refund"}]}, "Refund")
    >>> [line for line in text.split("\\r\\n") if line.startswith(("DTSTART", "SUMMARY", "DTSTAMP"))]
    ['DTSTAMP:20261207T000000Z', 'DTSTART;VALUE=DATE:20261231', 'SUMMARY:Trade through\\\\; then\\\\, refund']
    """
    stamp = dt.date.fromisoformat(result["as_of"]).strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for date in result["dates"]:
        day = dt.date.fromisoformat(date["on"])
        lines += ["BEGIN:VEVENT", f"UID:{uid(result['calculator'], date)}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape(date['title'])}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def uid(calculator: str, date: dict) -> str:
    """A stable identifier for one key date: the same calculator, kind and day give the same UID."""
    digest = hashlib.sha256(f"{calculator}|{date['kind']}|{date['on']}".encode()).hexdigest()[:24]
    return f"{digest}@seller-policy-handbook"


def escape(text: str) -> str:
    r"""A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped.

    >>> escape('a\\b; c, d\ne')
    'a\\\\b\\; c\\, d\\ne'
    """
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """The line folded into pieces of at most 75 octets of UTF-8, each continuation starting with a
    space, never inside a character (a Chinese character is three octets).

    >>> [len(part.encode()) for part in fold("SUMMARY:" + "考" * 40).split("\\r\\n")]
    [74, 55]
    """
    if len(line.encode("utf-8")) <= MAX_OCTETS:  # most lines: the calendar is made with every answer
        return line
    parts, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1  # a continuation's leading space counts
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def file_name(result: dict) -> str:
    """'seller-handbook-delisting-2026-12-07.ics': the calculator and the as-of date."""
    return f"seller-handbook-{result['calculator']}-{result['as_of']}.ics"
