"""MkDocs hook: load and check policies/ once per build, before anything else runs.

The bundle is kept on the config (`config["policy_bundle"]`) for the other hooks. A broken
policy stops the build with the same `path:line:column: message` lines as
`python -m calculators check`, and a previous site is removed so a stale one is not mistaken
for a good build. `mkdocs serve` also watches policies/, so an edit rebuilds the pages.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

# The repository root holds policy_loader/ and calculators/, which the hooks import. MkDocs
# restores sys.path after loading a hook, so the root is added again when the build runs.
ROOT = Path(__file__).resolve().parent.parent


def _importable() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


_importable()
from policy_loader import PolicyErrors, load_bundle  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _importable()
    policy_dir = policies_dir(config)
    try:
        config["policy_bundle"] = load_bundle(policy_dir)
    except PolicyErrors as problems:
        _remove_stale_site(Path(config["site_dir"]))
        raise Abort(f"Invalid policies, the site was not built:\n{problems}") from None
    return config


def on_serve(server, *, config: MkDocsConfig, builder):
    server.watch(str(policies_dir(config)))
    server.watch(str(ROOT / "calculators"))
    server.watch(str(ROOT / "hooks"))
    return server


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def policies_dir(config: MkDocsConfig) -> Path:
    return Path(config["config_file_path"]).resolve().parent / "policies"


def bundle(config: MkDocsConfig) -> dict:
    """The checked policy bundle for this build (set by on_config)."""
    return config["policy_bundle"]


def _remove_stale_site(site_dir: Path) -> None:
    # Only a folder this project built (it holds policies.json) is removed.
    if (site_dir / "assets" / "policies.json").is_file():
        shutil.rmtree(site_dir)
