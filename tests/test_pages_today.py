""""Today" on the pages (issue 25 §6): a page that says what is in force names the day it was built
for, and a change due within 30 days of that day stands out on its rule's page and on the Changes
page. The build day is the explicit input of hooks/pages.generate (HANDBOOK_TODAY for a build);
every test here passes its own. Also: the Pages workflow rebuilds every day, so the day is right.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml

from hooks.pages import generate
from testsupport.checkout import ROOT

BUILD_DAY = dt.date(2026, 12, 7)
HANDLING = "fulfilment/models.md"  # holds the one dated change in the policies: 96 hours from 2024-09-09


def section(page: str, anchor: str) -> str:
    """A rule's section of a generated page: from its heading to the next."""
    start = page.index(f"{{ #{anchor} }}")
    end = page.find("\n## ", start)
    return page[start:end if end != -1 else None]


def test_what_is_in_force_names_the_build_day_in_both_languages(bundle):
    english, chinese = generate(bundle, BUILD_DAY), generate(bundle, BUILD_DAY, lang="zh")
    threshold = section(english["staying/assessment.md"], "threshold_established_store_usd")
    assert "| In force on 7 December 2026 |" in threshold
    assert "**In force on 7 December 2026: at most 72 hours**" in english[HANDLING]
    assert "| 2026年12月7日现行有效 |" in section(chinese["staying/assessment.md"], "threshold_established_store_usd")
    assert "**2026年12月7日现行有效：" in chinese[HANDLING]
    # "Today" alone says nothing once the page is a day old; 起生效 would mean "takes effect".
    assert not [path for path, page in english.items() if re.search(r"in force today", page, re.I)]
    assert not [path for path, page in chinese.items() if "今日生效" in page or "2026年12月7日起生效" in page]


@pytest.mark.parametrize("lang, due", [("en", "From 9 September 2024, in 30 days"),
                                       ("zh", "2024年9月9日起生效，还有30天")])
def test_a_change_due_within_30_days_stands_out_on_its_rules_page_and_the_changelog(bundle, lang, due):
    pages = generate(bundle, dt.date(2024, 8, 10), lang=lang)
    rule = section(pages[HANDLING], "new_product_handling_time_hours")
    assert re.search(r'!!! warning "[^"]+"\n    - \*\*' + re.escape(due) + r"\*\*", rule), rule
    day = section(pages["changes.md"], "changes-2024-09-09")
    assert f'!!! warning "{due}"' in day


def test_a_change_31_days_away_or_in_force_already_does_not_stand_out(bundle):
    for today in (dt.date(2024, 8, 9), dt.date(2024, 9, 9)):
        pages = generate(bundle, today)
        assert "!!! warning" not in pages[HANDLING] and "!!! warning" not in pages["changes.md"], today


def test_a_planted_change_tomorrow_and_in_28_days_reads_as_such(bundle):
    planted = copy.deepcopy(bundle)
    toys = planted["rules"]["assessment.threshold_established_store_usd"]["cases"]["toys-hobbies"]
    toys.append({"from": "2027-03-01", "value": 12000, "source": "illustrative"})
    toys[0]["until"] = "2027-02-28"
    rule = section(generate(planted, dt.date(2027, 2, 1))["staying/assessment.md"], "threshold_established_store_usd")
    assert "- **From 1 March 2027, in 28 days**: at least USD 12,000 (Toys &amp; hobbies)\n\n" in rule
    zh = generate(planted, dt.date(2027, 2, 28), lang="zh")
    assert "2027年3月1日起生效，即明天" in section(zh["staying/assessment.md"], "threshold_established_store_usd")
    assert '!!! warning "2027年3月1日起生效，即明天"' in zh["changes.md"]


def test_the_pages_workflow_rebuilds_and_deploys_every_day():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    crons = [entry["cron"].split() for entry in triggers.get("schedule", [])]
    assert crons and all(fields[2:] == ["*", "*", "*"] for fields in crons), crons  # every day of every month
    build = next(step for step in workflow["jobs"]["build"]["steps"] if step.get("run") == "make site-artifact")
    assert build["env"]["TZ"] == "Asia/Shanghai"  # the build day is the sellers' date, not the runner's
