"""The MkDocs adapter: the one module that knows MkDocs, and the only hook mkdocs.yml names.

Each MkDocs event hands its work to a plain module of this package:
- on_config: load and check policies/ (policy_contract.checks: the loader's checks and the calculators');
  the bundle is kept on the config, and the menu (`nav`) is made from catalogue/sections.yaml and
  the calculator registry (pages.nav). A broken policy stops the build with the same
  `path:line:column: message` lines as `python -m calculators check`, and a previous site is
  removed so a stale one is not mistaken for a good build;
- on_files: the generated pages (pages.generate: topics, section indexes, changes, key reference,
  glossary) in the language being built;
- on_page_markdown: calculator forms in place of `<!-- calculator: NAME -->` (calculator_pages);
- on_post_page / on_post_template / on_pre_build: the CSP meta and its script hashes (csp);
- on_post_build: policies.json, the wheel and Pyodide (assets), the feed (feed), numbers in the
  search index (search_index), then the hashes;
- on_startup / on_serve: `mkdocs serve` also watches policies/, calculators/, policy_contract/ and hooks/,
  and its pages let its live-reload script run (csp).
HANDBOOK_TODAY=YYYY-MM-DD pins "today" for the pages (tests); otherwise it is the build date.

Two languages (mkdocs.yml, plugin `i18n`: mkdocs-static-i18n): English at /, Chinese at /zh/. The
plugin builds English, then, from its on_post_build, runs the whole build again for Chinese, so
every event here runs once per language; `build_language` says which. What that means here:
- the generated pages are added after the plugin has sorted the files (on_files at priority
  -110; the plugin, at -100, keeps only files it can read from docs/), with the plugin's
  per-file attributes (alternates, locale), so the language selector and sitemap.xml know them;
- the assets, the feed and the CSP hashes are written once, after the last language (on_post_build
  at -110 in the outer build, after the plugin's): the pages of both languages share one
  site-wide set of assets and one list of inline-script hashes;
- the glossary's Chinese terms are added to jieba's words, so search keeps them whole.

The repository's packages are importable because MkDocs runs as `python -m mkdocs` from the
repository root (`make`, the tests, the workflows) and `make install` installs the project
editable (`pip install -e .`); nothing here edits sys.path.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from policy_contract.checks import load_checked_bundle
from hooks import assets, atom, calculator_pages, cjk, csp, feed, pages, formatting, search_index, service_worker
from policy_loader import PolicyErrors

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGE = "en"


class _InstantNavigationWarning(logging.Filter):
    """Drops the i18n plugin's warning that its per-page language links do not survive instant
    navigation: docs/assets/javascripts/language.mjs sets them again on every page change (and
    tests/browser/test_languages.py checks it), and --strict would fail the build on the warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_InstantNavigationWarning())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not (_i18n_building(config) and "policy_bundle" in config):  # checked once, not once per language
        try:
            config["policy_bundle"] = load_checked_bundle(policies_dir(config))
        except PolicyErrors as problems:
            _remove_stale_site(Path(config["site_dir"]))
            raise Abort(f"Invalid policies, the site was not built:\n{problems}") from None
        _teach_search_the_glossary(config["policy_bundle"])
    config["nav"] = pages.nav(config["policy_bundle"], build_language(config))
    _name_the_theme_controls(config, build_language(config))
    return config


def _name_the_theme_controls(config: MkDocsConfig, lang: str) -> None:
    """The colour toggles' names, the heading links' title and the feed link's title in the language being built (the
    words are in policies/catalogue/messages.yaml; mkdocs.yml names neither, Material translates neither)."""
    for palette in config["theme"]["palette"]:
        key = "theme.dark_mode" if palette["scheme"] == "default" else "theme.light_mode"
        palette["toggle"]["name"] = formatting.word(key, lang)
    config["mdx_configs"].setdefault("toc", {})["permalink_title"] = formatting.word("theme.permalink", lang)
    # overrides/main.html's link to this language's Atom feed (a path from the site's root)
    config["extra"]["feed"] = {"title": formatting.word("feed.link_title", lang), "path": atom.feed_path(lang)}
    # overrides/main.html's offline note (docs/assets/javascripts/offline.mjs shows it), naming the
    # build day: offline, the reader sees that day's copy. The preview (`mkdocs serve`) registers no
    # service worker, whose cache would answer a reload with the page before the edit.
    config["extra"]["offline"] = {"note": formatting.word("offline.note", lang,
                                                          day=formatting.long_date(pages.today_for_build(), lang)),
                                  "register": not _previewing}
    # overrides/404.html: the page not found in this language, and its way home
    config["extra"]["not_found"] = {"title": formatting.word("not_found.title", lang),
                                    "text": formatting.word("not_found.text", lang),
                                    "home": formatting.word("not_found.home", lang)}


