"""axe-core, run in a test's page: the WCAG 2.1 A and AA rules, and what each violation names.

axe-core is a pinned npm devDependency (package.json); the tests inject it from node_modules into
the page they audit, so it never ships in the site and is fetched from no host. It arrives as a
script of the page's own origin (a route the test answers), so the page's Content-Security-Policy
stays as the site sends it.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# No rule is disabled: tests/README.md says so, and would say why if one were.
DISABLED: dict[str, str] = {}
RUN = """async ({ tags, disabled }) => {
  const rules = Object.fromEntries(disabled.map(id => [id, { enabled: false }]));
  const found = await axe.run(document, { runOnly: { type: "tag", values: tags }, rules, resultTypes: ["violations"] });
  return found.violations.map(v => ({ id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), summary: n.failureSummary })) }));
}"""


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations in `page` as it stands: [{id, impact, nodes: [{target, summary}]}]."""
    if not AXE.exists():
        raise AssertionError("node_modules/axe-core is missing: run `make install` (npm ci)")
    if not page.evaluate("typeof window.axe === 'object'"):
        url = page.evaluate("location.origin") + "/__tests__/axe.min.js"
        if not getattr(page, "axe_routed", False):
            page.route(url, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
            page.axe_routed = True
        page.add_script_tag(url=url)
    return page.evaluate(RUN, {"tags": WCAG_A_AA, "disabled": list(DISABLED)})


def described(found: list[dict], where: str) -> str:
    """One line per violation and element, for an assertion's message."""
    return "\n".join(f"{where}: {v['id']} ({v['impact']}) at {n['target']}: {n['summary'].splitlines()[-1].strip()}"
                     for v in found for n in v["nodes"])
