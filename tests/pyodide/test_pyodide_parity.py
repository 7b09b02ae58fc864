"""The calculators give identical results in CPython and in real Pyodide (npm package, under Node).

Every worked example from the policies, hand-picked boundary cases, and a few hundred cases per
calculator generated from its input spec (valid and invalid) run in ONE Pyodide batch; each must
equal CPython's result as a whole dict, errors included.

Cases are generated with random.Random(seed) rather than hypothesis: the point is one batch of
many cases through one interpreter start (seconds), which hypothesis's one-example-at-a-time
loop does not fit; a fixed seed keeps failures reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from calculators.api import run, specs
from policy_loader import load_bundle

POLICIES = Path(__file__).resolve().parents[2] / "policies"

pytestmark = pytest.mark.pyodide

BUNDLE = load_bundle(POLICIES)
AS_OF = "2026-11-22"
GENERATED_PER_CALCULATOR = 300


def example_cases() -> list[tuple[str, dict]]:
    return [(f"example:{e['title']['en']}", {"name": e["calculator"], "inputs": e["inputs"], "as_of": e["as_of"]})
            for e in BUNDLE["examples"]]


def delisting_boundaries() -> list[tuple[str, dict]]:
    assessed = dt.date(2027, 1, 14)  # womens-clothing's next assessment after AS_OF
    base = {"category": "womens-clothing", "medal": "none", "active_listings": 10, "listings_no_shipment_180d": 0,
            "assessment_date": assessed.isoformat()}
    cases = []
    for age in (364, 365, 730, 731):
        for sales in (4999.99, 5000, 5999.99, 6000, 9999.99, 10000, 11999.99, 12000):
            opened = (assessed - dt.timedelta(days=age)).isoformat()
            cases.append((f"age {age} sales {sales}", {**base, "store_opened_on": opened, "sales_365d_usd": sales}))
    for medal in ("gold", "silver", "none"):
        for listings in (199, 200, 201, 300, 301):
            cases.append((f"hair {medal} {listings}", {**base, "category": "human-hair-wigs", "medal": medal,
                                                       "store_opened_on": "2020-01-01", "sales_365d_usd": 30000,
                                                       "active_listings": listings}))
    cases.append(("invalid", {"category": "nope", "store_opened_on": "2022-02-30", "sales_365d_usd": -1,
                              "active_listings": 1.5}))
    return [(name, {"name": "delisting", "inputs": inputs, "as_of": AS_OF}) for name, inputs in cases]


def generated_cases(seed: int = 20261122) -> list[tuple[str, dict]]:
    """Cases drawn from each calculator's input spec: mostly valid values, some deliberately bad."""
    rng = random.Random(seed)
    cases = []
    for name, spec in specs(BUNDLE).items():
        for index in range(GENERATED_PER_CALCULATOR):
            inputs = {}
            for field in spec["inputs"]:
                if not field.get("required", True) and rng.random() < 0.3:
                    continue
                inputs[field["name"]] = _draw(rng, field, bad=rng.random() < 0.05)
            as_of = (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 14 * 365))).isoformat()
            cases.append((f"{name} #{index}", {"name": name, "inputs": inputs, "as_of": as_of}))
    return cases


def _draw(rng: random.Random, field: dict, bad: bool):
    kind = field["type"]
    if kind == "choice":
        return "no-such-choice" if bad else rng.choice(field["choices"])["value"]
    if kind == "date":
        if bad:
            return rng.choice(["2022-02-30", "yesterday", "2022-1-5"])
        return (dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 16 * 365))).isoformat()
    if kind == "boolean":
        return "maybe" if bad else rng.random() < 0.7
    if kind == "integer":
        if bad:
            return rng.choice([-1, 2.5, "many"])
        top = int(field.get("maximum", 5000))
        return rng.randrange(int(field.get("minimum", 0)), min(top, 5000) + 1)
    if kind == "money":
        if bad:
            return rng.choice([-0.01, "lots", "1e999"])
        return round(rng.choice([rng.uniform(0, 200_000), rng.uniform(0, 60_000_000), rng.randrange(0, 130_000)]), 2)
    raise AssertionError(f"no generator for field type {kind}")


CASES = example_cases() + delisting_boundaries() + generated_cases()


@pytest.fixture(scope="module")
def pyodide_report(pyodide_run):
    return pyodide_run(BUNDLE, [case for _, case in CASES])


def test_it_really_is_pyodide(pyodide_report):
    assert pyodide_report["python"].startswith("3.14")
    assert pyodide_report["platform"] == "emscripten"


def test_every_calculator_and_example_is_covered():
    names = {case["name"] for _, case in CASES}
    assert names == set(specs(BUNDLE))
    assert len(example_cases()) == len(BUNDLE["examples"])


def test_pyodide_equals_cpython(pyodide_report):
    mismatches = []
    for (label, case), in_pyodide in zip(CASES, pyodide_report["results"], strict=True):
        in_cpython = run(BUNDLE, case["name"], case["inputs"], case["as_of"])
        if in_cpython != in_pyodide:
            mismatches.append((label, case, in_cpython, in_pyodide))
    assert not mismatches, f"{len(mismatches)} of {len(CASES)} differ; first: {mismatches[0]}"


def test_batch_reached_every_verdict_and_errors(pyodide_report):
    """The generated batch is not degenerate: each calculator's verdicts and its error path occur."""
    reached: dict[str, set] = {}
    for (_, case), result in zip(CASES, pyodide_report["results"]):
        reached.setdefault(case["name"], set()).add(result.get("verdict", "errors"))
    for name, spec in specs(BUNDLE).items():
        assert set(spec["verdicts"]) | {"errors"} <= reached[name], (name, reached[name])
    print(f"\nPyodide: start {pyodide_report['startup_ms']:.0f} ms, {len(CASES)} cases in "
          f"{pyodide_report['run_ms']:.0f} ms; verdicts reached: { {k: sorted(v) for k, v in reached.items()} }")
