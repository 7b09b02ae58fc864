"""Load policies/ into the policy bundle, checking it on the way.

Three passes, each reporting every problem it finds (not only the first), and each later pass
running on whatever the earlier ones left sound, so that one run reports every independent problem:
1. YAML: one well-formed document per file (yaml_source). A duplicate key is reported and its first
   value kept; only text that does not parse at all leaves a file out of the later passes.
2. Schema: each file against its JSON Schema in policies/schema/ (strict: unknown keys are errors),
   then the checks that need that file alone (crosscheck.check_file: policy text, message
   placeholders). The paths the schema refused are kept with the file (PolicyFile.broken).
3. Cross-checks the schema cannot express (crosscheck): references, tier order, date ranges,
   sources, currencies, sections. They skip the values the schema refused (a 2024-02-30 is
   reported once, as not a real date, and the other periods' order is still checked); then the
   caller's `extra_checks` (policy_contract/checks.py: what the calculators need), which see the parsed
   files and so keep their positions, once every file is sound.
Then the files are assembled into one bundle with a content hash as its version.

Passes 1 and 2 depend only on a file's text and its schema, so a text that passed both before (in
this process) is not parsed, validated and checked again (_CHECKED): the cross-checks still see
every file. That keeps `mkdocs serve` rebuilds, and the tests that load hundreds of copies of
policies/ with one file changed, from paying that work per load for the unchanged files.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import jsonschema

from policy_loader import crosscheck
from policy_loader.errors import PolicyError, PolicyErrors
from policy_loader.schema_source import LANGUAGES, NON_BLANK
from policy_loader.yaml_source import Mark, SourceMap, YamlProblem, dotted, parse_policy_text, read_policy_text

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policies" / "schema"
CATALOGUE = {"sources": "catalogue/sources.yaml", "categories": "catalogue/categories.yaml",
             "terms": "catalogue/terms.yaml", "glossary": "catalogue/glossary.yaml",
             "sections": "catalogue/sections.yaml", "messages": "catalogue/messages.yaml"}
# Folders are the handbook's sections (catalogue/sections.yaml); a file in one is a topic, one page.


@dataclass
class PolicyFile:
    """One parsed file, with the positions needed to point at its problems."""

    display_path: str
    data: Any
    source_map: SourceMap
    # Key paths whose value the schema refused (or, for a missing or unknown key, the key's path).
    broken: frozenset = frozenset()

    def sound(self, key_path: tuple) -> bool:
        """Whether the value at `key_path` is as the schema says: nothing at, above or inside it refused."""
        size = len(key_path)
        return not any(bad[:size] == key_path or key_path[:len(bad)] == bad for bad in self.broken)

    def error(self, key_path: tuple, message: str, *, at_key: bool = False) -> PolicyError:
        """An error at the value under `key_path`, or (at_key) at the key itself, named by its parent."""
        mark: Mark = self.source_map.key(key_path) if at_key else self.source_map.value(key_path)
        where = dotted(key_path[:-1] if at_key else key_path) or "(top level)"
        return PolicyError(self.display_path, mark.line, mark.column, f"{where}: {message}")


def load_bundle(policy_dir: str | Path, extra_checks: Iterable[Callable[[dict], list]] = ()) -> dict:
    """The checked policy bundle for `policy_dir`; raises PolicyErrors listing every problem.

    Each of `extra_checks` gets the parsed files ({relative path: PolicyFile}) once the schema
    passes, and returns PolicyErrors; policy_contract.checks.load_checked_bundle passes the calculators'.
    """
    policy_dir = Path(policy_dir)
    if policy_dir.exists() and not policy_dir.is_dir():  # `check /etc/passwd`: it is there, but not a folder
        raise PolicyErrors([PolicyError(str(policy_dir), 1, 1, "is a file, not a policy folder: give the folder "
                                                                 "that holds the policy files")])
    if not policy_dir.is_dir():
        raise PolicyErrors([PolicyError(str(policy_dir), 1, 1, "no such policy folder")])
    errors: list[PolicyError] = []
    files: dict[str, PolicyFile] = {}
    unread: set[str] = set()  # files there but not parsed: the cross-checks must not call them missing
    for rel, schema_name in _expected_files(policy_dir, errors):
        display = str(policy_dir / rel)
        try:
            # Always read afresh: the link, file-type and size checks are about this tree, now.
            text = read_policy_text(policy_dir / rel, policy_dir)
            checked = _CHECKED.get((schema_name, text))
            if checked is not None:
                files[rel] = PolicyFile(display, _tree_copy(checked[0]), checked[1])
                continue
            data, source_map = parse_policy_text(text)
        except YamlProblem as problem:
            errors.append(PolicyError(display, problem.mark.line, problem.mark.column, problem.message))
            unread.add(rel)
            continue
        policy_file = PolicyFile(display, data, source_map)
        file_errors = [PolicyError(display, p.mark.line, p.mark.column, p.message) for p in source_map.problems]
        schema_errors, policy_file.broken = _schema_errors(policy_file, schema_name)
        file_errors += schema_errors
        if not (schema_errors and rel == CATALOGUE["messages"]):  # its template check reads the shape
            file_errors += crosscheck.check_file(rel, policy_file, CATALOGUE)
        errors += file_errors
        files[rel] = policy_file
        if not file_errors:
            _remember(schema_name, text, data, source_map)
    sound = not errors and not unread
    errors += crosscheck.check(files, CATALOGUE, unread)  # across files, on what the schema passed
    if sound:
        # The calculators' checks read rules as the schema shapes them (and would call a rule
        # missing that is only unreadable), so they wait for every file to pass.
        for extra_check in extra_checks:
            errors += extra_check(files)
    if errors:
        raise PolicyErrors(errors)
    return _assemble(files)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _expected_files(policy_dir: Path, errors: list[PolicyError]) -> list[tuple[str, str]]:
    found = []
    for name, rel in CATALOGUE.items():
        if (policy_dir / rel).exists() or (policy_dir / rel).is_symlink():  # the loader judges links
            found.append((rel, f"{name}.schema.json"))
        else:
            errors.append(PolicyError(str(policy_dir / rel), 1, 1, f"missing file: the policies need {rel}"))
    for path in sorted(policy_dir.rglob("*")):
        rel = path.relative_to(policy_dir).as_posix()
        if path.is_dir() or rel.startswith(("schema/", "catalogue/")) or path.name.startswith("."):
            continue
        if path.suffix == ".yml":
            errors.append(PolicyError(str(path), 1, 1, "policy files end in .yaml, not .yml"))
        elif path.suffix != ".yaml":
            continue
        elif "/" not in rel or rel.count("/") > 1:
            # Which folders are sections is checked once catalogue/sections.yaml is read (crosscheck).
            errors.append(PolicyError(str(path), 1, 1, "a topic file belongs in a section folder, one level "
                                                       "below the policy folder (see catalogue/sections.yaml)"))
        else:
            found.append((rel, "topic.schema.json"))
    return found


_SCHEMAS: dict[str, dict] = {}


def _schema(name: str) -> dict:
    if name not in _SCHEMAS:
        _SCHEMAS[name] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return _SCHEMAS[name]


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    """One validator per schema file, built once per process (the schema is read once too)."""
    return jsonschema.Draft202012Validator(_schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# (schema file, text) -> (data, positions) of a text that parsed and passed pass 2. Only passes
# are kept: a failure's messages name its path. Data is copied in and out, since a bundle built from
# it may be changed by its user; the positions are only ever read. Bounded, for long `mkdocs serve`s.
_CHECKED: dict[tuple[str, str], tuple[Any, SourceMap]] = {}
_CHECKED_MAX = 256


def _remember(schema_name: str, text: str, data: Any, source_map: SourceMap) -> None:
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.clear()
    _CHECKED[(schema_name, text)] = (_tree_copy(data), source_map)


def _tree_copy(value: Any) -> Any:
    """A deep copy of parsed YAML: dicts and lists copied, scalars shared (they cannot change).

    What parse_policy_text gives is a tree of dicts, lists, str, int, float, bool and None (aliases
    are refused, so nothing is shared); this is copy.deepcopy for that tree at a fifth of its cost,
    which every load pays for every unchanged file. Anything else still goes through copy.deepcopy.
    """
    kind = type(value)
    if kind is dict:
        return {key: _tree_copy(item) for key, item in value.items()}
    if kind is list:
        return [_tree_copy(item) for item in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)


def _schema_errors(policy_file: PolicyFile, schema_name: str) -> tuple[list[PolicyError], frozenset]:
    """The file's schema problems, one message per root problem, and the key paths they make unsound."""
    validator = _validator(schema_name)
    found: list[tuple[jsonschema.ValidationError, str | None]] = []
    for err in validator.iter_errors(policy_file.data):
        for leaf in _leaves(err):
            if leaf.validator == "additionalProperties":  # one message per unknown key
                found += [(leaf, key) for key in _unknown_keys(leaf)]
            else:
                found.append((leaf, None))
    # A misspelt required key is one mistake, reported as the unknown key ("did you mean 'of'?"),
    # not also as the missing one.
    suggested = {(tuple(err.absolute_path), crosscheck.closest(key, sorted(err.schema.get("properties", {}))))
                 for err, key in found if key is not None}
    out, broken = [], set()
    for err, key in found:
        path = tuple(err.absolute_path)
        missing = _missing_key(err)
        broken.add(path + (key,) if key is not None else path + (missing,) if missing else path)
        if missing and (path, missing) in suggested:
            continue
        out.append(_explain(policy_file, err, key))
    return out, frozenset(broken)


