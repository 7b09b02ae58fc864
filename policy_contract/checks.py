"""The checks that need both the policies and the calculators, run inside the loader's check.

- every rule a calculator reads (calculators.registry.RULES_USED) exists, with the kind and the
  unit or currency the calculator expects;
- a worked example's inputs pass the calculators' own input reader (calculators.api.checked_values,
  what `run`, `batch` and the page use): an unknown category, a misspelt input name or a bad
  value is a located error here, not a failure that only the tests find; and its verdict is one
  of its calculator's (a typo would never match);
- the other way round: every rule is read by a calculator, or marked `documentation_only: true`
  (and then not read), and a rule a calculator compares states its `comparison`.
The examples' outcomes are run by the tests (tests/test_examples.py), not here.

policy_loader takes these as `extra_checks`, so its messages keep their file, line and column
while the loader itself never imports a calculator. Everything that loads policies for a
calculator or a page (the CLI, the MkDocs hooks, the review tools) calls load_checked_bundle.
"""

from __future__ import annotations

from pathlib import Path

from calculators.api import as_of_date, checked_values
from calculators.inputs import InputErrors
from calculators.messages import Words
from calculators.registry import CALCULATORS, RULES_COMPARED, RULES_USED
from policy_loader import PolicyError, load_bundle
from policy_loader.bundle import _assemble as assemble  # extra checks run on sound files, which assemble

COMPARED_IN = "compares it with"


def load_checked_bundle(policy_dir: str | Path) -> dict:
    """load_bundle with the calculators' checks; raises PolicyErrors listing every problem."""
    return load_bundle(policy_dir, extra_checks=(calculator_needs, read_or_documented, example_inputs))


def example_inputs(files: dict) -> list:
    """An example's inputs are read as the calculators read a seller's; its verdict is its calculator's."""
    bundle = assemble(files)  # the choices (categories, medals, ...) the reader checks against
    errors = []
    for policy_file in _topic_files(files).values():
        for index, example in enumerate(policy_file.data.get("examples", [])):
            errors += _example(policy_file, ("examples", index), example, bundle)
    return errors


def calculator_needs(files: dict) -> list:
    """Each rule a calculator reads must exist with the kind and currency the calculator expects."""
    topics = _topic_files(files)
    errors = []
    for address, (calculator, kind, unit) in sorted(RULES_USED.items()):
        topic, name = address.split(".", 1)
        policy_file = topics.get(topic)
        if policy_file is None:
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


def read_or_documented(files: dict) -> list:
    """Every rule is read, or says it is documentation only; a compared rule states its comparison.

    A rule is read when a calculator's RULES_USED names it, or when it `applies_to` a calculator
    (a temporary measure, listed by Policy.in_force_for). A rule a calculator compares must state
    its `comparison`, since that word, not the code, decides the result.
    """
    errors = []
    for topic, policy_file in sorted(_topic_files(files).items()):
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
                                                                 "state at_least, more_than, at_most or less_than",
                                                at_key=True))
    return errors


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _topic_files(files: dict) -> dict:
    """Topic id (file name) -> parsed file, for the files in section folders."""
    return {rel.rsplit("/", 1)[1][: -len(".yaml")]: f for rel, f in files.items() if not rel.startswith("catalogue/")}


def _example(policy_file, path: tuple, example: dict, bundle: dict) -> list:
    calculator = CALCULATORS[example["calculator"]]
    errors = []
    verdict = example["expect"]["verdict"]
    if verdict not in calculator.verdicts:
        errors.append(policy_file.error(path + ("expect", "verdict"), f"unknown verdict '{verdict}' for the "
                                                                      f"{calculator.name} calculator; allowed: "
                                                                      f"{', '.join(calculator.verdicts)}"))
    say = Words(bundle)
    try:
        checked_values(calculator, example["inputs"], bundle, as_of_date(bundle, example["as_of"]))
    except ValueError as problem:  # as_of before the handbook's rules begin (inputs.Problem)
        errors.append(policy_file.error(path + ("as_of",), _lower(say.text(problem))))
    except InputErrors as bad:
        for error in bad.errors:
            field = error["field"]
            given = field in example["inputs"]
            text = _lower(say.text(error["message"]))
            message = f"{text} ({calculator.name} calculator)" if given else \
                f"input '{field}': {text} ({calculator.name} calculator)"
            errors.append(policy_file.error(path + ("inputs", field) if given else path + ("inputs",), message,
                                            at_key=given and _name_is_wrong(field, calculator)))
    return errors


def _name_is_wrong(field: str, calculator) -> bool:
    """Point at the key when the name is the mistake, at the value when the value is."""
    return field not in {spec.name for spec in calculator.inputs}


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]
