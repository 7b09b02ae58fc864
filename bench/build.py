"""Build time of the real site, and with the policies scaled to 10x and 100x the categories.

Each build runs `mkdocs build` in a fresh process on a temporary copy of the project. Baseline:
MkDocs with the same theme building the same number of plain Markdown pages, so the ratio shows
what generating pages from policies costs on top of MkDocs itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.timing import median_seconds
from testsupport.project import project_copy

SCALES = (1, 10, 100)


def scale_categories(policy_dir: Path, factor: int) -> int:
    """Multiply every scope (and its categories) `factor` times; returns the category count."""
    path = policy_dir / "catalogue" / "categories.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    scopes = {}
    for copy in range(factor):
        suffix = "" if copy == 0 else f"-x{copy}"
        for scope_id, scope in doc["scopes"].items():
            scopes[scope_id + suffix] = {
                "label": _copied_label(scope["label"], copy),
                "categories": {cat + suffix: {"label": _copied_label(info["label"], copy)}
                               for cat, info in scope["categories"].items()},
            }
    doc["scopes"] = scopes
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return sum(len(s["categories"]) for s in scopes.values())


def _copied_label(label: dict, copy: int) -> dict:
    """The label in every language the check requires, numbered after the first copy so that no
    two categories read the same (the Chinese with full-width brackets, as the site writes them)."""
    if not copy:
        return dict(label)
    return {"en": f"{label['en']} ({copy})", "zh": f"{label['zh']}（{copy}）"}


def mkdocs_build(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
                          cwd=project, env=env, capture_output=True, text=True)
    if proc.returncode:  # the build's own message, not only its exit code
        raise RuntimeError(f"mkdocs build failed in {project}:\n{proc.stderr}")


def plain_project(target: Path, pages: int) -> None:
    """A material-themed MkDocs project with `pages` plain Markdown pages of a few paragraphs."""
    docs = target / "docs"
    docs.mkdir(parents=True)
    (target / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    body = "\n\n".join(f"Paragraph {i} of plain text, with a [link](index.md) and *emphasis*." for i in range(12))
    (docs / "index.md").write_text("# Home\n\n" + body, encoding="utf-8")
    for i in range(1, pages):
        (docs / f"page-{i}.md").write_text(f"# Page {i}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{body}", encoding="utf-8")


def measure(runs: int = 3, scales: tuple[int, ...] = SCALES, share_build_cache: bool = False) -> list[dict]:
    """share_build_cache reuses the checkout's Pyodide fast-start files (testsupport.project): the
    figures then leave out that part of a build from scratch, which only the smoke test wants."""
    rows = []
    for factor in scales:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "handbook"
            project.mkdir()
            project_copy(project, share_build_cache=share_build_cache)
            categories = scale_categories(project / "policies", factor)
            real, _ = median_seconds(lambda: mkdocs_build(project), runs)
            pages = sum(1 for _ in (project / "site").rglob("index.html"))
            html_bytes = sum(p.stat().st_size for p in (project / "site").rglob("*.html"))
            plain = Path(tmp) / "plain"
            plain_project(plain, pages)
            baseline, _ = median_seconds(lambda: mkdocs_build(plain), runs)
        rows.append({"scale": factor, "categories": categories, "pages": pages, "html_bytes": html_bytes,
                     "build_seconds": real, "plain_build_seconds": baseline, "ratio": real / baseline})
    return rows
