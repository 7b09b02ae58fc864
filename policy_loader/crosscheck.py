"""Checks the JSON Schema cannot express: they look across keys and across files (check), or
within one file (check_file, run whether or not this file or another passes its schema).

Each check has its own message, naming the key path, what was found and what is allowed:
- a reference to a category, scope, seller type (or other term) or source that does not exist;
- a scope id that is also a category id (a case key must have one meaning);
- tiers that do not ascend;
- date ranges that are unordered, inverted or overlapping, and days like 02-30;
- a day on which a category (or a case) has no value, between the rule's first day and its end:
  a gap between periods, or a case that starts after the rule does (it replaces the default for
  its category on every day, so before it starts the category has none);
- a currency that does not match the rule (its name, or what a calculator compares it with);
- a topic in a folder that is not a section, or missing from (or twice in) the sections' menus;
- a calculator message whose zh template does not use exactly its en one's {placeholders};
- a seed or published default, for every category without a case, that does not say which
  categories its source `covers`;
- policy text outside the plain-text-plus-Markdown-subset rules (markup).
What the calculators need of the policies is checked by policy_contract/checks.py, passed in by the
caller: this package never imports a calculator.

`check` runs even when some files failed their schema (bundle.py keeps the refused key paths as
PolicyFile.broken): it reads only values the schema passed (`sound`), so one problem is reported
once, by the pass that found it, and never hides another. A reference is checked only while the
catalogue it refers to is sound (else every reference would be "unknown").
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any

from calculators.policy import source_covers, source_parts, walk_cases
from policy_loader import markup


def check(files: dict, catalogue: dict[str, str], unread: frozenset | set = frozenset()) -> list:
    """The cross-checks over the parsed `files` ({relative path: PolicyFile}); `unread` names the
    files that are there but did not parse (reported already: not "missing" here)."""
    def sound_file(name: str):
        policy_file = files.get(catalogue[name])
        return policy_file if policy_file is not None and policy_file.sound(()) else None

    categories_file, terms_file = sound_file("categories"), sound_file("terms")
    errors = []
    source_ids = vocab = None  # unknown while their files are unsound: references are then not checked
    kinds: dict[str, str] = {}  # source id -> kind, for the entries whose kind the schema passed
    categories: dict[str, str] | None = None  # category id -> its scope, in catalogue order, once sound
    sources = files.get(catalogue["sources"])
    if sources is not None and () not in sources.broken and isinstance(sources.data, dict):
        source_ids = set(sources.data)  # its ids are its keys, whatever the schema says of an entry
        kinds = {ref: entry["kind"] for ref, entry in sources.data.items() if sources.sound((ref, "kind"))}
    if categories_file is not None:
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
        # One id, one meaning: a `varies_by: category` case may name a category or a whole scope,
        # so an id that is both would let a case meant for one silently apply to the other (a new
        # category in the automotive scope taking the automotive category's commission).
        for scope_id in scopes:
            if scope_id in owner:
                errors.append(categories_file.error(("scopes", scope_id), (
                    f"scope id '{scope_id}' is also a category id (in scope '{owner[scope_id]}'), so a case key "
                    f"'{scope_id}' could mean either; give the scope an id of its own"), at_key=True))
        categories = owner
        errors += _source_ref(categories_file, ("source",), categories_file.data["source"], source_ids)
        if terms_file is not None:
            vocab = {name: set(ids) for name, ids in terms_file.data.items()}
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
        if not policy_file.sound(()) and (policy_file.broken & {(), ("rules",)} or
                                          not isinstance(policy_file.data.get("rules"), dict)):
            continue  # the file, or its rules mapping as a whole, is not what the schema says
        for name, rule in policy_file.data["rules"].items():
            errors += _rule(policy_file, ("rules", name), rule, vocab, source_ids, categories)
            errors += _coverage(policy_file, ("rules", name), rule, vocab, kinds)
    sections_file = sound_file("sections")
    if sections_file is not None:
        errors += _sections(sections_file, files, catalogue, unread)
    glossary_file = sound_file("glossary")
    if glossary_file is not None:
        errors += _glossary_topics(glossary_file, files, catalogue, unread)
    return errors


def _glossary_topics(glossary_file, files: dict, catalogue: dict[str, str], unread: frozenset | set = frozenset()) -> list:
    """A glossary entry's `topic` names a policy file (its page is where search sends the term)."""
    stems = {rel[: -len(".yaml")].rsplit("/", 1)[-1] for rel in [*files, *unread] if rel not in catalogue.values()}
    errors = []
    for key, entry in glossary_file.data.items():
        topic = entry.get("topic")
        if topic is not None and topic not in stems:
            errors.append(glossary_file.error((key, "topic"), f"unknown topic '{topic}'; expected a policy file's name "
                                                              f"({_did_you_mean(topic, stems)}such as {_some(stems)})"))
    return errors


