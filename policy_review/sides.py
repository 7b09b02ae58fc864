"""One side of a policy diff: a policy folder, or `policies/` as it stands at a git revision.

A side is named `dir:PATH` (a folder), `rev:REVISION` (a git revision: `main`, `origin/main`,
`HEAD~1`, a commit id), or by its bare name. A bare name must be one or the other: a name that is
both a folder and a revision is refused (AmbiguousSide, exit 2), because a pull request could
otherwise add a folder `origin/main/` holding its own policies and have CI compare the branch with
itself. CI names its base with `rev:`.

A revision is extracted with `git archive` into a temporary folder and loaded like any other
folder; problems are reported with the revision in place of that folder
(`main:policies/fees/refund.yaml:12:5: ...`), so the messages point at the version they come from.
Every word the site shows is in the bundle (policies/catalogue/messages.yaml), so a side is its
policies/ folder alone.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


from policy_contract.checks import load_checked_bundle
from policy_loader import PolicyErrors

POLICY_FOLDER = "policies"
FOLDER_PREFIX, REVISION_PREFIX = "dir:", "rev:"


class AmbiguousSide(ValueError):
    """A bare name that is both a folder and a git revision."""


@dataclass
class Side:
    """What the user named, the bundle when it loaded, and the check's messages when it did not.

    `commit` is the revision's full commit id (None for a folder).
    """

    name: str
    bundle: dict | None = None
    errors: list[str] = field(default_factory=list)
    commit: str | None = None

    @property
    def short_commit(self) -> str | None:
        return self.commit[:12] if self.commit else None


def load_side(spec: str, repo: Path | None = None) -> Side:
    """Load `spec` (see the module's docstring); raises AmbiguousSide for a bare name that is both."""
    repo = repo or Path.cwd()
    if spec.startswith(FOLDER_PREFIX):
        folder = spec[len(FOLDER_PREFIX):]
        if not Path(folder).is_dir():
            return Side(spec, errors=[f"{spec}: no such policy folder"])
        return _load_folder(spec, Path(folder), shown_as=None)
    if spec.startswith(REVISION_PREFIX):
        return _load_revision(spec, spec[len(REVISION_PREFIX):], repo)
    is_folder, commit = Path(spec).is_dir(), _commit(repo, spec)
    if is_folder and commit:
        raise AmbiguousSide(f"{spec}: both a folder and a git revision ({commit[:12]}); "
                            f"say which: {FOLDER_PREFIX}{spec} or {REVISION_PREFIX}{spec}")
    if is_folder:
        return _load_folder(spec, Path(spec), shown_as=None)
    if commit is None:
        return Side(spec, errors=[f"{spec}: neither a policy folder nor a git revision of this repository"])
    return _load_revision(spec, spec, repo)


def _commit(repo: Path, revision: str) -> str | None:
    # `--end-of-options` keeps a name starting with '-' a revision, never an option of git's.
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return found.strip() if found else None


def _load_revision(spec: str, revision: str, repo: Path) -> Side:
    commit = _commit(repo, revision)
    if commit is None:
        return Side(spec, errors=[f"{spec}: not a git revision of this repository"])
    archive = _git(repo, "archive", "--format=tar", commit, POLICY_FOLDER, binary=True)
    if archive is None:
        return Side(spec, errors=[f"{spec}: this revision has no {POLICY_FOLDER}/ folder"], commit=commit)
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")  # 'data' refuses links and paths outside tmp
        # Loaded as `policies` from inside the extract, as `make build` loads it from the checkout: the
        # bundle's paths, and so its version hash, are then the ones the site built at REV shows.
        with contextlib.chdir(tmp):
            side = _load_folder(spec, Path(POLICY_FOLDER), shown_as=f"{revision}:{POLICY_FOLDER}")
    side.commit = commit
    return side


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
