"""The one day the tests call today, and the ways to make every clock they read say so.

A test that compares a result "as of today" with another must not see the date change under it
(a run across midnight), nor depend on the day it runs (policies change on announced dates), so
"today" is an input: the built pages get it through HANDBOOK_TODAY, the calculators through a
frozen `Today`, a browser page through a shifted `Date`.
"""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 22)
# Noon UTC, so that no time zone between the test machine and the page can move it to another day.
NOON_MS = int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.timezone.utc).timestamp() * 1000)
# The page's Date starts at NOON_MS and then runs at the real pace. Only Date is shifted: a fake
# clock (Playwright's page.clock) also replaces `performance` and the timers, which the tests read
# (resource timings) and the theme needs (its debounced search compares Date.now() as time passes).
SHIFTED_DATE = """(() => {
  const Real = Date, offset = %d - Real.now(), now = () => Real.now() + offset;
  globalThis.Date = new Proxy(Real, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new Real(now()).toString(),
    get: (target, key, receiver) => (key === "now" ? now : Reflect.get(target, key, receiver)),
  });
})();""" % NOON_MS


def freeze_browser_today(context) -> None:
    """Every page of the Playwright `context` finds itself on TODAY (`new Date()`, `Date.now()`)."""
    context.add_init_script(SHIFTED_DATE)


def frozen_today_class(today_class: type, day: dt.date = TODAY) -> type:
    """A subclass of calculators.inputs.Today whose today() is `day`: the machine's today, fixed."""

    class FrozenToday(today_class):
        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day)

    return FrozenToday
