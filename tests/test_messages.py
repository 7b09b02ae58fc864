"""The calculators speak the page's language: English and Chinese from one catalogue.

Every wording lives in policies/catalogue/messages.yaml; the code names it by a literal key
(calculators/messages.py: say("..."), Msg("..."), key("..."), and t("...") in the form template).
Checked here: every key the code names exists and every catalogue key is used; a broken Chinese
template is refused at path:line:column; en and zh results differ only in wording (same keys,
verdicts, amounts); the zh wording is Chinese; the CLI (run in-process, testsupport/cli.py), run_json
and field errors take the language.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from calculators.api import run, run_json, specs
from calculators.present import view
from calculators.sweep import sweep
from policy_loader import PolicyErrors, load_bundle
from testsupport.cli import Ran, run_cli
from testsupport.policy_bundle import checked_bundle

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
BUNDLE = checked_bundle()  # parametrize needs it at collection
BUNDLE_JSON = json.dumps(BUNDLE)
MESSAGES = BUNDLE["messages"]
# Any string literal "namespace.name" whose namespace is one of the catalogue's: a message key as the
# code names it (say("..."), Msg("..."), key("..."), t("...") or a branch of a conditional inside one).
NAMESPACES = sorted({name.split(".")[0] for name in MESSAGES})
USES = re.compile(r"""["']((?:%s)\.[a-z0-9_]+)["']""" % "|".join(NAMESPACES))
CJK = re.compile(r"[\u4e00-\u9fff]")
# Three ASCII words in a row is English left in a Chinese sentence; codes and names are allowed.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")
ALLOWED_ASCII = {"USD", "CNY", "POP", "JIT", "ID", "URL", "TM", "R", "Choice", "AliExpress", "Python", "JSON",
                 "YYYY", "MM", "DD", "Alipay", "DSR", "Web", "Worker"}


# A file name is not a key ("changes.md", "sources.yaml"), though it looks like one.
FILE_NAMES = (".md", ".j2", ".yaml", ".json", ".atom", ".html", ".py", ".mjs", ".css", ".txt", ".xml")


def sources() -> str:
    # Everything that says a word: the calculators, the command line and batch above them (their own
    # errors), the page hooks and templates (w("..."), t("...")) and the policy review.
    files = [*sorted((ROOT / "calculators").glob("*.py")), *sorted((ROOT / "cli").glob("*.py")),
             *sorted((ROOT / "batch").glob("*.py")), *sorted((ROOT / "hooks").glob("*.py")),
             *sorted((ROOT / "hooks" / "templates").glob("*.*")), *sorted((ROOT / "policy_review").glob("*.py"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_key_the_code_names_is_in_the_catalogue_and_every_catalogue_key_is_used():
    # A prefix ("common.count_" + unit) is not a key: its keys are written out with key() beside it.
    used = {name for name in USES.findall(sources()) if not name.endswith(("_", *FILE_NAMES))}
    # Keys made from policy ids: a table's dimension (hooks/pages.py dimension_name).
    used |= {"topic.category", "topic.scope"}
    assert used, "the key scan found nothing: has the convention (say/Msg/key/t) changed?"
    assert sorted(used - set(MESSAGES)) == [], "keys the code names but the catalogue lacks"
    assert sorted(set(MESSAGES) - used) == [], "catalogue keys no code names (unused wording)"


def test_every_placeholder_is_a_plain_name_and_the_same_in_both_languages():
    import string

    for name, text in MESSAGES.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(text[lang]) if f is not None} for lang in ("en", "zh")]
        assert fields[0] == fields[1], name
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", f) for f in fields[0]), name


def _broken_copy(tmp_path, old: str, new: str) -> Path:
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    path = tree / "catalogue" / "messages.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tree


def _line_of(tree: Path, needle: str) -> int:
    lines = (tree / "catalogue" / "messages.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("old, new, message", [
    ('zh: "{count}天"', 'zh: "天数"', "the Chinese template must use the same placeholders as the English one: "
                                      "missing {count}"),
    ('zh: "{count}天"', 'zh: "{count}天{days}"', "unknown {days}"),
    ('zh: "{count}天"', 'zh: "{count:,}天"', "a placeholder is a plain name"),
    ('zh: "{count}天"', 'zh: "  "', "the Chinese text (zh) is empty"),
    ('common.count_days: {en: "{count} days", zh: "{count}天"}', 'common.count_days: {en: "{count} days"}',
     "missing the Chinese text (zh)"),
    ('zh: "{count}天"', 'zh: "<b>{count}</b>天"', "a message is plain text"),
])
def test_a_broken_chinese_template_is_refused_at_its_line(tmp_path, old, new, message):
    tree = _broken_copy(tmp_path, old, new)
    with pytest.raises(PolicyErrors) as refused:
        load_bundle(tree)
    shown = [str(error) for error in refused.value.errors]
    line = _line_of(tree, "common.count_days")
    assert any(f"messages.yaml:{line}:" in text and message in text and "common.count_days" in text
               for text in shown), shown


def test_a_broken_template_shows_in_the_same_run_as_another_files_schema_error(tmp_path):
    """An editor fixing a pull request sees every problem at once, not the placeholders in a second round."""
    tree = _broken_copy(tmp_path, 'zh: "{count}天"', 'zh: "{n}天"')
    fees = tree / "fees" / "refund.yaml"
    fees.write_text(fees.read_text(encoding="utf-8").replace("kind: tiers", "kind: tierz", 1), encoding="utf-8")
    with pytest.raises(PolicyErrors) as refused:
        load_bundle(tree)
    shown = [str(error) for error in refused.value.errors]
    assert any("refund.yaml:" in text and "tierz" in text for text in shown), shown
    assert any(f"messages.yaml:{_line_of(tree, 'common.count_days')}:" in text and "missing {count}" in text
               and "unknown {n}" in text for text in shown), shown


def _examples():
    return [pytest.param(e, id=f"{e['calculator']}-{i}") for i, e in enumerate(BUNDLE["examples"])]


def _shape(result: dict) -> dict:
    """What must not change between languages: keys, verdict, amounts that are numbers or dates."""
    amounts = {k: v for k, v in result["amounts"].items() if not isinstance(v, (str, list)) or k.endswith(
        ("_date", "_earliest")) or k == "store_types"}
    return {"keys": sorted(result), "verdict": result["verdict"], "amounts": amounts,
            "amount_keys": sorted(result["amounts"]), "rules": [f["rule"] for f in result["findings"]],
            "outcomes": [f["outcome"] for f in result["findings"]], "steps": len(result["next_steps"])}


def _assert_chinese(text: str, where: str) -> None:
    assert CJK.search(text), f"{where}: no Chinese in {text!r}"
    for run_ in ENGLISH_RUN.findall(text):
        words = set(re.findall(r"[A-Za-z]+", run_))
        assert words <= ALLOWED_ASCII, f"{where}: English left in {text!r}: {run_!r}"


@pytest.mark.parametrize("example", _examples())
def test_en_and_zh_differ_only_in_wording(example):
    name, inputs, as_of = example["calculator"], example["inputs"], example["as_of"]
    en, zh = run(BUNDLE, name, inputs, as_of), run(BUNDLE, name, inputs, as_of, lang="zh")
    assert ("errors" in en) == ("errors" in zh)
    if "errors" in en:
        assert [e["field"] for e in en["errors"]] == [e["field"] for e in zh["errors"]]
        return
    assert _shape(en) == _shape(zh)
    _assert_chinese(zh["headline"], "headline")
    for finding in zh["findings"]:
        _assert_chinese(finding["detail"], finding["rule"])
        _assert_chinese(finding["title"], finding["rule"])
    for step in zh["next_steps"]:
        _assert_chinese(step, "next step")
    shown = view(BUNDLE, name, inputs, zh, "zh")
    for part in [shown["verdict_label"], shown["meta"], *shown["headings"].values(),
                 *(a["label"] for a in shown["amounts"]), *(i["label"] for i in shown["inputs"])]:
        _assert_chinese(part, "view")
    assert [a["name"] for a in shown["amounts"]] == [a["name"] for a in view(BUNDLE, name, inputs, en)["amounts"]]
    chart = sweep(BUNDLE, name, inputs, as_of, lang="zh")
    english = sweep(BUNDLE, name, inputs, as_of)
    assert sorted(chart) == sorted(english) and sorted(chart["words"]) == sorted(english["words"])
    for word in chart["words"].values():
        _assert_chinese(word, "chart word")


def test_a_verdict_headline_is_an_estimate_in_both_languages():
    """A result is a forecast from the seller's figures, not a fact: its headline says so (issue 30 §10)."""
    example = next(e for e in BUNDLE["examples"] if e["calculator"] == "delisting"
                   and e["expect"].get("verdict") == "below_threshold")
    en = run(BUNDLE, "delisting", example["inputs"], example["as_of"])
    zh = run(BUNDLE, "delisting", example["inputs"], example["as_of"], lang="zh")
    assert re.match(r"On current sales, the store would be removed at the \d+ \w+ \d{4} assessment; ", en["headline"])
    assert re.match(r"按当前销售额，店铺将在\d{4}年\d+月\d+日的考核中被清退，", zh["headline"])
    assert en["next_steps"][0].startswith("Sell USD ") and "美元" in zh["next_steps"][0]


def test_specs_are_translated_but_names_and_values_are_not():
    en, zh = specs(BUNDLE), specs(BUNDLE, "zh")
    assert list(en) == list(zh)
    for name in en:
        assert en[name]["verdicts"] == zh[name]["verdicts"]
        _assert_chinese(zh[name]["title"], name)
        for a, b in zip(en[name]["inputs"], zh[name]["inputs"]):
            assert a["name"] == b["name"] and a["type"] == b["type"]
            _assert_chinese(b["label"], b["name"])
            if a.get("choices"):
                assert [c["value"] for c in a["choices"]] == [c["value"] for c in b["choices"]]
                assert all(CJK.search(c["label"]) for c in b["choices"]), b["name"]


def test_field_errors_speak_chinese_and_name_the_same_fields():
    inputs = {"category": "womens-clothng", "annual_sales_usd": -1, "service_level": "good", "colour": 1}
    en, zh = run(BUNDLE, "refund", inputs, "2026-11-22"), run(BUNDLE, "refund", inputs, "2026-11-22", lang="zh")
    assert [e["field"] for e in en["errors"]] == [e["field"] for e in zh["errors"]]
    messages = {e["field"]: e["message"] for e in zh["errors"]}
    assert messages["annual_sales_usd"] == "不能为负数"
    assert "你是否要填写“womens-clothing”" in messages["category"]
    assert messages["colour"].startswith("未知输入")
    assert run(BUNDLE, "refund", {}, "2026-11-22", lang="zh")["errors"][0]["message"] == "必填"
    summary = view(BUNDLE, "refund", {}, run(BUNDLE, "refund", {}, lang="zh"), "zh")
    assert summary["summary"].startswith("请填写") and summary["required"] == ["category", "annual_sales_usd",
                                                                             "service_level"]


def test_a_field_needed_because_of_another_answer_is_listed_to_fill_in_not_marked_wrong():
    # "Trademark application filed on" is needed once the application is pending: left empty, it is
    # a field to fill in (the page marks it required, not red), like one that is always required.
    inputs = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "pending_owner",
              "category": "automotive", "seller_type": "brand", "annual_turnover_cny": "3000000"}
    shown = view(BUNDLE, "eligibility", inputs, run(BUNDLE, "eligibility", inputs, "2026-11-22"))
    assert shown["required"] == ["trademark_filed_on"]
    assert shown["summary"] == "To see a result, fill in: Trademark application filed on."
    # Filled in but later than the as-of date: that is a wrong value, not a missing one.
    dated = {**inputs, "trademark_filed_on": "2027-01-01"}
    assert view(BUNDLE, "eligibility", dated, run(BUNDLE, "eligibility", dated, "2026-11-22"))["required"] == []
    # One field to fill in and one marked wrong: "the marked field", not "fields".
    refund = {"category": "shoes", "annual_sales_usd": "-1"}
    assert view(BUNDLE, "refund", refund, run(BUNDLE, "refund", refund, "2026-11-22"))["summary"] == (
        "To see a result, fill in: Yearly service level, and correct the marked field.")


