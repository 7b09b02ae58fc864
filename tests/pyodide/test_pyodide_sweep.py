"""The charts' series are the same in Pyodide as in CPython (the worker calls sweep_json)."""

from __future__ import annotations

import pytest

from calculators.sweep import sweep

pytestmark = pytest.mark.pyodide

AS_OF = "2026-11-22"

CASES = [
    {"name": "refund", "inputs": {"category": "womens-clothing", "annual_sales_usd": 40000, "service_level": "good"}},
    {"name": "refund", "inputs": {"category": "human-hair-wigs", "annual_sales_usd": 90000, "service_level": "good"}},
    {"name": "refund", "inputs": {"category": "automotive", "annual_sales_usd": 9000, "service_level": "pass"}},
    {"name": "delisting", "inputs": {"category": "womens-clothing", "store_opened_on": "2024-03-01",
                                     "sales_365d_usd": 11000, "active_listings": 10, "listings_no_shipment_180d": 0}},
    {"name": "eligibility", "inputs": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                                       "brand_relationship": "registered_owner", "category": "shoes",
                                       "seller_type": "factory", "annual_turnover_cny": 5000000, "stores_total": 6}},
    {"name": "refund", "inputs": {"category": "nope"}},
]


def test_sweep_in_pyodide_equals_cpython(pyodide_run, bundle):
    report = pyodide_run(bundle, [{**case, "as_of": AS_OF, "sweep": True} for case in CASES])
    for case, in_pyodide in zip(CASES, report["results"], strict=True):
        assert in_pyodide == sweep(bundle, case["name"], case["inputs"], AS_OF), case
    assert report["results"][0]["steps"] and report["results"][-1] is None
