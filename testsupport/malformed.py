"""The malformed policy fixtures (tests/malformed/<case>/): each a few broken files laid over a
copy of the real policies, with the check's exact output beside them (expected.txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

from testsupport.checkout import POLICIES, ROOT

FIXTURES = ROOT / "tests" / "malformed"


def overlaid(case: str, tmp_path: Path) -> Path:
    """tmp_path/policies: the real policies with the case's files laid over them."""
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    for path in (FIXTURES / case).rglob("*.yaml"):
        shutil.copy(path, tree / path.relative_to(FIXTURES / case))
    return tree
