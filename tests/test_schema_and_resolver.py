"""The schema files are current, every policy file points its editor at one, and the one resolver
answers for every rule on every date: before it existed, on its edges, after it ended."""

from __future__ import annotations

import datetime as dt

import pytest

from calculators.policy import ENDED, IN_FORCE, NO_CASE, NOT_YET, Policy, resolve_history, walk_cases
from policy_contract.schema import render
from policy_loader.schema_source import SCHEMA_DIR, SCHEMAS
from testsupport.checkout import POLICIES


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_schema_is_the_generated_one(name):
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == render(name), f"policies/schema/{name} is stale: run `make schema`"


@pytest.mark.parametrize("path", sorted(POLICIES.rglob("*.yaml")), ids=lambda p: str(p.relative_to(POLICIES)))
def test_every_policy_file_names_its_schema_for_the_editor(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    catalogue = {"terms.yaml", "categories.yaml", "sources.yaml", "sections.yaml", "glossary.yaml", "messages.yaml"}
    expected = path.stem if path.parent.name == "catalogue" and path.name in catalogue else "topic"
    assert first == f"# yaml-language-server: $schema=../schema/{expected}.schema.json"


def _day(iso: str, shift: int = 0) -> dt.date:
    return dt.date.fromisoformat(iso) + dt.timedelta(days=shift)


def test_every_rule_resolves_on_every_edge_of_every_period(bundle):
    policy = Policy(bundle)
    checked = 0
    for address, rule in bundle["rules"].items():
        for case in walk_cases(rule):
            dims, history = dict(case.dims), case.history
            first = history[0]["from"]
            assert resolve_history(address, history, _day(first, -1)).status == NOT_YET
            for period in history:
                on = resolve_history(address, history, _day(period["from"]))
                assert (on.status, on.value) == (IN_FORCE, period["value"]), address
                if period.get("until"):
                    last = resolve_history(address, history, _day(period["until"]))
                    assert last.value == period["value"]
                    after = resolve_history(address, history, _day(period["until"], 1))
                    assert after.status in (IN_FORCE, ENDED)
                checked += 1
            far = resolve_history(address, history, dt.date(2999, 1, 1))
            assert far.status in (IN_FORCE, ENDED)
            policy.resolve(address, dt.date(1990, 1, 1), **dims)  # never raises
    assert checked >= 70


def test_the_resolver_names_why_there_is_no_value(bundle):
    policy = Policy(bundle)
    assert policy.resolve("assessment.assessment_date", dt.date(2021, 12, 31)).status == NOT_YET
    ended = policy.resolve("six-guarantees-2020.undelivered_order_exemption", dt.date(2026, 11, 22))
    assert (ended.status, ended.value) == (ENDED, None)
    assert policy.resolve("recruitment.preferred_turnover_cny", dt.date(2026, 1, 1),
                          seller_type="official_distributor").status == NO_CASE


def test_a_category_case_beats_its_scope_and_the_default(bundle):
    policy = Policy(bundle)
    day = dt.date(2026, 11, 22)
    assert policy.value("assessment.assessment_date", day, category="womens-clothing") == "01-14"  # via its scope
    assert policy.value("assessment.assessment_date", day, category="automotive") == "02-14"  # the default
    assert policy.value("listings.max_listings", day, category="human-hair-wigs", medal="gold") == 300


def test_an_announced_value_takes_over_on_its_day():
    history = [{"from": "2022-01-01", "until": "2027-03-31", "value": 10000, "source": "seed-000"},
               {"from": "2027-04-01", "value": 12000, "source": {"ref": "published", "note": "announced"}}]
    assert resolve_history("x.y", history, dt.date(2026, 11, 22)).value == 10000
    announced = resolve_history("x.y", history, dt.date(2027, 4, 1))
    assert (announced.value, announced.source, announced.source_note) == (12000, "published", "announced")