def check_file(rel: str, policy_file, catalogue: dict[str, str]) -> list:
    """The checks that need only this file, so an editor sees them in the same run as the schema's:
    the messages' placeholders (once the messages file passes its schema), and policy text (the
    texts the schema passed)."""
    if rel == catalogue["messages"]:
        # Messages are templates, not page text: Python fills in their {placeholders} and the page
        # sets them as plain text (textContent, or autoescaped in the form), never as Markdown.
        return _messages(policy_file)
    return markup.check_file(policy_file)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _rule(policy_file, path: tuple, rule: dict, vocab: dict | None, source_ids: set | None,
          categories: dict[str, str] | None = None) -> list:
    if not _shape_sound(policy_file, path, _SHAPE_KEYS):
        return []  # which periods there are is itself unclear: the schema's message says why
    # Without a sound kind (and `of`), the values cannot be judged; their dates and sources still can.
    kind = rule["kind"] if _shape_sound(policy_file, path, ("kind", "of")) else None
    errors = []
    name = path[-1]
    unit = rule.get("unit")
    for suffix, currency in (("_usd", "USD"), ("_cny", "CNY")):
        if (kind in ("amount", "tiers") and name.endswith(suffix) and unit != currency
                and policy_file.sound(path + ("unit",))):
            errors.append(policy_file.error(path + ("unit",), f"found currency {unit}, but the rule's name says "
                                                              f"{currency}; money is never converted silently"))
    for case in walk_cases(rule):
        for depth, (dimension, key) in enumerate(case.dims):
            if vocab is not None and dimension and key not in vocab[dimension]:
                allowed = "a category or scope id" if dimension == "category" else f"a {dimension.replace('_', ' ')}"
                errors.append(policy_file.error(path + case.path[: 2 * depth + 2],
                                                f"unknown {dimension.replace('_', ' ')} '{key}'; "
                                                f"{_did_you_mean(key, vocab[dimension])}expected {allowed} "
                                                f"({_some(vocab[dimension])})", at_key=True))
        errors += _history(policy_file, path + case.path, case.history, rule if kind else None, vocab, source_ids)
    if not errors:  # a gap is judged only between readable, ordered periods
        errors += _gaps(policy_file, path, rule, categories)
    return errors


# What walk_cases reads of a rule (or nested case): its shape, not its periods.
_SHAPE_KEYS = ("varies_by", "values", "cases")


def _shape_sound(policy_file, path: tuple, keys: tuple) -> bool:
    """Whether none of `keys` of the rule at `path` was refused (nor the rule itself), at any level
    of nesting: with _SHAPE_KEYS, whether each `values`/`cases` is a list or mapping as it should be.

    A refused path that goes through a period (a list index) leaves the shape sound: that period
    is skipped by _history, not the rule.
    """
    size = len(path)
    for bad in policy_file.broken:
        if bad[:size] != path and path[:len(bad)] != bad:
            continue  # elsewhere in the file
        inside = bad[size:]
        if not inside or (inside[0] in keys and not any(isinstance(step, int) for step in inside)):
            return False
    return True


