"""The handbook in two languages: English at /, Simplified Chinese at /zh/.

The site is the one built once per run for the pages and feed tests too (tests/conftest.py's
built_handbook: mkdocs build --strict, "today" pinned), read as HTML and as Material's search
index. Checked here:
- every English page has its Chinese page and the other way round, and the menus have one shape;
- the page words (hooks/templates/words.yaml) exist in both languages, and every key used exists;
- no Chinese page carries an English sentence the templates or a translator forgot
  (testsupport/languages.py: three English words in a row, outside code and text marked English);
- every title and description in the JSON Schemas has its Chinese twin (x-title-zh,
  x-description-zh), every key in the key reference has a meaning, and the Chinese key reference
  shows the twins, nothing marked English;
- the worked examples, provenance labels and source notes show in both languages;
- searching the Chinese site for 年费, 退款, 个体工商户 or 3000 finds the right pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import jsonschema
import pytest

from hooks import cjk, formatting, pages
from policy_loader.schema_source import TWINS, annotation
from testsupport.languages import english_sentences, main_text
from testsupport.checkout import ROOT

TODAY = dt.date(2026, 11, 22)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def site(built_handbook) -> Path:
    """The handbook as tests/conftest.py builds it once per run (pages and feed tests read it too)."""
    return built_handbook


def _pages(root: Path, skip: str | None = None) -> set[str]:
    out = set()
    for path in root.rglob("index.html"):
        relative = path.relative_to(root).parent.as_posix()
        if skip and (relative == skip or relative.startswith(skip + "/")):
            continue
        out.add("" if relative == "." else relative + "/")
    return out


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Pages and menus
# ---------------------------------------------------------------------------------------------


def test_every_page_has_its_translation_both_ways(site):
    english, chinese = _pages(site, skip="zh"), _pages(site / "zh")
    assert english == chinese
    assert len(english) > 20 and "glossary/" in english
    print(f"\n{len(english)} pages in English, {len(chinese)} in Chinese")


def test_hand_written_pages_have_a_chinese_file_beside_them():
    english = {p for p in (ROOT / "docs").rglob("*.md") if not p.name.endswith(".zh.md")}
    missing = [str(p.relative_to(ROOT)) for p in english if not p.with_suffix(".zh.md").is_file()]
    assert not missing


def _shape(menu):
    """The menu without its words: the targets and the nesting."""
    out = []
    for entry in menu:
        if isinstance(entry, str):
            out.append(entry)
        else:
            ((_title, target),) = entry.items()
            out.append(target if isinstance(target, str) else _shape(target))
    return out


def test_the_menus_have_the_same_shape(bundle):
    english, chinese = pages.nav(bundle, "en"), pages.nav(bundle, "zh")
    assert _shape(english) == _shape(chinese)
    assert english != chinese  # and different words
    assert next(iter(chinese[0])) == "首页"


def test_built_menus_have_the_same_links(site):
    def links(html):
        start = html.index('class="md-nav md-nav--primary')
        return [link.rstrip("/") for link in re.findall(r'href="([^"#]*)"', html[start:html.index("md-sidebar--secondary", start)])]

    english, chinese = links(_html(site, "fees/refund")), links(_html(site / "zh", "fees/refund"))
    assert english == chinese and len(english) > 20


def test_generated_pages_are_the_same_set_in_both_languages(bundle):
    assert set(pages.generate(bundle, TODAY, lang="en")) == set(pages.generate(bundle, TODAY, lang="zh"))


# ---------------------------------------------------------------------------------------------
# The page words
# ---------------------------------------------------------------------------------------------


def test_every_page_word_has_english_and_chinese():
    for key, text in formatting.words().items():
        assert set(text) == {"en", "zh"}, key
        assert all(isinstance(v, str) and v.strip() for v in text.values()), key
        # The same {fields} in both, so a sentence fills in the same way.
        assert sorted(re.findall(r"{(\w+)}", text["en"])) == sorted(re.findall(r"{(\w+)}", text["zh"])), key


def test_every_page_word_used_exists(bundle):
    used = set()
    for path in list((ROOT / "hooks" / "templates").glob("*.j2")):
        used |= set(re.findall(r'\bw\("([\w.]+)"', path.read_text(encoding="utf-8")))
    for path in (ROOT / "hooks" / "pages.py", ROOT / "hooks" / "formatting.py"):
        literals = re.findall(r'"((?:menu|value|topic|case|changes|reference|glossary|source)\.\w+)"',
                              path.read_text(encoding="utf-8"))
        used |= {key for key in literals if not key.endswith((".md", ".j2"))}
    # Keys made from policy ids: table dimensions. (Comparisons and counts are the calculators' words.)
    used |= {"topic.category", "topic.scope"}
    assert len(used) > 60
    assert sorted(used - set(formatting.words())) == []


def test_the_heuristic_finds_english_where_there_is_some(site):
    assert english_sentences(_html(site, "fees/refund"))  # the English page is full of it
    assert not english_sentences("<div class='md-content__inner'><p>年费 <code>make check now please</code></p></div>")


@pytest.mark.parametrize("page", ["", "fees/refund/", "staying/assessment/", "joining/requirements/", "changes/",
                                  "glossary/", "editors/", "editors/reference/", "integrators/", "calculators/",
                                  "calculators/refund/"])
def test_chinese_pages_carry_no_untranslated_english(site, page):
    assert english_sentences(_html(site / "zh", page)) == []


def test_no_chinese_page_carries_untranslated_english(site):
    found = {page: english_sentences(_html(site / "zh", page)) for page in sorted(_pages(site / "zh"))}
    assert {page: words for page, words in found.items() if words} == {}


# What the theme shows outside the page's text: tooltips and screen-reader labels (the colour
# toggles, the heading links), the footer. Two English words in a row there is a phrase nobody
# translated ("Switch to dark mode", "Permanent link", "Made with Material for MkDocs").
_LABELS = re.compile(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"')
_ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")


def test_no_chinese_page_has_english_labels_or_footer(site):
    found = {}
    for page in sorted(_pages(site / "zh")):
        html = _html(site / "zh", page)
        footer = re.sub(r"<[^>]+>", " ", html[html.find("<footer"):html.find("</footer>")])
        phrases = [text for text in [*_LABELS.findall(html), footer] if _ENGLISH_PHRASE.search(text)]
        if phrases:
            found[page] = sorted(set(phrases))
    assert found == {}


def test_chinese_paragraphs_have_no_gaps_where_their_source_breaks_a_line(site):
    # A line break inside a Chinese paragraph showed as a space: "店铺类型、 年费", "每一项 入驻要求".
    intro = re.sub(r"<[^>]+>", "", _html(site / "zh", "calculators/eligibility/"))
    assert "可以开哪些店铺类型、年费是多少" in intro and "。每一项入驻要求都会被检查" in intro
    left = {page: cjk._BREAK.findall(_html(site / "zh", page)) for page in sorted(_pages(site / "zh"))}
    assert {page: found for page, found in left.items() if found} == {}


# ---------------------------------------------------------------------------------------------
# The schemas' words: English for the editors' IDEs, a Chinese twin for the Chinese key reference
# ---------------------------------------------------------------------------------------------


def _annotated_nodes(node, where="#"):
    """(where, node) for every schema node carrying a `title` or `description` string. A key
    named "title" or "description" (under `properties`) holds a schema, not a string, so it is
    walked, not taken for an annotation."""
    if isinstance(node, dict):
        if any(isinstance(node.get(k), str) for k in TWINS):
            yield where, node
        for key, value in node.items():
            yield from _annotated_nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _annotated_nodes(value, f"{where}/{index}")


def _schemas() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "policies" / "schema").glob("*.schema.json"))}


def test_every_schema_title_and_description_has_a_chinese_twin():
    checked = 0
    for name, schema in _schemas().items():
        jsonschema.Draft202012Validator.check_schema(schema)  # the annotations keep it a valid schema
        for where, node in _annotated_nodes(schema):
            for keyword, twin in TWINS.items():
                if isinstance(node.get(keyword), str):
                    zh = node.get(twin)
                    assert isinstance(zh, str) and HAN.search(zh), f"{name}{where}: {keyword} has no Chinese {twin}"
                    # The key names a description quotes stay the same in Chinese.
                    assert set(re.findall(r"`([^`]+)`", node[keyword])) <= set(re.findall(r"`([^`]+)`", zh)), \
                        f"{name}{where}"
                    checked += 1
    assert checked > 80


def test_a_node_without_a_twin_falls_back_to_marked_english():
    node = {"description": "Currency or unit: USD, CNY, days."}
    assert annotation(node, "description", "zh") == node["description"]
    assert annotation({**node, "x-description-zh": "  "}, "description", "zh") == node["description"]
    assert annotation({**node, "x-description-zh": "币种或单位。"}, "description", "zh") == "币种或单位。"
    assert annotation({**node, "x-description-zh": "币种或单位。"}, "description", "en") == node["description"]


def test_the_chinese_key_reference_shows_the_schemas_chinese(bundle):
    page = pages.generate(bundle, TODAY, lang="zh")["editors/reference.md"]
    assert ' lang="en"' not in page  # nothing left in English, so nothing marked as English
    assert "## `topic.schema.json`: 政策主题" in page
    assert "| `kind` | 取值之一：`amount`、`rate`" in page and "规则所含数值的种类。" in page
    assert "| `from` | 字符串（日期） | 是 |" in page
    english = pages.generate(bundle, TODAY, lang="en")["editors/reference.md"]
    assert "## `topic.schema.json`: Policy topic" in english and "What kind of value the rule holds." in english
    assert "| `from` | string (date) | Yes |" in english and not HAN.search(english.split("\n", 3)[3])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_key_in_the_key_reference_says_what_it_means(lang):
    """An empty 'Meaning' cell leaves an editor guessing: every key has a description, its own
    or its `$ref` definition's (the per-kind copies, from/until, varies_by, cases, included)."""
    unexplained = [f"{schema['file']}: {table['name']} {key['key']}"
                   for schema in pages.schema_reference(lang) for table in schema["tables"]
                   for key in table["keys"] if not key["description"].strip()]
    assert unexplained == []


