"""Wording a QA reading found wrong, pinned where it is said (policies/catalogue/messages.yaml).

Counts of one read in the singular in English ("1 unused month", "1 unsold link is"), Chinese has no
plural and keeps one wording; a service level's name is preceded by "The", whatever the name; a fee
of 0 says that nothing was paid rather than "50%: CNY 0 of CNY 0"; the CLI says when no input came at
all, gives JSON's reasons in the reader's language, and tells a file from a missing folder; and
every field error a seller sees alone under a field starts with a capital.
"""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest

from calculators.api import run, run_json
from calculators.sweep import sweep
from handbook.checks import load_checked_bundle
from tests.conftest import POLICIES, ROOT
from testsupport.cli import run_cli

BUNDLE = load_checked_bundle(POLICIES)
AS_OF = "2026-11-22"
REFUND = {"category": "womens-clothing", "annual_sales_usd": 20000, "service_level": "good"}
ASSESSED = dt.date(2027, 1, 14)  # the clothing categories' next assessment after AS_OF (tests/test_delisting.py)


def everything_said(result: dict) -> str:
    return "\n".join([result["headline"], *(f["detail"] for f in result["findings"]), *result["next_steps"]])


# --- 1. Counts of one ------------------------------------------------------------------------

@pytest.mark.parametrize("exit_month, said, not_said", [
    (12, ["for the 1 unused month.", "uses 11 months:"], ["1 unused months"]),
    (2, ["for the 11 unused months.", "uses 1 month:"], ["uses 1 months"]),
    (3, ["for the 10 unused months.", "uses 2 months:"], []),
])
def test_pro_rated_months_read_in_the_singular_for_one(exit_month, said, not_said):
    text = everything_said(run(BUNDLE, "refund", {**REFUND, "exit_month": exit_month}, AS_OF))
    for words in said:
        assert words in text
    for words in not_said:
        assert words not in text


def test_chinese_months_have_one_wording_for_one_and_many():
    zh = run(BUNDLE, "refund", {**REFUND, "exit_month": 12}, AS_OF, lang="zh")
    assert zh["headline"] == "年中退出：年费CNY 10,000中返还未使用的1个月，共CNY 833.33。"


def delisting(age_days: int = 1000, sales=50000, lang: str = "en", **extra) -> dict:
    opened = (ASSESSED - dt.timedelta(days=age_days)).isoformat()
    inputs = {"category": "womens-clothing", "medal": "none", "active_listings": 10, "listings_no_shipment_180d": 0,
              "store_opened_on": opened, "sales_365d_usd": sales, **extra}
    return run(BUNDLE, "delisting", inputs, AS_OF, lang=lang)


@pytest.mark.parametrize("inputs, said", [
    ({"store_opened_on": "2026-11-01", "assessment_date": "2026-11-02"},
     "Your store will be 1 day old on 2 November 2026, less than 365 days"),
    ({"listings_no_shipment_180d": 1}, "1 product link with no shipment in 180 days is taken off the shelf."),
    ({"listings_no_shipment_180d": 1}, "1 unsold link will be taken off the shelf"),
    ({"active_listings": 1}, "1 active listing is within the cap of 3,000."),
    ({"category": "human-hair-wigs", "active_listings": 201}, "Remove 1 listing to get within the cap of 200."),
    ({"category": "human-hair-wigs", "active_listings": 202, "listings_no_shipment_180d": 1},
     "1 unsold link will be taken off; remove 1 more to get within the cap of 200"),
    ({"category": "human-hair-wigs", "active_listings": 201, "listings_no_shipment_180d": 1},
     "1 unsold link will be taken off, which brings the store within the cap of 200"),
    ({"listings_no_shipment_180d": 2}, "2 product links with no shipment in 180 days are taken off the shelf."),
    ({"active_listings": 2}, "2 active listings are within the cap of 3,000."),
])
def test_delisting_counts_of_one_read_in_the_singular(inputs, said):
    assert said in everything_said(delisting(**inputs))


def test_one_more_unknown_input_is_singular():
    inputs = {**REFUND, **{f"extra_{i}": 1 for i in range(21)}}
    errors = run(BUNDLE, "refund", inputs, AS_OF)["errors"]
    assert errors[-1]["field"] == "(input)" and errors[-1]["message"].startswith("1 more unknown input; allowed: ")


