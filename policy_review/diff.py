"""`python -m calculators diff OLD NEW`: what a policy change means, in words, for a reviewer.

Each rule's dated history (per case) is compared as what applies on every day, not line by line,
so splitting a period to add a dated change reads as "USD 10,000 → USD 12,000 from 14 January
2027", and an edit in place reads as a change from the period's first day. Categories, scopes and
sources are compared as sets; the worked examples of OLD are run against both bundles and those
whose verdict or amounts change are listed; with a store population (policy_review.impact) the
stores whose verdict changes are counted.

Wording comes from hooks/policy_text.py, the handbook pages' own helpers, so a value reads here as
it does on the page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from calculators.api import run
from calculators.policy import Policy, resolve_history, source_parts, walk_cases
from hooks.policy_text import COMPARISON_WORDS, long_date, value_text
from hooks.policy_text import label_text as label  # plain text: the review is not Markdown

ARROW = "→"
RULE_FIELDS = ("title", "kind", "unit", "comparison", "varies_by", "of", "applies_to")
OPEN_END = None  # a period with no `until`


# ---------------------------------------------------------------------------------------------
# Comparing two bundles
# ---------------------------------------------------------------------------------------------


def compare(old: dict, new: dict, old_name: str = "old", new_name: str = "new") -> dict:
    """The differences between two policy bundles as JSON-able data; each item has its sentence in `text`."""
    return {
        "old": {"name": old_name, "version": old["version"]},
        "new": {"name": new_name, "version": new["version"]},
        "rules": _rules(old, new),
        "categories": _categories(old, new),
        "sources": _sources(old, new),
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
        paths = dict(_case_paths(before))
        paths.update(_case_paths(after))
        for path, dims in sorted(paths.items()):
            old_history = Policy(old).history(address, **dims) or []
            new_history = Policy(new).history(address, **dims) or []
            case = _case_label(path, dims, new if path in dict(_case_paths(after)) else old)
            entry["changes"] += _history_changes(title, case, path, old_history, new_history, (before, old),
                                                 (after, new))
        if entry["attributes"] or entry["changes"]:
            out.append(entry)
    return out


def _case_paths(rule: dict) -> list[tuple[tuple, dict]]:
    """Every case a rule states, as (key path, dimensions for Policy.history); () is the default."""
    return [(tuple(key for _dimension, key in case.dims), dict(case.dims)) for case in walk_cases(rule)]


def _case_label(path: tuple, dims: dict, bundle: dict) -> str:
    if not path:
        return "all other cases" if dims or bundle is None else ""
    return " / ".join(label(key, dimension, bundle) for dimension, key in dims.items())


def _days(history: list[dict]) -> list[dt.date]:
    """The days on which what applies may change: each period's start and the day after its end."""
    out = []
    for period in history:
        out.append(dt.date.fromisoformat(period["from"]))
        if period.get("until"):
            out.append(dt.date.fromisoformat(period["until"]) + dt.timedelta(days=1))
    return out


def _state(history: list[dict], day: dt.date) -> tuple | None:
    resolved = resolve_history("", history, day)
    return (resolved.value, resolved.source) if resolved.in_force else None


def _history_changes(title: str, case: str, path: tuple, old_history: list[dict], new_history: list[dict],
                     old_side: tuple, new_side: tuple) -> list[dict]:
    """Stretches of days on which the two histories disagree, merged while the disagreement is the same."""
    days = sorted(set(_days(old_history)) | set(_days(new_history)))
    stretches: list[list] = []  # [start, end, old state, new state]
    for index, day in enumerate(days):
        end = days[index + 1] - dt.timedelta(days=1) if index + 1 < len(days) else OPEN_END
        pair = (_state(old_history, day), _state(new_history, day))
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
    return value_text(value, {**rule, "comparison": None}, bundle, markdown=False)


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