def _unknown_keys(err: jsonschema.ValidationError) -> list[str]:
    allowed = err.schema.get("properties", {})
    return sorted(k for k in err.instance if k not in allowed and not _matches_pattern(err.schema, k))


def _missing_key(err: jsonschema.ValidationError) -> str | None:
    """The key a `required` or `dependentRequired` error says is missing (None for other errors)."""
    return err.message.split("'")[1] if err.validator in ("required", "dependentRequired") else None


def _leaves(err: jsonschema.ValidationError):
    """The most specific errors under `err` (if/then and $ref add no context of their own)."""
    if err.context:
        for sub in err.context:
            yield from _leaves(sub)
    else:
        yield err


_PATTERNS = {
    "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "a day of the year as MM-DD, such as \"01-14\"",
    "^[a-z][a-z0-9_-]*$": "an id of lower-case letters, digits, '-' and '_'",
    "^[a-z][a-z0-9_]*$": "a rule name of lower-case letters, digits and '_'",
    r"^[0-9]{3}_[0-9a-f]+\.txt$": "a seed file name such as 000_9026841d5c459367.txt",
}
BOTH_LANGUAGES = "every policy text needs en and zh"


def _explain(policy_file: PolicyFile, err: jsonschema.ValidationError, key: str | None = None) -> PolicyError:
    """The message for one schema error; `key` names the unknown key of an additionalProperties one."""
    path = tuple(err.absolute_path)
    found = err.instance
    kind = err.validator
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        key = key if key is not None else _unknown_keys(err)[0]
        hint = f"allowed keys: {', '.join(allowed)}" if allowed else "no keys are allowed here"
        if "patternProperties" in err.schema:
            hint += ", or a language code such as zh"
        close = crosscheck.closest(key, allowed)
        if close:
            hint = f"did you mean '{close}'? " + hint
        if isinstance(key, str) and key.isdigit() and len(key) == 3:
            # `{value: 10,000}`: in a {…} mapping the comma ends the value, and "000" becomes a key.
            hint = "it looks like the end of a number written with a comma for thousands (10,000): write 10000"
        return policy_file.error(path + (key,), f"unknown key '{key}'; {hint}", at_key=True)
    if kind == "required":
        missing = _missing_key(err)
        if missing in LANGUAGES:  # a text object ({en: ..., zh: ...}) without one of its languages
            return policy_file.error(path, f"missing the {LANGUAGES[missing]} text ({missing}); {BOTH_LANGUAGES}")
        if missing == "zh_note":
            return policy_file.error(path, "missing zh_note: a glossary entry with zh_established: false says, "
                                           "in en and zh, why there is no established Chinese term")
        if missing == "source":
            return policy_file.error(path, "missing source: every value names where it comes from "
                                           "(an id from catalogue/sources.yaml such as seed-000, published or illustrative)")
        return policy_file.error(path, f"missing required key '{missing}'")
    if kind == "type":
        return policy_file.error(path, f"found {_describe(found)}, expected {_type_name(err.validator_value)}")
    if kind in ("enum", "const"):
        allowed = err.validator_value if kind == "enum" else [err.validator_value]
        return policy_file.error(path, f"found {_describe(found)}, allowed: {', '.join(map(str, allowed))}")
    if kind == "format":
        return policy_file.error(path, crosscheck.not_a_real_date(_describe(found)))
    if kind == "dependentRequired":  # a source note without its Chinese (or English) twin
        missing = _missing_key(err)
        return policy_file.error(path, f"missing '{missing}': a source note is shown in both languages, "
                                       "so it needs note (English) and note_zh (Chinese)")
    if kind == "pattern" and err.validator_value == NON_BLANK["pattern"]:
        language = {"note": "en", "note_zh": "zh"}.get(path[-1], path[-1]) if path else ""
        name = f"the {LANGUAGES[language]} text ({path[-1]})" if language in LANGUAGES else "the text"
        return policy_file.error(path, f"{name} is empty; {BOTH_LANGUAGES}")
    if kind == "pattern":
        return policy_file.error(path, f"found {_describe(found)}, expected {_PATTERNS.get(err.validator_value, err.validator_value)}")
    if kind in ("minimum", "exclusiveMinimum"):
        word = "at least" if kind == "minimum" else "more than"
        return policy_file.error(path, f"found {found}, must be {word} {err.validator_value}")
    if kind in ("maximum", "exclusiveMaximum"):
        word = "at most" if kind == "maximum" else "less than"
        return policy_file.error(path, f"found {found}, must be {word} {err.validator_value:g}")
    if kind == "minItems":
        return policy_file.error(path, f"found an empty list, expected at least {err.validator_value} item(s)")
    if kind == "minProperties":
        return policy_file.error(path, f"found an empty mapping, expected at least {err.validator_value} key(s)")
    if kind == "uniqueItems":
        return policy_file.error(path, f"found a repeated item in {_describe(found)}; each item may appear once")
    if kind == "propertyNames":
        return policy_file.error(path, err.message)
    return policy_file.error(path, err.message)


