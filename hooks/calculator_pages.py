"""MkDocs hook: replace `<!-- calculator: NAME -->` in a page with that calculator's form.

The form is drawn from the calculator's input spec (calculators.api.specs), with choices from
the policies, by the Jinja2 template hooks/templates/calculator_form.html. The browser side
(docs/assets/calculators/) finds the form by its data-calculator attribute.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

MARKER = re.compile(r"^<!-- calculator: ([a-z_]+) -->$", re.MULTILINE)
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _groupby_scope(choices: list[dict], groups: dict[str, str]) -> list[tuple[str, list[dict]]]:
    """Categories grouped under their scope's label, in policy order."""
    grouped: dict[str, list[dict]] = {}
    for choice in choices:
        grouped.setdefault(groups[choice["value"]], []).append(choice)
    return list(grouped.items())


TEMPLATES.filters["groupby_scope"] = _groupby_scope

# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    if "<!-- calculator:" not in markdown:
        return markdown
    from calculators.api import specs  # importable once hooks/policies.py has run

    all_specs = specs(config["policy_bundle"])

    def form(match: re.Match) -> str:
        name = match.group(1)
        if name not in all_specs:
            raise PluginError(f"{page.file.src_path}: no calculator named '{name}' (have: {', '.join(all_specs)})")
        html = TEMPLATES.get_template("calculator_form.html").render(name=name, spec=all_specs[name])
        # Python-Markdown keeps a raw HTML block intact only if it has no blank lines.
        return "\n".join(line for line in html.splitlines() if line.strip())

    return MARKER.sub(form, markdown)