_previewing = False  # `mkdocs serve`: its pages must let its live-reload script run (hooks/csp.py)


def on_startup(*, command: str, dirty: bool) -> None:
    global _previewing
    _previewing = command == "serve"


def on_serve(server, *, config: MkDocsConfig, builder):
    server.watch(str(policies_dir(config)))
    for folder in ("calculators", "policy_contract", "hooks"):
        server.watch(str(ROOT / folder))
    return server


def on_pre_build(config: MkDocsConfig) -> None:
    if not _i18n_building(config):  # the hashes of every language's pages are collected together
        csp.reset()


@event_priority(-110)  # after the i18n plugin's on_files (-100), which drops files not in docs/
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    lang = build_language(config)
    hand_written = {_normal_src_uri(f) for f in files if f.is_documentation_page()}
    calculators_with_page = {uri[len("calculators/"):-3] for uri in hand_written
                             if uri.startswith("calculators/") and uri.endswith(".md")}
    generated = pages.generate(config["policy_bundle"], pages.today_for_build(), calculators_with_page,
                               hand_written=hand_written, lang=lang)
    added = []
    for src_uri, content in generated.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        page_file = _generated_file(config, src_uri, content, lang)
        files.append(page_file)
        added.append(page_file)
    plugin = _i18n(config)
    if plugin is not None:  # sitemap.xml (instant navigation's list of pages) is made from this list
        plugin.i18n_files_per_language.setdefault(lang, []).extend(added)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    if calculator_pages.ESTIMATE in markdown:
        markdown = calculator_pages.insert_estimate(markdown, build_language(config),
                                                    messages=config["policy_bundle"]["messages"])
    if "<!-- calculator:" not in markdown:
        return markdown
    from calculators.api import specs

    lang = build_language(config)
    try:
        bundle = config["policy_bundle"]
        return calculator_pages.insert_forms(markdown, specs(bundle, lang), page.file.src_path, lang=lang,
                                             messages=bundle["messages"])
    except calculator_pages.UnknownCalculator as problem:
        raise PluginError(str(problem)) from None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files) -> str:
    return cjk.join_lines(html) if build_language(config) == "zh" else html


def on_post_page(output: str, *, page, config: MkDocsConfig) -> str:
    lang = build_language(config)
    if lang != DEFAULT_LANGUAGE:  # its own search index and sitemap, under /zh/ (search_index.py)
        output = search_index.language_base(output)
    return csp.with_meta(_translations_for_the_selector(output, lang))


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    html = csp.with_meta(_translations_for_the_selector(output_content, None))  # 404.html: no translations
    _not_found[build_language(config)] = html
    return html


# Each language's build writes its 404.html to the site's root (the i18n plugin moves pages, not
# the theme's templates), the last one built winning: /404.html came out Chinese. Each is kept here
# and written where it belongs once every language is built (on_post_build).
_not_found: dict[str, str] = {}


