"""The glossary rules the Chinese: no page and no calculator says a word the glossary lists under a
term's `avoid:` (policies/catalogue/glossary.yaml) for that term.

Where the Chinese is read: the generated Chinese pages (site/zh/**, their main text and their table
headers), the word catalogue (policies/catalogue/messages.yaml), the
policies' own texts, and what the calculators say in Chinese (`--lang zh`) for every worked example.

Two kinds of avoided word, because some overlap with a legitimate term:
- most (今日生效, 考核标准, 因违规被清退, 六项保障, 入驻要求, ...) are never right: found anywhere in
  Chinese text, they fail;
- a few are another entry's own term: 经营大类 is the category's word (avoided for the scope), 经营范围
  the scope's (avoided for the category), 退款 a buyer's refund (avoided for the annual fee refund).
  Those are wrong only where the text names the avoiding term, which only its English counterpart
  tells: so they are judged on pairs of the same text in both languages, a catalogue entry and its
  zh, a policy text's en and zh, the same result field of one example in en and zh, and the same
  table header cell of a page and its translation ("Scope" headed 经营大类 is caught; "Category"
  headed 经营大类 is right).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from calculators.api import run
from policy_loader.markup import text_fields
from testsupport.checkout import POLICIES, ROOT
from testsupport.languages import main_text
from testsupport.policy_bundle import policy_bundle

BUNDLE = policy_bundle()
GLOSSARY = BUNDLE["glossary"]
AVOIDING = {entry_id: entry for entry_id, entry in GLOSSARY.items() if entry.get("avoid")}


def _core(chinese: str) -> str:
    return chinese.split("（")[0].strip()


# An avoided word that is (inside) another entry's own term: judged only against its English.
TERMS = {_core(entry["term"]["zh"]): entry_id for entry_id, entry in GLOSSARY.items()}
OVERLAPPING = {word for entry in AVOIDING.values() for word in entry["avoid"]
               if any(word in term for term in TERMS)}
NEVER = {word: entry_id for entry_id, entry in AVOIDING.items() for word in entry["avoid"] if word not in OVERLAPPING}


def _english_word(entry: dict) -> str:
    """The word English text names a term by: the last word of its English term (Business scope -> scope)."""
    return re.sub(r"\s*\(.*", "", entry["term"]["en"]).split()[-1].lower()


def _names(english: str, entry: dict) -> bool:
    word = re.escape(_english_word(entry))
    plural = rf"{word[:-1]}ies" if word.endswith("y") else rf"{word}s"  # category -> categories
    return re.search(rf"\b(?:{word}|{plural})\b", english, re.IGNORECASE) is not None


def misused(english: str, chinese: str) -> list[str]:
    """The avoided words `chinese` uses for a term, `english` being the same text in English."""
    found = [f"{word} (not {entry_id})" for word, entry_id in NEVER.items() if word in chinese]
    for entry_id, entry in AVOIDING.items():
        if not _names(english, entry):
            continue
        for word in entry["avoid"]:
            owner = TERMS.get(word)
            # Right where the English names the term the word belongs to as well ("Category" -> 经营大类).
            if word in OVERLAPPING and word in chinese and not (owner and _names(english, GLOSSARY[owner])):
                found.append(f"{word} (not {entry_id})")
    return found


# ---------------------------------------------------------------------------------------------
# The test of the test: it catches what issue 30 found
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("english, chinese, word", [
    ("Scope", "经营大类", "经营大类"),
    ("Annual fee refund (refund)", "年费返还（退款）", "退款"),
    ("In force today", "今日生效", "今日生效"),
    ("below the assessment threshold", "低于考核标准", "考核标准"),
    ("removed for violations", "因违规被清退", "因违规被清退"),
    ("2020: six guarantees", "2020年：六项保障", "六项保障"),
    ("Listed products per store", "每个店铺的在线商品数", "每个店铺的在线商品数"),
])
def test_an_avoided_word_is_caught(english, chinese, word):
    assert any(found.startswith(word) for found in misused(english, chinese))


@pytest.mark.parametrize("english, chinese", [
    ("Category", "经营大类"), ("Scope | Category", "经营范围 | 经营大类"),
    ("It is not a refund to a buyer", "与买家退款无关"), ("Annual fee refund", "年费返还"),
    ("Business category", "经营大类（类目）"), ("Business scope", "经营范围"),
])
def test_a_term_used_rightly_is_not_caught(english, chinese):
    assert misused(english, chinese) == []


def test_the_glossary_avoids_what_issue_30_found():
    avoided = {word for entry in AVOIDING.values() for word in entry["avoid"]}
    assert {"经营大类", "退款", "考核标准", "因违规被清退", "今日生效", "六项保障", "币种换算", "入驻要求",
            "商品发布上限"} <= avoided


# ---------------------------------------------------------------------------------------------
# Where the Chinese is
# ---------------------------------------------------------------------------------------------


def _catalogue_pairs() -> dict[str, tuple[str, str]]:
    pairs = {}
    for path in (POLICIES / "catalogue" / "messages.yaml",):
        for key, text in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if isinstance(text, dict) and {"en", "zh"} <= set(text):
                pairs[f"{path.relative_to(ROOT)}: {key}"] = (text["en"], text["zh"])
    return pairs


def _policy_pairs() -> dict[str, tuple[str, str]]:
    pairs = {}
    for path in sorted(POLICIES.rglob("*.yaml")):
        if "schema" in path.parts or path.name in ("glossary.yaml", "messages.yaml"):
            continue
        texts: dict[tuple, dict] = {}
        for key_path, text, _plain in text_fields(yaml.safe_load(path.read_text(encoding="utf-8"))):
            texts.setdefault(key_path[:-1], {})[key_path[-1]] = text
        for where, text in texts.items():
            if "en" in text and "zh" in text:
                pairs[f"{path.relative_to(ROOT)}: {'.'.join(map(str, where))}"] = (text["en"], text["zh"])
            elif "note_zh" in text:
                pairs[f"{path.relative_to(ROOT)}: {'.'.join(map(str, where))}"] = (text.get("note", ""), text["note_zh"])
    return pairs


def _said(result: dict) -> list[str]:
    """Every sentence a result says, in a fixed order (the same fields in each language)."""
    said = [result["headline"]]
    for finding in result["findings"]:
        said += [finding["title"], finding["detail"]]
    said += result["next_steps"]
    said += [day["title"] for day in result.get("dates", [])]
    for change in result.get("upcoming", []):
        said += [change["title"], change["headline"]]
    return said


def _result_pairs() -> dict[str, tuple[str, str]]:
    pairs = {}
    for index, example in enumerate(BUNDLE["examples"]):
        english, chinese = (_said(run(BUNDLE, example["calculator"], example["inputs"], example["as_of"], lang=lang))
                            for lang in ("en", "zh"))
        assert len(english) == len(chinese), example["title"]
        for at, (en, zh) in enumerate(zip(english, chinese)):
            pairs[f"{example['calculator']} example {index} ({example['title']['en']}) #{at}"] = (en, zh)
    return pairs


class _Headers(HTMLParser):
    """The text of every table header cell, in order."""

    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self._in = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "th":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def _headers(html: str) -> list[str]:
    parser = _Headers()
    parser.feed(html)
    return [" ".join(cell.split()) for cell in parser.cells]


def _chinese_pages(site: Path) -> list[Path]:
    return sorted((site / "zh").rglob("*.html"))


def test_the_catalogues_use_no_avoided_word():
    found = {where: misused(en, zh) for where, (en, zh) in _catalogue_pairs().items()}
    assert {where: words for where, words in found.items() if words} == {}


def test_the_policies_texts_use_no_avoided_word():
    found = {where: misused(en, zh) for where, (en, zh) in _policy_pairs().items()}
    assert {where: words for where, words in found.items() if words} == {}


def test_the_calculators_say_no_avoided_word_for_any_worked_example():
    found = {where: misused(en, zh) for where, (en, zh) in _result_pairs().items()}
    assert {where: words for where, words in found.items() if words} == {}


def test_the_chinese_pages_use_no_avoided_word(built_handbook):
    pages = _chinese_pages(built_handbook)
    assert len(pages) >= 25  # every page of the Chinese site, the page not found among them
    found = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        words = [f"{word} (not {entry_id})" for word, entry_id in NEVER.items() if word in main_text(html)]
        english = built_handbook / page.relative_to(built_handbook / "zh")
        if english.is_file():  # a table header, judged against the same header of the English page
            pairs = zip(_headers(english.read_text(encoding="utf-8")), _headers(html))
            words += [f"{zh} for {en!r}: {word}" for en, zh in pairs for word in misused(en, zh) if word.split()[0] in OVERLAPPING]
        if words:
            found[str(page.relative_to(built_handbook))] = words
    assert found == {}
