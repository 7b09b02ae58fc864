"""One home for every word and every figure.

- The one catalogue (policies/catalogue/messages.yaml) holds every word of the site and the
  calculators: no English text stands under two keys, and no page template reads another file.
- No sentence is assembled in JavaScript: the browser's modules place the strings Python and the
  catalogue give them, and hold no wording of their own (a message for the console is for developers).
- One formatter (calculators/formatters.py) writes each figure, so a page and a result write it the
  same way: money as merchants write it in Chinese (10,000元, 15,000美元, 5,000万元), day counts
  without a thousands separator in Chinese, an input as the reader gave it.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from calculators.api import run
from calculators.formatters import fmt_count, fmt_money
from calculators.messages import Words
from calculators.present import view
from hooks import pages
from testsupport.checkout import ROOT
from testsupport.policy_bundle import checked_bundle

BUNDLE = checked_bundle()
MESSAGES = BUNDLE["messages"]
CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------------------------------------
# One catalogue
# ---------------------------------------------------------------------------------------------


def test_no_english_text_stands_under_two_keys():
    by_text = defaultdict(list)
    for name, text in MESSAGES.items():
        # "Yes" and "yes", "Eligible" and "Eligible.": one wording, whatever its case or full stop.
        by_text[text["en"].casefold().strip().rstrip(".")].append(name)
    assert {text: names for text, names in by_text.items() if len(names) > 1} == {}


def test_there_is_one_catalogue_and_the_pages_words_are_in_it():
    assert not (ROOT / "hooks" / "templates" / "words.yaml").exists()
    assert {"menu.glossary", "topic.in_force_on", "feed.title", "value.rate"} <= set(MESSAGES)


# ---------------------------------------------------------------------------------------------
# No sentence in JavaScript
# ---------------------------------------------------------------------------------------------

# A string, a comment or a regular expression literal, read in one pass so that a quote inside a
# comment or a `//` inside a string is not taken for the other.
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`|//[^\n]*|/\*.*?\*/', re.S)
# Prose: two whole words of letters with a space between them ("could not", "Retry, or"), or Chinese.
# Class lists ("md-button calc-pin") and MIME types are not prose: their words carry hyphens or no space.
PROSE = re.compile(r"(?<![\w-])[A-Za-z]{2,}[,;:!?]? [A-Za-z]{2,}(?![\w-])")
# Messages for the developer console and exceptions the page never shows (it says form.failed_* instead).
FOR_DEVELOPERS = re.compile(r"(?:console\.\w+|\w*(?:Error|Failed))\(\s*$")


def _wording_in(source: str) -> list[str]:
    found = []
    for match in TOKEN.finditer(source):
        literal = match.group()
        if literal[0] not in "\"'`":
            continue
        body = re.sub(r"\$\{[^}]*\}", " ", literal[1:-1])
        if literal.count("${") >= 2 and re.fullmatch(r"[\s.。:：;；,，]*[.。:：;；][\s.。:：;；,，]*", body):
            found.append(literal)  # a sentence made of parts: "${title}. ${text}."
            continue
        if body.lstrip().startswith(("import ", "from ")) or "sys." in body:
            continue  # Python source the worker runs, not words
        if not (CJK.search(body) or PROSE.search(body)):
            continue
        if FOR_DEVELOPERS.search(source[max(0, match.start() - 40):match.start()]):
            continue
        found.append(literal)
    # A catalogue template filled in here ("{label}: {message}") is a sentence made in JavaScript.
    found += re.findall(r"""\.replace\(\s*["'`]\{\w+\}["'`]""", source)
    return found


def test_no_javascript_module_holds_wording_of_its_own():
    modules = sorted((ROOT / "docs" / "assets").rglob("*.mjs"))
    assert len(modules) >= 8
    wording = {path.name: _wording_in(path.read_text(encoding="utf-8")) for path in modules}
    assert {name: found for name, found in wording.items() if found} == {}


def test_the_wording_scan_finds_a_sentence_and_chinese():
    planted = 'const a = "The chart could not be drawn"; const b = `计算器已就绪`; console.warn("for developers only");'
    assert _wording_in(planted) == ['"The chart could not be drawn"', "`计算器已就绪`"]
    assert _wording_in("const label = `${words.title}. ${seller.text}.`;") == ["`${words.title}. ${seller.text}.`"]
    assert _wording_in('const said = template.replace("{label}", label);') == ['.replace("{label}"']
    assert _wording_in('el.className = `calc-finding calc-${outcome}`; const url = `${root}${path}`;') == []


# ---------------------------------------------------------------------------------------------
# One formatter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "currency", "lang", "written"), [
    (10000, "CNY", "zh", "10,000元"),
    (15000, "USD", "zh", "15,000美元"),
    (50_000_000, "CNY", "zh", "5,000万元"),
    (1_000_000, "USD", "zh", "100万美元"),
    (1_005_000, "CNY", "zh", "1,005,000元"),  # not a whole number of 万
    (990_000, "CNY", "zh", "990,000元"),  # under a million: the digits read at a glance
    (9999.5, "USD", "zh", "9,999.50美元"),
    (10000, "CNY", "en", "CNY 10,000"),
    (50_000_000, "USD", "en", "USD 50,000,000"),
])
def test_money_is_written_as_merchants_write_it(amount, currency, lang, written):
    assert fmt_money(amount, currency, lang) == written


