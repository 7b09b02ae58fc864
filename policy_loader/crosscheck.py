"""Checks the JSON Schema cannot express: they look across keys and across files.

Each check has its own message, naming the key path, what was found and what is allowed:
- a reference to a category, scope, seller type (or other term) or source that does not exist;
- tiers that do not ascend;
- date ranges that are unordered, inverted or overlapping, and days like 02-30;
- a currency that does not match the rule (its name, or what a calculator compares it with);
- a worked example naming an input or verdict its calculator does not have;
- a rule that no calculator reads and that is not marked `documentation_only: true` (or is marked
  so yet read), and a rule a calculator compares that states no `comparison`;
- policy text outside the plain-text-plus-Markdown-subset rules (policy_text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from policy_loader import policy_text

COMPARED_IN = "compares it with"


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

    topics = {rel.rsplit("/", 1)[1][: -len(".yaml")]: f for rel, f in files.items() if rel not in catalogue.values()}
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
        for index, example in enumerate(policy_file.data.get("examples", [])):
            errors += _example(policy_file, ("examples", index), example)
    errors += _calculator_needs(topics)
    errors += _read_or_documented(topics)
    for policy_file in files.values():
        errors += policy_text.check_file(policy_file)
    return errors


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
    for hist_path, history in _histories(policy_file, path, rule, vocab, errors):
        errors += _history(policy_file, hist_path, history, rule, vocab, source_ids)
    return errors


def _histories(policy_file, path: tuple, node: dict, vocab: dict, errors: list) -> Iterator[tuple[tuple, list]]:
    """Every dated history in a rule, checking case keys on the way down."""
    if "values" in node:
        yield path + ("values",), node["values"]
    dimension = node.get("varies_by")
    for key, case in (node.get("cases") or {}).items():
        case_path = path + ("cases", key)
        if dimension and key not in vocab[dimension]:
            allowed = "a category or scope id" if dimension == "category" else f"a {dimension.replace('_', ' ')}"
            errors.append(policy_file.error(case_path, f"unknown {dimension.replace('_', ' ')} '{key}'; expected {allowed} "
                                                       f"({_some(vocab[dimension])})", at_key=True))
        if isinstance(case, list):
            yield case_path, case
        else:
            yield from _histories(policy_file, case_path, case, vocab, errors)


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
    ref = source if isinstance(source, str) else source["ref"]
    if ref in source_ids:
        return []
    at = path if isinstance(source, str) else path + ("ref",)
    return [policy_file.error(at, f"unknown source '{ref}'; allowed: {', '.join(sorted(source_ids))}")]


def _example(policy_file, path: tuple, example: dict) -> list:
    """An example may only name its calculator's inputs and verdicts (a typo would never match)."""
    from calculators.registry import CALCULATORS

    calculator = CALCULATORS[example["calculator"]]
    names = [field.name for field in calculator.INPUTS]
    errors = [policy_file.error(path + ("inputs", key), f"unknown input '{key}' for the {calculator.NAME} calculator; "
                                                        f"allowed: {', '.join(names)}", at_key=True)
              for key in example["inputs"] if key not in names]
    verdict = example["expect"]["verdict"]
    if verdict not in calculator.VERDICTS:
        errors.append(policy_file.error(path + ("expect", "verdict"), f"unknown verdict '{verdict}' for the "
                                                                      f"{calculator.NAME} calculator; allowed: "
                                                                      f"{', '.join(calculator.VERDICTS)}"))
    return errors


def _calculator_needs(topics: dict) -> list:
    """Each rule a calculator reads must exist with the kind and currency the calculator expects."""
    from calculators.registry import RULES_USED  # stdlib-only; imported late to keep the loader light

    errors = []
    for address, (calculator, kind, unit) in sorted(RULES_USED.items()):
        topic, name = address.split(".", 1)
        policy_file = topics.get(topic)
        if policy_file is None:
            from policy_loader.bundle import PolicyError

            errors.append(PolicyError(f"policies/<section>/{topic}.yaml", 1, 1,
                                      f"missing topic '{topic}': the {calculator} calculator reads rule {address}"))
            continue
        rule = policy_file.data["rules"].get(name)
        if rule is None:
            errors.append(policy_file.error(("rules",), f"missing rule '{name}': the {calculator} calculator reads {address}"))
            continue
        if rule["kind"] != kind:
            errors.append(policy_file.error(("rules", name, "kind"),
                                            f"found kind {rule['kind']}, but the {calculator} calculator needs {kind}"))
        elif unit is not None and rule.get("unit") != unit:
            if unit in ("USD", "CNY"):
                message = (f"found currency {rule.get('unit')}, but the {calculator} calculator {COMPARED_IN} figures "
                           f"in {unit}; money is never converted silently")
            else:
                message = f"found unit {rule.get('unit')}, but the {calculator} calculator counts it in {unit}"
            errors.append(policy_file.error(("rules", name, "unit"), message))
    return errors


def _read_or_documented(topics: dict) -> list:
    """The other way round from _calculator_needs: every rule is read, or says it is documentation only.

    A rule is read when a calculator's RULES_USED names it, or when it `applies_to` a calculator
    (a temporary measure, listed by Policy.in_force_for). A rule a calculator compares must state
    its `comparison`, since that word, not the code, decides the result.
    """
    from calculators.registry import RULES_COMPARED, RULES_USED  # stdlib-only, like _calculator_needs

    errors = []
    for topic, policy_file in sorted(topics.items()):
        for name, rule in policy_file.data["rules"].items():
            address = f"{topic}.{name}"
            readers = sorted({RULES_USED[address][0]} if address in RULES_USED else set()) + \
                list(rule.get("applies_to", []))
            if not readers and not rule.get("documentation_only"):
                errors.append(policy_file.error(("rules", name), f"no calculator reads rule {address}; have a "
                                                                 "calculator read it, or mark it documentation_only: true",
                                                at_key=True))
            elif readers and rule.get("documentation_only"):
                errors.append(policy_file.error(("rules", name, "documentation_only"),
                                                f"found documentation_only: true, but the {readers[0]} calculator "
                                                f"reads {address}"))
            if address in RULES_COMPARED and "comparison" not in rule:
                errors.append(policy_file.error(("rules", name), f"missing comparison for rule {address}: the "
                                                                 f"{RULES_COMPARED[address]} calculator decides by it; "
                                                                 "state at_least, more_than, at_most or less_than", at_key=True))
    return errors


def _some(ids: set) -> str:
    shown = sorted(ids)
    return ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
