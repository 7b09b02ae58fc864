"""`diff OLD NEW --population stores.csv`: how many stores a policy change moves, and which way.

Each store (a CSV or JSONL row, such as policy_review.population makes) is run through every
calculator under OLD and under NEW with calculators.batch's memoizing runners, streaming, so only
the counts are kept. A store whose input is bad under both versions is not counted; one that
becomes bad (say its category was removed) moves to or from "input error".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from calculators.batch import BatchRunner, Progress, kind_of, read_stores
from calculators.registry import CALCULATORS
from hooks.policy_text import label_text as label  # plain text: the review is not Markdown

INPUT_ERROR = "input error"


def impact(old: dict, new: dict, population: str, as_of: str | None = None) -> dict:
    """Verdict changes counted by (calculator, category, before, after); raises OSError/ValueError."""
    kind = kind_of(population)
    if kind is None:
        raise ValueError("expected a .csv or .jsonl file")
    day = as_of or dt.date.today().isoformat()
    runners = {name: (BatchRunner(old, name, day), BatchRunner(new, name, day)) for name in CALCULATORS}
    moved: Counter = Counter()
    stores = 0
    with open(population, "rb") as source:
        for _number, store, errors in read_stores(source, kind, Progress(Path(population).stat().st_size)):
            stores += 1
            if errors:
                continue
            category = store.get("category", "") if isinstance(store, dict) else ""
            for name, (before_runner, after_runner) in runners.items():
                before, after = _verdict(before_runner.run(store)), _verdict(after_runner.run(store))
                if before != after:
                    moved[name, category, before, after] += 1
    changes = []
    for (name, category, before, after), count in sorted(moved.items(), key=lambda item: (-item[1], item[0])):
        shown = label(category, "category", new if category in new["categories"] else old) if category else "(none)"
        changes.append({"calculator": name, "category": category, "category_label": shown, "before": before,
                        "after": after, "stores": count,
                        "text": f"{name}, {shown}: {count:,} of {stores:,} stores: {before} → {after}"})
    return {"population": population, "as_of": day, "stores": stores,
            "changed": sum(moved.values()), "changes": changes}


def _verdict(result: dict) -> str:
    return INPUT_ERROR if "errors" in result else result["verdict"]