def test_chinese_day_counts_have_no_thousands_separator_but_listings_keep_theirs():
    zh, en = Words(BUNDLE, "zh"), Words(BUNDLE, "en")
    assert fmt_count(1446, "days", zh) == "1446天"
    assert fmt_count(1446, "days", en) == "1,446 days"
    assert fmt_count(1200, "listings", zh) == "1,200个在线商品"


def test_a_chinese_result_writes_money_the_chinese_way_and_its_json_amounts_stay_numbers():
    inputs = {"category": "womens-clothing", "annual_sales_usd": 20000, "service_level": "good"}
    result = run(BUNDLE, "refund", inputs, "2026-11-22", lang="zh")
    assert result["amounts"]["refund_cny"] == run(BUNDLE, "refund", inputs, "2026-11-22")["amounts"]["refund_cny"]
    assert isinstance(result["amounts"]["refund_cny"], (int, float))
    said = " ".join([result["headline"], *(f["detail"] for f in result["findings"]), *result["next_steps"]])
    assert "元" in said and "美元" in said
    assert "CNY" not in said and "USD" not in said


def test_a_worked_example_shows_its_inputs_on_the_page_as_the_result_shows_them():
    for lang in ("en", "zh"):
        for example in BUNDLE["examples"]:
            name, inputs = example["calculator"], example["inputs"]
            shown = pages.example_views(BUNDLE, _topic(example), set(), lang)
            on_page = next(v for v in shown if v["title"] == pages.formatting.plain(example["title"][lang]))
            result = run(BUNDLE, name, inputs, example["as_of"], lang=lang)
            in_result = {item["label"]: item["text"] for item in view(BUNDLE, name, inputs, result, lang)["inputs"]}
            for label, text in on_page["inputs"]:
                assert text == pages.formatting.plain(in_result[_unescaped(label)]), (lang, example["title"]["en"], label)


def _topic(example: dict) -> str:
    return example["topic"]


def _unescaped(markdown: str) -> str:
    return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), markdown).replace("&amp;", "&")


# ---------------------------------------------------------------------------------------------
# One walk over dated changes
# ---------------------------------------------------------------------------------------------


def test_the_changes_page_and_the_feed_list_the_same_changes_and_name_the_medal_default_as_such():
    import datetime as dt

    from calculators.policy import Policy
    from hooks import atom

    today = dt.date(2026, 12, 7)
    for lang, no_medal in (("en", "No medal"), ("zh", "无金银牌")):
        on_page = {(day["date"], _unescaped(entry["what"])) for day in pages.changelog(Policy(BUNDLE), today, lang)
                   for entry in day["entries"]}
        in_feed = set()
        for change in atom.changes(BUNDLE, lang):
            title = " ".join(BUNDLE["rules"][change.address]["title"][lang].split())
            in_feed.add((change.on.isoformat(), title + (f" — {change.label}" if change.label else "")))
        assert in_feed <= on_page and len(in_feed) > 50
        wig_cap = {what for _, what in on_page if "—" in what and what.endswith(no_medal)}
        assert wig_cap, lang
        # The cap's default case covers stores without a medal only; other rules' defaults may cover several.
        cap = " ".join(BUNDLE["rules"]["listings.max_listings"]["title"][lang].split())
        assert not any(what.startswith(cap) and what.endswith(("All others", "其他所有情况")) for _, what in on_page)


def test_no_chinese_source_badge_nests_brackets():
    """（适用于服装服饰（整个经营范围）） read as a bracket inside a bracket; a badge says it in a clause."""
    from hooks import formatting

    badges = [formatting.source_badge(period["source"], BUNDLE, "zh")
              for rule in BUNDLE["rules"].values() for period in rule.get("values", [])]
    assert len(badges) > 20
    for badge in badges:
        depth = 0
        for char in re.sub(r"<[^>]+>", "", badge):
            depth += {"（": 1, "）": -1}.get(char, 0)
            assert depth <= 1, badge
