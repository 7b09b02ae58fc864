"""One side of a policy diff: a policy folder, or `policies/` as it stands at a git revision.

A side is named `dir:PATH` (a folder), `rev:REVISION` (a git revision: `main`, `origin/main`,
`HEAD~1`, a commit id), or by its bare name. A bare name must be one or the other: a name that is
both a folder and a revision is refused (AmbiguousSide, exit 2), because a pull request could
otherwise add a folder `origin/main/` holding its own policies and have CI compare the branch with
itself. CI names its base with `rev:`.

A revision is extracted with `git archive` into a temporary folder and loaded like any other
folder; problems are reported with the revision in place of that folder
(`main:policies/fees/refund.yaml:12:5: ...`), so the messages point at the version they come from.
Beside the bundle, a side keeps the generated pages' words (`hooks/templates/words.yaml`, which
sits outside policies/) when it has them, so the diff can compare every text the site shows.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policy_contract.checks import load_checked_bundle
from policy_loader import PolicyErrors

POLICY_FOLDER = "policies"
WORDS_FILE = "hooks/templates/words.yaml"
FOLDER_PREFIX, REVISION_PREFIX = "dir:", "rev:"


class AmbiguousSide(ValueError):
    """A bare name that is both a folder and a git revision."""


@dataclass
class Side:
    """What the user named, the bundle when it loaded, and the check's messages when it did not.

    `commit` is the revision's full commit id (None for a folder); `words` the generated pages'
    words at that side (None when the side has no words.yaml beside its policies).
    """

    name: str
    bundle: dict | None = None
    errors: list[str] = field(default_factory=list)
    commit: str | None = None
    words: dict | None = None

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
    words_text = _git(repo, "show", f"{commit}:{WORDS_FILE}")
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")  # 'data' refuses links and paths outside tmp
        # Loaded as `policies` from inside the extract, as `make build` loads it from the checkout: the
        # bundle's paths, and so its version hash, are then the ones the site built at REV shows.
        with contextlib.chdir(tmp):
            side = _load_folder(spec, Path(POLICY_FOLDER), shown_as=f"{revision}:{POLICY_FOLDER}", words=False)
    side.commit = commit
    side.words = _words(words_text)
    return side


def _load_folder(spec: str, folder: Path, shown_as: str | None, words: bool = True) -> Side:
    try:
        side = Side(spec, bundle=load_checked_bundle(folder))
    except PolicyErrors as problems:
        lines = [str(error) for error in problems.errors]
        if shown_as:
            lines = [line.replace(str(folder), shown_as, 1) for line in lines]
        return Side(spec, errors=lines)
    if words:
        # A checkout's policies/ has the words beside it; a bare copy of policies/ has none.
        candidate = folder.resolve().parent / WORDS_FILE
        side.words = _words(candidate.read_text(encoding="utf-8")) if candidate.is_file() else None
    return side


def _words(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return None  # the build reports a broken words.yaml; the diff then leaves the words out
    return loaded if isinstance(loaded, dict) else None


def _git(repo: Path, *args: str, binary: bool = False):
    """git's standard output, or None when git fails (unknown revision, no such path, no git)."""
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=not binary, check=False)
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None