def test_the_built_chinese_key_reference_has_no_english_sentence(site):
    html = _html(site / "zh", "editors/reference/")
    article = html[html.index("md-content__inner"):html.index("</article>")]
    assert " lang=\"en\"" not in article and english_sentences(html) == []
    assert "在此（临时）规则生效期间应用它的计算器。" in main_text(html)


# ---------------------------------------------------------------------------------------------
# What the pages show in both languages
# ---------------------------------------------------------------------------------------------


def test_worked_examples_render_in_both_languages(site, bundle):
    for example in bundle["examples"]:
        page = bundle["topics"][example["topic"]]["page"]
        for root, lang in ((site, "en"), (site / "zh", "zh")):
            text = main_text(_html(root, page))
            title = " ".join(example["title"][lang].split())
            assert title in text, (lang, page, title)
    zh = main_text(_html(site / "zh", "fees/refund/"))
    assert "计算示例" in zh and "按 2026年11月22日 的规则计算" in zh and "在计算器中打开此案例" in zh


def test_provenance_and_illustrative_labels_in_both_languages(site):
    # Unescaped: a badge's hover title is written with character references.
    en, zh = unescape(_html(site, "fees/refund/")), unescape(_html(site / "zh", "fees/refund/"))
    assert "Illustrative: no source gives this value" in en
    assert "示意值：没有来源给出此数值" in zh and "来源：年费返还相关行业文章（未注明日期）" in zh
    # A badge names the source as a seller would, never its file name; notes are in the page's language (note_zh).
    assert "003_25ce4cb9ec5474f3.txt" not in zh and "003_25ce4cb9ec5474f3.txt" not in en
    assert "（对 seed-003 的示意性解读）" in zh and "(an illustrative reading of seed-003)" in en


