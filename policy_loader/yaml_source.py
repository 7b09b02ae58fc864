"""Load one YAML file into plain data while remembering where every key and value sits.

PyYAML's own loaders forget positions, keep the last of two duplicate keys and turn dates into
`datetime.date`. Here the node tree from `yaml.compose` is walked by hand so that duplicate keys
are errors, dates stay ISO strings (JSON-ready, and checked later by the schema's `date` format),
mapping keys stay the text the editor wrote (`no:` is the key "no", not False), and every
position is recorded for error messages.

Errors speak an editor's words where the parser's do not: a line indented out of line is named
with the lines it fails to line up with (not "expected <block end>"), a full-width colon after a
key is named on its own line, and a character an editor cannot see (a no-break space, a
zero-width space, a byte-order mark mid-file) is named by its code point where it sits.

Policy files arrive in pull requests, so the loader also defends itself (design/design.md, Security):
it reads only regular files inside the policy folder, at most MAX_FILE_BYTES of UTF-8 text, and
screens the parser's event stream before anything is composed: no tags, no anchors or aliases
(so no alias bombs and no self-containing lists), at most MAX_DEPTH levels of nesting and
MAX_NODES values. The event stream is produced iteratively and the screen stops at the first
offence; the recursive composers (libyaml's segfaults on deep nesting, PyYAML's raises
RecursionError) only ever see text that passed it.
"""

from __future__ import annotations