def test_the_printed_inputs_mark_thousands_in_counts_as_in_amounts():
    store = {"category": "womens-clothing", "store_opened_on": "2019-03-01", "sales_365d_usd": "9,999",
             "active_listings": "3500", "listings_no_shipment_180d": "1 200"}
    shown = {i["name"]: i["text"] for i in view(BUNDLE, "delisting", store,
                                                  run(BUNDLE, "delisting", store, "2026-11-22", typed=True))["inputs"]}
    assert (shown["active_listings"], shown["listings_no_shipment_180d"], shown["sales_365d_usd"]) == (
        "3,500", "1,200", "USD 9,999")


def test_run_json_takes_the_language_and_refuses_an_unknown_one():
    example = next(e for e in BUNDLE["examples"] if e["calculator"] == "refund")
    inputs = json.dumps(example["inputs"])
    options = {"as_of": example["as_of"]}
    en = json.loads(run_json(BUNDLE_JSON, "refund", inputs, json.dumps(options)))
    same = json.loads(run_json(BUNDLE_JSON, "refund", inputs, json.dumps({**options, "lang": ""})))
    zh = json.loads(run_json(BUNDLE_JSON, "refund", inputs, json.dumps({**options, "lang": "zh"})))
    assert en == same and _shape(en) == _shape(zh) and CJK.search(zh["headline"])
    for bad in ("fr", 7, ["zh"]):
        answer = json.loads(run_json(BUNDLE_JSON, "refund", inputs, json.dumps({**options, "lang": bad})))
        assert answer == {"errors": [{"field": "lang", "message": "Unknown language; allowed: en, zh"}]}


