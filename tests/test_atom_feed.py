"""The Atom feeds of policy changes (hooks/atom.py), read back as a feed reader reads them: feedparser.

A change announced for a later day is an entry on that day, marked announced; each entry links its
rule's section on the page of the feed's language; every page names its own language's feed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import pytest

from hooks.atom import feed, feed_path

TODAY = dt.date(2026, 12, 7)
BUILT_AT = "2026-12-07T06:00:00+00:00"
TOYS = "assessment.threshold_established_store_usd"


@pytest.fixture()
def announced(bundle) -> dict:
    """The bundle with a rise of the toys' established-store threshold announced for 1 March 2027."""
    planted = copy.deepcopy(bundle)
    planted["rules"][TOYS]["cases"]["toys-hobbies"].append({"from": "2027-03-01", "value": 12000, "source": "illustrative"})
    return planted


def read(document: bytes, lang: str = "en") -> feedparser.FeedParserDict:
    # The address it would be served from, so the entries' relative links resolve as a reader's do.
    parsed = feedparser.parse(document, response_headers={"content-location": f"https://handbook.example/{feed_path(lang)}",
                                                  "content-type": "application/atom+xml"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def entry_about(parsed, words: str):
    matches = [e for e in parsed.entries if words in e.title]
    assert matches, [e.title for e in parsed.entries]
    return matches


def test_an_announced_change_is_an_entry_on_its_day_linking_its_rule(announced):
    parsed = read(feed(announced, "en", TODAY, BUILT_AT))
    (entry,) = [e for e in entry_about(parsed, "Toys & hobbies") if e.updated.startswith("2027-03-01")]
    assert "USD 10,000 → at least USD 12,000" in entry.title
    assert entry.summary.startswith("Announced, from 1 March 2027")
    assert entry.link == "https://handbook.example/staying/assessment/#threshold_established_store_usd"
    # Newest first, the announced change at the top.
    assert parsed.entries[0].id == entry.id


def test_a_change_already_in_force_is_not_called_announced(announced):
    parsed = read(feed(announced, "en", dt.date(2027, 3, 1), BUILT_AT))
    (entry,) = [e for e in entry_about(parsed, "Toys & hobbies") if e.updated.startswith("2027-03-01")]
    assert entry.summary.startswith("From 1 March 2027")


def test_the_chinese_feed_speaks_chinese_and_links_the_chinese_pages(announced):
    parsed = read(feed(announced, "zh", TODAY, BUILT_AT), "zh")
    assert parsed.feed.language == "zh-Hans" and parsed.feed.title == "卖家手册：政策变更"
    entry = parsed.entries[0]
    assert entry.updated.startswith("2027-03-01") and "2027年3月1日" in entry.summary
    assert entry.link == "https://handbook.example/zh/staying/assessment/#threshold_established_store_usd"


def test_an_end_and_a_gap_are_entries_and_a_next_day_start_is_one_change(bundle):
    planted = copy.deepcopy(bundle)
    history = planted["rules"][TOYS]["cases"]["toys-hobbies"]
    history[0]["until"] = "2027-01-31"
    history.append({"from": "2027-03-01", "until": "2027-12-31", "value": 12000, "source": "illustrative"})
    toys = [e for e in read(feed(planted, "en", TODAY, BUILT_AT)).entries if "Toys & hobbies" in e.title
            and "established" in e.title]
    by_day = {e.updated[:10]: e.title.split(": ", 1)[1] for e in toys}
    assert by_day == {"2022-01-01": "at least USD 10,000 (new)", "2027-02-01": "at least USD 10,000 no longer applies",
                      "2027-03-01": "at least USD 12,000 (new)", "2028-01-01": "at least USD 12,000 no longer applies"}


def test_entry_ids_stay_the_same_from_build_to_build(bundle):
    first = [e.id for e in read(feed(bundle, "en", TODAY, BUILT_AT)).entries]
    later = [e.id for e in read(feed(bundle, "en", TODAY + dt.timedelta(days=30), "2027-01-06T06:00:00+00:00")).entries]
    assert first == later and len(set(first)) == len(first)


def test_policy_text_in_a_feed_stays_text(announced):
    hostile = copy.deepcopy(announced)
    hostile["rules"][TOYS]["title"]["en"] = "<script>alert(1)</script> & <b>bold</b>"
    entry = read(feed(hostile, "en", TODAY, BUILT_AT)).entries[0]
    assert entry.title_detail.type == "text/plain"
    assert entry.title.startswith("<script>alert(1)</script> & <b>bold</b>")


def test_the_built_site_publishes_both_feeds_and_every_page_names_its_own(built_handbook):
    index = json.loads((built_handbook / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    for lang, link in index["feeds"].items():
        path = (built_handbook / "api" / "v1" / link).resolve()
        assert path == (built_handbook / feed_path(lang)).resolve() and path.is_file()
        assert read(path.read_bytes(), lang).entries
    pages = [p for p in built_handbook.rglob("index.html") if "api" not in p.parts and "assets" not in p.parts]
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        (href,) = re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', html)
        lang = "zh" if page.relative_to(built_handbook).parts[0] == "zh" else "en"
        target = (page.parent / href).resolve()
        assert target == (built_handbook / feed_path(lang)).resolve(), (page, href)