def _matches_pattern(schema: dict, key: str) -> bool:
    import re

    return any(re.search(p, key) for p in schema.get("patternProperties", {}))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _type_name(expected: Any) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "number": "a number",
             "integer": "a whole number", "boolean": "true or false"}
    if isinstance(expected, list):
        return " or ".join(names.get(e, e) for e in expected)
    return names.get(expected, expected)


def _assemble(files: dict[str, PolicyFile]) -> dict:
    """Gather the checked files into the bundle (see design/design.md: one plain dict, JSON-able)."""
    categories_doc = files[CATALOGUE["categories"]].data
    scopes, categories = {}, {}
    for scope_id, scope in categories_doc["scopes"].items():
        scopes[scope_id] = {"label": scope["label"], "categories": list(scope["categories"])}
        for cat_id, cat in scope["categories"].items():
            categories[cat_id] = {"label": cat["label"], "scope": scope_id}
    topics, rules, examples = {}, {}, []
    for rel, policy_file in files.items():
        if rel in CATALOGUE.values():
            continue
        section, stem = rel[: -len(".yaml")].split("/")
        doc = policy_file.data
        page = f"{section}/{stem}/"
        topics[stem] = {"section": section, "title": doc["title"], "summary": doc["summary"],
                        "page": page, "file": rel, "rules": list(doc["rules"])}
        for name, rule in doc["rules"].items():
            rules[f"{stem}.{name}"] = {"topic": stem, "name": name, "page": page, "anchor": name, **rule}
        for index, example in enumerate(doc.get("examples", [])):
            mark = policy_file.source_map.value(("examples", index))
            # Located inside the policy folder, not by the path it was loaded from: the bundle (and so
            # its version, a hash of it) is a function of the policies' content alone, the same for
            # `check policies`, `check /abs/policies` and a copy elsewhere, and the site ships no
            # path of the machine that built it.
            examples.append({"topic": stem, "where": f"{rel}:{mark.line}", **example})
    bundle = {
        "sources": files[CATALOGUE["sources"]].data,
        "categories_source": categories_doc["source"],
        "scopes": scopes,
        "categories": categories,
        "terms": files[CATALOGUE["terms"]].data,
        "glossary": files[CATALOGUE["glossary"]].data,
        "sections": files[CATALOGUE["sections"]].data,
        # Every word the calculators say, key -> {en, zh} (calculators/messages.py reads it).
        "messages": files[CATALOGUE["messages"]].data,
        "topics": topics,
        "rules": rules,
        "examples": examples,
    }
    digest = hashlib.sha256(json.dumps(bundle, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"version": digest[:12], **bundle}
