"""What policy text may contain, and the check that refuses everything else.

Policy text reaches the handbook's pages through Markdown, so anything Markdown or HTML can do,
an editor's text could do: run a script, restyle a page, link to `javascript:`. Policy text is
therefore plain text plus a small, named Markdown subset (docs/editors/index.md, "Text and
formatting"):

- *Rich* fields (summaries, descriptions, the values of `text` and `text_list` rules) may use
  `*emphasis*`, `**strong**`, `` `code` `` and links `[words](https://…)` or to the handbook's
  own pages by a relative path (`[words](../fees/refund.md)`).
- *Plain* fields (titles, labels, glossary terms, source notes in both languages) are shown
  exactly as typed: no Markdown.

`check` (via crosscheck) calls `check_file` for every policy file; each refused form is one
`path:line:column: key.path: <what> is not allowed in policy text; <what to do>` line, pointing
at the offending characters where the YAML allows it. The page hooks also escape everything
outside the subset (hooks/formatting.py), and import the link grammar from here so that what
the check allows and what the pages render as a link are one definition.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from policy_loader.errors import PolicyError
from policy_loader.yaml_source import dotted

# A language code key of a text object ({en: ..., zh: ...}), as in the schemas' `text` definition.
LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
# Keys whose text objects (or, for `note`, strings) are plain: shown exactly as typed.
PLAIN_KEYS = ("title", "label", "note", "note_zh", "term")

# The one link grammar: [words](target). A target is an https: address, or a relative path to
# one of the handbook's pages (no scheme, not protocol-relative). `&` and `;` are excluded from
# both so a character reference cannot spell a scheme (jav&#97;script:) once a browser decodes it.
LINK_OPEN = re.compile(r"\[([^\[\]\n]+)\]\(")
HTTPS_TARGET = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][A-Za-z0-9._~/?#=%+:@,-]*)?$")
RELATIVE_TARGET = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.-]*:)(?!//)[A-Za-z0-9._~/#?=%+-]+$")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")

HINT = "use plain text or the Markdown subset: emphasis, code, https links"
# Forms refused everywhere: (pattern, what it is, what to do). The match is shown in the message.
REFUSED = [
    (re.compile(r"<[A-Za-z!/?][^\s>]*"), "raw HTML `{}`", HINT),
    (re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"), "character reference `{}`",
     "type the character itself"),
    (re.compile(r"\{[^{}\n]*\}"), "attribute list `{}`", HINT),
    (re.compile(r"!\[[^\]\n]*\]"), "image `{}`", "pages show no images from policy text"),
    (re.compile(r"\[[^\[\]\n]*\]\[[^\[\]\n]*\]|^\[[^\[\]\n]+\]:"), "reference-style link `{}`",
     "write the link inline: [words](https://…)"),
]
BLOCK_START = re.compile(r"^(?:#|>|[-+*](?:\s|$)|[0-9]+[.)](?:\s|$)|!!!|\?\?\?|===|---|\*\*\*|___|\||```|~~~|:\s|\s)")
MARKDOWN_IN_PLAIN = re.compile(r"\[[^\[\]\n]*\]\([^()\n]*\)|`[^`\n]+`|\*\*?[^*\s][^*\n]*\*")


def check_file(policy_file) -> list:
    """Every refused form in every text field of one parsed policy file (bundle.py remembers the texts
    that passed, so an unchanged file is not checked again). A text the schema refused (an empty
    translation, say) has that message already, and is not checked again here."""
    return located_errors(policy_file, lambda _path, text, plain: (
        (index, f"{what} is not allowed in policy text; {hint}") for index, what, hint in problems(text, plain=plain)))


def located_errors(policy_file, judge) -> list:
    """One error at the offending characters for each (index in text, message) that `judge(path, text,
    plain)` finds in a text field of `policy_file` the schema accepted: this check's and zh_style's."""
    errors, lines = [], []
    for path, text, plain in text_fields(policy_file.data):
        if not policy_file.sound(path):
            continue
        for index, message in judge(path, text, plain):
            lines = lines or _source_lines(policy_file.display_path)
            errors.append(_error(policy_file, lines, path, text, index, message))
    return errors


def text_fields(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """(key path, text, is plain) for every translatable string and note in a file's data."""
    if isinstance(data, dict):
        is_text = "en" in data and all(LANGUAGE.match(str(k)) and isinstance(v, str) for k, v in data.items())
        if is_text:
            owner = next((p for p in reversed(path) if isinstance(p, str)), "")
            for language, text in data.items():
                yield path + (language,), text, owner in PLAIN_KEYS
            return
        for key, value in data.items():
            if key in ("note", "note_zh") and isinstance(value, str):
                yield path + (key,), value, True
            else:
                yield from text_fields(value, path + (key,))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from text_fields(item, path + (index,))