def _cli(*args: str, stdin: str) -> Ran:
    """`python -m calculators *args` in-process (testsupport/cli.py); stdout and stderr as UTF-8 text."""
    return run_cli(*args, stdin=stdin, cwd=ROOT)


def test_the_cli_speaks_chinese_with_the_same_keys():
    example = next(e for e in BUNDLE["examples"] if e["calculator"] == "delisting")
    stdin = json.dumps(example["inputs"])
    en = _cli("run", "delisting", "--as-of", example["as_of"], stdin=stdin)
    zh = _cli("run", "delisting", "--as-of", example["as_of"], "--lang", "zh", stdin=stdin)
    assert en.returncode == zh.returncode == 0, zh.stderr
    assert CJK.search(zh.stdout) and not CJK.search(en.stdout)
    assert _shape(json.loads(en.stdout)) == _shape(json.loads(zh.stdout))
    bad = _cli("run", "delisting", "--lang", "zh", stdin='{"sales": 1}')
    assert bad.returncode == 2 and CJK.search(json.loads(bad.stdout)["errors"][0]["message"])
    refused = _cli("run", "delisting", "--lang", "fr", stdin=stdin)
    assert refused.returncode == 2 and "invalid choice: 'fr'" in refused.stderr


def test_the_form_speaks_the_page_language():
    from hooks.calculator_pages import insert_forms

    page = "<!-- calculator: refund -->"
    zh = insert_forms(page, specs(BUNDLE, "zh"), "test.md", "zh", messages=MESSAGES)
    en = insert_forms(page, specs(BUNDLE), "test.md", messages=MESSAGES)
    assert 'data-msg-ready="计算器已就绪' in zh and "请选择…" in zh and "选填" in zh and "年度服务等级" in zh
    assert "Choose…" in en and "Rules as of" in en
    assert re.findall(r'name="([a-z_]+)"', en) == re.findall(r'name="([a-z_]+)"', zh)


