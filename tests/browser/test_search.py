"""Search finds the rule: queries typed into Material's search box, each language from its own site,
and the results list read as a reader sees it (hooks/search_index.py sets the order).

The table holds, for each query, the page that must come first; for "delisting" and 下架 the
calculator may come first, and the rule's page must then follow among the first three. In every
list the editors' and integrators' pages come after every seller's page, and every link stays in
the language searched from.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# (language, query, the rule's page, a page allowed before it or None). The Chinese queries use
# the glossary's terms (年费, 年费返还, 商品发布数量上限), and the words a merchant may type instead
# (退款, 商品数量上限).
TABLE = [
    ("en", "annual fee", "fees/annual-fee/", None),
    ("en", "refund", "fees/refund/", None),
    ("en", "listing limit", "staying/listings/", None),
    ("en", "listing cap", "staying/listings/", None),
    ("en", "delisting", "staying/assessment/", "calculators/delisting/"),
    ("zh", "年费", "zh/fees/annual-fee/", None),
    ("zh", "年费返还", "zh/fees/refund/", None),
    ("zh", "退款", "zh/fees/refund/", None),
    ("zh", "商品发布数量上限", "zh/staying/listings/", None),
    ("zh", "商品数量上限", "zh/staying/listings/", None),
    ("zh", "清退", "zh/staying/assessment/", None),
    ("zh", "下架", "zh/staying/listings/", "zh/calculators/delisting/"),
]
HOME = {"en": "", "zh": "zh/"}
WAITING = {"en": "Type to start searching", "zh": "键入以开始搜索"}
BACKSTAGE = ("editors/", "integrators/", "changes/", "sources/")
RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map((item) => item.querySelector('a').href)"""


def search(page, site_url: str, lang: str, query: str) -> list[str]:
    """Type `query` into the search box of the `lang` site's home page; the results' pages, in order
    (each as a path from the site's root, without Material's ?h= and the section's #)."""
    page.goto(site_url + HOME[lang])
    box = page.locator(".md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text(WAITING[lang], timeout=30_000)  # index loaded
    box.fill(query)  # a word that arrives whole, as an input method gives it
    expect(page.locator(".md-search-result__meta")).not_to_have_text(WAITING[lang], timeout=30_000)
    expect(page.locator(".md-search-result__item").first).to_be_attached(timeout=30_000)
    return [href.split("?")[0].split("#")[0] for href in page.evaluate(RESULTS)]


def pages_of(links: list[str], site_url: str) -> list[str]:
    assert all(link.startswith(site_url) for link in links), links
    return [link[len(site_url):] for link in links]


@pytest.mark.parametrize("lang, query, rule, before", TABLE, ids=[f"{lang}-{query}" for lang, query, *_ in TABLE])
def test_the_rules_page_comes_first(page, site_url, lang, query, rule, before):
    found = pages_of(search(page, site_url, lang, query), site_url)
    if before is None:
        assert found[0] == rule, f"{query!r}: {found[:5]}"
    else:
        assert found[0] in (rule, before) and rule in found[:3], f"{query!r}: {found[:5]}"
    sellers = [i for i, where in enumerate(found) if not where.removeprefix(HOME[lang]).startswith(BACKSTAGE)]
    backstage = [i for i, where in enumerate(found) if where.removeprefix(HOME[lang]).startswith(BACKSTAGE)]
    assert not backstage or not sellers or min(backstage) > max(sellers), f"{query!r}: editors' pages before sellers': {found}"


@pytest.mark.parametrize("lang, query", [("zh", "refund"), ("zh", "annual fee"), ("en", "年费"), ("en", "清退")])
def test_each_language_searches_its_own_pages(page, site_url, lang, query):
    found = pages_of(search(page, site_url, lang, query), site_url)
    if lang == "zh":
        assert all(where.startswith("zh/") for where in found), f"{query!r} from /zh/: {found}"
    else:
        assert not any(where.startswith("zh/") for where in found), f"{query!r} from /: {found}"
