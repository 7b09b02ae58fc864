"""The policy feed (/api/v1/, hooks/feed.py): built by the real `mkdocs build`, valid against the
JSON Schemas it publishes, and equal to the bundle the pages and calculators use.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from calculators.api import specs
from calculators.policy import Policy
from hooks.feed import DOCUMENTS, schemas, write_feed


@pytest.fixture()
def feed(built_handbook) -> Path:
    return built_handbook / "api" / "v1"


def load(feed: Path, name: str) -> dict:
    return json.loads((feed / name).read_text(encoding="utf-8"))


def validator(feed: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = load(feed, f"schemas/{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_every_document_is_valid_against_its_published_schema(feed):
    index = load(feed, "index.json")
    assert set(index["links"]) == set(DOCUMENTS)
    for name in ("index", *DOCUMENTS):
        path = index["links"].get(name, "index.json")
        errors = list(validator(feed, name).iter_errors(load(feed, path)))
        assert not errors, (name, [e.message for e in errors[:3]])
        assert (feed / index["schemas"][name]).is_file()


def test_the_feed_is_the_built_bundle(feed, bundle):
    index = load(feed, "index.json")
    site_bundle = json.loads((feed.parent.parent / "assets" / "policies.json").read_text(encoding="utf-8"))
    assert index["version"] == site_bundle["version"]
    # ... and the CLI's for the same policies (a content hash: the build's path for them is no part of it).
    assert index["version"] == bundle["version"]
    rules = load(feed, "rules.json")["rules"]
    assert set(rules) == set(bundle["rules"]) and index["counts"]["rules"] == len(bundle["rules"])
    toys = rules["assessment.threshold_established_store_usd"]
    seed_000 = {"kind": "seed", "source": "seed-000", "extended_from": None}
    assert toys["cases"]["toys-hobbies"] == [{"from": "2022-01-01", "until": None, "value": 10000,
                                              "source": {"id": "seed-000", "kind": "seed", "note": None, "covers": None},
                                              "provenance": seed_000}]
    assert toys["comparison"] == "at_least" and toys["page"] == "staying/assessment/#threshold_established_store_usd"
    nested = rules["listings.max_listings"]["cases"]["human-hair-wigs"]
    assert nested["varies_by"] == "medal" and nested["values"][0]["value"] == 200
    assert nested["cases"]["gold"][0]["value"] == 300 and nested["cases"]["gold"][0]["source"]["id"] == "seed-000"
    calculators = load(feed, "calculators.json")
    assert calculators["calculators"] == json.loads(json.dumps(specs(bundle)))
    # An integrator building a Chinese form gets the same spec in Chinese: same names, Chinese words.
    zh = calculators["translations"]["zh"]
    assert zh == json.loads(json.dumps(specs(bundle, "zh")))
    assert [f["name"] for f in zh["refund"]["inputs"]] == [f["name"] for f in calculators["calculators"]["refund"]["inputs"]]
    assert zh["refund"]["title"] != calculators["calculators"]["refund"]["title"]
    categories = load(feed, "categories.json")
    assert categories["categories"]["toys-hobbies"] == {"label": {"en": "Toys & hobbies", "zh": "玩具"},
                                                       "scope": "sports-toys-kids"}


def test_the_feed_gives_the_provenance_of_each_value_as_applied(feed):
    """The 50% refund tier is illustrative, the 100% tier seed-003; the established-store threshold
    speaks for apparel (seed-000), so a mobile-phone store's is illustrative, extended from seed-000."""
    rules = load(feed, "rules.json")["rules"]
    tiers = rules["refund.refund_tiers"]["values"][0]
    assert [t["percent"] for t in tiers["value"]] == [50, 100]
    assert [p["kind"] for p in tiers["tier_provenance"]] == ["illustrative", "seed"]
    assert tiers["tier_provenance"][1]["source"] == "seed-003"
    threshold = rules["assessment.threshold_established_store_usd"]
    assert threshold["values"][0]["source"]["covers"] == ["apparel"]
    by_category = threshold["provenance_by_category"]
    assert by_category["mobile-phones"][0]["provenance"] == {"kind": "illustrative", "source": "illustrative",
                                                             "extended_from": "seed-000"}
    assert by_category["toys-hobbies"][0]["provenance"] == {"kind": "seed", "source": "seed-000", "extended_from": None}
    assert by_category["womens-clothing"][0]["provenance"]["kind"] == "seed"
    wigs = rules["refund.refund_tiers"]["provenance_by_category"]["human-hair-wigs"][0]["tier_provenance"]
    assert [p["kind"] for p in wigs] == ["published", "published"]


def test_every_history_in_the_feed_resolves_like_the_bundle(feed, bundle):
    """A program reading the feed gets the value the calculators use: check one date per period."""
    import datetime as dt

    policy = Policy(bundle)
    for address, rule in load(feed, "rules.json")["rules"].items():
        for period in rule.get("values", []):
            day = dt.date.fromisoformat(period["from"])
            assert policy.resolve(address, day).value == period["value"], address


def test_the_schemas_reject_a_broken_feed(tmp_path, bundle):
    feed = write_feed(tmp_path, bundle, built_at="2026-11-23T00:00:00+00:00")
    rules = load(feed, "rules.json")
    address = next(iter(rules["rules"]))
    history = rules["rules"][address].get("values") or next(iter(rules["rules"][address]["cases"].values()))
    history[0]["source"]["kind"] = "rumour"
    del rules["rules"][address]["title"]
    messages = {e.message for e in jsonschema.Draft202012Validator(schemas()["rules"]).iter_errors(rules)}
    assert any("'title' is a required property" in m for m in messages)
    assert any("rumour" in m for m in messages)
    assert load(feed, "index.json")["built_at"] == "2026-11-23T00:00:00+00:00"
