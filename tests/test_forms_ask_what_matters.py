"""Forms that ask only what matters, and past dates that explain themselves (issue 28 §5, §7, §8),
through the CLI as a script or the policy team runs it: `run`'s JSON, its words in both languages,
and `list`'s spec, which the page's form is drawn from.

- Turnover is asked for only where a turnover threshold is compared with it (the recruitment
  scopes in policies/joining/recruitment.yaml), as the trademark date is only for a pending one.
- An assessment date that is not the category's day is answered, with a note naming that day.
- Before store types or the listing rules began, the answer says so and from when (the day from
  the YAML); an individual business's entry steps are its own.
- A field error names a date as the page writes it (2026年12月7日).
"""

from __future__ import annotations

import json

import pytest

from testsupport.checkout import ROOT
from testsupport.cli import run_cli
from testsupport.policy_edits import edited

AS_OF = "2026-11-22"
APPLICANT = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
             "category": "toys-hobbies", "seller_type": "factory"}  # no annual turnover: the field left empty
UNSOLD_STORE = {"category": "mens-clothing", "store_opened_on": "2015-06-01", "sales_365d_usd": 12000,
                "active_listings": 100, "listings_no_shipment_180d": 35}


def run(name: str, inputs: dict, as_of: str = AS_OF, *options: str):
    """`python -m calculators run NAME --as-of AS_OF [options]` with `inputs` on standard input."""
    return run_cli("run", name, "--as-of", as_of, *options, stdin=json.dumps(inputs), cwd=ROOT)


def result(name: str, inputs: dict, as_of: str = AS_OF, *options: str) -> dict:
    ran = run(name, inputs, as_of, *options)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return json.loads(ran.stdout)


def details(answer: dict, rule: str) -> list[str]:
    return [f["detail"] for f in answer["findings"] if f["rule"] == rule]


# --- Turnover, only where a threshold applies -----------------------------------------------------


def test_a_toy_maker_gets_an_answer_without_giving_a_turnover():
    answer = result("eligibility", APPLICANT)
    assert answer["verdict"] == "eligible"
    assert details(answer, "recruitment.recruitment_scopes") == ["No turnover threshold applies to this category."]
    zh = result("eligibility", APPLICANT, AS_OF, "--lang", "zh")
    assert zh["verdict"] == "eligible"
    assert details(zh, "recruitment.recruitment_scopes") == ["该类目没有营业额门槛。"]


@pytest.mark.parametrize("lang, message", [
    ("en", "Required in this business scope: it sets a turnover threshold for your seller type"),
    ("zh", "该经营范围对你的卖家类型设有营业额门槛，须填写"),
])
def test_a_clothing_factory_is_asked_for_its_turnover_because_its_scope_has_thresholds(lang, message):
    ran = run("eligibility", {**APPLICANT, "category": "womens-clothing"}, AS_OF, "--lang", lang)
    assert ran.returncode == 2
    assert json.loads(ran.stdout) == {"errors": [{"field": "annual_turnover_cny", "message": message}]}


@pytest.mark.parametrize("change, as_of, verdict", [
    ({"seller_type": "official_distributor"}, AS_OF, "invitation_only"),  # recruited by invitation: no threshold
    ({}, "2021-10-31", "eligible"),  # the day before the thresholds began
])
def test_clothing_needs_no_turnover_where_no_threshold_is_compared(change, as_of, verdict):
    answer = result("eligibility", {**APPLICANT, "category": "womens-clothing", **change}, as_of)
    assert answer["verdict"] == verdict
    assert not details(answer, "recruitment.preferred_turnover_cny")


def test_which_scopes_need_the_turnover_is_read_from_the_policies(tmp_path):
    # The toys' scope given thresholds in a copy of the policies: the same form now needs a turnover
    # (and so does the worked example of a toy maker, or `check` refuses the copy).
    tree = edited(tmp_path, "joining/recruitment.yaml", ("value: [apparel],", "value: [apparel, sports-toys-kids],"),
                  ("category: toys-hobbies, seller_type: factory,",
                   "category: toys-hobbies, seller_type: factory, annual_turnover_cny: 20000000,"))
    ran = run("eligibility", APPLICANT, AS_OF, "--policies", str(tree))
    assert ran.returncode == 2
    assert [e["field"] for e in json.loads(ran.stdout)["errors"]] == ["annual_turnover_cny"]


@pytest.mark.parametrize("lang, needed_when", [("en", "if a threshold applies"), ("zh", "设有门槛时必填")])
def test_the_form_spec_marks_the_turnover_as_needed_only_when_a_threshold_applies(lang, needed_when):
    specs = json.loads(run_cli("list", "--lang", lang, cwd=ROOT).stdout)
    (field,) = [f for f in specs["eligibility"]["inputs"] if f["name"] == "annual_turnover_cny"]
    assert (field["required"], field["needed_when"]) == (False, needed_when)


# --- An assessment date that is not the category's day --------------------------------------------

YOUNG_SHIRTS = {"category": "mens-clothing", "store_opened_on": "2025-06-01", "sales_365d_usd": 9000,
                "active_listings": 10, "listings_no_shipment_180d": 0}


