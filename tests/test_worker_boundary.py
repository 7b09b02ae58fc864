"""The browser worker's exact call, `run_json(bundle_json, name, inputs_json, options_json)`, in CPython.

The worker sends only JSON text. A reader who leaves "Rules as of" empty sends `as_of: ""` with
their own `today`; these tests make that same call, so a `null`/`jsnull` slip cannot hide again.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from calculators.api import run, run_json

FORMS = {  # what a reader fills in, optional fields left empty
    "delisting": {"category": "toys-hobbies", "store_opened_on": "2023-01-10", "sales_365d_usd": "12000",
                  "active_listings": "40", "listings_no_shipment_180d": "3"},
    "refund": {"category": "toys-hobbies", "annual_sales_usd": "20000", "service_level": "good"},
    "eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
                    "category": "toys-hobbies", "seller_type": "ordinary_trader", "annual_turnover_cny": "500000"},
}


@pytest.fixture(scope="module")
def bundle_json(bundle) -> str:
    return json.dumps(bundle)


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("options", [{"as_of": "", "today": "2026-11-23"}, {"as_of": None, "today": "2026-11-23"},
                                     {"today": "2026-11-23"}])
def test_empty_as_of_means_the_readers_today(bundle, bundle_json, name, options):
    result = json.loads(run_json(bundle_json, name, json.dumps(FORMS[name]), json.dumps(options)))
    assert "errors" not in result, result
    assert result["as_of"] == "2026-11-23"
    assert result == run(bundle, name, FORMS[name], "2026-11-23")


@pytest.mark.parametrize("name", FORMS)
def test_no_options_at_all_means_the_machines_today(bundle_json, name):
    result = json.loads(run_json(bundle_json, name, json.dumps(FORMS[name])))
    assert result["as_of"] == dt.date.today().isoformat()


def test_a_set_as_of_wins_over_today(bundle_json):
    options = json.dumps({"as_of": "2024-03-01", "today": "2026-11-23"})
    result = json.loads(run_json(bundle_json, "refund", json.dumps(FORMS["refund"]), options))
    assert result["as_of"] == "2024-03-01"


def test_a_bad_as_of_is_an_error_on_that_field(bundle_json):
    options = json.dumps({"as_of": "2024-02-30"})
    result = json.loads(run_json(bundle_json, "refund", json.dumps(FORMS["refund"]), options))
    assert result["errors"][0]["field"] == "as_of"
