"""How policy values read on a page: money, percentages, days, dates, lists, tiers, sources.

Used by the page templates as Jinja filters. Formatting only: every value comes from the bundle
and every "in force" question is answered by calculators.policy, as in the calculators.

Policy text goes into Markdown, so it is escaped here, whatever `check` let through (defence in
depth; policy_loader/markup.py defines the subset and refuses the rest):
- `plain(text)`: titles, labels, notes: Markdown that shows the text exactly as typed.
- `rich(text)`: summaries, descriptions, text values: the subset (emphasis, code spans, links to
  https: or relative targets) stays Markdown; everything else is shown as typed.
- `cell(markdown)`: one Markdown table cell: a `|` outside a code span cannot end the cell.
Every string a view hands a template is already Markdown-safe; only fields the templates read
straight from the bundle (topic.title[lang], item[lang], ...) go through the filters there.

Each function takes the page's `lang` ("en" or "zh", English by default): policy text is read in
that language; the figures are written by calculators/formatters.py, as in a result, and the
words added here (provenance, "for the others") come from the one catalogue,
policies/catalogue/messages.yaml, through `word`.
"""

from __future__ import annotations

import re
from typing import Any


from calculators import formatters
from calculators.formatters import fmt_date as long_date  # noqa: F401 (the pages' dates, written as results write them)
from calculators.messages import Words
from calculators.policy import Policy, source_covers, source_parts
# The one catalogue of words, the calculators' and the pages' (policies/catalogue/messages.yaml),
# read where the policies are read.
from policy_loader.catalogue import word, words  # noqa: F401
from policy_loader.markup import CODE_SPAN, link_allowed, links


def value_text(value: Any, rule: dict, bundle: dict, *, markdown: bool = True, lang: str = "en",
               yearly: bool = True) -> str:
    """One value of `rule` as a page states it (formatters.fmt_rule_value, with its comparison).

    `markdown=False` gives the bare words (for a terminal or a JSON diff), with nothing escaped.
    `yearly=False` leaves "each year" off a yearly date (a table column that says it once).
    """
    say = Words(bundle, lang)
    if not markdown:
        return formatters.fmt_rule_value(rule, value, say, yearly=yearly, compared=True)
    return formatters.fmt_rule_value(rule, value, say, yearly=yearly, compared=True, text=rich,
                                     name=lambda item, vocabulary: plain(formatters.item_name(item, vocabulary, say)))


def tier_condition(tier: dict, unit: str, lang: str = "en") -> str:
    return formatters.tier_condition(tier, unit, Words(_catalogue_bundle(), lang))


def label(key: str, vocabulary: str | None, bundle: dict, lang: str = "en") -> str:
    """The reader's name for an id, as Markdown (escaped): a category, scope or term."""
    return plain(label_text(key, vocabulary, bundle, lang))


def label_text(key: str, vocabulary: str | None, bundle: dict, lang: str = "en") -> str:
    """The reader's name for an id as plain text, for text that is not Markdown (policy_review)."""
    return formatters.item_name(key, vocabulary, Words(bundle, lang))


def _catalogue_bundle() -> dict:
    """Enough of a bundle for words that name no policy: the catalogue alone."""
    return {"messages": words()}


def source_badge(source: Any, bundle: dict, lang: str = "en") -> str:
    """Inline HTML naming where a value comes from, as a finding's badge does (calculators/present.py
    badge: the source's label, its title on hover; illustrative values say so plainly).

    A default whose source `covers` some categories says so, and that the others borrow it
    (illustrative, extended from it).
    """
    ref, note = source_parts(source)
    if lang != "en" and isinstance(source, dict):
        note = source.get(f"note_{lang}", note)
    policy = Policy(bundle)
    text = _badge(policy.provenance(source), bundle, lang)
    covers = source_covers(source)
    if isinstance(covers, list):
        names = word("value.list_separator", lang).join(label(key, "category", bundle, lang) for key in covers)
        extended = {"kind": "illustrative", "source": "illustrative", "extended_from": ref}
        text += word("source.covers", lang, categories=names, others=_badge(extended, bundle, lang))
    open_paren, close_paren = ("（", "）") if lang == "zh" else ("(", ")")
    return text + (f' <span class="prov-note">{open_paren}{plain(note)}{close_paren}</span>' if note else "")


