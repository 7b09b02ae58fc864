"""The policy feed, static JSON under /api/v1/ for programs that read the handbook.

  api/v1/index.json        policy version, build time, links to the documents and their schemas
  api/v1/rules.json        every rule with its dated history (per case), each value's source and
                           provenance (per tier, and per category where a default is borrowed)
  api/v1/categories.json   the business scopes and their categories
  api/v1/calculators.json  each calculator's verdicts and input spec (what `calculators list` prints),
                           and under `translations` the same in Chinese (`list --lang zh`)
  api/v1/schemas/*.json    a JSON Schema (draft 2020-12) for each document above, and for each
                           calculator's result (result-<name>.schema.json)
  api/v1/calculators-<version>-py3-none-any.whl
                           the calculators as a pure-Python wheel (sources, standard library only), and
  api/v1/bundle.json       the policy bundle it reads: an integrator's own system gives the site's answers
                           with calculators.api.run(bundle, name, inputs, as_of=..., lang=...); index.json
                           names both with their sha256, to pin them

Everything comes from the checked bundle (hooks/mkdocs_adapter.py loads it) and calculators.api.specs, the same
data the pages and the calculators use. v1 only ever gains keys; a breaking change is a v2.
The build time honours SOURCE_DATE_EPOCH, so a reproducible build gives identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from calculators.policy import Policy, source_covers, source_parts
from calculators.messages import LANGS

FEED = Path("api") / "v1"
DOCUMENTS = ("rules", "categories", "calculators")

# ---------------------------------------------------------------------------------------------
# The documents
# ---------------------------------------------------------------------------------------------


def documents(bundle: dict, built_at: str, package: dict | None = None) -> dict[str, dict]:
    """File name (without .json) -> document; index links each by a path relative to itself.

    `package`: the calculators' wheel and the bundle as published beside the feed (write_package).
    """
    from calculators.api import specs
    from hooks import atom
    from hooks.result_schema import result_schemas

    version = bundle["version"]
    rules = {address: _rule(rule, bundle) for address, rule in bundle["rules"].items()}
    return {
        "index": {
            "version": version, "built_at": built_at, "api": "v1",
            "links": {name: f"{name}.json" for name in DOCUMENTS},
            # The documents' schemas, and each calculator's result's (result-<name>, hooks/result_schema.py).
            "schemas": {name: f"schemas/{name}.schema.json" for name in ("index", *DOCUMENTS, *result_schemas())},
            # The Atom feeds of changes (hooks/atom.py), one per language, each beside its language's pages.
            "feeds": {lang: f"../../{atom.feed_path(lang)}" for lang in LANGS},
            **({"package": package} if package else {}),
            "counts": {"rules": len(rules), "categories": len(bundle["categories"]),
                       "scopes": len(bundle["scopes"]), "calculators": len(specs(bundle))},
        },
        "rules": {"version": version, "sources": bundle["sources"], "rules": rules},
        "categories": {"version": version, "source": _source(bundle["categories_source"], bundle),
                       "scopes": bundle["scopes"], "categories": bundle["categories"]},
        # English words under "calculators"; each other language's words, same names and values, under
        # "translations" (what `calculators list --lang zh` prints).
        "calculators": {"version": version, "calculators": specs(bundle),
                        "translations": {lang: specs(bundle, lang) for lang in LANGS if lang != "en"}},
    }


def _rule(rule: dict, bundle: dict) -> dict:
    out = {"title": rule["title"], "topic": rule["topic"], "page": f"{rule['page']}#{rule['anchor']}",
           "kind": rule["kind"]}
    for key in ("description", "unit", "comparison", "varies_by", "of", "applies_to"):
        if key in rule:
            out[key] = rule[key]
    out.update(_node(rule, bundle))
    if rule.get("varies_by") == "category":
        out["provenance_by_category"] = _by_category(rule, bundle)
    return out


def _by_category(rule: dict, bundle: dict) -> dict:
    """Category -> the dated provenance of the value each category gets: a default borrowed by a
    category its source does not cover is illustrative there (extended_from names the source).
    Tiers give each tier's too. A category with a further variation (by medal) gets its default's."""
    policy = Policy(bundle)
    address = f"{rule['topic']}.{rule['name']}"
    out = {}
    for category in bundle["categories"]:
        history = policy.history(address, category=category)
        if history is None:
            continue
        out[category] = [{"from": p["from"], "until": p.get("until"),
                          "provenance": policy.provenance(p["source"], category),
                          **({"tier_provenance": [policy.provenance(t.get("source", p["source"]), category)
                                                  for t in p["value"]]}
                             if rule["kind"] == "tiers" else {})} for p in history]
    return out


def _node(node: dict, bundle: dict) -> dict:
    """A rule's (or nested case's) history: `values` is the default, `cases` per category, medal, ..."""
    out: dict = {}
    if "values" in node:
        out["values"] = [_period(p, bundle) for p in node["values"]]
    if "cases" in node:
        out["cases"] = {key: ([_period(p, bundle) for p in case] if isinstance(case, list)
                              else {"varies_by": case["varies_by"], **_node(case, bundle)})
                        for key, case in node["cases"].items()}
    return out


def _period(period: dict, bundle: dict) -> dict:
    policy = Policy(bundle)
    out = {"from": period["from"], "until": period.get("until"), "value": period["value"],
           "source": _source(period["source"], bundle), "provenance": policy.provenance(period["source"])}
    value = period["value"]
    if isinstance(value, list) and value and isinstance(value[0], dict) and "percent" in value[0]:
        # Tiers: each tier's own provenance, in the value's order (one may be sourced, the next illustrative).
        out["tier_provenance"] = [policy.provenance(tier.get("source", period["source"])) for tier in value]
    return out


def _source(source, bundle: dict) -> dict:
    ref, note = source_parts(source)
    return {"id": ref, "kind": Policy(bundle).source(ref)["kind"], "note": note, "covers": source_covers(source)}


# ---------------------------------------------------------------------------------------------
# The schemas
# ---------------------------------------------------------------------------------------------

_DATE = {"type": "string", "format": "date"}
_TEXT = {"type": "object", "required": ["en"], "properties": {"en": {"type": "string"}},
         "additionalProperties": {"type": "string"}}
_KIND = {"enum": ["seed", "published", "illustrative"]}
# `covers`: the categories or scopes the source speaks for ("all", or null where it does not say).
_SOURCE = {"type": "object", "required": ["id", "kind", "note"], "additionalProperties": False,
           "properties": {"id": {"type": "string"}, "kind": _KIND, "note": {"type": ["string", "null"]},
                          "covers": {"oneOf": [{"const": "all"}, {"type": "null"},
                                               {"type": "array", "items": {"type": "string"}}]}}}
# Where a value applied comes from (a finding's `provenance` in a calculator's result).
_PROVENANCE = {"type": "object", "required": ["kind", "source", "extended_from"], "additionalProperties": False,
               "properties": {"kind": _KIND, "source": {"type": "string"},
                              "extended_from": {"type": ["string", "null"]}}}
_PERIOD = {"type": "object", "required": ["from", "until", "value", "source"], "additionalProperties": False,
           "properties": {"from": _DATE, "until": {"oneOf": [_DATE, {"type": "null"}]}, "value": {},
                          "source": {"$ref": "#/$defs/source"}, "provenance": {"$ref": "#/$defs/provenance"},
                          "tier_provenance": {"type": "array", "items": {"$ref": "#/$defs/provenance"}}}}
_HISTORY = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/period"}}
_VERSION = {"type": "string", "pattern": "^[0-9a-f]{12}$"}


def schemas() -> dict[str, dict]:
    def doc(name: str, body: dict, defs: dict | None = None) -> dict:
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json",
                  "title": f"Seller handbook policy feed v1: {name}.json", **body}
        if defs:
            schema["$defs"] = defs
        return schema

    case = {"oneOf": [{"$ref": "#/$defs/history"},
                      {"type": "object", "required": ["varies_by"], "additionalProperties": False,
                       "properties": {"varies_by": {"type": "string"}, "values": {"$ref": "#/$defs/history"},
                                      "cases": {"type": "object", "additionalProperties": {"$ref": "#/$defs/case"}}}}]}
    rule = {"type": "object", "required": ["title", "topic", "page", "kind"], "additionalProperties": False,
            "anyOf": [{"required": ["values"]}, {"required": ["cases"]}],
            "properties": {"title": {"$ref": "#/$defs/text"}, "description": {"$ref": "#/$defs/text"},
                           "topic": {"type": "string"}, "page": {"type": "string", "pattern": "^[a-z0-9/_-]+/#[a-z0-9_]+$"},
                           "kind": {"type": "string"}, "unit": {"type": "string"},
                           "comparison": {"enum": ["at_least", "more_than", "at_most", "less_than"]},
                           "varies_by": {"type": "string"}, "of": {"type": "string"},
                           "applies_to": {"type": "array", "items": {"type": "string"}},
                           "values": {"$ref": "#/$defs/history"},
                           "cases": {"type": "object", "additionalProperties": {"$ref": "#/$defs/case"}},
                           "provenance_by_category": {"type": "object", "additionalProperties": {
                               "type": "array", "items": {
                                   "type": "object", "required": ["from", "until", "provenance"],
                                   "additionalProperties": False,
                                   "properties": {"from": _DATE, "until": {"oneOf": [_DATE, {"type": "null"}]},
                                                  "provenance": {"$ref": "#/$defs/provenance"},
                                                  "tier_provenance": {"type": "array",
                                                                      "items": {"$ref": "#/$defs/provenance"}}}}}}}}
    return {
        "index": doc("index", {
            "type": "object", "required": ["version", "built_at", "api", "links", "schemas", "counts"],
            "properties": {"version": _VERSION, "built_at": {"type": "string", "format": "date-time"},
                           "api": {"const": "v1"},
                           "links": {"type": "object", "required": list(DOCUMENTS),
                                     "additionalProperties": {"type": "string"}},
                           "schemas": {"type": "object", "additionalProperties": {"type": "string"}},
                           "feeds": {"type": "object", "propertyNames": {"enum": [*LANGS]},
                                     "additionalProperties": {"type": "string"}},
                           "package": {"type": "object", "required": ["wheel", "bundle"], "additionalProperties": False,
                                       "properties": {"wheel": {"$ref": "#/$defs/file"},
                                                      "bundle": {"$ref": "#/$defs/file"}}},
                           "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}}},
            {"file": {"type": "object", "required": ["href", "sha256"],
                      "properties": {"href": {"type": "string"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                     "version": {"type": "string"}}}}),
        "rules": doc("rules", {
            "type": "object", "required": ["version", "sources", "rules"],
            "properties": {"version": _VERSION,
                           "sources": {"type": "object", "additionalProperties": {
                               "type": "object", "required": ["kind", "title"],
                               "properties": {"kind": {"enum": ["seed", "published", "illustrative"]},
                                              "title": {"$ref": "#/$defs/text"}, "file": {"type": "string"}}}},
                           "rules": {"type": "object", "minProperties": 1,
                                     "propertyNames": {"pattern": "^[a-z0-9-]+\\.[a-z][a-z0-9_]*$"},
                                     "additionalProperties": {"$ref": "#/$defs/rule"}}}},
            {"text": _TEXT, "source": _SOURCE, "provenance": _PROVENANCE, "period": _PERIOD, "history": _HISTORY,
             "case": case, "rule": rule}),
        "categories": doc("categories", {
            "type": "object", "required": ["version", "source", "scopes", "categories"],
            "properties": {"version": _VERSION, "source": {"$ref": "#/$defs/source"},
                           "scopes": {"type": "object", "additionalProperties": {
                               "type": "object", "required": ["label", "categories"], "additionalProperties": False,
                               "properties": {"label": {"$ref": "#/$defs/text"},
                                              "categories": {"type": "array", "items": {"type": "string"}}}}},
                           "categories": {"type": "object", "additionalProperties": {
                               "type": "object", "required": ["label", "scope"], "additionalProperties": False,
                               "properties": {"label": {"$ref": "#/$defs/text"}, "scope": {"type": "string"}}}}}},
            {"text": _TEXT, "source": _SOURCE}),
        "calculators": doc("calculators", {
            "type": "object", "required": ["version", "calculators"],
            "properties": {"version": _VERSION, "calculators": {"$ref": "#/$defs/calculators"},
                           "translations": {"type": "object", "propertyNames": {"enum": [*LANGS]},
                                            "additionalProperties": {"$ref": "#/$defs/calculators"}}}},
            {"calculators": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["title", "verdicts", "inputs"],
                "properties": {"title": {"type": "string"},
                               "verdicts": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                               "inputs": {"type": "array", "items": {
                                   "type": "object", "required": ["name", "type", "label", "required"],
                                   "properties": {"name": {"type": "string"},
                                                  "type": {"enum": ["choice", "date", "money", "integer", "boolean"]},
                                                  "label": {"type": "string"}, "required": {"type": "boolean"},
                                                  "choices": {"type": "array", "items": {
                                                      "type": "object", "required": ["value", "label"]}}}}}}}}}),
    }


# ---------------------------------------------------------------------------------------------
# Writing it (called after the build by hooks/mkdocs_adapter.py)
# ---------------------------------------------------------------------------------------------


def write_feed(site_dir: Path, bundle: dict, built_at: str | None = None, today: dt.date | None = None) -> Path:
    """Write the feed, and the Atom feeds of changes as of `today`, under `site_dir`; returns its folder."""
    from hooks import atom

    built_at = built_at or _built_at()
    atom.write_feeds(Path(site_dir), bundle, LANGS, today or dt.date.fromisoformat(built_at[:10]), built_at)
    target = Path(site_dir) / FEED
    (target / "schemas").mkdir(parents=True, exist_ok=True)
    package = write_package(target, bundle)
    for name, document in documents(bundle, built_at, package).items():
        (target / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    from hooks.result_schema import result_schemas

    for name, schema in {**schemas(), **result_schemas()}.items():
        (target / "schemas" / f"{name}.schema.json").write_text(json.dumps(schema, indent=1) + "\n", encoding="utf-8")
    return target


def write_package(target: Path, bundle: dict) -> dict:
    """The calculators' pure-Python wheel and the bundle it reads, into `target`: index.json's `package`.

    The same flit build as the browser's wheel before it is precompiled (hooks/assets.py), so an
    integrator runs exactly the site's code; flit builds reproducibly, so the sha256 changes only
    when the code does.
    """
    from hooks.assets import _sha256, build_wheel

    wheel = build_wheel(target)
    shipped = target / "bundle.json"
    shipped.write_text(json.dumps(bundle, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return {"wheel": {"href": wheel.name, "sha256": _sha256(wheel), "version": wheel.name.split("-")[1]},
            "bundle": {"href": shipped.name, "sha256": _sha256(shipped), "version": bundle["version"]}}


def _built_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.isoformat(timespec="seconds")
