"""The worked examples in policies/*.yaml, run as tests (like OpenFisca's YAML tests).

A policy edit that changes an outcome fails here until its example is updated, and the failure
names the example's file and line.
"""

from __future__ import annotations


from calculators.api import run, specs
from testsupport.policy_bundle import policy_bundle

MINIMUM_PER_CALCULATOR = 5


def pytest_generate_tests(metafunc):
    """One test per worked example, read from the bundle when the tests are collected (not when this
    module is imported: testsupport.policy_bundle loads it once per process, as the `bundle` fixture does)."""
    if "example" in metafunc.fixturenames:
        examples = policy_bundle()["examples"]
        metafunc.parametrize("example", examples, ids=[e["where"] for e in examples])


def test_example_gives_its_expected_result(bundle, example):
    result = run(bundle, example["calculator"], example["inputs"], example["as_of"])
    assert "errors" not in result, f"{example['where']}: the example's inputs are invalid: {result['errors']}"
    expected = example["expect"]
    assert result["verdict"] == expected["verdict"], f"{example['where']}: {result['headline']}"
    for name, value in expected.get("amounts", {}).items():
        assert name in result["amounts"], f"{example['where']}: no amount '{name}'"
        assert result["amounts"][name] == value, f"{example['where']}: amounts.{name}"
    if "upcoming" in expected:
        # Each announced change the example names, in order; only the keys it states are compared.
        got = [{k: item[k] for k in want} for item, want in zip(result["upcoming"], expected["upcoming"])]
        assert len(result["upcoming"]) == len(expected["upcoming"]) and got == expected["upcoming"], \
            f"{example['where']}: upcoming is {result['upcoming']}"


def test_each_calculator_has_examples_reaching_every_verdict(bundle):
    for name, spec in specs(bundle).items():
        mine = [e for e in bundle["examples"] if e["calculator"] == name]
        assert len(mine) >= MINIMUM_PER_CALCULATOR, f"{name}: {len(mine)} examples"
        assert {e["expect"]["verdict"] for e in mine} == set(spec["verdicts"]), name
