"""Hostile input inside real Pyodide: a fuzz sample gives no crash and the same answer as CPython.

About 200 cases that hypothesis draws with the fuzz tests' strategies (testsupport/hostile_input.py:
any JSON value in any field, unknown names, odd as-of dates, typed or strict), plus named hostile
texts (deep nesting, 5,001-digit and 10**400 numbers, names given twice, text that is not JSON). Each crosses the boundary as the worker sends it: inputs and options as JSON
text, run in ONE Pyodide batch (see run_cases.mjs), and must equal CPython's run_json exactly.
"""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from calculators.api import run_json, specs
from testsupport.hostile_input import assert_answered, hostile_case

pytestmark = pytest.mark.pyodide


SAMPLE_SIZE = 200
REFUND = '{"category": "automotive", "service_level": "good", "annual_sales_usd": %s}'
NAMED = [  # (calculator, inputs text, options text)
    ("refund", "[" * 100_000, "{}"),
    ("refund", "{" * 50 + "}" * 50, "{}"),
    ("refund", REFUND % ("7" * 5001), '{"as_of": "2026-11-22"}'),
    ("refund", REFUND % ("1" + "0" * 400), '{"as_of": "2026-11-22"}'),
    ("refund", REFUND % "1e308", '{"as_of": "2026-11-22"}'),
    ("refund", REFUND % "1e999", '{"as_of": "2026-11-22"}'),
    ("refund", REFUND % "NaN", '{"as_of": "2026-11-22"}'),
    ("refund", REFUND % '"15,000"', '{"as_of": "2026-11-22", "typed": true}'),
    ("refund", REFUND % '"1,5"', '{"as_of": "2026-11-22", "typed": true}'),
    ("refund", REFUND % '"١٥٠٠٠"', '{"as_of": "2026-11-22"}'),
    ("refund", '{"category": "automotive", "category": "automotive"}', "{}"),
    ("refund", "{not json", "{}"),
    ("refund", "{}", "{not json"),
    ("refund", "{}", '{"as_of": "9999-12-31"}'),
    ("eligibility", '{"returned_on": "9999-12-31"}', '{"as_of": "2026-11-22"}'),
    ("nope", "{}", "{}"),
]


def fuzz_sample() -> list[dict]:
    """The drawn cases as the worker's texts; derandomize keeps the batch the same run to run."""
    drawn: list[dict] = []

    @settings(max_examples=SAMPLE_SIZE, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=hostile_case())
    def collect(case):
        drawn.append({"name": case["name"], "inputs_json": json.dumps(case["inputs"]),
                      "options_json": json.dumps({"as_of": case["as_of"], "typed": case["typed"]})})

    collect()
    return drawn


@functools.cache
def all_cases() -> list[dict]:
    """Drawn on first use, not at import: collecting the suite (test-fast too) need not pay for the draw."""
    return fuzz_sample() + [{"name": n, "inputs_json": i, "options_json": o} for n, i, o in NAMED]


@pytest.fixture(scope="module")
def fuzz_report(pyodide_run, bundle):
    return pyodide_run(bundle, all_cases())


def test_the_drawn_sample_varies_over_every_calculator_and_both_ways_of_reading_numbers(bundle):
    """The sample is worth its time in Pyodide only if hypothesis really varied it: many distinct
    texts, every calculator, typed and strict."""
    drawn = all_cases()[: -len(NAMED)]
    assert len({(case["name"], case["inputs_json"]) for case in drawn}) >= SAMPLE_SIZE // 2
    assert {case["name"] for case in drawn} == set(specs(bundle))
    assert {json.loads(case["options_json"])["typed"] for case in drawn} == {True, False}


def test_no_case_crashes_in_pyodide(fuzz_report):
    crashes = [(case, result["crash"]) for case, result in zip(all_cases(), fuzz_report["results"], strict=True)
               if "crash" in result]
    assert not crashes, f"{len(crashes)} crashed; first: {crashes[0]}"
    for result in fuzz_report["results"]:
        assert_answered(result)


def test_pyodide_answers_as_cpython_does(bundle, fuzz_report):
    bundle_json, mismatches = json.dumps(bundle), []
    for case, in_pyodide in zip(all_cases(), fuzz_report["results"], strict=True):
        in_cpython = json.loads(run_json(bundle_json, case["name"], case["inputs_json"], case["options_json"]))
        if in_cpython != in_pyodide:
            mismatches.append((case, in_cpython, in_pyodide))
    assert not mismatches, f"{len(mismatches)} of {len(all_cases())} differ; first: {mismatches[0]}"


def test_the_sample_reaches_results_and_errors(fuzz_report):
    kinds = {"errors" if "errors" in r else "result" for r in fuzz_report["results"]}
    assert kinds == {"errors", "result"}
