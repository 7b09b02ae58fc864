"""`python -m calculators check --format github`: the check's messages as GitHub workflow commands.

GitHub turns `::error file=F,line=L,col=C::message` lines printed by a step into annotations on
the pull request's changed lines, so an editor sees each problem next to the YAML that causes it.
F must be relative to the repository root (the workflow's working directory).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from handbook.checks import load_checked_bundle
from policy_loader import PolicyError, PolicyErrors


def annotation(error: PolicyError, cwd: Path | None = None) -> str:
    """One error as a workflow command; the path relative to `cwd` (default: the current folder).

    >>> annotation(PolicyError("policies/fees/refund.yaml", 3, 7, "rules.x: found 100%, expected a number"))
    '::error file=policies/fees/refund.yaml,line=3,col=7::rules.x: found 100%25, expected a number'
    """
    return (f"::error file={_property(relative(error.path, cwd))},line={error.line},col={error.column}"
            f"::{_data(error.message)}")


def relative(path: str, cwd: Path | None = None) -> str:
    """`path` relative to `cwd` when it lies inside it; otherwise as given (GitHub ignores it then)."""
    base = Path(cwd or os.getcwd()).resolve()
    try:
        return Path(path).resolve().relative_to(base).as_posix()
    except ValueError:
        return path


def check_github(policy_dir: str) -> int:
    """Print one annotation per problem (exit 1), or the usual summary line (exit 0)."""
    try:
        bundle = load_checked_bundle(policy_dir)
    except PolicyErrors as problems:
        for error in problems.errors:
            print(annotation(error))
        print(f"{len(problems.errors)} problem(s) in {policy_dir}", file=sys.stderr)
        return 1
    print(f"ok: {len(bundle['rules'])} rules, {len(bundle['categories'])} categories, "
          f"{len(bundle['examples'])} examples in {policy_dir} (policy version {bundle['version']})")
    return 0


# GitHub's escaping for workflow commands (actions/toolkit, command.ts): data escapes %, CR, LF;
# property values also escape ':' and ',', which would otherwise end the value.
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
