"""`python -m calculators diff OLD NEW`: what a policy change means, in words, for a reviewer.

Each rule's dated history (per case) is compared as what applies on every day, not line by line,
so splitting a period to add a dated change reads as "USD 10,000 → USD 12,000 from 14 January
2027", and an edit in place reads as a change from the period's first day. Categories, scopes and
sources are compared as sets; the worked examples of OLD are run against both bundles and those
whose verdict or amounts change are listed; with a store population (policy_review.impact) the
stores whose verdict changes are counted.

Values read as on the page and in a result: calculators/formatters.py writes them all; the
review's own words are in the one catalogue (policies/catalogue/messages.yaml).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from calculators.api import run
from calculators.policy import Policy, resolve_history, source_parts, walk_cases
from calculators.formatters import fmt_date as long_date, fmt_rule_value, item_name
from calculators.messages import Words
from calculators.policy import COMPARISON_WORDS
from policy_loader.catalogue import word
from policy_review.texts import compare_texts

ARROW = "→"
RULE_FIELDS = ("kind", "unit", "comparison", "varies_by", "of", "applies_to")
OPEN_END = None  # a period with no `until`


# ---------------------------------------------------------------------------------------------
# Comparing two bundles
# ---------------------------------------------------------------------------------------------


def compare(old: dict, new: dict, old_name: str = "old", new_name: str = "new", *, old_commit: str | None = None,
            new_commit: str | None = None) -> dict:
    """The differences between two policy bundles as JSON-able data; each item has its sentence in `text`.

    `*_commit` names a git revision's commit. The pages' words are in the bundle's catalogue
    (messages), so they are compared with every other text.
    """
    return {
        "old": {"name": old_name, "commit": old_commit, "version": old["version"]},
        "new": {"name": new_name, "commit": new_commit, "version": new["version"]},
        "rules": _rules(old, new),
        "categories": _categories(old, new),
        "sources": _sources(old, new),
        "texts": compare_texts(old, new),
        "examples": _examples(old, new),
    }


def _rules(old: dict, new: dict) -> list[dict]:
    out = []
    for address in sorted(old["rules"].keys() | new["rules"].keys()):
        before, after = old["rules"].get(address), new["rules"].get(address)
        title = (after or before)["title"]["en"]
        entry = {"address": address, "title": title, "status": "changed", "attributes": [], "changes": []}
        if before is None or after is None:
            entry["status"] = "added" if before is None else "removed"
            bundle, rule = (new, after) if before is None else (old, before)
            for path, dims in _case_paths(rule):
                history = Policy(bundle).history(address, **dims) or []
                for period in history:
                    entry["changes"].append(_period_item(title, _case_label(path, dims, bundle), period, rule, bundle,
                                                         entry["status"]))
            out.append(entry)
            continue
        for name in RULE_FIELDS:
            if before.get(name) != after.get(name):
                entry["attributes"].append(_attribute_item(title, name, before.get(name), after.get(name)))
        for path, dims, labels in _contexts(before, after, old, new):
            if labels[0] is None or labels[1] is None:  # a category only one side has
                if labels[0] is None:
                    entry["changes"] += _new_category_items(title, labels[1], path, address, dims, after, new)
                continue
            old_history = Policy(old).history(address, **dims) or []
            new_history = Policy(new).history(address, **dims) or []
            entry["changes"] += _history_changes(title, labels[1], path, old_history, new_history, (before, old),
                                                 (after, new), dims.get("category"))
        if entry["attributes"] or entry["changes"]:
            out.append(entry)
    return out


def _case_paths(rule: dict) -> list[tuple[tuple, dict]]:
    """Every case a rule states, as (key path, dimensions for Policy.history); () is the default."""
    return [(tuple(key for _dimension, key in case.dims), dict(case.dims)) for case in walk_cases(rule)]


def _contexts(before: dict, after: dict, old: dict, new: dict) -> list[tuple[tuple, dict, tuple]]:
    """(key path, dimensions, (old label, new label)) at which to compare a rule's two versions.

    A rule that varies by category is compared per category, every category either side has, and
    resolved through calculators.policy as the calculators resolve it: a category without a case of
    its own takes its scope's case (a key that names both a scope and a category is the category's
    and its scope's), else the default. A case key is never read as a category by itself, so a
    "before" is the value a store of that category really had. The label is None on the side that
    does not have the category.
    """
    if "category" not in (before.get("varies_by"), after.get("varies_by")):
        paths = dict(_case_paths(before))
        paths.update(_case_paths(after))
        in_after = dict(_case_paths(after))
        return [(path, dims, (_case_label(path, dims, old), _case_label(path, dims, new if path in in_after else old)))
                for path, dims in sorted(paths.items())]
    below = {tuple(case.dims[1:]) for rule in (before, after) for case in walk_cases(rule)
             if case.dims and case.dims[0][0] == "category"} | {()}
    out = []
    for category in sorted(old["categories"].keys() | new["categories"].keys()):
        for rest in sorted(below):
            dims = {"category": category, **dict(rest)}
            labels = tuple(_category_case_label(category, rest, bundle) if category in bundle["categories"] else None
                           for bundle in (old, new))
            out.append(((category, *(key for _dimension, key in rest)), dims, labels))
    return out


def _case_label(path: tuple, dims: dict, bundle: dict) -> str:
    if not path:
        return "all other cases" if dims or bundle is None else ""
    return " / ".join(item_name(key, dimension, Words(bundle)) for dimension, key in dims.items())


def _category_case_label(category: str, rest: tuple, bundle: dict) -> str:
    return " / ".join([Policy(bundle).category_label(category), *(item_name(key, dim, Words(bundle)) for dim, key in rest)])


def _new_category_items(title: str, case: str, path: tuple, address: str, dims: dict, rule: dict,
                        bundle: dict) -> list[dict]:
    """What a new category takes under this rule (its own case, its scope's or the default)."""
    items = []
    for period in Policy(bundle).history(address, **dims) or []:
        item = _period_item(title, f"{case} (new category)", period, rule, bundle, "category added", dims.get("category"))
        items.append({**item, "case": list(path)})
    return items


def _days(history: list[dict]) -> list[dt.date]:
    """The days on which what applies may change: each period's start and the day after its end."""
    out = []
    for period in history:
        out.append(dt.date.fromisoformat(period["from"]))
        if period.get("until"):
            out.append(dt.date.fromisoformat(period["until"]) + dt.timedelta(days=1))
    return out


def _state(history: list[dict], day: dt.date, bundle: dict | None = None, category: str | None = None) -> tuple | None:
    """(value, source as applied to `category`) on `day`, or None where no value applies."""
    resolved = resolve_history("", history, day)
    if not resolved.in_force:
        return None
    period = next(p for p in reversed(history) if p["from"] == resolved.effective_from)
    return resolved.value, _applied_source(period["source"], bundle, category) if bundle else resolved.source


def _applied_source(source: str | dict, bundle: dict, category: str | None) -> str:
    """The source as the calculators report it for `category` (calculators.policy.Policy.provenance): a value
    borrowed beyond the categories its source covers is illustrative, and the diff says from where."""
    provenance = Policy(bundle).provenance(source, category)
    extended = provenance["extended_from"]
    return f"illustrative, extended from {extended}" if extended else provenance["source"]


def _history_changes(title: str, case: str, path: tuple, old_history: list[dict], new_history: list[dict],
                     old_side: tuple, new_side: tuple, category: str | None = None) -> list[dict]:
    """Stretches of days on which the two histories disagree, merged while the disagreement is the same."""
    days = sorted(set(_days(old_history)) | set(_days(new_history)))
    stretches: list[list] = []  # [start, end, old state, new state]
    for index, day in enumerate(days):
        end = days[index + 1] - dt.timedelta(days=1) if index + 1 < len(days) else OPEN_END
        pair = (_state(old_history, day, old_side[1], category), _state(new_history, day, new_side[1], category))
        if stretches and stretches[-1][2:] == list(pair) and stretches[-1][1] == day - dt.timedelta(days=1):
            stretches[-1][1] = end
        else:
            stretches.append([day, end, *pair])
    out = []
    for start, end, before, after in stretches:
        if before == after or (before and after and _same_value(before[0], after[0]) and before[1] == after[1]):
            continue
        out.append(_change_item(title, case, path, start, end, before, after, old_side, new_side))
    return out


def _same_value(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) or a == b


def _shown(value: Any, side: tuple) -> str:
    rule, bundle = side
    # Comparison words are reported once per rule (see _attribute_item), not with every value.
    return fmt_rule_value({**rule, "comparison": None}, value, Words(bundle))


def _when(start: dt.date, end: dt.date | None) -> str:
    return f"from {long_date(start.isoformat())}" + (f" until {long_date(end.isoformat())}" if end else "")


def _change_item(title, case, path, start, end, before, after, old_side, new_side) -> dict:
    head = f"{title}, {case}" if case else title
    when = _when(start, end)
    if before and after and _same_value(before[0], after[0]):
        kind = "source"
        text = f"{head}: {_shown(after[0], new_side)} unchanged {when}; source: {before[1]} {ARROW} {after[1]}"
    elif before and after:
        kind = "value"
        source = f" (source: {before[1]} {ARROW} {after[1]})" if before[1] != after[1] else ""
        text = f"{head}: {_shown(before[0], old_side)} {ARROW} {_shown(after[0], new_side)} {when}{source}"
    elif after:
        kind = "opened"
        text = (f"{head}: window opened, {_shown(after[0], new_side)} {when} (source: {after[1]})" if end else
                f"{head}: now {_shown(after[0], new_side)} {when}, where no value applied (source: {after[1]})")
    else:
        kind = "closed"
        text = f"{head}: window closed, {_shown(before[0], old_side)} no longer applies {when}"
    return {"case": list(path), "case_label": case, "from": start.isoformat(),
            "until": end.isoformat() if end else None, "change": kind,
            "before": _state_json(before, old_side), "after": _state_json(after, new_side), "text": text}


def _state_json(state: tuple | None, side: tuple) -> dict | None:
    if state is None:
        return None
    return {"value": state[0], "text": _shown(state[0], side), "source": state[1]}


def _period_item(title: str, case: str, period: dict, rule: dict, bundle: dict, status: str,
                 category: str | None = None) -> dict:
    head = f"{title}, {case}" if case else title
    until = period.get("until")
    source = _applied_source(period["source"], bundle, category)
    when = f"from {long_date(period['from'])}" + (f" until {long_date(until)}" if until else "")
    text = f"{head}: {fmt_rule_value(rule, period['value'], Words(bundle), compared=True)} {when} (source: {source})"
    return {"case_label": case, "from": period["from"], "until": until, "change": status,
            "value": period["value"], "source": source, "text": text}


def _attribute_item(title: str, name: str, before: Any, after: Any) -> dict:
    def words(value: Any) -> str:
        if value is None:
            return "none"
        if name == "comparison":
            return COMPARISON_WORDS.get(value, value)
        if name == "title":
            return f"“{value['en']}”"
        return ", ".join(value) if isinstance(value, list) else str(value)

    what = {"comparison": "comparison", "title": "title", "kind": "kind of value", "unit": "unit",
            "varies_by": "varies by", "of": "list of", "applies_to": "applied by"}[name]
    return {"field": name, "before": before, "after": after,
            "text": f"{title}: {what} {words(before)} {ARROW} {words(after)}"}


def _categories(old: dict, new: dict) -> dict:
    def scope_label(bundle: dict, scope: str) -> str:
        return Policy(bundle).scope_label(scope)

    out: dict = {"added": [], "removed": [], "changed": []}
    for cat in sorted(new["categories"].keys() - old["categories"].keys()):
        info = new["categories"][cat]
        out["added"].append({"id": cat, "label": info["label"]["en"], "scope": info["scope"],
                             "text": f"{info['label']['en']} ({cat}) added to {scope_label(new, info['scope'])}"})
    for cat in sorted(old["categories"].keys() - new["categories"].keys()):
        info = old["categories"][cat]
        out["removed"].append({"id": cat, "label": info["label"]["en"], "scope": info["scope"],
                               "text": f"{info['label']['en']} ({cat}) removed from {scope_label(old, info['scope'])}"})
    for cat in sorted(old["categories"].keys() & new["categories"].keys()):
        a, b = old["categories"][cat], new["categories"][cat]
        if a["scope"] != b["scope"]:
            out["changed"].append({"id": cat, "field": "scope", "before": a["scope"], "after": b["scope"],
                                   "text": f"{b['label']['en']} ({cat}): moved from {scope_label(old, a['scope'])} "
                                           f"{ARROW} {scope_label(new, b['scope'])}"})
    for scope in sorted(new["scopes"].keys() - old["scopes"].keys()):
        out["added"].append({"id": scope, "scope": scope, "label": scope_label(new, scope),
                             "text": f"scope {scope_label(new, scope)} ({scope}) added"})
    for scope in sorted(old["scopes"].keys() - new["scopes"].keys()):
        out["removed"].append({"id": scope, "scope": scope, "label": scope_label(old, scope),
                               "text": f"scope {scope_label(old, scope)} ({scope}) removed"})
    return out


def _sources(old: dict, new: dict) -> dict:
    def title(bundle: dict, ref: str) -> str:
        return Policy(bundle).source(ref)["title"]["en"]

    out: dict = {"added": [], "removed": [], "changed": []}
    for ref in sorted(new["sources"].keys() - old["sources"].keys()):
        out["added"].append({"id": ref, "text": f"source {ref} added: {title(new, ref)}"})
    for ref in sorted(old["sources"].keys() - new["sources"].keys()):
        out["removed"].append({"id": ref, "text": f"source {ref} removed: {title(old, ref)}"})
    return out  # a changed entry: every field of it is a text (texts.py)


def _examples(old: dict, new: dict) -> list[dict]:
    """OLD's worked examples whose verdict or amounts differ when run against NEW."""
    out = []
    for example in old["examples"]:
        args = (example["calculator"], example["inputs"], example.get("as_of"))
        before, after = _outcome(old, args), _outcome(new, args)
        if before == after:
            continue
        out.append({"title": example["title"]["en"], "calculator": example["calculator"],
                    "as_of": example.get("as_of"), "where": example["where"], "before": before, "after": after,
                    "text": _example_text(example, before, after)})
    return out


def _outcome(bundle: dict, args: tuple) -> dict:
    try:
        result = run(bundle, *args)
    except Exception as crash:  # a policy change the calculator cannot handle: report it, not a traceback
        return {"errors": [f"(calculator) failed with {type(crash).__name__}: {crash}"]}
    if "errors" in result:
        return {"errors": [f"{e['field']}: {e['message']}" for e in result["errors"]]}
    return {"verdict": result["verdict"], "amounts": result["amounts"]}


def _example_text(example: dict, before: dict, after: dict) -> str:
    head = f"“{example['title']['en']}” ({example['calculator']}, as of {example.get('as_of')})"
    if "errors" in before or "errors" in after:
        shown = [("; ".join(o["errors"]) if "errors" in o else o["verdict"]) for o in (before, after)]
        return f"{head}: {shown[0]} {ARROW} {shown[1]}"
    parts = [f"{before['verdict']} {ARROW} {after['verdict']}" if before["verdict"] != after["verdict"]
             else f"{after['verdict']} (unchanged)"]
    for key in before["amounts"].keys() | after["amounts"].keys():
        a, b = before["amounts"].get(key), after["amounts"].get(key)
        if a != b:
            parts.append(f"{key} {_plain(a)} {ARROW} {_plain(b)}")
    return f"{head}: " + "; ".join([parts[0], *sorted(parts[1:])])


def _plain(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, (int, float)) or isinstance(value, bool) \
        else f"{value:,}"


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def diff_command(old_spec: str, new_spec: str, fmt: str = "text", population: str | None = None,
                 as_of: str | None = None, out=None, synthetic: bool = False) -> int:
    """Print the report; 0 whatever changed, 1 (with that side's check messages) when a side is broken,
    2 when a side's name is ambiguous or the population cannot be read."""
    import sys

    from policy_review.sides import AmbiguousSide, load_side

    out = out or sys.stdout
    try:
        sides = [load_side(old_spec), load_side(new_spec)]
    except AmbiguousSide as problem:
        print(f"diff: {problem}", file=sys.stderr)
        return 2
    broken = [side for side in sides if side.bundle is None]
    if broken:
        for side in broken:
            print(f"{side.name}: the policies do not pass the check:", file=out)
            print("\n".join(side.errors), file=out)
        return 1
    old, new = sides
    report = compare(old.bundle, new.bundle, old_spec, new_spec, old_commit=old.commit, new_commit=new.commit)
    if population:
        from policy_review.impact import impact

        today = as_of or dt.date.today().isoformat()
        try:
            dt.date.fromisoformat(today)
        except ValueError:
            print(f"--as-of {today}: expected a date, YYYY-MM-DD", file=sys.stderr)
            return 2
        try:
            report["impact"] = impact(old.bundle, new.bundle, population, today, _change_days(report))
        except (OSError, ValueError) as problem:
            print(f"--population {population}: {problem}", file=sys.stderr)
            return 2
        report["impact"]["synthetic"] = synthetic
    out.write(RENDERERS[fmt](report))
    return 0


def _change_days(report: dict) -> list[str]:
    """The days on which a rule change takes effect (its stretch's first day)."""
    return sorted({item["from"] for entry in report["rules"] for item in entry["changes"] if item.get("from")})


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def sections(report: dict) -> list[tuple[str, list[str]]]:
    """(heading, sentences) in reading order; empty sections left out."""
    rules = [text for entry in report["rules"] if entry["status"] == "changed"
             for text in [i["text"] for i in entry["attributes"]] + _grouped(entry)]
    added = [f"new rule {entry['address']}: " + "; ".join(i["text"] for i in entry["changes"])
             for entry in report["rules"] if entry["status"] == "added"]
    removed = [f"rule {entry['address']} ({entry['title']}) removed" for entry in report["rules"]
               if entry["status"] == "removed"]
    cats, sources = report["categories"], report["sources"]
    out = [
        ("Rules changed", rules),
        ("Rules added or removed", added + removed),
        ("Categories and scopes", [i["text"] for i in cats["added"] + cats["removed"] + cats["changed"]]),
        ("Sources", [i["text"] for i in sources["added"] + sources["removed"]]),
        ("Texts changed (both languages)", [i["text"] for i in report.get("texts", [])]),
        ("Worked examples whose results change (OLD's examples run against NEW)", [e["text"] for e in report["examples"]]),
    ]
    return [(heading, lines) for heading, lines in out if lines]


def _grouped(entry: dict) -> list[str]:
    """A rule's changes, one sentence per change: categories that change alike share their sentence."""
    groups: dict[str, list[str]] = {}
    for item in entry["changes"]:
        head = f"{entry['title']}, {item['case_label']}" if item["case_label"] else entry["title"]
        if not item["text"].startswith(head + ": "):
            groups.setdefault(item["text"], [])
            continue
        groups.setdefault(item["text"][len(head) + 2:], []).append(item["case_label"])
    out = []
    for what, cases in groups.items():
        if not cases:
            out.append(what)
        elif len(cases) == 1:
            out.append(f"{entry['title']}, {cases[0]}: {what}")
        else:
            out.append(f"{entry['title']}, {len(cases)} categories ({'; '.join(cases)}): {what}")
    return out


def render_text(report: dict) -> str:
    lines = [_title(report)]
    body = sections(report)
    if not body:
        lines.append("No policy changes.")
    for heading, items in body:
        lines += ["", heading] + [f"  - {item}" for item in items]
    impact = report.get("impact")
    if impact:
        lines += ["", _impact_heading(impact, impact["population"])]
        if impact["synthetic"]:
            lines.append("  " + word("review.synthetic", "en"))
        if impact["stores_in_new_categories"]:
            lines.append("  " + _new_categories_line(impact))
        for run in impact["runs"]:
            lines += [f"  As of {run['when']}: {run['changed']:,} verdict changes"]
            lines += [f"    - {row['text']}" for row in run["changes"]]
    return "\n".join(lines) + "\n"


def render_markdown(report: dict) -> str:
    """The pull request's comment. Every text that comes from the policies, the command line or the
    population is a code span, where GitHub renders no markup, mentions nobody (@team), links no
    issue (#1) and makes no link of a URL: the comment says what the policy text says, inertly."""
    lines = [f"## Policy changes: {_side_md(report['old'])} {ARROW} {_side_md(report['new'])}"]
    body = sections(report)
    if not body:
        lines += ["", "No policy changes."]
    for heading, items in body:
        lines += ["", f"### {heading}", ""] + [f"- {code(item)}" for item in items]
    impact = report.get("impact")
    if impact:
        lines += ["", "<details>", f"<summary>{_summary(impact)}</summary>", ""]
        if impact["synthetic"]:
            lines += [word("review.synthetic", "en"), ""]
        if impact["stores_in_new_categories"]:
            lines += [code(_new_categories_line(impact)), ""]
        for run in impact["runs"]:
            lines += [f"**As of {run['when']}**: {run['changed']:,} verdict changes", ""]
            if run["changes"]:
                lines += ["| Calculator | Category | Stores | Before | After |", "| --- | --- | ---: | --- | --- |"]
                lines += [f"| {cell(r['calculator_title'])} | {cell(r['category_label'])} | {r['stores']:,} of "
                          f"{r['of']:,} | {cell(r['before_words'])} | {cell(r['after_words'])} |"
                          for r in run["changes"]]
                lines.append("")
        lines.append("</details>")
    return "\n".join(lines) + "\n"


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def _side(side: dict) -> str:
    at = f" at commit {side['commit'][:12]}" if side.get("commit") else ""
    return f"{side['name']}{at} (version {side['version']})"


def _title(report: dict) -> str:
    return f"Policy changes: {_side(report['old'])} {ARROW} {_side(report['new'])}"


def _side_md(side: dict) -> str:
    at = f" at commit {code(side['commit'][:12])}" if side.get("commit") else ""
    return f"{code(side['name'])}{at} (version {code(side['version'])})"


def _impact_heading(impact: dict, population: str | None = None) -> str:
    return word("review.impact_summary", "en", stores=f"{impact['stores']:,}", population=population)


def _summary(impact: dict) -> str:
    # The file's name is the caller's text: in <code>, where GitHub mentions and links nothing.
    name = f"<code>{_html(Path(impact['population']).name)}</code>"
    return _html(_impact_heading(impact, "\0")).replace("\0", name)


def _new_categories_line(impact: dict) -> str:
    counts = "; ".join(f"{label}: {count:,}" for label, count in impact["stores_in_new_categories"].items())
    return f"Stores in a new category, not compared (nothing moves them; they start under NEW): {counts}"


def code(text: str) -> str:
    """`text` as one inline code span: a fence longer than any run of backticks inside it, one line.

    >>> code("@org/team see #1 <b>https://example.com</b>")
    '`@org/team see #1 <b>https://example.com</b>`'
    >>> code("a ``b`` c")
    '```a ``b`` c```'
    """
    text = " ".join(str(text).split())  # a line break would end the list item or the table row
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """A code span in a table cell: GitHub splits cells at '|' before it reads code spans."""
    return code(text).replace("|", "\\|")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