import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a key path inside a document: ("rules", "x", "values", 0)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# The largest policy file is about 7 KB with 530 values, 8 levels deep: these leave ample room,
# and keep the parsers' worst cases (quadratic in nesting depth) small.
MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_NODES = 20_000


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Positions of values and of keys, by key path; and the problems that did not stop the read."""

    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    # A duplicate key is reported here and its second value skipped, so that the rest of the file
    # is still read and checked in the same run (an editor fixes everything at once).
    problems: list[YamlProblem] = field(default_factory=list)

    def value(self, path: Path_) -> Mark:
        """The position of the value at `path`, or of its nearest recorded parent."""
        path = tuple(path)
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Mark(1, 1))

    def key(self, path: Path_) -> Mark:
        return self.keys.get(tuple(path)) or self.value(path)


class YamlProblem(Exception):
    """A file that is not usable YAML; carries the position of the problem."""

    def __init__(self, mark: Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


def load_yaml(path: Path, folder: Path | None = None) -> tuple[Any, SourceMap]:
    """Parse `path`; raise YamlProblem for anything that is not one well-formed, safe document.

    `folder` is the policy folder that `path`, links followed, must lie in (default: its own folder).
    """
    data, source_map = parse_policy_text(read_policy_text(path, path.parent if folder is None else folder))
    if source_map.problems:
        raise source_map.problems[0]
    return data, source_map


def parse_policy_text(text: str) -> tuple[Any, SourceMap]:
    """Parse the text of a policy file (as read_policy_text returns it); raise YamlProblem like load_yaml.

    A problem after which the document still reads (a duplicate key: its first value is kept) is
    not raised but listed in the source map's `problems`.
    """
    _refuse_invisible(text)
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as err:
        raise _explained(text, err) from None
    except yaml.YAMLError as err:  # errors without a position (rare)
        raise YamlProblem(Mark(1, 1), f"invalid YAML: {err}") from None
    if root is None:
        raise YamlProblem(Mark(1, 1), "the file is empty; expected a mapping of keys")
    source_map = SourceMap()
    return _build(root, (), source_map, yaml.constructor.SafeConstructor()), source_map


def read_policy_text(path: Path, folder: Path) -> str:
    """The text of `path` if it is a regular UTF-8 file of at most MAX_FILE_BYTES inside `folder`.

    Problems are reported at `path` (the link, when it is one) and never quote a file outside.
    """
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        raise YamlProblem(Mark(1, 1), "cannot be read: a symbolic link that leads nowhere") from None
    if not real.is_relative_to(folder.resolve()):
        raise YamlProblem(Mark(1, 1), "a symbolic link to a file outside the policy folder; "
                                      "only files inside the policy folder are read")
    # Checked before opening, because opening a pipe or a device can block or have effects.
    if not stat.S_ISREG(real.stat().st_mode):
        raise YamlProblem(Mark(1, 1), _NOT_REGULAR)
    try:
        # No following links and a second check on the open file: what is read is what was checked,
        # even if the path is swapped in between.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        raise YamlProblem(Mark(1, 1), f"cannot be read: {err.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise YamlProblem(Mark(1, 1), _NOT_REGULAR)
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(Mark(1, 1), f"the file is larger than {MAX_FILE_BYTES >> 20} MiB; "
                                      "a policy file is a few kilobytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[:err.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise YamlProblem(Mark(before.count(b"\n") + 1, column),
                          f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                          "save the file as UTF-8") from None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _compose(text: str) -> yaml.Node | None:
    """The node tree, by libyaml when PyYAML has it (about 10x faster on large policy trees).

    A file libyaml rejects is parsed again by the pure-Python parser, whose messages are the
    ones editors see and the malformed-fixture tests pin. Either parser's events are screened
    first (_screen), so the recursive composer only ever sees shallow text without aliases.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _screen(text, fast)
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    _screen(text, yaml.SafeLoader)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _screen(text: str, loader: type) -> None:
    """Refuse tags, anchors, aliases, deep nesting and too many values, at the first one found.

    Tags (`!!python/object/apply:os.system`, `!foo`) are what unsafe loaders execute and what a
    safe one drops or reinterprets silently; policies need none. Anchors and aliases are refused
    rather than counted: policies use none, and without them a document is no bigger than its
    text. Stopping at the first offence makes a 50,000-deep `[[[...` cost what a 33-deep one does.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlProblem(_mark(event.start_mark), "YAML anchors and aliases (&name, *name) are not allowed "
                                                       "in policy files; write each value out in full")
        if getattr(event, "tag", None) is not None:
            raise YamlProblem(_mark(event.start_mark), "YAML tags are not allowed in policy files")
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem(_mark(event.start_mark), f"more than {MAX_NODES:,} values in one file; "
                                                           "split the topic into several files")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(_mark(event.start_mark), f"lists and mappings nested more than {MAX_DEPTH} "
                                                           "levels deep; policy files need far fewer")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)


def _refuse_invisible(text: str) -> None:
    """Refuse the first character an editor cannot see (or cannot tell from a space), at its place.

    A no-break space from a word processor makes `  key:` a key with two spaces in its name; a
    zero-width space or a stray byte-order mark splits a key an editor sees whole; bidirectional
    controls show a reviewer other text than the file holds. A BOM is allowed as the first character.
    """
    found = _INVISIBLE.search(text, 1 if text.startswith("\ufeff") else 0)
    if found is None:
        return
    before = text[:found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    character = found.group()
    name = "byte-order mark" if character == "\ufeff" else unicodedata.name(character, "format character").lower()
    raise YamlProblem(Mark(line, column),
                      f"an invisible character U+{ord(character):04X} ({name}) is here; delete it "
                      "(and type a plain space if a space is meant)")


def _explained(text: str, err: yaml.MarkedYAMLError) -> YamlProblem:
    """The parser's error in an editor's words where the likely mistake can be named: a full-width
    colon after a key, or a line indented out of line with the keys around it."""
    where = _mark(err.problem_mark)
    lines = text.splitlines()[:where.line]
    for number in range(len(lines), 0, -1):  # the nearest key-like line written with `：`, up to the error
        found = _FULL_WIDTH_KEY.match(lines[number - 1])
        if found:
            return YamlProblem(Mark(number, found.start("colon") + 1), _FULL_WIDTH_COLON)
    if any(clue in (err.problem or "") for clue in _INDENTATION_CLUES):
        problem = _indentation(lines)
        if problem is not None:
            return problem
    return YamlProblem(where, _describe(err))


def _indentation(lines: list[str]) -> YamlProblem | None:
    """The first line whose indentation lines up with no open block above it, or that goes deeper
    under a line that opens none; None when every line is in line (the parser's message stands).

    Follows block structure only: the contents of block scalars (`>-`, `|`) are passed over, and
    so are lines inside a flow collection (`{...}`, `[...]`) that spans lines, whose indentation YAML ignores.
    """
    levels: list[tuple[int, int]] = [(0, 0)]  # (indent, the last line seen at that indent), outermost first
    opens = False  # whether the previous line ends with a key and nothing after it
    scalar_under: int | None = None  # indent of the key whose block scalar is being read
    flow_depth = 0
    for number, line in enumerate(lines, start=1):
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if scalar_under is not None:
            if indent > scalar_under:
                continue
            scalar_under = None
        if flow_depth > 0:
            flow_depth = max(flow_depth + _flow_change(body), 0)
            continue
        item = body.startswith("- ") or body == "-"
        if opens:
            if indent > levels[-1][0] or (item and indent == levels[-1][0]):
                levels.append((indent, number))
            opens = False
        if indent > levels[-1][0]:
            return _deeper(number, indent, levels[-1])
        closed = [level for level in levels if level[0] > indent]
        del levels[len(levels) - len(closed):]
        if levels[-1][0] != indent:
            return _between(number, indent, closed[0], levels[-1])
        levels[-1] = (indent, number)
        code = _without_comment(body)
        if item and _KEY.match(code[1:].lstrip(" ")):  # `- key: ...` opens a mapping at the key's column
            levels.append((indent + len(code) - len(code[1:].lstrip(" ")), number))
        opens = code.endswith(":") or bool(_OPENS_ITEM.fullmatch(code))
        if _BLOCK_SCALAR.search(code):
            scalar_under, opens = indent, False
        flow_depth = max(_flow_change(code), 0)
    return None


def _spaces(count: int) -> str:
    return f"{count} space" + ("" if count == 1 else "s")


def _deeper(number: int, indent: int, above: tuple[int, int]) -> YamlProblem:
    level, line = above
    return YamlProblem(Mark(number, indent + 1), (
        f"indentation: line {number} is indented {_spaces(indent)}, deeper than line {line} above it "
        f"({_spaces(level)}), which opens no block; indent it like line {line}, or end line {line} "
        "with a key and a colon"))


def _between(number: int, indent: int, inner: tuple[int, int], outer: tuple[int, int]) -> YamlProblem:
    return YamlProblem(Mark(number, indent + 1), (
        f"indentation: line {number} is indented {_spaces(indent)}, which lines up with no key above it "
        f"(line {inner[1]} is indented {_spaces(inner[0])}, line {outer[1]} {_spaces(outer[0])}); "
        "the keys of one mapping must start in the same column"))


def _without_comment(code: str) -> str:
    return re.sub(r"\s+#.*$", "", code)


def _flow_change(code: str) -> int:
    """How many flow brackets a line leaves open (quoted text counted too: a rough count that errs
    towards passing lines over, since it only ever decides whether to name a line)."""
    return code.count("{") + code.count("[") - code.count("}") - code.count("]")


def _describe(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "").strip()
    if "\\t" in problem or "'\\t'" in problem or "\t" in problem:
        return "a tab character is used for indentation; YAML indents with spaces only"
    context = (err.context or "").strip()
    return f"invalid YAML: {problem}" + (f" ({context})" if context else "")


def _build(node: yaml.Node, path: Path_, source_map: SourceMap, constructor: Any) -> Any:
    source_map.values[path] = _mark(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(_mark(key_node.start_mark), "a key must be plain text, not a list or mapping")
            key = key_node.value
            key_mark = _mark(key_node.start_mark)
            if "\uff1a" in key:  # `{en： text, zh: ...}` reads as a key "en： text" with no value
                raise YamlProblem(Mark(key_mark.line, key_mark.column + key.index("\uff1a")), _FULL_WIDTH_COLON)
            if key in first_seen:
                where = _dotted(path) or "(top level)"
                source_map.problems.append(YamlProblem(
                    key_mark,
                    f"{where}: duplicate key '{key}' (first defined at line {first_seen[key].line}); "
                    "each key may appear once",
                ))
                continue  # the first value stands; the later one is the mistake reported
            first_seen[key] = key_mark
            source_map.keys[path + (key,)] = key_mark
            result[key] = _build(value_node, path + (key,), source_map, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), source_map, constructor) for i, item in enumerate(node.value)]
    if node.tag == _TIMESTAMP:
        return node.value  # keep dates as text; the schema checks that they are real dates
    try:
        value = constructor.construct_object(node, deep=True)
    except yaml.YAMLError as err:
        raise YamlProblem(_mark(node.start_mark), f"{_dotted(path)}: cannot read value: {getattr(err, 'problem', err)}") from None
    if isinstance(value, float) and not math.isfinite(value):
        # YAML's .nan and .inf are floats that every comparison in a schema lets through (nan) and
        # JSON cannot carry: the bundle would not parse in the browser.
        raise YamlProblem(_mark(node.start_mark),
                          f"{_dotted(path)}: found '{node.value}', which is not a number a policy can hold; write a number")
    return value


def _dotted(path: Path_) -> str:
    """("rules", "x", "values", 0) -> rules.x.values[0]"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

# Characters an editor cannot see: format characters (zero-width space and joiners, BOM, bidirectional
# controls, soft hyphen), line and paragraph separators, and spaces other than the plain one; the
# ideographic space U+3000 stays allowed, being a visible, full-width space in Chinese text.
_INVISIBLE = re.compile(r"[\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]")
_FULL_WIDTH_COLON = ("a full-width colon '：' (U+FF1A) follows a key here; YAML needs the ASCII colon ':' "
                     "and a space after a key")
# A line whose key (an ASCII name, as every policy key is) is followed by a full-width colon.
_FULL_WIDTH_KEY = re.compile(r"\s*(?:-\s+)?[{,]?\s*[A-Za-z_][A-Za-z0-9_-]*\s*(?P<colon>\uff1a)")
# What PyYAML says when a line's indentation breaks the structure.
_INDENTATION_CLUES = ("expected <block end>", "mapping values are not allowed here", "could not find expected ':'",
                      "did not find expected key", "did not find expected '-' indicator")
_KEY = re.compile(r"[^\s#{\[\"'][^:]*:(\s|$)")
_OPENS_ITEM = re.compile(r"-\s+[^\s#{\[\"'][^:]*:")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*$")

_NOT_REGULAR = "not a regular file (a pipe, device or folder); a policy file is a plain text file"
