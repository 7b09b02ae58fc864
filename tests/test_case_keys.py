"""One key has one meaning (issue 26 §2): a `varies_by: category` case key names a category or a
whole scope, and the check keeps the two kinds of id apart, so a new category takes exactly what
the editors' page says: its own case, else its scope's, else the rule's default.
"""

from __future__ import annotations

import datetime as dt
import re

from calculators.policy import Policy
from policy_contract.checks import load_checked_bundle
from testsupport.checkout import POLICIES, ROOT
from testsupport.policy_edits import edited

DAY = dt.date(2026, 11, 23)
NEW_CATEGORIES = ("      automotive: {label: {en: Automotive, zh: 汽车及摩托车配件}}\n",
                  "      automotive: {label: {en: Automotive, zh: 汽车及摩托车配件}}\n"
                  "      motorcycle-parts: {label: {en: Motorcycle parts, zh: 摩托车配件}}\n")
NEW_APPAREL = ("      mens-clothing: {label: {en: Men's clothing, zh: 男装}}\n",
               "      mens-clothing: {label: {en: Men's clothing, zh: 男装}}\n"
               "      swimwear: {label: {en: Swimwear, zh: 泳装}}\n")


def test_no_scope_id_is_also_a_category_id():
    bundle = load_checked_bundle(POLICIES)
    assert set(bundle["scopes"]) & set(bundle["categories"]) == set()


def test_a_new_category_takes_its_scopes_case_else_the_rules_default(tmp_path):
    policy = Policy(load_checked_bundle(edited(tmp_path, "catalogue/categories.yaml", NEW_CATEGORIES, NEW_APPAREL)))
    commission = "annual-fee.commission_percent"
    assert policy.value(commission, DAY, category="automotive") == 5  # the automotive category's own case
    assert policy.value(commission, DAY, category="motorcycle-parts") == 8  # no case of its scope: the default
    assessed = "assessment.assessment_date"
    assert policy.value(assessed, DAY, category="swimwear") == "01-14"  # the apparel scope's case
    assert policy.value(assessed, DAY, category="motorcycle-parts") == "02-14"  # the default


def test_the_editors_page_says_the_value_a_new_category_gets():
    page = (ROOT / "docs" / "editors" / "index.md").read_text(encoding="utf-8")
    default = Policy(load_checked_bundle(POLICIES)).value("annual-fee.commission_percent", DAY, category="shoes")
    said = " ".join(page.split())
    assert f"pays the default {default}% commission, since the 5% there is the `automotive` category's own case" in said
    assert re.search(r"otherwise its scope's case, if the rule has one", said)
    assert "It takes every rule's default at once" not in said
