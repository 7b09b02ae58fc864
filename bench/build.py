"""Build time of the real site, and with the policies scaled to 10x and 100x the categories.

Each build runs `mkdocs build` in a fresh process on a temporary copy of the project. Baseline:
MkDocs with the same theme building the same number of plain Markdown pages, so the ratio shows
what generating pages from policies costs on top of MkDocs itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["mkdocs.yml", "docs", "hooks", "policies", "calculators", "policy_loader", "pyproject.toml",
          "package-lock.json"]  # the build checks the self-hosted Pyodide against its pinned version
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
                "label": {"en": scope["label"]["en"] + (f" ({copy})" if copy else "")},
                "categories": {cat + suffix: {"label": {"en": info["label"]["en"] + (f" ({copy})" if copy else "")}}
                               for cat, info in scope["categories"].items()},
            }
    doc["scopes"] = scopes
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return sum(len(s["categories"]) for s in scopes.values())


def project_copy(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    os.symlink(ROOT / "node_modules", target / "node_modules")


def mkdocs_build(project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
                   cwd=project, env=env, check=True, capture_output=True)


def plain_project(target: Path, pages: int) -> None:
    """A material-themed MkDocs project with `pages` plain Markdown pages of a few paragraphs."""
    docs = target / "docs"
    docs.mkdir(parents=True)
    (target / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    body = "\n\n".join(f"Paragraph {i} of plain text, with a [link](index.md) and *emphasis*." for i in range(12))
    (docs / "index.md").write_text("# Home\n\n" + body, encoding="utf-8")
    for i in range(1, pages):
        (docs / f"page-{i}.md").write_text(f"# Page {i}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{body}", encoding="utf-8")


def measure(runs: int = 3) -> list[dict]:
    rows = []
    for factor in SCALES:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "handbook"
            project.mkdir()
            project_copy(project)
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
