"""The Chinese style check (policy_loader/zh_style.py): what it refuses and what it leaves alone.

Each refused form has its malformed fixture too (tests/malformed/zh-style-*), its exact located
message pinned by test_policy_check.py; zh-style-today is the policies' Chinese as it was before
issue 30, which the check refuses. Here: the rules one by one on single texts (placeholders, code
spans, ISO dates and English are not Chinese prose), and `check` reading the project's own pages
and page words, located like any policy error.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from cli.commands import main
from policy_loader import zh_style
from testsupport.checkout import POLICIES, ROOT


@pytest.mark.parametrize("text, found", [
    ("自 2016年1月1日 起", "自_2016年1月1日_起"),
    ("截至 2021年12月14日（含当日）", "截至_2021年12月14日（含当日）"),
    ("按 {day} 的规则计算。", "按_{day}_的规则计算。"),
    ("金额(美元)", "金额_美元_"),
    ("金额(USD)", "金额_USD)"),
    ("注意: 这是示意", "注意_ 这是示意"),
    ("佣金为5-8%", "佣金为_-8%"),
    ("月份（1-12）", "月份（_-12）"),
    ("店铺将被下架.", "店铺将被下架_"),
])
def test_each_english_form_in_chinese_text_is_found_where_it_is(text, found):
    marks = {index for index, _what in zh_style.problems(text)}
    shown = "".join("_" if index in marks else ch for index, ch in enumerate(text))
    assert shown == found


@pytest.mark.parametrize("text", [
    "自2016年1月1日起，佣金为5%～8%。",
    "在线商品{count}个，超出上限{over}个（你的类目上限为{cap}个）。",
    "运行 `make check` 后再提交：它会指出 `2027-03-01` 之类的错误。",
    "发布的 JSON Schema（draft 2020-12）与 [规则](../fees/refund.md) 页面",
    "超过 {amount}",
    "Rules as of 2027-03-01 (in force).",
    "POP 订单须在规定时限内交给承运商。",
])
def test_well_set_chinese_placeholders_code_and_english_pass(text):
    assert zh_style.problems(text) == []


def _project(tmp_path: Path) -> Path:
    """A handbook project in miniature: the real policies (the word catalogue among them), one Chinese page, a mkdocs.yml."""
    shutil.copytree(POLICIES, tmp_path / "policies")
    (tmp_path / "docs" / "calculators").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "calculators" / "refund.zh.md", tmp_path / "docs" / "calculators" / "refund.zh.md")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


def _check(policies: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(policies)])
    return code, out.getvalue()


def test_check_reads_the_chinese_pages_and_the_word_catalogue_of_its_project(tmp_path):
    project = _project(tmp_path)
    page = project / "docs" / "calculators" / "refund.zh.md"
    planted = "返还比例为 50%-100%，以 2027年3月1日 的规则为准."
    page.write_text(page.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    words = project / "policies" / "catalogue" / "messages.yaml"
    entry = 'zz.planted: {en: "Amount (USD)", zh: "金额(美元)"}'
    words.write_text(words.read_text(encoding="utf-8") + entry + "\n", encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    last = len(words.read_text(encoding="utf-8").splitlines())
    code, printed = _check(project / "policies")
    shown = printed.replace(f"{project}/", "").splitlines()
    assert code == 1
    page_at = f"docs/calculators/refund.zh.md:{line}"
    assert [f"{page_at}:{planted.index('50%-') + 1}: a range written with a hyphen or tilde",
            f"{page_at}:{planted.index(' 2027') + 1}: a space between Chinese text and a Chinese date",
            f"{page_at}:{planted.index(' 的规则') + 1}: a space between a Chinese date and Chinese text",
            f"{page_at}:{planted.index('.') + 1}: an ASCII period ending a Chinese sentence",
            ] == [problem.split(";")[0] for problem in shown if problem.startswith(page_at)]
    words_at = f"policies/catalogue/messages.yaml:{last}"
    assert [f"{words_at}:{entry.index('(美') + 1}: zz.planted.zh: an ASCII bracket '(' in Chinese text",
            f"{words_at}:{entry.rindex(')') + 1}: zz.planted.zh: an ASCII bracket ')' in Chinese text",
            ] == [problem.split(";")[0] for problem in shown if problem.startswith(words_at)]


def test_a_policy_folder_outside_a_project_is_checked_without_pages(tmp_path):
    shutil.copytree(POLICIES, tmp_path / "policies")
    code, printed = _check(tmp_path / "policies")
    assert code == 0 and printed.startswith("ok: ")
