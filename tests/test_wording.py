"""Which sentence is said, in both languages: counts of one read in the singular in English ("1
unused month", "1 unsold link is"), Chinese has no plural and keeps one wording; a service level's
name is preceded by "The", whatever the name; a fee of 0 says that nothing was paid rather than
"50%: CNY 0 of CNY 0"; the CLI says when no input came at all, gives JSON's reasons in the reader's
language, and tells a file from a missing folder; and every field error a seller sees alone under a
field starts with a capital.

The policy team owns the sentences (policies/catalogue/messages.yaml), so these tests check which
catalogue key is said, with which values, in English and in Chinese (`says`), and pin the words of
only a handful of sentences: a wording-only change to the catalogue breaks none of the others.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import pytest

from calculators.api import run, run_json
from calculators.sweep import sweep
from testsupport.checkout import ROOT
from testsupport.cli import run_cli
from testsupport.policy_bundle import checked_bundle

BUNDLE = checked_bundle()
AS_OF = "2026-11-22"
REFUND = {"category": "womens-clothing", "annual_sales_usd": 20000, "service_level": "good"}
ASSESSED = dt.date(2027, 1, 14)  # the clothing categories' next assessment after AS_OF (tests/test_delisting.py)


def everything_said(result: dict) -> str:
    return "\n".join([result["headline"], *(f["detail"] for f in result["findings"]), *result["next_steps"]])


def says(text: str, key: str, lang: str) -> dict | None:
    """The placeholders' values where `text` says the catalogue's `key` in `lang`, else None. Case
    is ignored: a phrase may open a sentence, with a capital."""
    pattern, seen = "", set()
    for literal, name, _, _ in string.Formatter().parse(BUNDLE["messages"][key][lang]):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>[^\n]+?)"
            seen.add(name)
    if name:  # a placeholder at the end runs to the next space or stop, not to its first character
        pattern += r"(?=[\s.,;:!?。，；：]|$)"
    found = re.search(pattern, text, re.IGNORECASE)
    return found.groupdict() if found else None


def said_in_both(result_in, key: str, **values: str) -> None:
    """`result_in(lang)` says `key` in English and in Chinese, with `values` (as given in both)."""
    for lang in ("en", "zh"):
        got = says(everything_said(result_in(lang)), key, lang)
        assert got is not None, (lang, key, everything_said(result_in(lang)))
        assert {name: got[name] for name in values} == values, (lang, key, got)


# --- 1. Counts of one ------------------------------------------------------------------------

@pytest.mark.parametrize("exit_month, unused_key, unused, used_key, used", [
    (12, "refund.headline_pro_rated_one", "1", "refund.pro_rata", "11"),
    (2, "refund.headline_pro_rated", "11", "refund.pro_rata_one", "1"),
    (3, "refund.headline_pro_rated", "10", "refund.pro_rata", "2"),
])
def test_pro_rated_months_read_in_the_singular_for_one(exit_month, unused_key, unused, used_key, used):
    def result_in(lang):
        # The month it joined given, so the finding is the plain pro-rata one, not "assumed January".
        return run(BUNDLE, "refund", {**REFUND, "exit_month": exit_month, "joined_month": 1}, AS_OF, lang=lang)

    said_in_both(result_in, unused_key, unused=unused)
    said_in_both(result_in, used_key, used=used)
    for key in (unused_key, used_key):  # and not the other number's English
        other = key.removesuffix("_one") if key.endswith("_one") else key + "_one"
        assert says(everything_said(result_in("en")), other, "en") is None, other


def test_chinese_months_have_one_wording_for_one_and_many():
    """Pinned: one Chinese headline in full, as a merchant reads it."""
    zh = run(BUNDLE, "refund", {**REFUND, "exit_month": 12}, AS_OF, lang="zh")
    assert zh["headline"] == "年中退出：年费10,000元中将返还未使用的1个月，共833.33元。"


def delisting(age_days: int = 1000, sales=50000, lang: str = "en", **extra) -> dict:
    opened = (ASSESSED - dt.timedelta(days=age_days)).isoformat()
    inputs = {"category": "womens-clothing", "medal": "none", "active_listings": 10, "listings_no_shipment_180d": 0,
              "store_opened_on": opened, "sales_365d_usd": sales, **extra}
    return run(BUNDLE, "delisting", inputs, AS_OF, lang=lang)


@pytest.mark.parametrize("inputs, key, values", [
    ({"store_opened_on": "2026-11-01", "assessment_date": "2026-11-02"}, "delisting.too_young_one", {"age": "1"}),
    ({"listings_no_shipment_180d": 1}, "delisting.unsold_taken_off_one", {"count": "1"}),
    ({"listings_no_shipment_180d": 1}, "delisting.action_taken_off_one", {"count": "1"}),
    ({"active_listings": 1}, "delisting.within_cap_one", {"active": "1"}),
    ({"category": "human-hair-wigs", "active_listings": 201}, "delisting.action_remove_one", {"over": "1"}),
    ({"category": "human-hair-wigs", "active_listings": 202, "listings_no_shipment_180d": 1},
     "delisting.action_taken_off_remove_one", {"count": "1", "more": "1"}),
    ({"category": "human-hair-wigs", "active_listings": 201, "listings_no_shipment_180d": 1},
     "delisting.action_taken_off_enough_one", {"count": "1"}),
    ({"listings_no_shipment_180d": 2}, "delisting.unsold_taken_off", {"count": "2"}),
    ({"active_listings": 2}, "delisting.within_cap", {"active": "2"}),
])
def test_delisting_counts_of_one_read_in_the_singular(inputs, key, values):
    said_in_both(lambda lang: delisting(lang=lang, **inputs), key, **values)


def test_one_count_of_one_is_pinned_in_english():
    """Pinned: the singular in full, as a seller reads it."""
    assert "1 unsold link will be taken off the shelf" in everything_said(delisting(listings_no_shipment_180d=1))


def test_one_more_unknown_input_is_singular():
    inputs = {**REFUND, **{f"extra_{i}": 1 for i in range(21)}}
    errors = run(BUNDLE, "refund", inputs, AS_OF)["errors"]
    assert errors[-1]["field"] == "(input)" and errors[-1]["message"].startswith("1 more unknown input; allowed: ")


# --- 2. The article before a service level ---------------------------------------------------

@pytest.mark.parametrize("level, key", [
    ("excellent", "refund.level_qualifies"), ("good", "refund.level_qualifies"), ("pass", "refund.level_fails"),
])
def test_a_service_level_reads_right_whatever_its_name(level, key):
    def result_in(lang):
        return run(BUNDLE, "refund", {**REFUND, "service_level": level}, AS_OF, lang=lang)

    label = BUNDLE["terms"]["service_level"][level]["label"]
    said_in_both(result_in, key)
    assert says(everything_said(result_in("en")), key, "en")["level"] == f"\u201c{label['en']}\u201d"
    assert label["zh"] in says(everything_said(result_in("zh")), key, "zh")["level"]
    assert "A \u201c" not in everything_said(result_in("en"))
    if level == "pass":
        said_in_both(result_in, "refund.headline_level")


# --- 4. A fee of 0 ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [{}, {"exit_month": 6}, {"annual_sales_usd": 100000}])
def test_no_fee_paid_means_nothing_to_refund_in_words(extra):
    def result_in(lang):
        return run(BUNDLE, "refund", {**REFUND, "fee_paid_cny": 0, **extra}, AS_OF, lang=lang)

    result = result_in("en")
    assert result["verdict"] == "no_refund"
    assert (result["amounts"]["refund_cny"], result["amounts"]["refund_percent"]) == (0, 0)
    for lang in ("en", "zh"):
        assert result_in(lang)["headline"] == BUNDLE["messages"]["refund.headline_no_fee_paid"][lang]
    # Money as each language writes it (calculators/formatters.py): CNY 0, 0元.
    for lang, fee in (("en", "CNY 0"), ("zh", "0元")):
        assert says(everything_said(result_in(lang)), "refund.no_fee_paid", lang) == {"fee": fee}
    assert "CNY 0 of the CNY 0" not in everything_said(result)


def test_the_chart_says_why_no_fee_means_no_refund_at_any_sales():
    inputs = {**REFUND, "fee_paid_cny": 0}
    result = run(BUNDLE, "refund", inputs, AS_OF)
    chart = sweep(BUNDLE, "refund", inputs, dt.date.fromisoformat(AS_OF))
    assert chart["reason"] == {"code": "no_fee_paid", "text": result["headline"]} and chart["steps"] is None


# --- 5. The CLI's input: none at all, and JSON's reasons in Chinese --------------------------

@pytest.mark.parametrize("stdin", ["", "  \n"])
@pytest.mark.parametrize("lang, message", [
    ("en", "No input given: the input is empty. Give a JSON object of input names and values, on standard input "
           "or in the file named by --input"),
    ("zh", "没有输入：输入为空。请通过标准输入或 --input 指定的文件，提供由输入名和值组成的 JSON 对象"),
])
def test_no_input_says_so_and_what_to_give(stdin, lang, message):
    proc = run_cli("run", "refund", "--lang", lang, stdin=stdin, cwd=ROOT)
    assert proc.returncode == 2
    assert json.loads(proc.stdout) == {"errors": [{"field": "--input", "message": message}]}


@pytest.mark.parametrize("text, reason, line, column", [
    ("{\"category\": }", "input.json_expecting_value", 1, 14),
    ("{\"a\": 1,\n", "input.json_expecting_name", 2, 1),
    ("{\"a\": 1 \"b\": 2}", "input.json_expecting_comma", 1, 9),
    ("{\"a\" 1}", "input.json_expecting_colon", 1, 6),
    ("{\"a", "input.json_unterminated_string", 1, 2),
    ("{} {}", "input.json_extra_data", 1, 4),
    ("{\"a\u0001\": 1}", "input.json_control_character", 1, 4),
    ("{\"a\": \"\\x\"}", "input.json_other", 1, 8),
])
def test_json_reasons_are_in_the_readers_language_with_line_and_column(text, reason, line, column):
    messages = BUNDLE["messages"]
    for lang in ("en", "zh"):
        expected = messages["input.not_json"][lang].format(problem=messages[reason][lang], line=line, column=column)
        proc = run_cli("run", "refund", "--lang", lang, stdin=text, cwd=ROOT)
        assert proc.returncode == 2
        assert json.loads(proc.stdout) == {"errors": [{"field": "--input", "message": expected}]}
        # The browser worker's door (run_json) parses with the same words.
        answer = json.loads(run_json(json.dumps(BUNDLE), "refund", text, json.dumps({"lang": lang})))
        assert answer["errors"][0]["message"] == expected


def test_one_json_reason_is_pinned_in_both_languages():
    for lang, expected in (("en", "Not valid JSON: a value was expected at line 1 column 14"),
                           ("zh", "不是有效的 JSON：第1行第14列，此处应为一个值")):
        proc = run_cli("run", "refund", "--lang", lang, stdin="{\"category\": }", cwd=ROOT)
        assert json.loads(proc.stdout)["errors"][0]["message"] == expected


# --- 6. check on a file ----------------------------------------------------------------------

def test_check_on_a_file_says_it_is_a_file_not_a_folder(tmp_path):
    file = tmp_path / "passwd"
    file.write_text("root:x:0:0\n", encoding="utf-8")
    proc = run_cli("check", str(file), cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stdout.strip() == f"{file}:1:1: is a file, not a policy folder: give the folder that holds the policy files"
    missing = run_cli("check", str(tmp_path / "nowhere"), cwd=ROOT)
    assert missing.stdout.strip() == f"{tmp_path / 'nowhere'}:1:1: no such policy folder"


# --- 7. Field errors stand alone under their field -------------------------------------------

# Messages put into another message (what was given, JSON's reason, the as-of day), not shown alone.
FRAGMENTS = ("input.shown_", "input.json_", "input.day_")


def field_error_keys() -> list[str]:
    return sorted(name for name in BUNDLE["messages"]
                  if (name.startswith("input.") and not name.startswith(FRAGMENTS)) or ".error_" in name)


@pytest.mark.parametrize("name", field_error_keys())
def test_every_field_error_starts_with_a_capital_or_what_was_given(name):
    text = BUNDLE["messages"][name]["en"]
    first = next(string.Formatter().parse(text))
    literal, placeholder = first[0], first[1]
    if literal:
        assert literal[0].isupper(), f"{name}: {text!r} is shown alone under a field; start it with a capital"
    else:  # it opens with what was given ("'9,000' is not a plain number") or a count
        assert placeholder in ("value", "count"), name


def test_the_field_errors_a_seller_sees_are_sentences_in_both_languages():
    for lang in ("en", "zh"):
        say = BUNDLE["messages"]
        errors = run(BUNDLE, "refund", {"category": "womens-clothing", "annual_sales_usd": -1, "service_level": "good",
                                        "exit_month": 3.5}, AS_OF, lang=lang)["errors"]
        assert errors == [{"field": "annual_sales_usd", "message": say["input.negative"][lang]},
                          {"field": "exit_month", "message": say["input.not_whole"][lang].format(value="3.5")}]
        assert run(BUNDLE, "refund", {}, AS_OF, lang=lang)["errors"][0] == {"field": "category",
                                                                             "message": say["input.required"][lang]}
    # Pinned: one field error in full in each language.
    assert run(BUNDLE, "refund", {**REFUND, "annual_sales_usd": -1}, AS_OF)["errors"][0]["message"] == "Must not be negative"
    zh = run(BUNDLE, "refund", {**REFUND, "annual_sales_usd": -1}, AS_OF, lang="zh")["errors"]
    assert zh == [{"field": "annual_sales_usd", "message": "不能为负数"}]