def test_the_glossary_page_marks_terms_without_an_established_chinese_term(site, bundle):
    unestablished = [e for e in bundle["glossary"].values() if e.get("zh_established") is False]
    assert unestablished
    for root, lang, mark in ((site, "en", "No established Chinese term:"), (site / "zh", "zh", "没有通用的中文说法：")):
        text = main_text(_html(root, "glossary/")) + " ".join(re.findall(r'lang="en">([^<]*)<', _html(root, "glossary/")))
        assert text.count(mark) == len(unestablished), lang
        for entry in bundle["glossary"].values():
            assert " ".join(entry["definition"][lang].split())[:12] in text, (lang, entry["term"]["en"])
            if entry.get("zh_established") is False:
                assert " ".join(entry["zh_note"][lang].split())[:12] in text


def test_chinese_pages_say_they_are_chinese(site):
    assert '<html lang="zh"' in _html(site / "zh", "fees/refund/")
    assert '<html lang="en"' in _html(site, "fees/refund/")
    assert 'hreflang="zh"' not in _html(site / "zh", "fees/refund/").split("</head>")[0]  # only the other language
    assert 'hreflang="en"' in _html(site / "zh", "fees/refund/") and 'href="../../../fees/refund/"' in _html(
        site / "zh", "fees/refund/")


