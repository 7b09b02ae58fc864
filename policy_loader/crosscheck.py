"""Checks the JSON Schema cannot express: they look across keys and across files (check), or
within one file that passed its schema (check_file, run even while another file fails its own).

Each check has its own message, naming the key path, what was found and what is allowed:
- a reference to a category, scope, seller type (or other term) or source that does not exist;
- tiers that do not ascend;
- date ranges that are unordered, inverted or overlapping, and days like 02-30;
- a currency that does not match the rule (its name, or what a calculator compares it with);
- a topic in a folder that is not a section, or missing from (or twice in) the sections' menus;
- a calculator message whose zh template does not use exactly its en one's {placeholders};
- policy text outside the plain-text-plus-Markdown-subset rules (policy_text).
What the calculators need of the policies is checked by handbook/checks.py, passed in by the
caller: this package never imports a calculator.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any

from calculators.policy import source_parts, walk_cases
from policy_loader import policy_text


def check(files: dict, catalogue: dict[str, str]) -> list:
    sources_file = files[catalogue["sources"]]
    categories_file = files[catalogue["categories"]]
    terms_file = files[catalogue["terms"]]
    source_ids = set(sources_file.data)
    errors = []

    # Category ids must be unique across scopes: a store's scope is looked up from its category.
    scopes = categories_file.data["scopes"]
    owner: dict[str, str] = {}
    for scope_id, scope in scopes.items():
        for cat_id in scope["categories"]:
            if cat_id in owner:
                errors.append(categories_file.error(("scopes", scope_id, "categories", cat_id),
                                                    f"category '{cat_id}' is already in scope '{owner[cat_id]}'; "
                                                    "a category belongs to one scope", at_key=True))
            owner[cat_id] = scope_id
    errors += _source_ref(categories_file, ("source",), categories_file.data["source"], source_ids)

    vocab: dict[str, set[str]] = {name: set(ids) for name, ids in terms_file.data.items()}
    vocab["scope"] = set(scopes)
    vocab["category"] = set(owner) | set(scopes)  # a category case may name a whole scope

    seen_stems: dict[str, str] = {}
    for rel, policy_file in files.items():
        if rel in catalogue.values():
            continue
        stem = rel.rsplit("/", 1)[1][: -len(".yaml")]
        if stem in seen_stems:
            errors.append(policy_file.error((), f"topic name '{stem}' is already used by {seen_stems[stem]}; "
                                                "file names must be unique across sections"))
        seen_stems[stem] = rel
        for name, rule in policy_file.data["rules"].items():
            errors += _rule(policy_file, ("rules", name), rule, vocab, source_ids)
    errors += _sections(files[catalogue["sections"]], files, catalogue)
    return errors


def check_file(rel: str, policy_file, catalogue: dict[str, str]) -> list:
    """The checks that need only this file (once it passes its schema), so an editor sees them in
    the same run as another file's schema errors: the messages' placeholders, and policy text."""
    if rel == catalogue["messages"]:
        # Messages are templates, not page text: Python fills in their {placeholders} and the page
        # sets them as plain text (textContent, or autoescaped in the form), never as Markdown.
        return _messages(policy_file)
    return policy_text.check_file(policy_file)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _rule(policy_file, path: tuple, rule: dict, vocab: dict, source_ids: set) -> list:
    errors = []
    name = path[-1]
    unit = rule.get("unit")
    for suffix, currency in (("_usd", "USD"), ("_cny", "CNY")):
        if rule["kind"] in ("amount", "tiers") and name.endswith(suffix) and unit != currency:
            errors.append(policy_file.error(path + ("unit",), f"found currency {unit}, but the rule's name says "
                                                              f"{currency}; money is never converted silently"))
    for case in walk_cases(rule):
        for depth, (dimension, key) in enumerate(case.dims):
            if dimension and key not in vocab[dimension]:
                allowed = "a category or scope id" if dimension == "category" else f"a {dimension.replace('_', ' ')}"
                errors.append(policy_file.error(path + case.path[: 2 * depth + 2],
                                                f"unknown {dimension.replace('_', ' ')} '{key}'; expected {allowed} "
                                                f"({_some(vocab[dimension])})", at_key=True))
        errors += _history(policy_file, path + case.path, case.history, rule, vocab, source_ids)
    return errors


def _messages(messages_file) -> list:
    """Each message's zh template names exactly the placeholders of its en one, each a plain name.

    A placeholder missing in Chinese would silently drop a figure; an extra one would fail when
    the calculator fills it in. No format spec or attribute access ({x.y}, {x:,}): the code
    formats every value itself, and a template cannot reach into an object.
    """
    errors = []
    for name, text in messages_file.data.items():
        for lang in ("en", "zh"):
            if "<" in text[lang] or ">" in text[lang]:
                # The page sets messages as plain text; markup in one is a mistake (or worse) either way.
                errors.append(messages_file.error((name, lang), "a message is plain text: no < or >"))
        fields = {}
        for lang in ("en", "zh"):
            try:
                parsed = list(string.Formatter().parse(text[lang]))
            except ValueError as problem:
                errors.append(messages_file.error((name, lang), f"not a valid template ({problem}); write a "
                                                                "literal brace as {{ or }}"))
                break
            fields[lang] = {field for _, field, _, _ in parsed if field is not None}
            bad = [field for _, field, spec, conv in parsed if field is not None
                   and (not _PLACEHOLDER.fullmatch(field) or spec or conv)]
            if bad or any(spec or conv for _, field, spec, conv in parsed if field is not None):
                errors.append(messages_file.error((name, lang), "a placeholder is a plain name such as {amount}, "
                                                                "without format or attribute"))
                break
        else:
            if fields["en"] != fields["zh"]:
                missing, extra = sorted(fields["en"] - fields["zh"]), sorted(fields["zh"] - fields["en"])
                said = "; ".join(part for part in (
                    f"missing {', '.join('{' + f + '}' for f in missing)}" if missing else "",
                    f"unknown {', '.join('{' + f + '}' for f in extra)}" if extra else "") if part)
                errors.append(messages_file.error((name, "zh"), f"the Chinese template must use the same placeholders "
                                                                f"as the English one: {said}"))
    return errors


_PLACEHOLDER = re.compile(r"[a-z][a-z0-9_]*")


def _sections(sections_file, files: dict, catalogue: dict[str, str]) -> list:
    """Each topic file is in a section folder, and in exactly one section's menu; menus name real topics."""
    errors = []
    sections = sections_file.data
    stems = {}
    for rel, policy_file in files.items():
        if rel in catalogue.values():
            continue
        section, stem = rel[: -len(".yaml")].split("/")
        stems[stem] = rel
        if section not in sections:
            errors.append(policy_file.error((), f"a topic file belongs in one of the section folders: {', '.join(sections)} "
                                                f"(catalogue/sections.yaml)"))
    listed: dict[str, str] = {}
    for section_id, section in sections.items():
        for stem in section["topics"]:
            where = (section_id, "topics", stem)
            if stem not in stems:
                errors.append(sections_file.error(where, f"unknown topic '{stem}'; expected a policy file's name "
                                                         f"({_some(set(stems))})", at_key=True))
            elif stem in listed:
                errors.append(sections_file.error(where, f"topic '{stem}' is already in the {listed[stem]} menu; "
                                                         "a topic is listed once", at_key=True))
            listed.setdefault(stem, section_id)
    for stem, rel in sorted(stems.items()):
        if stem not in listed:
            errors.append(files[rel].error((), f"topic '{stem}' is in no section's menu: list it under `topics` "
                                               "in catalogue/sections.yaml"))
    return errors