def problems(text: str, *, plain: bool) -> list[tuple[int, str, str]]:
    """(index in text, what was found, what to do) for each refused form; [] if the text is allowed."""
    found = []
    newline = text.rstrip("\n").find("\n")
    if newline >= 0:
        found.append((newline, "a line break", "write one paragraph (a folded `>-` block joins its lines)"))
    outside = _blank_code_spans(text)  # code spans may show any characters; they are escaped
    for pattern, what, hint in REFUSED:
        for match in pattern.finditer(outside):
            found.append((match.start(), what.format(_shown(text[match.start():match.end()])), hint))
    if plain:
        for match in MARKDOWN_IN_PLAIN.finditer(text):
            found.append((match.start(), f"Markdown `{_shown(match.group())}` in a title, label or note",
                          "these are shown exactly as typed; write plain words"))
    else:
        block = BLOCK_START.match(text)
        if block:
            found.append((0, f"Markdown block syntax `{block.group().strip() or 'leading space'}` at the start",
                          "policy text is one paragraph that starts with a word"))
        for start, _end, _label, target_at, target in links(outside):
            target = text[target_at:target_at + len(target)]
            if not link_allowed(target):
                scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*:|//)", target)
                shown = scheme.group(1) if scheme and scheme.group(1).lower() != "https:" else target
                found.append((target_at, f"a link to `{_shown(shown)}`",
                              "links go to https: addresses or to the handbook's own pages by a relative path "
                              "such as ../fees/refund.md"))
    return sorted(found)


def links(text: str) -> Iterator[tuple[int, int, str, int, str]]:
    """(start, end, words, target start, target) for each inline link `[words](target)`.

    The target runs to the `)` that balances its `(`, as Python-Markdown reads it, so
    `[x](javascript:alert(1))` has the target `javascript:alert(1)`.
    """
    at = 0
    while True:
        match = LINK_OPEN.search(text, at)
        if not match:
            return
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth:  # no closing parenthesis: not a link
            at = match.end()
            continue
        yield match.start(), end, match.group(1), match.end(), text[match.end():end - 1]
        at = end


def link_allowed(target: str) -> bool:
    return bool(HTTPS_TARGET.match(target) or RELATIVE_TARGET.match(target))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _blank_code_spans(text: str) -> str:
    """`text` with the inside of each code span blanked, so its content is never taken for markup."""
    if "`" not in text:  # most text has no code span; the check runs on every text at every load
        return text
    return CODE_SPAN.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(1), text)


def _shown(snippet: str, limit: int = 40) -> str:
    snippet = snippet.replace("`", "'").replace("\n", " ")
    return snippet if len(snippet) <= limit else snippet[: limit - 1] + "…"


def _error(policy_file, lines: list[str], path: tuple, text: str, index: int, message: str):
    """The error at the offending characters when they can be found on one source line, else at the text."""
    mark = policy_file.source_map.value(path)
    line, column = mark.line, mark.column
    if 0 < line <= len(lines):
        source = lines[line - 1][column - 1:]
        before = text[:index]
        if "\n" not in before and source.startswith(before):
            column += index
        elif "\n" not in before and source[:1] in "'\"" and source[1:].startswith(before):
            column += 1 + index
        else:  # a block scalar: find the offending characters on a later line
            snippet = text[index:index + 12].split("\n")[0]
            for offset, later in enumerate(lines[line:], start=line + 1):
                found = later.find(snippet) if snippet else -1
                if found >= 0:
                    line, column = offset, found + 1
                    break
    return PolicyError(policy_file.display_path, line, column, f"{dotted(path)}: {message}")


def _source_lines(display_path: str) -> list[str]:
    try:
        return Path(display_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