def tier_badge(tier: dict, period_source: Any, bundle: dict, lang: str = "en") -> str:
    """The badge of one refund tier: its own `source`, or the period's when it names none."""
    return source_badge(tier.get("source", period_source), bundle, lang)


def _badge(provenance: dict, bundle: dict, lang: str) -> str:
    from calculators.present import badge

    kind, text, title = badge(bundle, provenance, Words(bundle, lang))
    return f'<span class="prov prov-{kind}" title="{_attr(title)}">{plain(text)}</span>'


def provenance_kind(source: Any, bundle: dict) -> str:
    """seed, published or illustrative: the kind of the value where its source speaks for it."""
    return Policy(bundle).provenance(source)["kind"]


def plain(text: str) -> str:
    """Markdown that reads exactly as `text`: one line, every character with a meaning escaped.

    >>> plain('<img src=x onerror=alert(1)> *x*{: onclick=y} [a](b) | c')
    '&lt;img src=x onerror=alert(1)&gt; &#42;x&#42;&#123;: onclick=y&#125; &#91;a&#93;(b) &#124; c'
    """
    return _block_safe(_escape_all(" ".join(text.split())))


def rich(text: str) -> str:
    """Markdown for `text` in which only the subset is live: emphasis, code spans, allowed links.

    A link to anything else keeps its words and loses its target.

    >>> rich('*Note*: see [the fees](../fees/refund.md), not [this](javascript:alert(1)) or `<b>`.')
    '*Note*: see [the fees](../fees/refund.md), not this or `<b>`.'
    """
    text = " ".join(text.split())
    out, at = [], 0
    for start, end, words, _target_at, target in _subset_links(text):
        out.append(_escape_outside_code(text[at:start]))
        words_md = _escape_outside_code(words)
        out.append(f"[{words_md}]({target})" if link_allowed(target) else words_md)
        at = end
    out.append(_escape_outside_code(text[at:]))
    return _block_safe("".join(out))


def cell(markdown: str) -> str:
    """One table cell: `|` outside code spans escaped, line breaks joined (a break ends the row)."""
    markdown = " ".join(str(markdown).split())
    out, at = [], 0
    for match in CODE_SPAN.finditer(markdown):
        out.append(markdown[at:match.start()].replace("|", "\\|"))
        out.append(match.group())
        at = match.end()
    out.append(markdown[at:].replace("|", "\\|"))
    return "".join(out)


def _subset_links(text: str):
    """Inline links outside code spans (a `[` inside code is code)."""
    spans = [m.span() for m in CODE_SPAN.finditer(text)]
    for link in links(text):
        if not any(a <= link[0] < b or a < link[1] <= b for a, b in spans):
            yield link


# Outside the subset every character Markdown or HTML could act on becomes a character reference,
# which Markdown shows as the character and which no later step (attr_list, tables, a raw HTML
# block) can read as syntax. `*` and backticks stay in rich text: they are the subset.
_ALWAYS = {c: f"&#{ord(c)};" for c in "\\_{}[]!|"}
_ALWAYS.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PLAIN = {**_ALWAYS, "*": "&#42;", "`": "&#96;"}
# What would make a line start a block: heading, quote, list, admonition, tab, rule, table, fence.
_BLOCK_START = re.compile(r"^(?:[#=?:~+-]|[0-9]+[.)]|\*(?:\s|\*\*)|```)")


def _escape_all(text: str) -> str:
    return "".join(_PLAIN.get(c, c) for c in text)


def _escape_outside_code(text: str) -> str:
    out, at = [], 0
    for match in CODE_SPAN.finditer(text):
        out.append("".join(_ALWAYS.get(c, c) for c in text[at:match.start()]))
        out.append(match.group())
        at = match.end()
    out.append("".join(_ALWAYS.get(c, c) for c in text[at:]))
    return "".join(out)


def _block_safe(markdown: str) -> str:
    """The first character as a character reference if the text would otherwise start a block."""
    if _BLOCK_START.match(markdown):
        return f"&#{ord(markdown[0])};{markdown[1:]}"
    return markdown


def _attr(text: str) -> str:
    """Text for a double-quoted HTML attribute inside Markdown (a table cell, even).

    Every sign becomes a character reference: Markdown finds code spans, links and `|` before it
    sees the tag, so a backtick or bracket left in the value would cut the tag apart.
    """
    return "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in " ".join(text.split()))