def _history(policy_file, path: tuple, history: list, rule: dict, vocab: dict, source_ids: set) -> list:
    errors = []
    previous = None
    for index, period in enumerate(history):
        here = path + (index,)
        start = dt.date.fromisoformat(period["from"])
        end = dt.date.fromisoformat(period["until"]) if "until" in period else None
        if end is not None and end < start:
            errors.append(policy_file.error(here + ("until",), f"found until {end} before from {start}; "
                                                               "a period ends on or after the day it starts"))
        if previous is not None:
            prev_start, prev_end = previous
            if start <= prev_start:
                errors.append(policy_file.error(here + ("from",), f"found from {start}, not after the previous "
                                                                  f"period's from {prev_start}; periods are listed oldest first"))
            elif prev_end is not None and start <= prev_end:
                errors.append(policy_file.error(here + ("from",), f"found from {start}, inside the previous period "
                                                                  f"(which runs until {prev_end}); periods may not overlap"))
        previous = (start, end)
        errors += _source_ref(policy_file, here + ("source",), period["source"], source_ids)
        errors += _value(policy_file, here + ("value",), period["value"], rule, vocab)
    return errors


def _value(policy_file, path: tuple, value: Any, rule: dict, vocab: dict) -> list:
    kind = rule["kind"]
    if kind == "tiers":
        errors = []
        for index in range(1, len(value)):
            low, high = value[index - 1], value[index]
            if high["amount"] < low["amount"] or (high["amount"] == low["amount"] and high["comparison"] == low["comparison"]):
                errors.append(policy_file.error(path + (index, "amount"),
                                                f"found amount {high['amount']:g} after {low['amount']:g}; tiers ascend by amount"))
            if high["percent"] <= low["percent"]:
                errors.append(policy_file.error(path + (index, "percent"),
                                                f"found percent {high['percent']:g} after {low['percent']:g}; a higher tier pays more"))
        return errors
    if kind == "month_day":
        month, day = map(int, value.split("-"))
        try:
            dt.date(2000, month, day)  # a leap year, so 02-29 passes
        except ValueError:
            return [policy_file.error(path, f"found '{value}', which is not a day of the year")]
    if kind == "list" and "of" in rule:
        unknown = [item for item in value if item not in vocab[rule["of"]]]
        if unknown:
            return [policy_file.error(path, f"unknown {rule['of'].replace('_', ' ')} '{unknown[0]}'; "
                                            f"allowed: {', '.join(sorted(vocab[rule['of']]))}")]
    return []


def _source_ref(policy_file, path: tuple, source: Any, source_ids: set) -> list:
    ref, _note = source_parts(source)
    if ref in source_ids:
        return []
    at = path if isinstance(source, str) else path + ("ref",)
    return [policy_file.error(at, f"unknown source '{ref}'; allowed: {', '.join(sorted(source_ids))}")]


def _some(ids: set) -> str:
    shown = sorted(ids)
    return ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
