"""Every worked example from the policies, typed into its calculator page in Chromium.

One tab for the module (Python starts once), which goes to each calculator's page by a link;
then each example fills the whole form, clearing the fields it leaves out. The page must show the
CLI's verdict and exactly the CLI's amounts (read from each amount's data-value), and the same
findings in the same order.
"""

from __future__ import annotations

import json

import pytest

from calculators.api import run, specs
from calculators.registry import CALCULATORS
from tests.browser.reader import PYTHON_START_LIMIT_MS, READY, fill_all, follow_link

pytestmark = pytest.mark.browser

SHOWN = """() => {
  const box = document.querySelector('.calc-result [data-verdict]');
  if (!box) return null;
  return JSON.stringify({
    verdict: box.dataset.verdict,
    amounts: Object.fromEntries([...box.querySelectorAll('[data-amount]')].map(n => [n.dataset.amount, JSON.parse(n.dataset.value)])),
    rules: [...box.querySelectorAll('.calc-finding')].map(n => n.dataset.rule),
    as_of: box.dataset.asOf,
  });
}"""


@pytest.mark.python_started
@pytest.mark.parametrize("calculator", list(CALCULATORS))
def test_examples_give_the_cli_result_in_the_browser(page, site_url, calculator, bundle):
    examples = [e for e in bundle["examples"] if e["calculator"] == calculator]
    follow_link(page, site_url + f"calculators/{calculator}/")
    page.wait_for_selector(READY, timeout=PYTHON_START_LIMIT_MS)
    reached = set()
    for example in examples:
        want = run(bundle, calculator, example["inputs"], example["as_of"])
        expected = {"verdict": want["verdict"],
                    # The page shows every amount that applies and has a label (calculators/present.py).
                    "amounts": {k: v for k, v in want["amounts"].items()
                                if v is not None and k in CALCULATORS[calculator].amounts},
                    "rules": [f["rule"] for f in want["findings"]]}
        fill_all(page, example["inputs"], example["as_of"])
        try:
            page.wait_for_function(f"want => {{ const s = ({SHOWN})(); if (!s) return false; const got = JSON.parse(s);"
                                   " return got.as_of === want.as_of && JSON.stringify([got.verdict, got.amounts,"
                                   " got.rules]) === JSON.stringify([want.verdict, want.amounts, want.rules]); }",
                                   arg={**expected, "as_of": example["as_of"]}, timeout=15_000)
        except Exception:
            shown = page.evaluate(SHOWN)
            pytest.fail(f"{example['where']}: the page shows {shown}, the CLI gives {json.dumps(expected)}")
        assert "Traceback" not in page.content()
        reached.add(want["verdict"])
    print(f"\n{calculator}: {len(examples)} examples in the browser, verdicts reached: {sorted(reached)}")
    assert reached == set(specs(bundle)[calculator]["verdicts"])
