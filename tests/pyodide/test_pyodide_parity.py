"""The calculators give identical results in CPython and in real Pyodide (npm package, under Node).

Every worked example from the policies, hand-picked boundary cases, and a few hundred cases per
calculator generated from its input spec (valid and invalid) run in ONE Pyodide batch; each must
equal CPython's result as a whole dict, errors included.

Hypothesis draws the generated cases; they are collected first and then run as one batch
through one interpreter start (seconds), not one Pyodide start per example.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from calculators.api import run, specs

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.pyodide

AS_OF = "2026-11-22"
GENERATED_PER_CALCULATOR = 300


def example_cases(bundle: dict) -> list[tuple[str, dict]]:
    return [(f"example:{e['title']['en']}", {"name": e["calculator"], "inputs": e["inputs"], "as_of": e["as_of"]})
            for e in bundle["examples"]]


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


def generated_cases(bundle: dict) -> list[tuple[str, dict]]:
    """Cases hypothesis draws from each calculator's input spec: mostly valid values, some bad.

    Hypothesis generates; the cases are collected and run in one Pyodide batch afterwards, since
    starting Pyodide per example would take seconds each. derandomize keeps the batch reproducible.
    """
    cases = []
    for name, spec in specs(bundle).items():
        drawn: list[dict] = []

        @settings(max_examples=GENERATED_PER_CALCULATOR, derandomize=True, database=None, deadline=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=_case(spec))
        def collect(case):
            drawn.append(case)

        collect()
        cases += [(f"{name} #{index}", {"name": name, **case}) for index, case in enumerate(drawn)]
    return cases


def _case(spec: dict) -> st.SearchStrategy:
    fields = {}
    for field in spec["inputs"]:
        value = _field(field)
        fields[field["name"]] = value if field.get("required", True) else st.one_of(st.just(None), value)
    as_of = st.dates(dt.date(2015, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
    inputs = st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})
    return st.fixed_dictionaries({"inputs": inputs, "as_of": as_of})


def _field(field: dict) -> st.SearchStrategy:
    """A value for one field: 1 in 20 deliberately bad, to cover the error path too."""
    kind = field["type"]
    if kind == "choice":
        good, bad = st.sampled_from([c["value"] for c in field["choices"]]), st.just("no-such-choice")
    elif kind == "date":
        good = st.dates(dt.date(2012, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
        bad = st.sampled_from(["2022-02-30", "yesterday", "2022-1-5"])
    elif kind == "boolean":
        good, bad = st.booleans(), st.just("maybe")
    elif kind == "integer":
        good = st.integers(int(field.get("minimum", 0)), min(int(field.get("maximum", 5000)), 5000))
        bad = st.sampled_from([-1, 2.5, "many"])
    elif kind == "money":
        good = st.one_of(st.integers(0, 20_000_000).map(lambda c: c / 100), st.integers(0, 60_000_000),
                         st.sampled_from([5000, 10000, 15000, 60000, 60000.01, 120000]))
        bad = st.sampled_from([-0.01, "lots", "1e999"])
    else:
        raise AssertionError(f"no generator for field type {kind}")
    return st.integers(0, 19).flatmap(lambda n: bad if n == 0 else good)


@pytest.fixture(scope="module")
def all_cases(bundle) -> list[tuple[str, dict]]:
    """Drawn when a test needs them, not at import: collecting the suite (test-fast too) need not pay for the draw."""
    return example_cases(bundle) + delisting_boundaries() + generated_cases(bundle)


@pytest.fixture(scope="module")
def pyodide_report(pyodide_run, bundle, all_cases):
    return pyodide_run(bundle, [case for _, case in all_cases])


def test_it_really_is_pyodide(pyodide_report):
    assert pyodide_report["python"].startswith("3.14")
    assert pyodide_report["platform"] == "emscripten"


def test_the_calculators_come_precompiled_as_the_site_ships_them(pyodide_report, shipped_start):
    # A first visit imports the modules without compiling them: the wheel holds .pyc, no .py.
    assert pyodide_report["modules"].endswith("/calculators/api.pyc")
    with zipfile.ZipFile(shipped_start["wheel"]) as wheel:
        names = wheel.namelist()
    assert [n for n in names if n.endswith(".py")] == []
    # Every module but the command line's entry point, which the browser never runs.
    assert {n.removesuffix("c") for n in names if n.endswith(".pyc")} == {
        f"calculators/{p.name}" for p in (ROOT / "calculators").glob("*.py")} - {"calculators/__main__.py"}


def test_every_calculator_and_example_is_covered(bundle, all_cases):
    names = {case["name"] for _, case in all_cases}
    assert names == set(specs(bundle))
    assert len(example_cases(bundle)) == len(bundle["examples"])


def test_pyodide_equals_cpython(bundle, all_cases, pyodide_report):
    mismatches = []
    for (label, case), in_pyodide in zip(all_cases, pyodide_report["results"], strict=True):
        in_cpython = run(bundle, case["name"], case["inputs"], case["as_of"])
        if in_cpython != in_pyodide:
            mismatches.append((label, case, in_cpython, in_pyodide))
    assert not mismatches, f"{len(mismatches)} of {len(all_cases)} differ; first: {mismatches[0]}"


def test_batch_reached_every_verdict_and_errors(bundle, all_cases, pyodide_report):
    """The generated batch is not degenerate: each calculator's verdicts and its error path occur."""
    reached: dict[str, set] = {}
    for (_, case), result in zip(all_cases, pyodide_report["results"]):
        reached.setdefault(case["name"], set()).add(result.get("verdict", "errors"))
    for name, spec in specs(bundle).items():
        assert set(spec["verdicts"]) | {"errors"} <= reached[name], (name, reached[name])
    print(f"\nPyodide: start {pyodide_report['startup_ms']:.0f} ms, {len(all_cases)} cases in "
          f"{pyodide_report['run_ms']:.0f} ms; verdicts reached: { {k: sorted(v) for k, v in reached.items()} }")
