"""The one word catalogue read straight from its file, for what words without a policy bundle in
hand: the generated pages' hooks and the policy review, which compares two bundles and speaks
about both. The calculators read the same words from the bundle (`bundle["messages"]`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

# policies/catalogue/messages.yaml: every word the site, the calculators and the review say.
CATALOGUE = Path(__file__).resolve().parent.parent / "policies" / "catalogue" / "messages.yaml"


@cache
def words() -> dict[str, dict[str, str]]:
    """Every word: key -> {en, zh}."""
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def word(key: str, lang: str = "en", **fields: Any) -> str:
    """The word `key` in `lang`, its `{fields}` filled in."""
    text = words()[key][lang]
    return text.format(**fields) if fields else text