def _coverage(policy_file, path: tuple, rule: dict, vocab: dict | None, kinds: dict[str, str]) -> list:
    """What each source speaks for is in the structure, so a borrowed value reads as illustrative.

    A rule that varies by category applies its default `values` to every category without a case
    of its own. A seed or published source there must say which categories it `covers` (a list of
    category or scope ids, or `all`): the calculators and pages then call the value illustrative,
    "extended from" that source, for every other category. `covers` means nothing outside a rule
    that varies by category, and names real categories or scopes.
    """
    if not _shape_sound(policy_file, path, _SHAPE_KEYS):
        return []
    errors = []
    by_category = rule.get("varies_by") == "category"
    for case in walk_cases(rule):
        for index, period in enumerate(case.history):
            for at, source in _sources_in(path + case.path + (index,), period):
                if not policy_file.sound(at) or not isinstance(source, (str, dict)):
                    continue
                ref, _note = source_parts(source)
                covers = source_covers(source)
                if covers is not None and not by_category:
                    errors.append(policy_file.error(at + ("covers",), "found covers in a rule that does not vary "
                                                                      "by category; covers names the categories a "
                                                                      "source speaks for", at_key=True))
                elif isinstance(covers, list) and vocab is not None:
                    errors += [policy_file.error(at + ("covers", i), f"unknown category '{key}'; "
                                                                     f"{_did_you_mean(key, vocab['category'])}expected "
                                                                     f"a category or scope id ({_some(vocab['category'])})")
                               for i, key in enumerate(covers) if key not in vocab["category"]]
                if (case.is_default and case.varies_by == "category" and covers is None
                        and kinds.get(ref) in ("seed", "published")):
                    errors.append(policy_file.error(at, f"found source '{ref}' ({kinds[ref]}) on the default for all "
                                                        "other categories, without covers; say which categories or "
                                                        "scopes it speaks for (covers: [ids]; the others read as "
                                                        "illustrative, extended from it), or covers: all"))
    return errors


def _sources_in(here: tuple, period: Any):
    """(key path, source) of a period's own source and of each list item's (a refund tier's)."""
    if not isinstance(period, dict):
        return
    if "source" in period:
        yield here + ("source",), period["source"]
    if isinstance(period.get("value"), list):
        for index, item in enumerate(period["value"]):
            if isinstance(item, dict) and "source" in item:
                yield here + ("value", index, "source"), item["source"]


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


def _sections(sections_file, files: dict, catalogue: dict[str, str], unread: frozenset | set = frozenset()) -> list:
    """Each topic file is in a section folder, and in exactly one section's menu; menus name real topics.

    A topic file that did not parse (`unread`) still counts as there, so its menu entry is not unknown.
    """
    errors = []
    sections = sections_file.data
    stems = {}
    for rel in unread:
        if rel not in catalogue.values():
            stems[rel[: -len(".yaml")].split("/")[1]] = rel
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
        if stem not in listed and rel in files:
            errors.append(files[rel].error((), f"topic '{stem}' is in no section's menu: list it under `topics` "
                                               "in catalogue/sections.yaml"))
    return errors


def _history(policy_file, path: tuple, history: list, rule: dict | None, vocab: dict | None,
             source_ids: set | None) -> list:
    """Each period's dates, order, source and value (not when `rule` is None: its kind is unsound);
    a value the schema refused is skipped, with the comparisons that would need it (a period after
    an unreadable one is not compared with it)."""
    errors = []
    previous = None
    for index, period in enumerate(history):
        here = path + (index,)
        if here in policy_file.broken or not isinstance(period, dict):
            previous = None
            continue
        start = end = None
        if policy_file.sound(here + ("from",)):
            start = _real_date(policy_file, here + ("from",), period.get("from"), errors)
        if start is None:
            previous = None
        if "until" in period and policy_file.sound(here + ("until",)):
            end = _real_date(policy_file, here + ("until",), period["until"], errors)
        errors += _period_source_and_value(policy_file, here, period, rule, vocab, source_ids)
        if start is None:
            continue
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
        # An unreadable `until` leaves where this period ends unknown: the next one is not compared.
        previous = (start, end) if "until" not in period or end is not None else None
    return errors


