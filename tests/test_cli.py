"""The CLI contract of design/design.md: exit codes, the JSON on stdout, no traceback.

Three tests run it as a user runs it, `python -m calculators ...` in a subprocess, to prove the real
entry point: a result from a file (exit 0), standard input read and bad input refused (exit 2), and
unloadable policies (exit 3). The rest run the same command in-process through the CLI's own
main() (testsupport/cli.py: its own stdin, stdout and stderr; a traceback shows as one would), ten
times faster, with the same assertions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testsupport.checkout import ROOT
from testsupport.cli import run_cli

STORE = {"category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": 9999, "medal": "none",
         "active_listings": 120, "listings_no_shipment_180d": 0}


def real_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real entry point: a new interpreter running `python -m calculators`."""
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True)


def cli(*args: str, stdin: str = "") -> object:
    """The same command in-process (testsupport/cli.py), with the same returncode, stdout and stderr."""
    return run_cli(*args, stdin=stdin, cwd=ROOT)


def test_run_prints_the_result_json(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(STORE))
    proc = real_cli("run", "delisting", "--input", str(case), "--as-of", "2026-11-22")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"calculator", "as_of", "policy_version", "verdict", "headline", "amounts", "findings",
                           "next_steps", "upcoming", "dates"}
    assert (result["verdict"], result["amounts"]["rejoin_earliest"]) == ("below_threshold", "2027-04-14")
    assert all(set(f) >= {"rule", "title", "outcome", "detail", "source"} for f in result["findings"])


@pytest.mark.parametrize("name, inputs, verdict", [
    ("refund", {"category": "automotive", "annual_sales_usd": 15000, "service_level": "good"}, "partial_refund"),
    ("eligibility", {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                     "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
                     "annual_turnover_cny": 1}, "eligible"),
])
def test_run_reads_standard_input(name, inputs, verdict):
    proc = cli("run", name, "--as-of", "2026-11-22", stdin=json.dumps(inputs))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == verdict


def test_the_real_entry_point_reads_standard_input_and_refuses_bad_input_with_exit_2():
    good = real_cli("run", "delisting", "--as-of", "2026-11-22", stdin=json.dumps(STORE))
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["verdict"] == "below_threshold"
    bad = real_cli("run", "delisting", "--as-of", "2026-11-22", stdin=json.dumps({**STORE, "sales_365d_usd": -1}))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert json.loads(bad.stdout) == {"errors": [{"field": "sales_365d_usd", "message": "Must not be negative"}]}


def test_a_reader_that_stops_early_gets_no_traceback():
    # `python -m calculators list | head -1`: head exits, and the next write meets a closed pipe.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "calculators", "list"], cwd=ROOT, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == 0 and proc.stderr == ""


@pytest.mark.parametrize("change, field, message", [
    ({"category": "fishing-boats"}, "category", "Unknown choice 'fishing-boats'"),
    ({"sales_365d_usd": -1}, "sales_365d_usd", "Must not be negative"),
    ({"store_opened_on": "2022-02-30"}, "store_opened_on", "Not a real date: '2022-02-30'; expected YYYY-MM-DD"),
    ({"store_opened_on": "2027-01-01"}, "store_opened_on", "Later than the “Rules as of” date 22 November 2026"),
    ({"active_listings": 12.5}, "active_listings", "Must be a whole number, found 12.5"),
    ({"active_listings": None}, "active_listings", "Required"),
    ({"colour": "red"}, "colour", "Unknown input 'colour'; allowed: category, store_opened_on"),
    ({"sales": 1}, "sales", "Unknown input 'sales'; did you mean 'sales_365d_usd'?"),
    ({"sales_365d_usd": "9,000"}, "sales_365d_usd", "'9,000' is not a plain number"),
    # No amount finer than a cent: 9999.999 would otherwise round up into the USD 10,000 threshold.
    ({"sales_365d_usd": "9999.999"}, "sales_365d_usd", "'9999.999' has more than 2 decimal places"),
    ({"sales_365d_usd": 9999.995}, "sales_365d_usd", "9999.995 has more than 2 decimal places"),
    ({"sales_365d_usd": "45.000"}, "sales_365d_usd", "'45.000' is unclear: for 45,000, write 45000"),
    ({"sales_365d_usd": "1.234.567"}, "sales_365d_usd", "'1.234.567' is unclear: for 1,234,567, write 1234567"),
    # A count too: "45.000" listings is 45,000 to much of Europe, never silently 45.
    ({"active_listings": "45.000"}, "active_listings", "'45.000' is unclear: for 45,000, write 45000; a count is a whole"),
    ({"active_listings": "1.234.567"}, "active_listings", "'1.234.567' is unclear: for 1,234,567, write 1234567"),
    ({"sales_365d_usd": 10**13}, "sales_365d_usd", "Must be at most 1,000,000,000,000"),
    ({"store_opened_on": "1999-12-31"}, "store_opened_on", "Must be between 2000-01-01 and 2100-12-31"),
])
def test_invalid_input_exits_2_naming_the_field(change, field, message):
    inputs = {k: v for k, v in {**STORE, **change}.items() if v is not None}
    proc = cli("run", "delisting", "--as-of", "2026-11-22", stdin=json.dumps(inputs))
    assert proc.returncode == 2
    errors = json.loads(proc.stdout)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"].startswith(message)
    assert "Traceback" not in proc.stderr


