"""YAML errors in an editor's words (policy_loader/yaml_source.py): the fixtures in tests/malformed/
pin each message; these check what the fixtures cannot: that no real policy file would be named
out of line, and that the same characters inside text are not mistaken for mistakes.
"""

from __future__ import annotations

import pytest

from policy_loader.yaml_source import YamlProblem, _indentation, parse_policy_text
from testsupport.checkout import POLICIES

FILES = sorted(POLICIES.rglob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(POLICIES)) for p in FILES])
def test_no_line_of_a_real_policy_file_is_named_out_of_line(path):
    assert _indentation(path.read_text(encoding="utf-8").splitlines()) is None


def test_a_full_width_colon_in_a_flow_mapping_is_named_at_the_colon():
    with pytest.raises(YamlProblem) as raised:
        parse_policy_text("title: {en： Listing limits, zh: 商品发布数量上限}\n")
    assert (raised.value.mark.line, raised.value.mark.column) == (1, 11)
    assert raised.value.message.startswith("a full-width colon '：' (U+FF1A) follows a key here")


def test_full_width_colons_and_spaces_inside_chinese_text_are_text():
    data, _ = parse_policy_text("title: {en: Note, zh: 注意：以下为示意}\nsummary:\n  zh: 年费　返还：见下\n")
    assert data == {"title": {"en": "Note", "zh": "注意：以下为示意"}, "summary": {"zh": "年费　返还：见下"}}


def test_a_byte_order_mark_at_the_start_of_a_file_is_harmless():
    assert parse_policy_text("\ufefftitle: x\n")[0] == {"title": "x"}