def _gaps(policy_file, path: tuple, rule: dict, categories: dict[str, str] | None) -> list:
    """Each day from the rule's first day to its end on which a category, or a case, has no value.

    A calculator asks "the value for this category on this day" (calculators.policy.Policy.history:
    the category's case, else its scope's, else the default); a day with none is a day the rule
    cannot answer. A rule that varies by category is judged per category of the catalogue, so a
    case that starts after the rule (it replaces the default on every day, before its start too)
    and a category no case or default covers are both found; any other rule, per dated history.
    One message per history and gap, naming every category it leaves without a value.
    """
    if any(bad[:len(path)] == path for bad in policy_file.broken):
        return []  # some period is not what the schema says: its message comes first
    cases = list(walk_cases(rule))
    histories = [case.history for case in cases]
    if not all(_readable(period) for history in histories for period in history):
        return []
    first = min((dt.date.fromisoformat(p["from"]) for history in histories for p in history), default=None)
    if first is None:
        return []
    open_end = any(history and "until" not in history[-1] for history in histories)
    end = None if open_end else max(dt.date.fromisoformat(h[-1]["until"]) for h in histories if h)
    if rule.get("varies_by") == "category" and categories is not None:
        lacking = _category_histories(rule, categories)
    else:
        lacking = {(case.path, None): None for case in cases}
    found: dict[tuple, list[str]] = {}
    for (case_path, _), named in lacking.items():
        history = _at(rule, case_path) if case_path else None
        for gap in _uncovered(history or [], first, end, case_path or ("varies_by",)):
            found.setdefault(gap, []).extend(named or [])
    return [policy_file.error(path + where, _gap_message(start, stop, named, first, kind))
            for (where, start, stop, kind), named in found.items()]


def _readable(period: Any) -> bool:
    """Whether a period's from (and until, if any) are dates: a misspelt `kind` leaves them unchecked."""
    try:
        return all(dt.date.fromisoformat(period[k]) for k in ("from", "until") if k in period or k == "from")
    except (TypeError, KeyError, ValueError):
        return False


def _category_histories(rule: dict, categories: dict[str, str]) -> dict[tuple, list[str]]:
    """{(path to a history, or () for none, None): the categories that read it}, as Policy.history
    finds a category's: its own case, else its scope's, else the default `values`."""
    used: dict[tuple, list[str]] = {}
    cases = rule.get("cases") or {}
    for category, scope in categories.items():
        key = category if category in cases else scope if scope in cases else None
        if key is None:
            paths = [("values",)] if "values" in rule else [()]
        elif isinstance(cases[key], list):
            paths = [("cases", key)]
        else:  # a nested case (by medal, say): each of its histories must hold on every day too
            paths = [("cases", key) + case.path for case in walk_cases(cases[key])]
        for case_path in paths:
            used.setdefault((case_path, None), []).append(category)
    return used


def _at(node: Any, case_path: tuple) -> Any:
    for step in case_path:
        node = node[step]
    return node


def _uncovered(history: list, first: dt.date, end: dt.date | None, case_path: tuple) -> list[tuple]:
    """The spans from `first` to `end` (None: open) that `history` leaves without a value, each as
    (key path to blame, first day, last day or None, kind): kind "starts" (the history begins after
    the rule), "between" (after the period before), "ends" (its last period ends before the rule),
    "none" (no history at all).

    >>> h = [{"from": "2022-01-01", "until": "2027-01-31"}, {"from": "2027-03-01"}]
    >>> _uncovered(h, dt.date(2022, 1, 1), None, ("values",))
    [(('values', 1, 'from'), datetime.date(2027, 2, 1), datetime.date(2027, 2, 28), 'between')]
    """
    if not history:
        return [(case_path, first, end, "none")]
    gaps, day = [], first
    for index, period in enumerate(history):
        start = dt.date.fromisoformat(period["from"])
        if start > day:
            gaps.append((case_path + (index, "from"), day, start - dt.timedelta(days=1),
                         "starts" if index == 0 else "between"))
        if "until" not in period:
            return gaps
        day = max(day, dt.date.fromisoformat(period["until"]) + dt.timedelta(days=1))
    if end is None or day <= end:
        gaps.append((case_path + (len(history) - 1, "until"), day, end, "ends"))
    return gaps


