"""Every text of two policy versions, compared: titles, labels, descriptions, notes, source entries,
the one word catalogue (messages.yaml: the calculators' and the pages' words), the glossary and the
sections, in both languages.

A text is found by its shape, not by a list of keys, so a text a later schema adds is compared too:
an `{en, zh}` pair anywhere, a `note`/`note_zh` pair, and every field of a source entry. Each is
addressed by its file and key path; a dated period is addressed by its `from` date and a worked
example by its calculator, date and inputs, so that splitting a period or adding an example does
not renumber the texts after it. Values, categories, scopes, sources and rules added or removed are
diff.py's; this module reports a text added or removed only inside an entry both sides have.

A short text is shown whole, before and after; a long one shows the words that changed
(`[-old-]{+new+}`, git's word-diff marks) with a few words around them.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

ARROW = "→"
SHORT = 100  # columns (a Chinese character takes two): up to this, both versions are shown whole
CONTEXT = 5  # words (a Chinese character is one) kept beside a changed stretch of a long text
LANGS = ("en", "zh")

# Where each part of the bundle is written, for the reviewer to find it.
FILES = {"sources": "catalogue/sources.yaml", "categories": "catalogue/categories.yaml",
         "scopes": "catalogue/categories.yaml", "categories_source": "catalogue/categories.yaml",
         "terms": "catalogue/terms.yaml", "glossary": "catalogue/glossary.yaml",
         "sections": "catalogue/sections.yaml", "messages": "catalogue/messages.yaml"}
# Parts whose entries, when added or removed as a whole, diff.py already reports.
ENTRIES_REPORTED_ELSEWHERE = {"rules", "categories", "scopes", "sources"}
SKIPPED = {"version"}
# A Chinese character is a word of its own to difflib; Latin words, spaces and marks are tokens too.
TOKEN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|\w+|\s+|[^\w\s]")


def compare_texts(old: dict, new: dict) -> list[dict]:
    """Each text that differs, as {where, lang, change, before, after, text}, in file order."""
    before, after = texts(old), texts(new)
    out = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        part, entry = key[0][0], key[0][1] if len(key[0]) > 1 else None
        if (a is None or b is None) and part in ENTRIES_REPORTED_ELSEWHERE and not _entry_on_both(part, entry, old, new):
            continue
        out.append(_item(key, a, b, new if b is not None else old))
    return out


def texts(bundle: dict) -> dict[tuple, str]:
    """{(key path, lang): text} for every text of the bundle."""
    out: dict[tuple, str] = {}
    for part, node in bundle.items():
        if part in SKIPPED:
            continue
        if part == "examples":
            for example in node:
                _walk(example, ("examples", _example_key(example)), out)
        else:
            _walk(node, (part,), out)
    return out


def _walk(node: Any, path: tuple, out: dict) -> None:
    if isinstance(node, dict):
        if _is_text(node):
            for lang, text in node.items():
                out[path, lang] = text
            return
        for key, value in node.items():
            if key.endswith("_zh") and key[:-3] in node:
                continue  # taken with its English twin
            if isinstance(value, str) and (f"{key}_zh" in node or key == "note" or path[0] == "sources"):
                out[path + (key,), "en" if f"{key}_zh" in node or key == "note" else ""] = value
                if f"{key}_zh" in node:
                    out[path + (key,), "zh"] = node[f"{key}_zh"]
            else:
                _walk(value, path + (key,), out)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = f"from {item['from']}" if isinstance(item, dict) and "from" in item else str(index)
            _walk(item, path + (name,), out)


def _is_text(node: dict) -> bool:
    return bool(node) and "en" in node and set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values())


def _example_key(example: dict) -> str:
    return f"{example['calculator']} as of {example.get('as_of')} {json.dumps(example['inputs'], sort_keys=True)}"


def _order(key: tuple) -> tuple:
    path, lang = key
    return (_where(path), LANGS.index(lang) if lang in LANGS else -1)


def _entry_on_both(part: str, entry: str | None, old: dict, new: dict) -> bool:
    return entry is not None and entry in old.get(part, {}) and entry in new.get(part, {})


def _where(path: tuple) -> str:
    """The file and key path a reviewer opens: `fees/refund.yaml, rule refund_tiers, title`."""
    part, rest = path[0], [str(key) for key in path[1:]]
    if part == "rules":
        topic, name = rest[0].split(".", 1)
        return f"{topic} topic, rule {name}" + "".join(f", {key}" for key in rest[1:])
    if part == "topics":
        return f"{rest[0]} topic" + "".join(f", {key}" for key in rest[1:])
    if part == "examples":
        return f"worked example ({rest[0]})" + "".join(f", {key}" for key in rest[1:])
    if part in ("categories", "scopes") and rest:
        return f"{FILES[part]}, {part[:-1].replace('categorie', 'category')} {rest[0]}" + \
            "".join(f", {key}" for key in rest[1:])
    return FILES.get(part, part) + (f", {'.'.join(rest)}" if rest else "")


def _item(key: tuple, before: str | None, after: str | None, bundle: dict) -> dict:
    path, lang = key
    where = _where(path)
    if path[0] in ("rules", "topics"):
        where = _topic_file(path, bundle) + ", " + where.split(" topic, ", 1)[-1]
    head = f"{where} ({lang})" if lang else where
    if before is None:
        change, shown = "added", f"added “{after}”"
    elif after is None:
        change, shown = "removed", f"removed (was “{before}”)"
    else:
        change, shown = "changed", shown_change(before, after)
    return {"where": where, "lang": lang or None, "change": change, "before": before, "after": after,
            "text": f"{head}: {shown}"}


def _topic_file(path: tuple, bundle: dict) -> str:
    topic = path[1].split(".", 1)[0] if path[0] == "rules" else path[1]
    return bundle.get("topics", {}).get(topic, {}).get("file", f"{topic} topic")


def shown_change(before: str, after: str) -> str:
    """Both versions when short; otherwise only the changed words, marked, with some context.

    >>> shown_change("Toys", "Toys & games")
    '“Toys” → “Toys & games”'
    >>> shown_change("a " * 60 + "end", "a " * 60 + "finish")
    '“… a a a a a [-end-]{+finish+}”'
    >>> shown_change("店铺" + "很" * 120, "商家" + "很" * 120)
    '“[-店铺-]{+商家+}很很很很很很很很很很 …”'
    """
    if _width(before) <= SHORT and _width(after) <= SHORT:
        return f"“{before}” {ARROW} “{after}”"
    return f"“{word_diff(before, after)}”"


def _width(text: str) -> int:
    """Columns on a screen: a Chinese character takes two."""
    return sum(2 if TOKEN.fullmatch(char) and "\u3000" <= char <= "\uffef" else 1 for char in text)


def word_diff(before: str, after: str) -> str:
    """The changed tokens of `after` against `before`, `[-removed-]{+added+}`, long equal runs cut."""
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    parts = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(_context(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1))
            continue
        if i2 > i1:
            parts.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(parts)


def _context(tokens: list[str], first: bool, last: bool) -> str:
    """An unchanged stretch: whole when short, else CONTEXT words at the side(s) next to a change."""
    head = [] if first else _words(tokens, CONTEXT)
    tail = [] if last else _words(tokens[::-1], CONTEXT)[::-1]
    if len(head) + len(tail) >= len(tokens) - 1:
        return "".join(tokens)
    shown = []
    if head:
        shown.append("".join(head).rstrip() + " …")
    if tail:
        shown.append("… " + "".join(tail).lstrip() if not head else "".join(tail).lstrip())
    return " ".join(shown) if head and tail else ("".join(head).rstrip() + " …" if head else "… " + "".join(tail).lstrip())


def _words(tokens: list[str], count: int) -> list[str]:
    """The first tokens holding `count` words (spaces come along free)."""
    taken, words = [], 0.0
    for token in tokens:
        if not token.isspace():
            if words >= count:
                break
            words += 0.5 if _width(token) == 2 else 1  # two Chinese characters make about a word
        taken.append(token)
    return taken
