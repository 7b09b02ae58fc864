"""The Chinese site's own pages where issue 30 found English or the wrong word: the page not found
in each language, and a rule's default row named by the term it stands for.

The site is the one tests/conftest.py builds once per run.
"""

from __future__ import annotations

import re
from pathlib import Path

from testsupport.languages import main_text


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _menu_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" class="md-tabs__link', html)


def test_the_page_not_found_is_english_at_the_root(built_handbook):
    html = _html(built_handbook, "404.html")
    assert '<html lang="en"' in html
    assert "Page not found" in main_text(html)
    assert not re.search(r"[\u4e00-\u9fff]", main_text(html))
    assert _menu_links(html) and not any("/zh/" in link for link in _menu_links(html))


def test_the_chinese_page_not_found_is_chinese_with_the_chinese_menus(built_handbook):
    html = _html(built_handbook, "zh/404.html")
    assert '<html lang="zh"' in html
    text = main_text(html)
    assert "页面不存在" in text and "Not found" not in text
    assert _menu_links(html) and all("/zh/" in link for link in _menu_links(html))
    assert 'href="/zh/">返回手册首页</a>' in html
    assert 'http-equiv="Content-Security-Policy"' in html  # the CSP hook covers it as every page


def test_a_default_row_is_named_by_the_one_term_it_stands_for(built_handbook):
    # Gold and silver wig stores have their caps; the default beside them is the store without a medal.
    chinese = main_text(_html(built_handbook, "zh/staying/listings/index.html"))
    english = main_text(_html(built_handbook, "staying/listings/index.html"))
    assert "真人发及假发 — 无金银牌" in chinese and "其他所有情况" not in chinese
    assert "Human hair & wigs — No medal" in english and "All others" not in english