def _gap_message(start: dt.date, stop: dt.date | None, named: list[str], first: dt.date, kind: str) -> str:
    """The days without a value, whose they are, and the edit that closes the gap.

    >>> _gap_message(dt.date(2027, 2, 1), dt.date(2027, 2, 28), ["toys-hobbies"], dt.date(2022, 1, 1), "between")[:80]
    "found no value for category 'toys-hobbies' from 2027-02-01 to 2027-02-28, betwee"
    """
    days = f"from {start} to {stop}" if stop is not None else f"from {start} on"
    whom = (f"category '{named[0]}'" if len(named) == 1 else
            f"{len(named)} categories ({_some(set(named))})" if named else "this case")
    if kind == "starts":
        why = (f": this case starts on {stop + dt.timedelta(days=1)}, after the rule's first day, and replaces the "
               f"default on every day; start it on {first}, with the default's value until the new one")
    elif kind == "between":
        why = f", between the period before and this one; end the period before on {stop}, or start this one on {start}"
    elif kind == "ends":
        why = (f": this period ends on {start - dt.timedelta(days=1)} while the rule goes on; drop its until, "
               "or add the period that follows")
    else:
        why = (f": no case and no default values give {'it' if len(named) == 1 else 'them'} one; add "
               f"{'its case' if len(named) == 1 else 'their cases'}, or default values")
    return (f"found no value for {whom} {days}{why}. A rule needs a value for every category on each day "
            f"from its first day ({first}) on")


def not_a_real_date(described: str) -> str:
    """The message for a date that is no day of the calendar (the schema's check says it too)."""
    return f"found {described}, which is not a real date; expected YYYY-MM-DD"


def _real_date(policy_file, path: tuple, value: Any, errors: list) -> dt.date | None:
    """`value` as a date, or None with its message added to `errors`. The schema usually refuses a
    2024-02-30 first (then `path` is unsound and this is not called), but not where the rule's
    other keys are broken too: a misspelt `kind` leaves its values' formats unchecked."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        described = f"text '{value}'" if isinstance(value, str) else repr(value)
        errors.append(policy_file.error(path, not_a_real_date(described)))
        return None


def _period_source_and_value(policy_file, here: tuple, period: dict, rule: dict | None, vocab: dict | None,
                             source_ids: set | None) -> list:
    errors = []
    for at, source in _sources_in(here, period):
        if policy_file.sound(at):
            errors += _source_ref(policy_file, at, source, source_ids)
    if rule is not None and policy_file.sound(here + ("value",)):
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
    if kind == "list" and "of" in rule and vocab is not None:
        unknown = [item for item in value if item not in vocab[rule["of"]]]
        if unknown:
            return [policy_file.error(path, f"unknown {rule['of'].replace('_', ' ')} '{unknown[0]}'; "
                                            f"{_did_you_mean(unknown[0], vocab[rule['of']])}"
                                            f"allowed: {', '.join(sorted(vocab[rule['of']]))}")]
    return []


def closest(name: str, allowed) -> str | None:
    """The allowed name `name` is most likely a misspelling of, if one is close enough."""
    import difflib

    match = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.75)
    return match[0] if match else None


def _did_you_mean(name: str, allowed) -> str:
    close = closest(name, allowed)
    # Not between ids that differ only in their numbers (seed-009, seed-000): that is no misspelling.
    if close is None or re.sub(r"\d", "", close) == re.sub(r"\d", "", name):
        return ""
    return f"did you mean '{close}'? "


def _source_ref(policy_file, path: tuple, source: Any, source_ids: set | None) -> list:
    if source_ids is None:  # sources.yaml is unsound: which ids exist is unknown
        return []
    if not (isinstance(source, str) or isinstance(source, dict) and isinstance(source.get("ref"), str)):
        # Not a source's shape. The schema says so, unless the rule's other keys kept it from
        # checking the periods (a misspelt `kind`): then it will once those are mended.
        return []
    ref, _note = source_parts(source)
    if ref in source_ids:
        return []
    at = path if isinstance(source, str) else path + ("ref",)
    return [policy_file.error(at, f"unknown source '{ref}'; {_did_you_mean(ref, source_ids)}"
                                  f"allowed: {', '.join(sorted(source_ids))}")]


def _some(ids: set) -> str:
    shown = sorted(ids)
    return ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
