"""`diff OLD NEW --population stores.csv`: how many stores a policy change moves, and which way.

Each store (a CSV or JSONL row, such as policy_review.population makes) is run through every
calculator under OLD and under NEW with batch.stores's memoizing runners, streaming, so only
the counts are kept. The stores are run as of the given day (`today`, an explicit input) and again
on each day a change takes effect after it: an announced change moves nobody today, and a reviewer
needs to see whom it moves when it starts. A store whose input is bad under both versions is not
counted; one that becomes bad (say its category was removed) moves to or from "input error".

Counts are per category, out of that category's stores ("231 of 4,102 stores in Toys & hobbies"),
and verdicts are the calculators' own words (policies/catalogue/messages.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from batch.stores import BatchRunner, Progress, kind_of, read_stores
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from calculators.formatters import fmt_date as long_date
from policy_loader.catalogue import word

INPUT_ERROR = "input_error"
ARROW = "→"


def impact(old: dict, new: dict, population: str, today: str, change_days: list[str] = ()) -> dict:
    """Verdict changes per day, counted by (calculator, category, before, after); raises OSError/ValueError.

    `today` is the first day run; each of `change_days` after it is run too.
    """
    kind = kind_of(population)
    if kind is None:
        raise ValueError("expected a .csv or .jsonl file")
    days = [today] + sorted({day for day in change_days if day > today})
    runners = {day: {name: (BatchRunner(old, name, day), BatchRunner(new, name, day)) for name in CALCULATORS}
               for day in days}
    moved: dict[str, Counter] = {day: Counter() for day in days}
    by_category: Counter = Counter()
    in_new_categories: Counter = Counter()
    stores = 0
    with open(population, "rb") as source:
        for _number, store, errors in read_stores(source, kind, Progress(Path(population).stat().st_size)):
            stores += 1
            if errors:
                continue
            category = store.get("category", "") if isinstance(store, dict) else ""
            if category in new["categories"] and category not in old["categories"]:
                in_new_categories[category] += 1  # no store can be in it yet: nothing moves, it starts
                continue
            by_category[category] += 1
            for day in days:
                for name, (before_runner, after_runner) in runners[day].items():
                    before, after = _verdict(before_runner.run(store)), _verdict(after_runner.run(store))
                    if before != after:
                        moved[day][name, category, before, after] += 1
    runs = [_run(day, day == today, moved[day], by_category, old, new) for day in days]
    return {"population": population, "as_of": today, "stores": stores, "stores_by_category": dict(by_category),
            "stores_in_new_categories": {_category(c, new): n for c, n in sorted(in_new_categories.items())},
            "runs": runs}


def _run(day: str, is_today: bool, moved: Counter, by_category: Counter, old: dict, new: dict) -> dict:
    changes = []
    for (name, category, before, after), count in sorted(moved.items(), key=lambda item: (-item[1], item[0])):
        shown = _category(category, new if category in new["categories"] else old)
        words = [_verdict_words(name, verdict, new) for verdict in (before, after)]
        of = by_category[category]
        changes.append({"calculator": name, "calculator_title": new["messages"][f"{name}.title"]["en"],
                        "category": category, "category_label": shown, "before": before, "after": after,
                        "before_words": words[0], "after_words": words[1], "stores": count, "of": of,
                        "text": f"{new['messages'][f'{name}.title']['en']}, {shown}: {count:,} of {of:,} stores "
                                f"in {shown}: {words[0]} {ARROW} {words[1]}"})
    return {"as_of": day, "today": is_today, "when": f"{long_date(day)}" + (" (today)" if is_today else ""),
            "changed": sum(moved.values()), "changes": changes}


def _category(category: str, bundle: dict) -> str:
    # The category's own name: a key that also names a scope is still this one category here.
    return Policy(bundle).category_label(category) if category in bundle["categories"] else (category or "(none)")


def _verdict_words(name: str, verdict: str, bundle: dict) -> str:
    if verdict == INPUT_ERROR:
        return word("review.input_error", "en")
    message = bundle["messages"].get(f"{name}.verdict_{verdict}")
    return message["en"] if message else verdict


def _verdict(result: dict) -> str:
    return INPUT_ERROR if "errors" in result else result["verdict"]