def _period_item(title: str, case: str, period: dict, rule: dict, bundle: dict, status: str) -> dict:
    head = f"{title}, {case}" if case else title
    until = period.get("until")
    source, _note = source_parts(period["source"])
    when = f"from {long_date(period['from'])}" + (f" until {long_date(until)}" if until else "")
    text = f"{head}: {value_text(period['value'], rule, bundle, markdown=False)} {when} (source: {source})"
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
        if a["label"] != b["label"]:
            out["changed"].append({"id": cat, "field": "label", "before": a["label"]["en"], "after": b["label"]["en"],
                                   "text": f"{cat}: renamed {a['label']['en']} {ARROW} {b['label']['en']}"})
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
    for ref in sorted(old["sources"].keys() & new["sources"].keys()):
        if old["sources"][ref] != new["sources"][ref]:
            out["changed"].append({"id": ref, "before": old["sources"][ref], "after": new["sources"][ref],
                                   "text": f"source {ref} changed: {title(old, ref)} {ARROW} {title(new, ref)}"})
    return out


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
                 as_of: str | None = None, out=None) -> int:
    """Print the report; 0 whatever changed, 1 (with that side's check messages) when a side is broken."""
    import sys

    from policy_review.sides import load_side

    out = out or sys.stdout
    sides = [load_side(old_spec), load_side(new_spec)]
    broken = [side for side in sides if side.bundle is None]
    if broken:
        for side in broken:
            print(f"{side.name}: the policies do not pass the check:", file=out)
            print("\n".join(side.errors), file=out)
        return 1
    report = compare(sides[0].bundle, sides[1].bundle, old_spec, new_spec)
    if population:
        from policy_review.impact import impact

        try:
            report["impact"] = impact(sides[0].bundle, sides[1].bundle, population, as_of)
        except (OSError, ValueError) as problem:
            print(f"--population {population}: {problem}", file=sys.stderr)
            return 2
    out.write(RENDERERS[fmt](report))
    return 0


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def sections(report: dict) -> list[tuple[str, list[str]]]:
    """(heading, sentences) in reading order; empty sections left out."""
    rules = [item["text"] for entry in report["rules"] for item in entry["attributes"] + entry["changes"]
             if entry["status"] == "changed"]
    added = [f"new rule {entry['address']}: " + "; ".join(i["text"] for i in entry["changes"])
             for entry in report["rules"] if entry["status"] == "added"]
    removed = [f"rule {entry['address']} ({entry['title']}) removed" for entry in report["rules"]
               if entry["status"] == "removed"]
    cats, sources = report["categories"], report["sources"]
    out = [
        ("Rules changed", rules),
        ("Rules added or removed", added + removed),
        ("Categories and scopes", [i["text"] for i in cats["added"] + cats["removed"] + cats["changed"]]),
        ("Sources", [i["text"] for i in sources["added"] + sources["removed"] + sources["changed"]]),
        ("Worked examples whose results change (OLD's examples run against NEW)", [e["text"] for e in report["examples"]]),
    ]
    return [(heading, lines) for heading, lines in out if lines]


def render_text(report: dict) -> str:
    lines = [_title(report)]
    body = sections(report)
    if not body:
        lines.append("No policy changes.")
    for heading, items in body:
        lines += ["", heading] + [f"  - {item}" for item in items]
    if report.get("impact"):
        lines += ["", _impact_heading(report)] + [f"  - {row['text']}" for row in report["impact"]["changes"]]
    return "\n".join(lines) + "\n"


def render_markdown(report: dict) -> str:
    lines = [f"## {_title(report)}"]
    body = sections(report)
    if not body:
        lines += ["", "No policy changes."]
    for heading, items in body:
        lines += ["", f"### {heading}", ""] + [f"- {_md(item)}" for item in items]
    impact = report.get("impact")
    if impact:
        lines += ["", f"### {_impact_heading(report)}", "",
                  "| Calculator | Category | Before | After | Stores |", "| --- | --- | --- | --- | ---: |"]
        lines += [f"| {r['calculator']} | {_md(r['category_label'])} | {r['before']} | {r['after']} | {r['stores']:,} |"
                  for r in impact["changes"]]
    return "\n".join(lines) + "\n"


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def _title(report: dict) -> str:
    old, new = report["old"], report["new"]
    return f"Policy changes: {old['name']} (version {old['version']}) {ARROW} {new['name']} (version {new['version']})"


def _impact_heading(report: dict) -> str:
    impact = report["impact"]
    return (f"Stores whose verdict changes ({impact['changed']:,} of {impact['stores']:,} in {impact['population']}, "
            f"rules as of {impact['as_of']})")


def _md(text: str) -> str:
    # Table cells and list items: a literal '|' would end the cell; '<' could start HTML.
    return text.replace("|", "\\|").replace("<", "&lt;")
