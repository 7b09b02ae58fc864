"""Hostile input for the calculators, shared by the CPython fuzz tests (tests/test_input_fuzz.py)
and the same sample run in Pyodide (tests/pyodide/test_pyodide_fuzz.py): hypothesis strategies
for JSON values of every type and size, whole hostile cases for any calculator, and what an
answer to them must look like.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

from hypothesis import strategies as st

from calculators.api import specs
from calculators.inputs import EARLIEST, LATEST
from testsupport.policy_bundle import policy_bundle



@functools.cache
def calculator_specs() -> dict:
    """Every calculator's input spec, from the bundle, read when a strategy first draws (not at import)."""
    return specs(policy_bundle())


RESULT_KEYS = {"calculator", "as_of", "policy_version", "verdict", "headline", "amounts", "findings", "next_steps",
               "upcoming", "dates"}

# ---------------------------------------------------------------------------------------------
# Strategies: hostile JSON values
# ---------------------------------------------------------------------------------------------

UNICODE_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９߀०१२३४५६७८९²³¹"
numbers = st.one_of(
    st.integers(-10, 10**13), st.integers(), st.sampled_from([10**400, -(10**400), 10**19, 2**63, 10**12, 10**12 + 1]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 1e300, 5e-324, -0.0, 1e12]))
texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("0123456789,. -e+" + UNICODE_DIGITS), max_size=20),
    st.sampled_from(["1,5", "12,34", "9,000", "9 000", "1,234,567.5", "1.234,5", "abc", "5e", "1e5", " 42 ", "",
                     "NaN", "Infinity", "-0", ".5", "2024-W09-4", "2024-02-29", "9999-12-31", "0001-01-01",
                     "2024-0２-01", "20240229", "2024-02-29T00:00", "true", "false", "none", "9" * 5001]),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                                  inner, max_size=4),
                           max_leaves=12)
hostile_values = st.one_of(scalars, scalars, scalars, json_values)  # mostly scalars: containers all fail alike


def good_value(field: dict) -> st.SearchStrategy:
    """A value the field accepts, anywhere in its range and often at an end of it."""
    kind = field["type"]
    if kind == "choice":
        return st.sampled_from([c["value"] for c in field["choices"]])
    if kind == "date":
        return st.one_of(st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
                         st.sampled_from([EARLIEST, LATEST])).map(dt.date.isoformat)
    if kind == "boolean":
        return st.booleans()
    low, high = int(field["minimum"]), int(field["maximum"])
    whole = st.one_of(st.integers(low, min(high, 100_000)), st.integers(low, high), st.sampled_from([low, high]))
    if kind == "money":
        return st.one_of(whole, st.floats(low, high), whole.map(str), whole.map(lambda n: f"{n}.50" if n < high else str(n)))
    return whole


@st.composite
def hostile_case(draw) -> dict:
    """One calculator's inputs: hostile throughout, or good but for one hostile value, or all good.

    With one hostile value the rest is good, so a hostile value that happens to be allowed (0,
    the maximum, a grouped "9,000" when typed) reaches the calculator itself; all good values,
    often at the ends of their ranges, reach it too.
    """
    name = draw(st.sampled_from(sorted(calculator_specs())))
    fields = calculator_specs()[name]["inputs"]
    mode = draw(st.sampled_from(["throughout", "one", "none"]))
    throughout = mode == "throughout"
    hostile = draw(st.sampled_from([f["name"] for f in fields])) if mode == "one" else None
    inputs = {}
    for field in fields:
        if throughout:
            choice = draw(st.integers(0, 3))  # leave out, good, hostile, hostile
        else:
            choice = 2 if field["name"] == hostile else draw(st.integers(0 if not field.get("required", True) else 1, 1))
        if choice == 1:
            inputs[field["name"]] = draw(good_value(field))
        elif choice >= 2:
            inputs[field["name"]] = draw(hostile_values)
    if throughout:
        inputs.update(draw(st.dictionaries(st.text(max_size=20), json_values, max_size=2)))  # unknown names, mostly
    else:
        agree(inputs)
    as_of = draw(st.one_of(st.none(), texts, st.dates(EARLIEST, LATEST).map(dt.date.isoformat)) if throughout
                 else st.one_of(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)), st.dates(EARLIEST, LATEST),
                                st.just(LATEST)).map(dt.date.isoformat))
    return {"name": name, "inputs": inputs, "as_of": as_of, "typed": draw(st.booleans())}


def agree(inputs: dict) -> None:
    """Make good values agree across fields (a part never exceeds its whole), so more cases reach a verdict."""
    for part, whole in (("listings_no_shipment_180d", "active_listings"), ("stores_in_category", "stores_total")):
        if type(inputs.get(part)) is int and type(inputs.get(whole)) is int:
            inputs[part] = min(inputs[part], inputs[whole])
    if inputs.get("brand_relationship") == "none" and type(inputs.get("brands_count")) is int:
        inputs["brands_count"] = min(inputs["brands_count"], 1)
    elif "brand_relationship" in inputs and inputs.get("brands_count") == 0:
        inputs["brands_count"] = 1


def assert_answered(answer: dict) -> None:
    """A result, or errors that each name a field and say something."""
    assert isinstance(answer, dict)
    if "errors" in answer:
        assert set(answer) == {"errors"} and answer["errors"], answer
        for error in answer["errors"]:
            assert set(error) == {"field", "message"}, error
            assert isinstance(error["field"], str) and error["field"], error
            assert isinstance(error["message"], str) and error["message"].strip(), error
            assert len(error["message"]) < 1000, error  # never the whole of a huge value
    else:
        assert set(answer) == RESULT_KEYS, answer
        json.dumps(answer, allow_nan=False)  # finite figures only: JSON without NaN or Infinity
