"""A result leads onward with its figures (calculators/onward.py, issue 28 §4): the view names the
next calculator and the inputs its link carries, and those inputs are a question it answers."""

from __future__ import annotations

import pytest

from calculators.api import run
from calculators.messages import Words
from calculators.onward import onward_view
from testsupport.today import TODAY

BELOW = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9999",
         "active_listings": "120", "listings_no_shipment_180d": "0"}
SAFE = {**BELOW, "sales_365d_usd": "90000"}
SELLER = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
          "seller_type": "brand", "annual_turnover_cny": "3000000"}


def test_a_store_to_be_returned_leads_to_eligibility_locked_until_it_may_rejoin(bundle):
    below = run(bundle, "delisting", BELOW, TODAY)
    assert below["verdict"] == "below_threshold"
    [link] = onward_view("delisting", BELOW, below, Words(bundle, "en"))
    returned = below["amounts"]["assessment_date"]
    assert link["calculator"] == "eligibility"
    assert link["inputs"] == {"category": "womens-clothing", "returned_on": returned, "as_of": returned}
    inputs = {k: v for k, v in link["inputs"].items() if k != "as_of"}
    locked = run(bundle, "eligibility", {**SELLER, **inputs}, link["inputs"]["as_of"])
    assert locked["amounts"]["rejoin_earliest"] == below["amounts"]["rejoin_earliest"]


def test_a_safe_store_leads_nowhere(bundle):
    assert onward_view("delisting", SAFE, run(bundle, "delisting", SAFE, TODAY), Words(bundle, "en")) == []


@pytest.mark.parametrize("category", ["automotive", "womens-clothing"])  # eligible; not prioritised
def test_a_seller_let_in_goes_on_to_the_refund_with_their_category(bundle, category):
    inputs = {**SELLER, "category": category}
    result = run(bundle, "eligibility", inputs, TODAY)
    links = onward_view("eligibility", inputs, result, Words(bundle, "zh"))
    assert [(link["calculator"], link["inputs"]) for link in links] == [("refund", {"category": category})]
    assert links[0]["text"] == "估算该经营大类的年费返还"


def test_a_seller_kept_out_is_not_sent_to_the_refund(bundle):
    inputs = {**SELLER, "entity_type": "individual_business", "category": "automotive", "annual_turnover_cny": "500000"}
    result = run(bundle, "eligibility", inputs, TODAY)
    assert result["verdict"] == "not_eligible"
    assert onward_view("eligibility", inputs, result, Words(bundle, "en")) == []
