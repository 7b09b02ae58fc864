"""The glossary (policies/catalogue/glossary.yaml): valid, complete for the vocabularies, and used.

The glossary fixes each term once in English and Chinese. These tests hold the rest of the
policies to it: every vocabulary id in catalogue/terms.yaml (the calculators' choices) has an
entry, entries point only at real ids, the vocabularies' Chinese labels use the glossary's
Chinese term, and policy text that names a key term in English names it the glossary's way in
Chinese. Schema validity (both languages, non-empty, a zh_note where no term is established) is
`check`'s job and is exercised here through the real loader.
"""

from __future__ import annotations

import re

import pytest

from policy_loader.markup import text_fields
from testsupport.checkout import POLICIES
from testsupport.policy_bundle import policy_bundle

BUNDLE = policy_bundle()  # parametrize needs it at collection
GLOSSARY = BUNDLE["glossary"]
VOCABULARY_IDS = {f"{vocabulary}.{term}" for vocabulary, terms in BUNDLE["terms"].items() for term in terms}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _core(chinese: str) -> str:
    """A Chinese term without its bracketed explanation: 企业（注册公司） -> 企业."""
    return chinese.split("（")[0].strip()


def test_every_vocabulary_term_has_a_glossary_entry():
    covered = {ref for entry in GLOSSARY.values() for ref in entry.get("terms", [])}
    assert VOCABULARY_IDS - covered == set()


def test_every_vocabulary_has_a_glossary_entry_under_its_own_id():
    # A rule that varies by a vocabulary heads its table with that entry's term, in each language.
    vocabularies = {ref.split(".")[0] for ref in VOCABULARY_IDS}
    assert sorted(vocabularies - set(GLOSSARY)) == []


def test_glossary_entries_name_only_real_vocabulary_terms():
    named = [(entry_id, ref) for entry_id, entry in GLOSSARY.items() for ref in entry.get("terms", [])]
    assert [(e, r) for e, r in named if r not in VOCABULARY_IDS] == []
    refs = [ref for _, ref in named]
    assert len(refs) == len(set(refs)), "a vocabulary term is explained by two glossary entries"


@pytest.mark.parametrize("entry_id", sorted(GLOSSARY))
def test_glossary_entry_is_bilingual(entry_id):
    entry = GLOSSARY[entry_id]
    for field in ("term", "definition"):
        assert entry[field]["en"].strip() and entry[field]["zh"].strip(), field
    assert CJK.search(entry["definition"]["zh"]), "the Chinese definition is not in Chinese"
    if entry.get("zh_established", True):
        assert CJK.search(entry["term"]["zh"]), "an established Chinese term is written in Chinese"
    else:
        assert entry["zh_note"]["en"].strip() and CJK.search(entry["zh_note"]["zh"])


def test_the_glossary_covers_the_seller_centre_terms():
    chinese = {_core(entry["term"]["zh"]) for entry in GLOSSARY.values()} | \
              {entry["term"]["zh"] for entry in GLOSSARY.values()}
    for term in ["速卖通", "年费", "年费返还", "年度销售额考核", "清退", "经营大类", "企业支付宝认证", "官方店",
                 "专卖店", "专营店", "商标", "R 标", "TM 标", "金牌卖家", "银牌卖家", "服务等级", "优秀", "良好",
                 "及格", "不及格", "POP", "半托管", "全托管", "JIT"]:
        assert term in chinese, term


def test_vocabulary_labels_use_the_glossary_terms():
    for entry in GLOSSARY.values():
        for ref in entry.get("terms", []):
            vocabulary, term = ref.split(".")
            label = BUNDLE["terms"][vocabulary][term]["label"]["zh"]
            glossary_term = entry["term"]["zh"]
            assert _core(label) in glossary_term or _core(glossary_term) in label, (ref, label, glossary_term)


# English phrase (as it appears in policy text) -> the glossary entry whose Chinese term must be used.
KEY_TERMS = {
    "annual fee refund": "annual_fee_refund", "annual sales assessment": "annual_sales_assessment",
    "official store": "official_store", "specialty store": "specialty_store",
    "franchise store": "franchise_store", "business scope": "business_scope",
    "semi-managed": "semi_managed", "fully managed": "fully_managed", "service level": "service_level",
    "individual business": "individual_business", "enterprise authentication": "enterprise_alipay_authentication",
}


def test_policy_text_uses_the_glossary_terms_in_chinese():
    import yaml

    misses = []
    for path in sorted(POLICIES.rglob("*.yaml")):
        if "schema" in path.parts or path.name == "glossary.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = {}
        for key_path, text, _plain in text_fields(data):
            texts.setdefault(key_path[:-1], {})[key_path[-1]] = text
        for where, text in texts.items():
            if "en" not in text:
                continue  # a source note: note / note_zh
            for phrase, entry_id in KEY_TERMS.items():
                chinese = _core(GLOSSARY[entry_id]["term"]["zh"])
                if phrase in text["en"].lower() and chinese not in text["zh"]:
                    misses.append(f"{path.relative_to(POLICIES)}: {'.'.join(map(str, where))}: {phrase} -> {chinese}")
    assert misses == []


def _english_word(entry: dict) -> str:
    """The word English text names a term by: the last word of its English term (Business scope -> scope)."""
    return re.sub(r"\s*\(.*", "", entry["term"]["en"]).split()[-1].lower()


def _names(english: str, entry: dict) -> bool:
    return re.search(rf"\b{re.escape(_english_word(entry))}s?\b", english, re.IGNORECASE) is not None


def _catalogue_texts() -> dict[str, dict]:
    """Every {en, zh} the site and the calculators say (the one catalogue,
    policies/catalogue/messages.yaml), by key."""
    import yaml

    from testsupport.checkout import ROOT

    texts = {}
    for path in (POLICIES / "catalogue" / "messages.yaml",):
        for key, text in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if isinstance(text, dict) and {"en", "zh"} <= set(text):
                texts[f"{path.name}: {key}"] = text
    return texts


def test_the_site_and_calculators_never_use_a_word_the_glossary_avoids_for_a_term():
    # 经营大类 is the category's word: "Scope" headed 经营大类 told a Chinese reader the column was categories.
    owner = {_core(entry["term"]["zh"]): entry for entry in GLOSSARY.values()}
    avoiding = {entry_id: entry for entry_id, entry in GLOSSARY.items() if entry.get("avoid")}
    assert {"business_scope", "business_category", "annual_fee_refund"} <= set(avoiding)
    misses = []
    for where, text in _catalogue_texts().items():
        for entry_id, entry in avoiding.items():
            if not _names(text["en"], entry):
                continue
            for word in entry["avoid"]:
                # Allowed where the English names the term the word belongs to as well.
                if word in text["zh"] and not (word in owner and _names(text["en"], owner[word])):
                    misses.append(f"{where}: {text['en']!r} -> {text['zh']!r}: {word} is not {entry_id}")
    assert misses == []
