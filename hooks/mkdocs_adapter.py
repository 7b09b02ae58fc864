"""The MkDocs adapter: the one module that knows MkDocs, and the only hook mkdocs.yml names.

Each MkDocs event hands its work to a plain module of this package:
- on_config: load and check policies/ (handbook.checks: the loader's checks and the calculators');
  the bundle is kept on the config, and the menu (`nav`) is made from catalogue/sections.yaml and
  the calculator registry (pages.nav). A broken policy stops the build with the same
  `path:line:column: message` lines as `python -m calculators check`, and a previous site is
  removed so a stale one is not mistaken for a good build;
- on_files: the generated pages (pages.generate: topics, section indexes, changes, key reference);
- on_page_markdown: calculator forms in place of `<!-- calculator: NAME -->` (calculator_pages);
- on_post_page / on_post_template / on_pre_build: the CSP meta and its script hashes (csp);
- on_post_build: policies.json, the wheel and Pyodide (assets), the feed (feed), then the hashes;
- on_serve: `mkdocs serve` also watches policies/, calculators/, handbook/ and hooks/.
HANDBOOK_TODAY=YYYY-MM-DD pins "today" for the pages (tests); otherwise it is the build date.

The repository's packages are importable because MkDocs runs as `python -m mkdocs` from the
repository root (`make`, the tests, the workflows) and `make install` installs the project
editable (`pip install -e .`); nothing here edits sys.path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from handbook.checks import load_checked_bundle
from hooks import assets, calculator_pages, csp, feed, pages
from policy_loader import PolicyErrors

ROOT = Path(__file__).resolve().parent.parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        config["policy_bundle"] = load_checked_bundle(policies_dir(config))
    except PolicyErrors as problems:
        _remove_stale_site(Path(config["site_dir"]))
        raise Abort(f"Invalid policies, the site was not built:\n{problems}") from None
    config["nav"] = pages.nav(config["policy_bundle"])
    return config


def on_serve(server, *, config: MkDocsConfig, builder):
    server.watch(str(policies_dir(config)))
    for folder in ("calculators", "handbook", "hooks"):
        server.watch(str(ROOT / folder))
    return server


def on_pre_build(config: MkDocsConfig) -> None:
    csp.reset()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    calculators_with_page = {f.src_uri[len("calculators/"):-3] for f in files
                             if f.src_uri.startswith("calculators/") and f.src_uri.endswith(".md")}
    generated = pages.generate(config["policy_bundle"], pages.today_for_build(), calculators_with_page,
                               hand_written={f.src_uri for f in files})
    for src_uri, content in generated.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    if "<!-- calculator:" not in markdown:
        return markdown
    from calculators.api import specs

    try:
        return calculator_pages.insert_forms(markdown, specs(config["policy_bundle"]), page.file.src_path)
    except calculator_pages.UnknownCalculator as problem:
        raise PluginError(str(problem)) from None


def on_post_page(output: str, *, page, config: MkDocsConfig) -> str:
    return csp.with_meta(output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return csp.with_meta(output_content) if template_name.endswith(".html") else output_content


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config["site_dir"])
    try:
        assets.write_assets(site, config["policy_bundle"])
    except assets.AssetError as problem:
        raise PluginError(str(problem)) from None
    feed.write_feed(site, config["policy_bundle"])
    csp.fill_hashes(site)  # last: it hashes the inline scripts of every page as finally written


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def policies_dir(config: MkDocsConfig) -> Path:
    return Path(config["config_file_path"]).resolve().parent / "policies"


def _remove_stale_site(site_dir: Path) -> None:
    # Only a folder this project built (it holds policies.json) is removed.
    if (site_dir / "assets" / "policies.json").is_file():
        shutil.rmtree(site_dir)
