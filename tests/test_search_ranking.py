"""The search index's order, without a build (hooks/search_index.py): which page is each term's
home, the boosts by reader, and the correction to Material's Chinese query segmentation.

The browser test (tests/browser/test_search.py) types the queries; these say why the order is what it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import material
from hooks import search_index

MATERIAL_WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"


def test_each_term_tags_the_page_that_states_its_rule(bundle):
    english, chinese = search_index.page_tags(bundle, "en"), search_index.page_tags(bundle, "zh")
    assert "Annual fee (annual technical-service fee)" in english["fees/annual-fee/"]
    assert "Annual fee refund" in english["fees/refund/"] and "Annual fee refund" not in english["fees/annual-fee/"]
    assert "Listing cap" in english["staying/listings/"]
    # The calculator that reads most of its rules from a topic names that topic's page.
    assert "Delisting risk" in english["staying/assessment/"] and "Entry eligibility" in english["joining/requirements/"]
    assert "退款" in chinese["fees/refund/"] and "商品发布数量上限" in chinese["staying/listings/"]


def test_a_chinese_tag_is_cut_into_the_words_a_reader_types(bundle):
    assert search_index._segmented("年费（技术服务费年费）").split("\u200b") == ["年费", "技术", "服务费", "年费"]
    assert search_index._segmented("年费返还").split("\u200b") == ["年费", "返还"]


@pytest.mark.parametrize("location, boost", [
    ("fees/refund/", search_index.BOOST_RULE), ("fees/refund/#refund_tiers", search_index.BOOST_RULE),
    ("calculators/delisting/", search_index.BOOST_CALCULATOR), ("calculators/", search_index.BOOST_OTHER),
    ("fees/", search_index.BOOST_OTHER), ("", search_index.BOOST_OTHER),
    ("editors/reference/#example", search_index.BOOST_BACKSTAGE), ("integrators/", search_index.BOOST_BACKSTAGE)])
def test_rules_rank_above_calculators_above_indexes_above_editors_pages(bundle, location, boost):
    assert search_index.boost(location, bundle) == boost


def test_materials_chinese_query_segmentation_is_corrected_once(tmp_path):
    """Material's worker never looks for a word ending at a query's last character: 年费 became 年."""
    workers = tmp_path / "assets" / "javascripts" / "workers"
    shutil.copytree(MATERIAL_WORKERS, workers)
    (worker,) = [path for path in workers.glob("search.*.min.js")]
    original = worker.read_text(encoding="utf-8")
    assert len(search_index.SEGMENT_LOOP.findall(original)) == 1
    search_index.fix_chinese_query_segmentation(tmp_path)
    fixed = worker.read_text(encoding="utf-8")
    assert fixed != original and not search_index.SEGMENT_LOOP.search(fixed)
    assert len(fixed) == len(original) + 1  # one "<" became "<="
    search_index.fix_chinese_query_segmentation(tmp_path)  # a rebuild into the same folder
    assert worker.read_text(encoding="utf-8") == fixed


def test_a_material_whose_worker_reads_otherwise_stops_the_build(tmp_path):
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.0000.min.js").write_text("for(let i=0;i<n;i++)x()", encoding="utf-8")
    with pytest.raises(ValueError, match="Chinese query segmentation"):
        search_index.fix_chinese_query_segmentation(tmp_path)


def test_a_chinese_page_reads_its_languages_root():
    page = '<script id="__config" type="application/json">{"annotate": null, "base": "../../..", "features": []}</script>'
    assert '"base": "../.."' in search_index.language_base(page)
    assert '"base": "."' in search_index.language_base(page.replace("../../..", ".."))
