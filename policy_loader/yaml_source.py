"""Load one YAML file into plain data while remembering where every key and value sits.

PyYAML's own loaders forget positions, keep the last of two duplicate keys and turn dates into
`datetime.date`. Here the node tree from `yaml.compose` is walked by hand so that duplicate keys
are errors, dates stay ISO strings (JSON-ready, and checked later by the schema's `date` format),
mapping keys stay the text the editor wrote (`no:` is the key "no", not False), and every
position is recorded for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a key path inside a document: ("rules", "x", "values", 0)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Positions of values and of keys, by key path."""

    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)

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


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse `path`; raise YamlProblem for anything that is not one well-formed document."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise YamlProblem(Mark(1, 1), f"the file is not UTF-8 text ({err.reason} at byte {err.start})") from None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as err:
        raise YamlProblem(_mark(err.problem_mark), _describe(err)) from None
    except yaml.YAMLError as err:  # errors without a position (rare)
        raise YamlProblem(Mark(1, 1), f"invalid YAML: {err}") from None
    if root is None:
        raise YamlProblem(Mark(1, 1), "the file is empty; expected a mapping of keys")
    source_map = SourceMap()
    return _build(root, (), source_map, yaml.constructor.SafeConstructor()), source_map


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _compose(text: str) -> yaml.Node | None:
    """The node tree, by libyaml when PyYAML has it (about 10x faster on large policy trees).

    A file libyaml rejects is parsed again by the pure-Python parser, whose messages are the
    ones editors see and the malformed-fixture tests pin.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)


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
            if key in first_seen:
                where = _dotted(path) or "(top level)"
                raise YamlProblem(
                    key_mark,
                    f"{where}: duplicate key '{key}' (first defined at line {first_seen[key].line}); "
                    "each key may appear once",
                )
            first_seen[key] = key_mark
            source_map.keys[path + (key,)] = key_mark
            result[key] = _build(value_node, path + (key,), source_map, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), source_map, constructor) for i, item in enumerate(node.value)]
    if node.tag == _TIMESTAMP:
        return node.value  # keep dates as text; the schema checks that they are real dates
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as err:
        raise YamlProblem(_mark(node.start_mark), f"{_dotted(path)}: cannot read value: {getattr(err, 'problem', err)}") from None


def _dotted(path: Path_) -> str:
    """("rules", "x", "values", 0) -> rules.x.values[0]"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
