"""The one day the tests call today, and the ways to make every clock they read say so.

A test that compares a result "as of today" with another must not see the date change under it
(a run across midnight), nor depend on the day it runs (policies change on announced dates), so
"today" is an input: the built pages get it through HANDBOOK_TODAY, the calculators through a
frozen `Today`, a browser page through Playwright's clock.
"""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 22)
# Noon, so that no time zone between the test machine and the page can move it to another day.
NOON = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, 0)


def freeze_browser_today(context) -> None:
    """Every page of the Playwright `context` reads TODAY from `new Date()` (its timers keep running)."""
    context.clock.set_fixed_time(NOON)


def frozen_today_class(today_class: type, day: dt.date = TODAY) -> type:
    """A subclass of calculators.inputs.Today whose today() is `day`: the machine's today, fixed."""

    class FrozenToday(today_class):
        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day)

    return FrozenToday
