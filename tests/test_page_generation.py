"""Page generation without MkDocs: hooks/pages.generate(bundle, today) -> {path: Markdown}, and the menu.

The pages and the menu come from the bundle alone (catalogue/sections.yaml, the topics) and the
calculator registry; tests/test_pages.py checks the same pages once MkDocs has built them.
"""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import sys

from calculators.api import specs
from calculators.policy import Policy
from calculators.registry import CALCULATORS
from hooks.pages import generate, nav
from testsupport.checkout import ROOT

TODAY = dt.date(2026, 11, 22)


def _menu_targets(menu) -> list[str]:
    out = []
    for entry in menu:
        if isinstance(entry, str):
            out.append(entry)
        else:
            for value in entry.values():
                out += [value] if isinstance(value, str) else _menu_targets(value)
    return out


def test_generation_needs_no_mkdocs():
    script = ("import sys, datetime; from policy_loader import load_bundle; from hooks.pages import generate, nav; "
              "pages = generate(load_bundle('policies'), datetime.date(2026, 11, 22)); nav(load_bundle('policies')); "
              "print(len(pages), sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    count, loaded = proc.stdout.split(" ", 1)
    assert int(count) > 10 and loaded.strip() == "[]"


def test_every_topic_section_and_derived_page_is_generated(bundle):
    pages = generate(bundle, TODAY)
    expected = {f"{t['section']}/{stem}.md" for stem, t in bundle["topics"].items()}
    expected |= {f"{section}/index.md" for section in bundle["sections"]}
    expected |= {"changes.md", "glossary.md", "sources.md", "editors/reference.md"}
    assert set(pages) == expected


def test_a_hand_written_section_index_is_kept(bundle):
    assert "fees/index.md" not in generate(bundle, TODAY, hand_written={"fees/index.md"})


def test_a_section_index_shows_the_yaml_title_and_intro(bundle):
    section = bundle["sections"]["staying"]
    page = generate(bundle, TODAY)["staying/index.md"]
    assert page.startswith(f"# {section['title']['en']}\n") and section["intro"]["en"].split(":")[0] in page


def test_the_page_follows_the_date_it_is_generated_for(bundle):
    before = generate(bundle, dt.date(2020, 2, 10))["temporary/six-guarantees-2020.md"]
    after = generate(bundle, TODAY)["temporary/six-guarantees-2020.md"]
    assert "in force on 10 February 2020" in before and "in force on 22 November 2026" in after


def _rule_section(page: str, title: str) -> str:
    return next(part for part in page.split("\n## ") if part.startswith(title))


def test_a_temporary_measure_is_worded_by_its_dates_against_the_build_day(bundle):
    # The through-train subsidy ran from 3 to 16 February 2020: before, inside and after its window.
    def said(day: dt.date, lang: str = "en") -> str:
        page = generate(bundle, day, lang=lang)["temporary/six-guarantees-2020.md"]
        return _rule_section(page, {"en": "Through-train promotion subsidy", "zh": "直通车推广补贴"}[lang])

    upcoming, in_force, ended = said(dt.date(2020, 2, 2)), said(dt.date(2020, 2, 16)), said(dt.date(2020, 2, 17))
    assert "3 February 2020 to 16 February 2020. It has not begun on 2 February 2020." in upcoming
    assert "16 February 2020, and is in force on 16 February 2020." in in_force
    assert "It is kept here as history." in ended
    assert all("history" not in text for text in (upcoming, in_force))
    assert "截至2020年2月2日尚未开始。" in said(dt.date(2020, 2, 2), "zh")
    assert "2020年2月10日正在实施。" in said(dt.date(2020, 2, 10), "zh")


def test_the_menu_lists_each_topic_once_in_sections_yaml_order(bundle):
    menu = nav(bundle)
    targets = _menu_targets(menu)
    topic_pages = [f"{t['section']}/{stem}.md" for stem, t in bundle["topics"].items()]
    assert sorted(p for p in targets if p in topic_pages) == sorted(topic_pages)
    assert len(targets) == len(set(targets))
    titles = [next(iter(entry)) for entry in menu]
    assert titles[1:1 + len(bundle["sections"])] == [s["title"]["en"] for s in Policy(bundle).sections().values()]
    joining = menu[1]["Joining"]
    assert joining[0] == {"Joining": "joining/index.md"} and {"Fees by category": "fees/annual-fee.md"} in joining


def test_the_menu_lists_the_registrys_calculators(bundle):
    # Each calculator under its own title (from the messages catalogue), in the registry's order.
    calculators = next(entry["Calculators"] for entry in nav(bundle) if "Calculators" in entry)
    assert calculators[1:] == [{specs(bundle)[name]["title"]: f"calculators/{name}.md"} for name in CALCULATORS]
    assert [next(iter(entry)) for entry in calculators[1:]] == ["Entry eligibility", "Annual fee refund", "Delisting risk"]


def test_menu_titles_from_the_yaml_are_escaped(bundle):
    planted = {**bundle, "sections": {"joining": {**bundle["sections"]["joining"],
                                                  "title": {"en": "A & </title><img src=x onerror=alert(1)>"}}}}
    title = next(iter(nav(planted)[1]))
    # Neither as HTML (the menu) nor unescaped by striptags (<title>) can it open a tag.
    assert "<" not in title and "<" not in html.unescape(title) and html.unescape(title).startswith("A & ")
