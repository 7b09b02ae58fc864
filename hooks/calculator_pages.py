"""Replace `<!-- calculator: NAME -->` in a page's Markdown with that calculator's form.

The form is drawn from the calculator's input spec (calculators.api.specs), with choices from
the policies, by the Jinja2 template hooks/templates/calculator_form.html. The browser side
(docs/assets/calculators/) finds the form by its data-calculator attribute.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

MARKER = re.compile(r"^<!-- calculator: ([a-z_]+) -->$", re.MULTILINE)
# "A result is an estimate ...": one wording, the calculators' (messages.yaml view.estimate), which
# every result also carries; a hand-written page says it through this marker, never in its own words.
ESTIMATE = "<!-- estimate -->"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _groupby_scope(choices: list[dict], groups: dict[str, str]) -> list[tuple[str, list[dict]]]:
    """Categories grouped under their scope's label, in policy order."""
    grouped: dict[str, list[dict]] = {}
    for choice in choices:
        grouped.setdefault(groups[choice["value"]], []).append(choice)
    return list(grouped.items())


TEMPLATES.filters["groupby_scope"] = _groupby_scope



class UnknownCalculator(ValueError):
    """A page names a calculator the registry does not have."""


def insert_forms(markdown: str, specs: dict, where: str, lang: str = "en", *, messages: dict) -> str:
    """`markdown` with each marker replaced by its form; `specs` is calculators.api.specs(bundle, lang),
    and `lang` the page's language (the form's own words: start-up messages, "optional", ...).

    `messages` is the checked bundle's messages catalogue (bundle["messages"]), where the form's
    words live beside the calculators'.
    """

    def t(name: str) -> str:
        # The raw template: placeholders such as {seconds} are filled in by the page's script.
        return messages[name][lang]

    def form(match: re.Match) -> str:
        name = match.group(1)
        if name not in specs:
            raise UnknownCalculator(f"{where}: no calculator named '{name}' (have: {', '.join(specs)})")
        html = TEMPLATES.get_template("calculator_form.html").render(name=name, spec=specs[name], lang=lang, t=t)
        # Python-Markdown keeps a raw HTML block intact only if it has no blank lines.
        return "\n".join(line for line in html.splitlines() if line.strip())

    return MARKER.sub(form, markdown)



def insert_estimate(markdown: str, lang: str = "en", *, messages: dict) -> str:
    """`markdown` with each `<!-- estimate -->` replaced by the estimate sentence in `lang`."""
    return markdown.replace(ESTIMATE, messages["view.estimate"][lang])