def test_chinese_pages_use_the_site_wide_assets_and_csp(site):
    html = _html(site / "zh", "calculators/refund/")
    assert 'src="../../../assets/calculators/page.mjs"' in html
    assert not (site / "zh" / "assets").exists()  # one copy of the calculators and Pyodide, at the root
    assert "__HANDBOOK_SCRIPT_HASHES__" not in html and "Content-Security-Policy" in html
    assert (site / "api" / "v1" / "rules.json").is_file() and not (site / "zh" / "api").exists()


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def _index(site: Path) -> tuple[dict, list[dict]]:
    """Both languages' search indexes as one list, each location from the site's root (zh/...)."""
    english = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    chinese = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    return english["config"], english["docs"] + [{**doc, "location": "zh/" + doc["location"]} for doc in chinese["docs"]]


def test_each_language_has_its_own_search_index_and_its_pages_read_it(site):
    """From /zh/, "refund" returned English pages and its links left /zh/: one index held both."""
    english = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    chinese = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert english and chinese
    assert not [d["location"] for d in english if d["location"].startswith("zh/")]
    assert not [d["location"] for d in chinese if d["location"].startswith("zh/")]  # its locations are from /zh/
    # Material reads search/search_index.json (and sitemap.xml) from the page's base: /zh/ on a Chinese page.
    assert '"base": "../.."' in _html(site / "zh", "fees/refund/") and '"base": "../.."' in _html(site, "fees/refund/")
    assert (site / "zh" / "sitemap.xml").read_bytes() == (site / "sitemap.xml").read_bytes()


def _search(site: Path, query: str, prefix: str) -> list[str]:
    """Pages whose index entry has `query` as a whole word, split as Material's search splits it
    (its separator; jieba's segments are joined with zero-width spaces at build time)."""
    config, docs = _index(site)
    separator = re.compile(config["separator"])
    hits = []
    for doc in docs:
        if not doc["location"].startswith(prefix):
            continue
        words = separator.split(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]))
        if query in words:
            hits.append(doc["location"].split("#")[0])
    return hits


@pytest.mark.parametrize("query, page", [("年费", "zh/fees/annual-fee/"), ("年费", "zh/fees/refund/"),
                                         ("退款", "zh/fees/refund/"), ("个体工商户", "zh/joining/requirements/"),
                                         ("3000", "zh/staying/listings/")])
def test_chinese_search_finds_the_page(site, query, page):
    assert page in _search(site, query, "zh/")


def test_english_search_still_finds_english_pages(site):
    assert "fees/refund/" in _search(site, "refund", "fees/")
    assert "staying/listings/" in _search(site, "3000", "staying/")


def _index_text(site: Path, location: str) -> str:
    """The indexed title and text of a page (all its sections), without markup or jieba's word breaks."""
    docs = [doc for doc in _index(site)[1] if doc["location"].split("#")[0] == location]
    assert docs, f"{location} is not in the search index"
    text = re.sub(r"<[^>]+>", " ", " ".join(d["title"] + " " + d["text"] for d in docs))
    return unescape(text).replace("\u200b", "")


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("zh", "zh/")])
def test_search_indexes_a_calculator_pages_prose_not_its_form(site, bundle, lang, prefix):
    """A QA searching 清退 got "正在浏览器中启动 Python…… 重试 经营大类 请选择… 女装男装…" as the
    snippet: the form's status, Retry button and every option. The form is not prose."""
    from calculators.api import specs

    messages = bundle["messages"]
    for name, spec in specs(bundle, lang).items():
        text = _index_text(site, f"{prefix}calculators/{name}/")
        form_words = [messages[key][lang] for key in ("form.loading_start", "form.retry", "form.choose",
                                                      "form.as_of_help")]
        form_words += [field["help"] for field in spec["inputs"]]
        form_words += [choice["label"] for field in spec["inputs"] if field["name"] == "category"
                       for choice in field["choices"]]
        shown = [word for word in form_words if word and word.replace("\u200b", "") in text]
        assert not shown, f"{prefix}calculators/{name}/: the search index holds the form's {shown[:5]}"
    # The pages' own words are still found.
    assert "calculators/refund/" in _search(site, "refund", "calculators/")
    assert "zh/calculators/refund/" in _search(site, "退款", "zh/calculators/")
    assert "zh/calculators/delisting/" in _search(site, "门槛", "zh/calculators/")


def test_glossary_words_are_kept_whole_for_search(bundle):
    words = pages.glossary_words(bundle)
    assert "个体工商户" in words and "年费" in words