def _field_html(form: str, name: str) -> str:
    """One field's block of a rendered form (its label, control, help and error slot)."""
    return re.search(rf'<div class="calc-field" data-field="{name}">.*?</div>', form, re.DOTALL).group(0)


@pytest.mark.parametrize("lang, choose, optional, if_pending", [("en", "Choose…", "optional", "if pending"),
                                                                 ("zh", "请选择…", "选填", "商标申请中时必填")])
def test_the_form_asks_what_the_calculator_requires_and_marks_only_what_it_does_not(lang, choose, optional,
                                                                                      if_pending):
    from hooks.calculator_pages import insert_forms

    form = insert_forms("<!-- calculator: eligibility -->", specs(BUNDLE, lang), "test.md", lang, messages=MESSAGES)
    # A required yes/no is asked, not answered "No" for the seller: the CLI says it is required.
    alipay = _field_html(form, "alipay_enterprise_verified")
    assert " required" in alipay and f'<option value="" selected>{choose}</option>' in alipay
    assert f">{optional}<" not in alipay and '"false" selected' not in alipay
    # A date that one answer (a pending trademark) makes required says so, not "optional".
    filed = _field_html(form, "trademark_filed_on")
    assert f'<span class="calc-optional">{if_pending}</span>' in filed and f">{optional}<" not in filed
    assert f'<span class="calc-optional">{optional}</span>' in _field_html(form, "returned_on")
    # A yes/no with a default keeps it preselected, and stays optional (refund: removed for a violation).
    refund = insert_forms("<!-- calculator: refund -->", specs(BUNDLE, lang), "test.md", lang, messages=MESSAGES)
    removed = _field_html(refund, "removed_for_violation")
    assert '"false" selected' in removed and choose not in removed and f">{optional}<" in removed
