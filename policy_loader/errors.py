"""What the loader reports: located problems, and the exception that carries all of them.

Its own module so that every pass (yaml_source, the schema, crosscheck, markup) can build
errors without importing bundle.py, which imports the passes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PolicyError:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PolicyErrors(Exception):
    """Raised with every problem found; str() is one `path:line:column: message` per line."""

    def __init__(self, errors: list[PolicyError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(map(str, self.errors)))
