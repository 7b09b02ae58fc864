"""The generated handbook: every page exists and shows the YAML's numbers.

The site is built once per session with `mkdocs build --strict` (and "today" pinned; tests/conftest.py),
then read as HTML. That the pages follow a YAML edit, in a build and under `mkdocs serve`, is
tests/test_pages_follow_edits.py (its own file, so that its two builds run beside this one).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from calculators.policy import Policy, walk_cases
from calculators.registry import CALCULATORS
from testsupport.checkout import ROOT
from testsupport.today import TODAY
from testsupport.built_pages import page_text, rule_section



@pytest.fixture()
def site(built_handbook) -> Path:
    return built_handbook


def test_every_generated_page_exists(site, bundle):
    pages = [topic["page"] for topic in bundle["topics"].values()]
    pages += [f"{s}/" for s in bundle["sections"]] + ["changes/", "editors/", "editors/reference/", "calculators/", ""]
    pages += [f"calculators/{name}/" for name in CALCULATORS]
    missing = [p for p in pages if not (site / p / "index.html").is_file()]
    assert not missing
    print(f"\n{len(pages)} pages: {', '.join(p or '/' for p in pages)}")


def test_every_rule_has_its_anchor(site, bundle):
    for address, rule in bundle["rules"].items():
        assert f'id="{rule["anchor"]}"' in page_text(site, rule["page"]), address


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _in_force_values(policy: Policy, address: str, today: dt.date):
    """(case, value) for the default and every case of a rule, as of today."""
    rule = policy.rule(address)
    dimension = rule.get("varies_by")
    yield "default", policy.resolve(address, today)
    for case in rule.get("cases", {}):
        if isinstance(rule["cases"][case], list):
            yield case, policy.resolve(address, today, **{dimension: case})


def test_numbers_on_the_pages_equal_the_yaml(site, bundle):
    policy = Policy(bundle)
    today = TODAY
    checked = 0
    for address, rule in bundle["rules"].items():
        if rule["kind"] not in ("amount", "count", "percent"):
            continue
        section = rule_section(site, rule["page"], rule["anchor"])
        for case, resolved in _in_force_values(policy, address, today):
            if resolved.in_force:
                assert _number(resolved.value) in section, f"{address} [{case}]: {resolved.value} not on the page"
                checked += 1
    assert checked > 30


def test_tiers_appear_with_their_comparison_words(site):
    section = rule_section(site, "fees/refund/", "refund_tiers")
    for text in ("USD 15,000 or more", "more than USD 60,000", "USD 120,000 or more", "50%", "70%", "100%"):
        assert text in section


def test_sources_are_labelled_and_illustrative_values_say_so(site, bundle):
    section = rule_section(site, "staying/assessment/", "at_risk_margin_percent")
    assert "prov-illustrative" in section and "Illustrative" in section
    # A seller reads what the source is, never its file name: that is on the Sources page, for editors.
    age = rule_section(site, "staying/assessment/", "minimum_store_age_days")
    assert "Source: egainnews article (Dec 2021)" in age and "000_9026841d5c459367.txt" not in age
    sources = page_text(site, "sources/")
    assert "000_9026841d5c459367.txt" in sources and "Blue Ocean Yiguan" in sources and "December 2021" in sources


def test_each_refund_tier_and_each_borrowed_default_shows_its_own_provenance(site):
    """The 50% tier is illustrative and the 100% tier seed-003; the established-store threshold's
    default speaks for apparel, and every other category borrows it (illustrative, extended)."""
    tiers = rule_section(site, "fees/refund/", "refund_tiers")
    fifty = tiers[tiers.index("USD 15,000 or more"):tiers.index("more than USD 60,000")]
    hundred = tiers[tiers.index("more than USD 60,000"):]
    assert "prov-illustrative" in fifty and "prov-seed" not in fifty
    assert "Source: trade article on the annual fee refund (undated)" in hundred[:hundred.index("</tr>")]
    threshold = rule_section(site, "staying/assessment/", "threshold_established_store_usd")
    default = threshold[threshold.index("All other categories"):threshold.index("</tr>", threshold.index("All other categories"))]
    assert "Source: egainnews article (Dec 2021)" in default and "Apparel & accessories" in default
    assert "Illustrative: extended from egainnews article (Dec 2021)" in default


def test_examples_appear_on_their_topic_page(site, bundle):
    for example in bundle["examples"]:
        topic = bundle["topics"][example["topic"]]
        assert example["title"]["en"] in page_text(site, topic["page"]), example["where"]


def test_changelog_is_newest_first_and_covers_every_dated_value(site, bundle):
    text = page_text(site, "changes/")
    days = re.findall(r'id="changes-(\d{4}-\d{2}-\d{2})"', text)
    assert days == sorted(days, reverse=True) and len(days) == len(set(days))
    changes = set()  # a value starts, or a window ends (the day after its `until`)
    for rule in bundle["rules"].values():
        for history in (case.history for case in walk_cases(rule)):
            changes |= {period["from"] for period in history}
            changes |= {(dt.date.fromisoformat(p["until"]) + dt.timedelta(days=1)).isoformat()
                        for p in history if p.get("until")}
    assert set(days) == changes


def test_key_reference_covers_every_schema_key(site):
    text = page_text(site, "editors/reference/")
    for schema_file in (ROOT / "policies" / "schema").glob("*.schema.json"):
        for key in _property_names(json.loads(schema_file.read_text(encoding="utf-8"))):
            assert f"<code>{key}</code>" in text, f"{schema_file.name}: {key}"


def _property_names(schema):
    if isinstance(schema, dict):
        yield from schema.get("properties", {})
        for value in schema.values():
            yield from _property_names(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _property_names(item)


def test_no_page_loads_anything_from_another_host(site):
    # Tags that make the browser fetch; rel="canonical" only names the page and fetches nothing.
    external = re.compile(r'<(?:script|link(?![^>]*rel="canonical")|img|iframe|source)[^>]+(?:src|href)="(https?:)?//',
                          re.I)
    for page in site.rglob("*.html"):
        assert not external.search(page.read_text(encoding="utf-8")), page
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_search_index_holds_the_generated_rules(site, bundle):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    assert {rule["title"]["en"] for rule in bundle["rules"].values()} <= titles


def test_every_local_link_resolves(site):
    """Including the examples' "open in the calculator" links, whose query MkDocs does not check."""
    broken = []
    for page in site.rglob("*.html"):
        for href in re.findall(r'<a [^>]*href="([^"#]+)', page.read_text(encoding="utf-8")):
            href = html.unescape(href).split("?")[0]
            if re.match(r"^[a-z]+:", href) or not href:
                continue
            # 404.html uses site-absolute links, since it is served at any depth.
            target = (site / href.lstrip("/")).resolve() if href.startswith("/") else (page.parent / href).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, broken[:10]
