"""The Chinese style check: how a zh-CN editor would typeset the handbook's Chinese.

Most of the handbook's readers are Chinese merchants, and a sentence typeset the English way reads
as a translation even when its words are right. Every Chinese text is held to four rules
(issue 30 §6), each refused form one located line in `check`, like any other mistake:

- no space between a Chinese character and a Chinese date: 自2016年1月1日起, not 自 2016年1月1日 起;
- full-width brackets and punctuation around Chinese: 金额（美元）, not 金额(USD) or 注意: ...;
- ～ for a range of numbers: 5%～8%, 1～12, not 5-8% or 1-12 (an ISO date 2027-03-01 or month 2020-12 is no range);
- no ASCII period ending a Chinese sentence: 。 not "."

Placeholders such as {amount} stand for what the calculators fill in and are never judged; code
spans, link targets and HTML comments in a page are not prose either. `problems` judges one text;
`check_file` runs it over a policy file's zh texts (crosscheck calls it for every file, as it does
markup's check; the one word catalogue, policies/catalogue/messages.yaml, is one of them);
`check_page` runs it over the hand-written Chinese pages (docs/**/*.zh.md), which policy_contract
adds to `check` when the policy folder sits in the handbook's project.
"""

from __future__ import annotations

import re
from pathlib import Path

from policy_loader.errors import PolicyError
from policy_loader.markup import located_errors
from policy_loader.yaml_source import YamlProblem, parse_policy_text

# Han characters and the full-width punctuation that closes or opens Chinese text.
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_PUNCTUATION = "，。；：？！、（）《》“”‘’「」【】"
DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"

# (pattern, what is wrong). Each pattern's group "at" (or the whole match) is where the error points.
RULES = [
    (re.compile(rf"[{HAN}{CJK_PUNCTUATION}](?P<at>[ \t\u00a0]+){DATE}"),
     "a space between Chinese text and a Chinese date; write them together, as in 自2016年1月1日起"),
    (re.compile(rf"{DATE}(?P<at>[ \t\u00a0]+)[{HAN}{CJK_PUNCTUATION}]"),
     "a space between a Chinese date and Chinese text; write them together, as in 自2016年1月1日起"),
    (re.compile(rf"[{HAN}](?P<at>\s*\()|(?P<at2>\()[^()\n]*[{HAN}][^()\n]*\)"),
     "an ASCII bracket '(' in Chinese text; use full-width brackets （）"),
    (re.compile(rf"\([^()\n]*[{HAN}][^()\n]*(?P<at>\))|[{HAN}](?P<at2>\))"),
     "an ASCII bracket ')' in Chinese text; use full-width brackets （）"),
    (re.compile(rf"[{HAN}](?P<at>[,;:?!])(?=\s|$|[{HAN}])"),
     "ASCII punctuation after Chinese text; use the full-width mark (，；：？！)"),
    (re.compile(r"(?<![A-Za-z0-9_.\-/])(?P<at>\d+(?:\.\d+)?%?\s*[-–~]\s*\d+(?:\.\d+)?%?)(?![A-Za-z0-9_\-/])"),
     "a range written with a hyphen or tilde; write ～ between the numbers, as in 5%～8% or 1～12"),
    (re.compile(rf"[{HAN}）」”](?P<at>\.)(?=\s|$)"),
     "an ASCII period ending a Chinese sentence; end it with 。"),
]
SPACED_DATE = "a space between Chinese text and a date; write them together, as in 自2016年1月1日起"
# A placeholder the calculators or pages fill with a date ({day}, {date}, {closed_on}, ...).
DATE_PLACEHOLDER_SPACED = [
    re.compile(rf"[{HAN}](?P<at>[ \t]+)\{{\w*(?:day|date|_on)\}}"),
    re.compile(rf"\{{\w*(?:day|date|_on)\}}(?P<at>[ \t]+)[{HAN}]"),
]
# An ISO date or month (2027-03-01, draft 2020-12): no range.
ISO_DATE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?(?!\d)")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
CHINESE = re.compile(f"[{HAN}]")


def problems(text: str) -> list[tuple[int, str]]:
    """(index in text, what is wrong) for each refused form, in order; [] if the text is well set.

    >>> problems("自 2016年1月1日 起")
    [(1, 'a space between Chinese text and a Chinese date; write them together, as in 自2016年1月1日起'), \
(11, 'a space between a Chinese date and Chinese text; write them together, as in 自2016年1月1日起')]
    >>> problems("佣金为5%～8%，自2016年1月1日起按{amount}计。")
    []
    """
    if not CHINESE.search(text):
        return []
    found = {(m.start("at"), SPACED_DATE) for pattern in DATE_PLACEHOLDER_SPACED for m in pattern.finditer(text)}
    prose = _blank(text)
    for pattern, what in RULES:
        for match in pattern.finditer(prose):
            group = "at" if match.group("at") is not None else "at2"
            found.add((match.start(group), what))
    found = {(i, w) for i, w in found if not _iso_date_at(prose, i, w)}
    return sorted(found)


def check_file(policy_file) -> list[PolicyError]:
    """Every refused form in the zh texts (and zh notes) of one parsed policy file."""
    return located_errors(policy_file, lambda path, text, _plain: problems(text) if path[-1] in ("zh", "note_zh") else ())


def check_page(path: Path, shown: str) -> list[PolicyError]:
    """A hand-written Chinese page (Markdown): its prose, line by line, outside code blocks."""
    errors, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        for index, what in problems(line):
            errors.append(PolicyError(shown, number, index + 1, what))
    return errors


def check_project(policy_dir: str | Path) -> list[PolicyError]:
    """The Chinese outside policies/ that `check` also reads when the policy folder is the handbook
    project's own (a sibling mkdocs.yml): the hand-written Chinese pages. A
    policy folder elsewhere (a fixture, a review's copy) has no pages, and gets nothing here."""
    policy_dir = Path(policy_dir)
    project = policy_dir.resolve().parent
    if not (project / "mkdocs.yml").is_file():
        return []
    shown = policy_dir.parent  # paths as the caller named the folder, like the policies' own
    errors = []
    for page in sorted((project / "docs").rglob("*.zh.md")):
        errors += check_page(page, str(shown / page.relative_to(project)))
    return errors


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _blank(text: str) -> str:
    """`text` with what is not prose (placeholders, code spans, link targets, comments) blanked to
    spaces of the same length, so positions stay those of the text."""
    for pattern in (HTML_COMMENT, CODE_SPAN, LINK_TARGET, PLACEHOLDER):
        text = pattern.sub(lambda m: "\0" * len(m.group()), text)
    return text


def _iso_date_at(prose: str, index: int, what: str) -> bool:
    """A range match that is in fact part of an ISO date such as 2027-03-01."""
    if "range" not in what:
        return False
    return any(m.start() <= index < m.end() for m in ISO_DATE.finditer(prose))


