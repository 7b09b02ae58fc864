"""`python -m calculators check --format github`: the check's messages as GitHub workflow commands.

GitHub turns `::error file=F,line=L,col=C::message` lines printed by a step into annotations on
the pull request's changed lines, so an editor sees each problem next to the YAML that causes it.
F must be relative to the repository root (the workflow's working directory).
"""

from __future__ import annotations

import os
from pathlib import Path

from policy_loader import PolicyError


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


# GitHub's escaping for workflow commands (actions/toolkit, command.ts): data escapes %, CR, LF;
# property values also escape ':' and ',', which would otherwise end the value.
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
