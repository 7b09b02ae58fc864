"""Edits the tests make to a copy of the policies (the check's and the review's tests)."""

import shutil
from pathlib import Path

from testsupport.checkout import POLICIES


# The toys' established-store threshold raised from USD 10,000 to 12,000 on 14 January 2027, as a
# pull request would write it in staying/assessment.yaml.
TOYS_BEFORE = "      toys-hobbies:\n        - {from: 2022-01-01, value: 10000, source: seed-000}\n"
TOYS_AFTER = ("      toys-hobbies:\n        - {from: 2022-01-01, until: 2027-01-13, value: 10000, source: seed-000}\n"
              "        - {from: 2027-01-14, value: 12000, source: published}\n")


def edited(tmp_path: Path, rel: str, *changes: tuple[str, str]) -> Path:
    """A copy of policies/ with each (old, new) text replaced once in `rel`."""
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    text = (tree / rel).read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tree / rel).write_text(text, encoding="utf-8")
    return tree