def test_every_bad_field_is_reported_at_once():
    bad = {"category": "nope", "store_opened_on": "soon", "sales_365d_usd": "lots", "active_listings": -3}
    proc = cli("run", "delisting", stdin=json.dumps(bad))
    assert proc.returncode == 2
    assert {e["field"] for e in json.loads(proc.stdout)["errors"]} == {
        "category", "store_opened_on", "sales_365d_usd", "active_listings", "listings_no_shipment_180d"}


@pytest.mark.parametrize("stdin, args", [("{not json", ()), ("[1, 2]", ()), ("{}", ("--as-of", "2026-13-01"))])
def test_unreadable_input_exits_2_without_a_traceback(stdin, args):
    proc = cli("run", "refund", *args, stdin=stdin)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["errors"]


def test_unloadable_policies_exit_3_with_json_errors_on_policies(tmp_path):
    proc = real_cli("run", "refund", "--policies", str(tmp_path), stdin="{}")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    errors = json.loads(proc.stdout)["errors"]
    assert {e["field"] for e in errors} == {"--policies"}
    assert any(e["message"].endswith("missing file: the policies need catalogue/categories.yaml") for e in errors)


def test_check_passes_the_real_policies():
    proc = cli("check", "policies")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("ok: ") and proc.stdout.count("\n") == 1


def test_list_gives_every_calculator_with_its_inputs():
    specs = json.loads(cli("list").stdout)
    assert list(specs) == ["eligibility", "refund", "delisting"]
    assert [f["name"] for f in specs["delisting"]["inputs"]][:6] == list(STORE)
    opened, sales = specs["delisting"]["inputs"][1:3]
    assert (opened["earliest"], opened["latest"]) == ("2000-01-01", "2100-12-31")
    assert (sales["minimum"], sales["maximum"]) == (0, 1_000_000_000_000)


# One store for each calculator, each a valid answer on any date the handbook's rules cover.
EACH = {"eligibility": {"entity_type": "enterprise", "alipay_enterprise_verified": True,
                        "brand_relationship": "registered_owner", "category": "womens-clothing",
                        "seller_type": "factory", "annual_turnover_cny": 5000000},
        "refund": {"category": "womens-clothing", "annual_sales_usd": 70000, "service_level": "good"},
        "delisting": {"category": "mobile-phones", "store_opened_on": "2013-03-01", "sales_365d_usd": 1234,
                      "active_listings": 120, "listings_no_shipment_180d": 0}}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(EACH))
@pytest.mark.parametrize("as_of", ["2015-12-31", "2000-01-01", "1999-01-01"])
def test_an_as_of_date_before_the_rules_is_an_error_on_as_of(name, lang, as_of):
    """Before the handbook's rules begin (2016-01-01, the annual fee's first day in policies/), no
    calculator answers: eligibility said "Eligible." with no store type and no fee, refund "no
    scheme", delisting judged a 2022 assessment. Each names the first date it can answer for."""
    proc = cli("run", name, "--as-of", as_of, "--lang", lang, stdin=json.dumps(EACH[name]))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    [error] = json.loads(proc.stdout)["errors"]
    assert error["field"] == "as_of" and "2016-01-01" in error["message"]
    assert ("规则" in error["message"]) == (lang == "zh")


@pytest.mark.parametrize("name", list(EACH))
def test_the_first_day_of_the_rules_computes(name):
    proc = cli("run", name, "--as-of", "2016-01-01", stdin=json.dumps(EACH[name]))
    assert proc.returncode == 0, proc.stdout


def test_the_as_of_span_in_the_spec_starts_with_the_rules():
    specs = json.loads(cli("list").stdout)
    assert {spec["as_of"]["earliest"] for spec in specs.values()} == {"2016-01-01"}
