"""The published schema of each calculator's result (hooks/result_schema.py): every worked example's
result, in both languages, is valid against it, and the schema refuses what a result must not be."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from calculators.api import run
from calculators.registry import CALCULATORS
from hooks.result_schema import result_schema


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(json.dumps(result_schema(name)))  # as published: JSON, not Python objects
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_worked_example_is_valid_against_its_calculators_schema(bundle, lang):
    seen = set()
    for example in bundle["examples"]:
        result = run(bundle, example["calculator"], example["inputs"], as_of=example["as_of"], lang=lang)
        errors = [f"{list(e.path)}: {e.message}" for e in validator(example["calculator"]).iter_errors(result)]
        assert not errors, (example["title"]["en"], errors[:3])
        seen.add(example["calculator"])
    assert seen == set(CALCULATORS)


def test_the_schema_refuses_an_unknown_verdict_an_amount_of_the_wrong_type_and_a_bare_provenance(bundle):
    example = next(e for e in bundle["examples"] if e["calculator"] == "delisting")
    result = run(bundle, "delisting", example["inputs"], as_of=example["as_of"])
    check = validator("delisting")
    assert check.is_valid(result)
    for spoil in (lambda r: r.update(verdict="maybe"), lambda r: r["amounts"].update(threshold_usd="ten thousand"),
                  lambda r: r["findings"][0].update(provenance="seed-000"), lambda r: r.pop("upcoming")):
        spoilt = copy.deepcopy(result)
        spoil(spoilt)
        assert not check.is_valid(spoilt)


def test_each_amount_says_its_unit():
    schema = result_schema("refund")["properties"]["amounts"]["properties"]
    assert schema["refund_cny"]["x-unit"] == "CNY" and schema["next_tier_gap_usd"]["x-unit"] == "USD"
