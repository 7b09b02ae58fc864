"""One side of a policy diff: a policy folder, or `policies/` as it stands at a git revision.

A revision (`main`, `origin/main`, `HEAD~1`, a commit id) is extracted with `git archive` into a
temporary folder and loaded like any other folder; problems are reported with the revision in
place of that folder (`main:policies/fees/refund.yaml:12:5: ...`), so the messages point at the
version they come from.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handbook.checks import load_checked_bundle
from policy_loader import PolicyErrors

POLICY_FOLDER = "policies"


@dataclass
class Side:
    """What the user named, the bundle when it loaded, and the check's messages when it did not."""

    name: str
    bundle: dict | None = None
    errors: list[str] = field(default_factory=list)


def load_side(spec: str, repo: Path | None = None) -> Side:
    """Load `spec`: a folder when one exists at that path, otherwise a git revision of policies/."""
    if Path(spec).is_dir():
        return _load_folder(spec, Path(spec), shown_as=None)
    repo = repo or Path.cwd()
    revision = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if revision is None:
        return Side(spec, errors=[f"{spec}: neither a policy folder nor a git revision of this repository"])
    archive = _git(repo, "archive", "--format=tar", revision.strip(), POLICY_FOLDER, binary=True)
    if archive is None:
        return Side(spec, errors=[f"{spec}: this revision has no {POLICY_FOLDER}/ folder"])
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")  # 'data' refuses links and paths outside tmp
        # Loaded as `policies` from inside the extract, as `make build` loads it from the checkout: the
        # bundle's paths, and so its version hash, are then the ones the site built at REV shows.
        with contextlib.chdir(tmp):
            return _load_folder(spec, Path(POLICY_FOLDER), shown_as=f"{spec}:{POLICY_FOLDER}")


def _load_folder(spec: str, folder: Path, shown_as: str | None) -> Side:
    try:
        return Side(spec, bundle=load_checked_bundle(folder))
    except PolicyErrors as problems:
        lines = [str(error) for error in problems.errors]
        if shown_as:
            lines = [line.replace(str(folder), shown_as, 1) for line in lines]
        return Side(spec, errors=lines)


def _git(repo: Path, *args: str, binary: bool = False):
    """git's standard output, or None when git fails (unknown revision, no such path, no git)."""
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=not binary, check=False)
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None