def _write_not_found_pages(site: Path) -> None:
    for lang, html in _not_found.items():
        target = site / ("404.html" if lang == DEFAULT_LANGUAGE else f"{lang}/404.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


@event_priority(-110)  # after the i18n plugin's on_post_build, which builds the other languages
def on_post_build(*, config: MkDocsConfig) -> None:
    if _i18n_building(config):
        return  # a language built from inside the first build: its pages are done when that one ends
    site = Path(config["site_dir"])
    _write_not_found_pages(site)
    try:
        assets.write_assets(site, config["policy_bundle"])
    except assets.AssetError as problem:
        raise PluginError(str(problem)) from None
    feed.write_feed(site, config["policy_bundle"], today=pages.today_for_build())
    search_index.make_numbers_findable(site)  # after the i18n plugin wrote the index of both languages
    search_index.split_by_language(site, [lang for lang in _languages(config) if lang != DEFAULT_LANGUAGE])
    search_index.rank(site, config["policy_bundle"], _languages(config), DEFAULT_LANGUAGE)
    try:
        search_index.fix_chinese_query_segmentation(site)
    except ValueError as problem:
        raise PluginError(str(problem)) from None
    csp.fill_hashes(site, preview=_previewing)  # it hashes the inline scripts of every page as finally written
    if _previewing:  # the preview registers no service worker (config["extra"]["offline"] above)
        return
    try:  # last: it precaches every file as finally written, by the md5 of its bytes
        service_worker.write_service_worker(site)
    except service_worker.ServiceWorkerError as problem:
        raise PluginError(str(problem)) from None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def build_language(config: MkDocsConfig) -> str:
    """The language being built: "en" at /, "zh" at /zh/ (the i18n plugin's current language)."""
    plugin = _i18n(config)
    return (plugin.current_language or plugin.default_language) if plugin is not None else DEFAULT_LANGUAGE


def _languages(config: MkDocsConfig) -> list[str]:
    plugin = _i18n(config)
    return list(plugin.build_languages) if plugin is not None else [DEFAULT_LANGUAGE]


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


def _i18n_building(config: MkDocsConfig) -> bool:
    """Whether this build runs inside the first one (the plugin building another language)."""
    plugin = _i18n(config)
    return bool(plugin is not None and plugin.building)


def _normal_src_uri(file: File) -> str:
    """The page's path without its language: calculators/refund.zh.md -> calculators/refund.md."""
    return getattr(file, "norm_src_uri", file.src_uri)


def _generated_file(config: MkDocsConfig, src_uri: str, content: str, lang: str) -> File:
    """A generated page in `lang`, with what the i18n plugin gives the files it sorts: Chinese
    pages under zh/, and the page's address in each language (the language selector's links)."""
    plugin = _i18n(config)
    page_file = File.generated(config, src_uri, content=content)
    if plugin is None:
        return page_file
    alternates = {}
    for other in plugin.build_languages:
        twin = page_file if other == lang else File.generated(config, src_uri, content="")
        if other != plugin.default_language:
            twin.dest_uri = f"{other}/{twin.dest_uri}"
        alternates[other] = twin
    page_file.alternates = alternates
    page_file.locale = page_file.locale_alternate_of = lang
    page_file.localization = None if lang == plugin.default_language else lang
    page_file.norm_src_uri = src_uri
    return page_file


_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">')


def _translations_for_the_selector(html: str, lang: str | None) -> str:
    """The page with the i18n plugin's `<link rel="alternate" hreflang>` tags turned into
    `<meta name="translation" data-lang content>`, the other languages' only; none on a page that
    has no translations (`lang` None: the 404 page).

    Material reads every alternate link in the head as the root of another site: it fetches
    `sitemap.xml` under each (a 404 on every page, as these name pages, not roots), and takes a
    click on any link below one for a jump to another site, loading it in full (which restarts the
    calculators' worker). language.mjs reads the meta tags instead; search engines get the same
    hreflang pairs from sitemap.xml, which lists each page's translations.
    """
    def moved(match: re.Match) -> str:
        if lang is None or match[2] == lang:
            return ""
        return f'\n    <meta name="translation" data-lang="{match[2]}" content="{match[1]}">'

    return _ALTERNATE.sub(moved, html)


def _teach_search_the_glossary(bundle: dict) -> None:
    """jieba (the search plugin's Chinese word splitter) learns the glossary's Chinese terms, so a
    term such as 个体工商户 is one word in the index, as a reader types it."""
    try:
        import jieba
    except ImportError:  # without jieba, Material's search indexes Chinese by whole runs of characters
        return
    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" lines on every build
    for word in pages.glossary_words(bundle):
        jieba.add_word(word)


def policies_dir(config: MkDocsConfig) -> Path:
    return Path(config["config_file_path"]).resolve().parent / "policies"


def _remove_stale_site(site_dir: Path) -> None:
    # Only a folder this project built (it holds policies.json) is removed.
    if (site_dir / "assets" / "policies.json").is_file():
        shutil.rmtree(site_dir)
