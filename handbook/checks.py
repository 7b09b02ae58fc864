"""The checks that need both the policies and the calculators, run inside the loader's check.

- every rule a calculator reads (calculators.registry.RULES_USED) exists, with the kind and the
  unit or currency the calculator expects;
- a worked example names only its calculator's inputs and verdicts (a typo would never match).
The examples' outcomes are run by the tests (tests/test_examples.py), not here.

policy_loader takes these as `extra_checks`, so its messages keep their file, line and column
while the loader itself never imports a calculator. Everything that loads policies for a
calculator or a page (the CLI, the MkDocs hooks, the review tools) calls load_checked_bundle.
"""

from __future__ import annotations

from pathlib import Path

from calculators.registry import CALCULATORS, RULES_USED
from policy_loader import PolicyError, load_bundle

COMPARED_IN = "compares it with"


def load_checked_bundle(policy_dir: str | Path) -> dict:
    """load_bundle with the calculators' checks; raises PolicyErrors listing every problem."""
    return load_bundle(policy_dir, extra_checks=(calculator_needs, example_names))


def example_names(files: dict) -> list:
    """An example may only name its calculator's inputs and verdicts."""
    errors = []
    for policy_file in _topic_files(files).values():
        for index, example in enumerate(policy_file.data.get("examples", [])):
            errors += _example(policy_file, ("examples", index), example)
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


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _topic_files(files: dict) -> dict:
    """Topic id (file name) -> parsed file, for the files in section folders."""
    return {rel.rsplit("/", 1)[1][: -len(".yaml")]: f for rel, f in files.items() if not rel.startswith("catalogue/")}


def _example(policy_file, path: tuple, example: dict) -> list:
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