@pytest.mark.parametrize("lang, note", [
    ("en", "1 March 2026 is not an assessment day: Men's clothing is assessed each year on 14 January, next on "
           "14 January 2027. This answer is for an assessment on 1 March 2026, as you asked."),
    ("zh", "2026年3月1日不是考核日：男装每年1月14日考核，下次考核在2027年1月14日。以下结果按你填写的2026年3月1日计算。"),
])
def test_an_assessment_date_off_the_categorys_day_is_answered_with_a_note_naming_that_day(lang, note):
    answer = result("delisting", {**YOUNG_SHIRTS, "assessment_date": "2026-03-01"}, "2026-01-20", "--lang", lang)
    assert (answer["verdict"], answer["amounts"]["assessment_date"]) == ("not_assessed", "2026-03-01")
    assert details(answer, "assessment.assessment_date") == [note]


def test_the_categorys_own_day_gets_no_such_note():
    answer = result("delisting", {**YOUNG_SHIRTS, "assessment_date": "2027-01-14"}, "2026-01-20")
    [said] = details(answer, "assessment.assessment_date")
    assert "not an assessment day" not in said and "14 January" in said


# --- Past dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, note", [
    ("en", "No unsold product link was taken off on 10 February 2020: that rule began on 1 December 2021."),
    ("zh", "2020年2月10日尚未实行无动销商品链接下架规则（自2021年12月1日起实行），因此没有商品链接被下架。"),
])
def test_before_the_listing_rules_began_no_link_is_taken_off_and_the_answer_says_from_when(lang, note):
    answer = result("delisting", UNSOLD_STORE, "2020-02-10", "--lang", lang)
    assert (answer["amounts"]["links_to_remove"], answer["amounts"]["listing_cap"]) == (0, None)
    assert details(answer, "listings.unsold_link_days") == [note]
    [cap] = details(answer, "listings.max_listings")
    assert ("1 December 2021" if lang == "en" else "2021年12月1日") in cap


def test_once_the_listing_rules_began_the_unsold_links_are_taken_off_without_the_note():
    answer = result("delisting", UNSOLD_STORE, "2021-12-01")
    assert answer["amounts"]["links_to_remove"] == 35
    assert all("began on" not in d for d in details(answer, "listings.unsold_link_days"))


def test_the_day_the_listing_rules_began_is_read_from_the_policies(tmp_path):
    tree = edited(tmp_path, "staying/listings.yaml",
                  ("- {from: 2021-12-01, value: 180,", "- {from: 2020-01-01, value: 180,"))
    answer = result("delisting", UNSOLD_STORE, "2020-02-10", "--policies", str(tree))
    assert answer["amounts"]["links_to_remove"] == 35
    # the cap still began on 1 December 2021, and says so
    assert "1 December 2021" in details(answer, "listings.max_listings")[0]


@pytest.mark.parametrize("lang, first_step", [
    ("en", "Register a seller account as an individual business."), ("zh", "以个体工商户身份注册卖家账号。"),
])
def test_an_eligible_individual_business_is_told_to_register_as_itself(lang, first_step):
    answer = result("eligibility", {**APPLICANT, "entity_type": "individual_business"}, "2021-12-14", "--lang", lang)
    assert answer["verdict"] == "eligible"
    assert answer["next_steps"][0] == first_step == answer["amounts"]["entry_steps"][0]
    enterprise = result("eligibility", APPLICANT, "2021-12-14", "--lang", lang)
    assert enterprise["next_steps"][0] != first_step and enterprise["next_steps"][1:] == answer["next_steps"][1:]


@pytest.mark.parametrize("lang, said", [
    ("en", "began on 15 August 2016"), ("zh", "自2016年8月15日起实行"),
])
def test_an_individual_before_store_types_existed_is_told_from_when_they_exist(lang, said):
    answer = result("eligibility", {**APPLICANT, "entity_type": "individual"}, "2016-08-14", "--lang", lang)
    assert (answer["verdict"], answer["amounts"]["store_types"]) == ("eligible", [])
    [note] = details(answer, "store-types.store_types_by_brand_relationship")
    assert said in note


# --- Dates in field errors, as the page writes them -----------------------------------------------


@pytest.mark.parametrize("lang, message", [
    ("en", "Later than the “Rules as of” date 7 December 2026"), ("zh", "晚于规则日期2026年12月7日"),
])
def test_a_field_error_writes_the_date_as_the_page_does(lang, message):
    pending = {**APPLICANT, "brand_relationship": "pending_owner", "trademark_filed_on": "2026-12-20"}
    ran = run("eligibility", pending, "2026-12-07", "--lang", lang)
    assert ran.returncode == 2
    assert json.loads(ran.stdout)["errors"] == [{"field": "trademark_filed_on", "message": message}]


def test_a_threshold_announced_after_the_day_asked_says_the_turnover_decides_from_then():
    # The day before the thresholds began, a clothing factory needs no turnover; the announced
    # change is answered for the same figures, and they do not say whether it will be prioritised.
    answer = result("eligibility", {**APPLICANT, "category": "womens-clothing"}, "2021-10-31")
    [change] = answer["upcoming"]
    assert (change["on"], change["rule"], change["verdict"]) == ("2021-11-01", "recruitment.recruitment_scopes",
                                                                 "eligible")
    assert change["headline"] == "Eligible; whether your application is prioritised depends on your annual turnover."