# --- 2. The article before a service level ---------------------------------------------------

@pytest.mark.parametrize("level, said", [
    ("excellent", "The \u201cExcellent\u201d service level qualifies for a refund."),
    ("good", "The \u201cGood\u201d service level qualifies for a refund."),
    ("pass", "The \u201cPass\u201d service level does not qualify; the refund needs"),
])
def test_a_service_level_reads_right_whatever_its_name(level, said):
    result = run(BUNDLE, "refund", {**REFUND, "service_level": level}, AS_OF)
    assert said in everything_said(result)
    assert "A \u201c" not in everything_said(result)
    if level == "pass":
        assert result["headline"].startswith("No refund: the \u201cPass\u201d service level does not qualify")


# --- 4. A fee of 0 ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [{}, {"exit_month": 6}, {"annual_sales_usd": 100000}])
def test_no_fee_paid_means_nothing_to_refund_in_words(extra):
    result = run(BUNDLE, "refund", {**REFUND, "fee_paid_cny": 0, **extra}, AS_OF)
    assert result["verdict"] == "no_refund"
    assert result["headline"] == "No refund: no annual fee was paid, so there is nothing to refund."
    assert (result["amounts"]["refund_cny"], result["amounts"]["refund_percent"]) == (0, 0)
    assert "CNY 0 of the CNY 0" not in everything_said(result)
    assert any(f["detail"] == "No annual fee was paid (CNY 0), so there is nothing to refund."
               for f in result["findings"])
    zh = run(BUNDLE, "refund", {**REFUND, "fee_paid_cny": 0, **extra}, AS_OF, lang="zh")
    assert zh["headline"] == "不返还：未缴纳年费，因此没有可返还的金额。"


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


@pytest.mark.parametrize("text, en, zh", [
    ("{\"category\": }", "a value was expected at line 1 column 14", "第1行第14列，此处应为一个值"),
    ("{\"a\": 1,\n", "a name in double quotes was expected at line 2 column 1", "第2行第1列，此处应为带双引号的名称"),
    ("{\"a\": 1 \"b\": 2}", "a comma (,) was expected at line 1 column 9", "第1行第9列，此处应为逗号（,）"),
    ("{\"a\" 1}", "a colon (:) was expected at line 1 column 6", "第1行第6列，此处应为冒号（:）"),
    ("{\"a", "a string starting here is not closed at line 1 column 2", "第1行第2列，从此处开始的字符串没有结束引号"),
    ("{} {}", "more text follows the JSON value at line 1 column 4", "第1行第4列，JSON 值之后还有多余的内容"),
    ("{\"a\u0001\": 1}", "a string holds a control character at line 1 column 4", "第1行第4列，字符串中含有控制字符"),
    ("{\"a\": \"\\x\"}", "the text cannot be read as JSON at line 1 column 8", "第1行第8列，该文本无法解析为 JSON"),
])
def test_json_reasons_are_in_the_readers_language_with_line_and_column(text, en, zh):
    for lang, expected in (("en", "Not valid JSON: " + en), ("zh", "不是有效的 JSON：" + zh)):
        proc = run_cli("run", "refund", "--lang", lang, stdin=text, cwd=ROOT)
        assert proc.returncode == 2
        assert json.loads(proc.stdout) == {"errors": [{"field": "--input", "message": expected}]}
    # The browser worker's door (run_json) parses with the same words.
    answer = json.loads(run_json(json.dumps(BUNDLE), "refund", text, json.dumps({"lang": "zh"})))
    assert answer["errors"][0]["message"] == "不是有效的 JSON：" + zh


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
    errors = run(BUNDLE, "refund", {"category": "womens-clothing", "annual_sales_usd": -1, "service_level": "good",
                                    "exit_month": 3.5}, AS_OF)["errors"]
    assert errors == [{"field": "annual_sales_usd", "message": "Must not be negative"},
                      {"field": "exit_month", "message": "Must be a whole number, found 3.5"}]
    assert run(BUNDLE, "refund", {}, AS_OF)["errors"][0] == {"field": "category", "message": "Required"}
    zh = run(BUNDLE, "refund", {**REFUND, "annual_sales_usd": -1}, AS_OF, lang="zh")["errors"]
    assert zh == [{"field": "annual_sales_usd", "message": "不能为负数"}]
