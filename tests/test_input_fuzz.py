"""Hostile input: whatever arrives, `run()` answers with a result or with field errors, never an exception.

Hypothesis draws JSON values of every type and size (null, booleans, huge integers, inf/nan/1e308,
text with non-ASCII digits, nested lists and objects) for every input of every calculator, unknown
names too, and as-of strings. Then the command line is run on each named hostile input (deep
nesting, huge numbers, bytes that are not UTF-8, ...): each must exit 2 (3 for unloadable
policies) with JSON errors and no traceback.
The command line runs in-process (testsupport/cli.py: the CLI's main() with stdin given as bytes, so
a byte that is not UTF-8 or a byte-order mark arrives as sent); tests/test_cli.py runs the real
`python -m calculators` in a subprocess.
Named cases pin the messages: what is allowed, not only that something is wrong.
"""

from __future__ import annotations

import json
import math
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators.api import rules_begin, run, run_json
from calculators.inputs import EARLIEST, LATEST, load_inputs
from testsupport.checkout import ROOT
from testsupport.cli import Ran, run_cli
from testsupport.hostile_input import assert_answered, calculator_specs, hostile_case, json_values, texts


@pytest.fixture(scope="module")
def bundle_json(bundle) -> str:
    """The bundle as the worker is given it: JSON text."""
    return json.dumps(bundle)


FUZZ = settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# ---------------------------------------------------------------------------------------------
# run() never raises
# ---------------------------------------------------------------------------------------------


@FUZZ
@given(case=hostile_case())
def test_run_answers_any_json_value_with_a_result_or_field_errors(bundle, case):
    assert_answered(run(bundle, case["name"], case["inputs"], case["as_of"], typed=case["typed"]))


@FUZZ
@given(name=st.deferred(lambda: st.sampled_from(sorted(calculator_specs()))), raw=json_values,
       as_of=st.one_of(st.none(), texts))
def test_run_answers_when_the_inputs_are_not_an_object(bundle, name, raw, as_of):
    assert_answered(run(bundle, name, raw, as_of))


@FUZZ
@given(case=hostile_case())
def test_the_worker_call_answers_too_and_equals_run(bundle, bundle_json, case):
    """run_json, as the browser worker calls it, gives what run() gives for the same JSON."""
    text = json.dumps(case["inputs"])
    options = {"as_of": case["as_of"], "typed": case["typed"]}
    answer = json.loads(run_json(bundle_json, case["name"], text, json.dumps(options)))
    assert_answered(answer)
    as_of = case["as_of"] or None  # "" means today, in the worker
    assert answer == run(bundle, case["name"], load_inputs(text, "(input)"), as_of, typed=case["typed"])


@FUZZ
@given(text=st.text(max_size=60) | st.builds(lambda v: json.dumps(v)[:-1], json_values))
def test_the_worker_call_answers_text_that_is_not_json(bundle_json, text):
    assert_answered(json.loads(run_json(bundle_json, "refund", text, "{}")))


def test_the_fuzz_reaches_results_as_well_as_errors(bundle):
    """The strategies are not degenerate: half-good inputs do get through to a verdict."""
    seen = set()

    @settings(max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=hostile_case())
    def collect(case):
        answer = run(bundle, case["name"], case["inputs"], case["as_of"], typed=case["typed"])
        seen.add("errors" if "errors" in answer else "result")

    collect()
    assert seen == {"errors", "result"}


# ---------------------------------------------------------------------------------------------
# The spec: every number has a range, every date a span
# ---------------------------------------------------------------------------------------------


def test_every_number_has_a_range_and_every_date_a_span(bundle):
    for name, spec in calculator_specs().items():
        for field in spec["inputs"]:
            if field["type"] in ("money", "integer"):
                assert math.isfinite(field["minimum"]) and math.isfinite(field["maximum"]), (name, field)
                assert field["minimum"] < field["maximum"]
            if field["type"] == "date":
                assert (field["earliest"], field["latest"]) == (EARLIEST.isoformat(), LATEST.isoformat())
        # the "Rules as of" date starts where the handbook's rules do (api.rules_begin), not at EARLIEST
        assert spec["as_of"] == {"type": "date", "earliest": rules_begin(bundle).isoformat(), "latest": "2100-12-31"}


@pytest.mark.parametrize("name, field, maximum", [
    ("delisting", "sales_365d_usd", 10**12), ("delisting", "active_listings", 10**7),
    ("delisting", "listings_no_shipment_180d", 10**7), ("refund", "annual_sales_usd", 10**12),
    ("refund", "fee_paid_cny", 10**7), ("refund", "exit_month", 12), ("eligibility", "brands_count", 1000),
    ("eligibility", "annual_turnover_cny", 10**12), ("eligibility", "stores_total", 1000),
    ("eligibility", "stores_in_category", 1000),
])
def test_the_maximum_is_in_the_spec_and_enforced(bundle, name, field, maximum):
    spec = {f["name"]: f for f in calculator_specs()[name]["inputs"]}[field]
    assert spec["maximum"] == maximum
    result = run(bundle, name, {field: maximum + 1}, "2026-11-22")
    assert {"field": field, "message": f"Must be at most {maximum:,}"} in result["errors"]


# ---------------------------------------------------------------------------------------------
# Named hostile values and their messages
# ---------------------------------------------------------------------------------------------

REFUND = {"category": "automotive", "annual_sales_usd": 15000, "service_level": "good"}
DELISTING = {"category": "womens-clothing", "store_opened_on": "2023-06-01", "sales_365d_usd": 9999,
             "active_listings": 120, "listings_no_shipment_180d": 0}
ELIGIBILITY = {"entity_type": "enterprise", "alipay_enterprise_verified": True,
               "brand_relationship": "registered_owner", "category": "automotive", "seller_type": "brand",
               "annual_turnover_cny": 1}


def errors(bundle: dict, name: str, inputs: dict, as_of: str = "2026-11-22", typed: bool = False) -> list[dict]:
    return run(bundle, name, inputs, as_of, typed=typed).get("errors", [])


@pytest.mark.parametrize("value, message", [
    ("1,5", "'1,5' is not a number: use a point for decimals, like 1.5"),
    ("12,34", "'12,34' is not a number: use a point for decimals, like 12.34"),
    ("1.234,5", "'1.234,5' is not a number: use a point for decimals, like 1234.5"),
    ("9,000", "'9,000' is not a plain number: leave out the thousands separators, like 9000"),
    ("9 000", "'9 000' is not a plain number: leave out the thousands separators, like 9000"),
    ("abc", "Enter a number, like 9000"), ("5e", "Enter a number, like 9000"), ("1e5", "Enter a number, like 9000"),
    ("١٥٠٠", "'١٥٠٠' uses digits other than 0-9: enter a number, like 9000"),
    ("１５００", "'１５００' uses digits other than 0-9: enter a number, like 9000"),
    (1e308, "Must be at most 1,000,000,000,000"), (10**400, "Must be at most 1,000,000,000,000"),
    ("9" * 5001, "Must be at most 1,000,000,000,000"), (float("nan"), "Expected a finite number, found nan"),
    (True, "Expected a number, found true"), ([1], "Expected a number, found a list"),
])
def test_strict_numbers_say_what_is_allowed(bundle, value, message):
    assert errors(bundle, "refund", {**REFUND, "annual_sales_usd": value}) == [
        {"field": "annual_sales_usd", "message": message}]


@pytest.mark.parametrize("value, number", [("9,000", 9000), ("9 000", 9000), ("1,234,567.5", 1234567.5),
                                           ("9\u00a0000", 9000), ("12,000", 12000), (" 15000 ", 15000),
                                           ("15000.00", 15000), ("１５０００", 15000), ("１２，０００", 12000),
                                           ("１５０００．５", 15000.5), ("\u3000１５０００", 15000)])
def test_typed_numbers_accept_grouped_thousands(bundle, value, number):
    typed = run(bundle, "delisting", {**DELISTING, "sales_365d_usd": value}, "2026-11-22", typed=True)
    assert typed == run(bundle, "delisting", {**DELISTING, "sales_365d_usd": number}, "2026-11-22")


@pytest.mark.parametrize("value, message", [
    ("1,5", "'1,5' is not a number: use a point for decimals, like 1.5"),
    ("12,34", "'12,34' is not a number: use a point for decimals, like 12.34"),
    ("1,23,456", "Enter a number, like 9000"), ("9,00,0", "Enter a number, like 9000"),
    ("9,000 000", "Enter a number, like 9000"), ("abc", "Enter a number, like 9000"),
])
def test_typed_numbers_refuse_what_is_not_grouped_thousands(bundle, value, message):
    assert errors(bundle, "delisting", {**DELISTING, "sales_365d_usd": value}, typed=True) == [
        {"field": "sales_365d_usd", "message": message}]


def test_the_worker_passes_typed_through_its_options(bundle_json):
    inputs = json.dumps({**REFUND, "annual_sales_usd": "15,000"})
    typed = json.loads(run_json(bundle_json, "refund", inputs, '{"as_of": "2026-11-22", "typed": true}'))
    strict = json.loads(run_json(bundle_json, "refund", inputs, '{"as_of": "2026-11-22"}'))
    assert typed["verdict"] == "partial_refund"
    assert strict["errors"][0]["field"] == "annual_sales_usd"


@pytest.mark.parametrize("value, message", [
    ("2024-W09-4", "Not a real date: '2024-W09-4'; expected YYYY-MM-DD"),
    ("20230601", "Not a real date: '20230601'; expected YYYY-MM-DD"),
    ("２０２３-06-01", "Not a real date: '２０２３-06-01'; expected YYYY-MM-DD"),
    ("٢٠٢٣-٠٦-٠١", "Not a real date: '٢٠٢٣-٠٦-٠١'; expected YYYY-MM-DD"),
    ("2023-06-01\n", "Not a real date: '2023-06-01\n'; expected YYYY-MM-DD"),
    ("1999-12-31", "Must be between 2000-01-01 and 2100-12-31"),
])
def test_dates_are_yyyy_mm_dd_in_the_span(bundle, value, message):
    assert errors(bundle, "delisting", {**DELISTING, "store_opened_on": value}) == [
        {"field": "store_opened_on", "message": message}]


@pytest.mark.parametrize("name, inputs", [
    ("eligibility", {**ELIGIBILITY, "brand_relationship": "pending_owner", "trademark_filed_on": "9999-12-31"}),
    ("eligibility", {**ELIGIBILITY, "returned_on": "9999-12-31"}),
    ("delisting", {**DELISTING, "assessment_date": "9999-12-31"}),
])
def test_the_last_day_of_the_calendar_is_out_of_the_span(bundle, name, inputs):
    assert run(bundle, name, inputs, "9999-12-31") == {
        "errors": [{"field": "as_of", "message": "Must be between 2000-01-01 and 2100-12-31"}]}
    field = next(k for k, v in inputs.items() if v == "9999-12-31")
    assert errors(bundle, name, inputs, as_of="2100-12-31") == [
        {"field": field, "message": "Must be between 2000-01-01 and 2100-12-31"}]


@pytest.mark.parametrize("name, inputs", [
    ("eligibility", {**ELIGIBILITY, "brand_relationship": "pending_owner", "trademark_filed_on": "2100-12-31"}),
    ("eligibility", {**ELIGIBILITY, "returned_on": "2100-12-31"}),
    ("delisting", {**DELISTING, "assessment_date": "2100-12-31"}), ("delisting", DELISTING), ("refund", REFUND),
    ("eligibility", ELIGIBILITY),
])
@pytest.mark.parametrize("as_of", ["2000-01-01", "2100-12-31"])
def test_the_edges_of_the_span_compute(bundle, name, inputs, as_of):
    """Both ends of the span give a result or a field error (dates after as-of), never a crash."""
    assert_answered(run(bundle, name, inputs, as_of))


@pytest.mark.parametrize("name, inputs", [
    ("refund", {**REFUND, "fee_paid_cny": 1e300, "exit_month": 3}),
    ("refund", {**REFUND, "fee_paid_cny": 10**400, "exit_month": 3}),
])
def test_no_300_digit_refund(bundle, name, inputs):
    assert errors(bundle, name, inputs) == [{"field": "fee_paid_cny", "message": "Must be at most 10,000,000"}]


def test_the_largest_fee_still_gives_a_readable_refund(bundle):
    result = run(bundle, "refund", {**REFUND, "fee_paid_cny": 10_000_000, "exit_month": 3}, "2026-11-22")
    assert result["amounts"]["refund_cny"] == pytest.approx(10_000_000 * 10 / 12, abs=0.01)


@pytest.mark.parametrize("relationship, brands, message", [
    ("registered_owner", 0, "Cannot be 0 with a brand relationship: enter 1 or more, or choose 'No brand'"),
    ("none", 5, "Cannot be 5 with no brand: leave it empty, or choose your relationship to the brand"),
])
def test_the_brand_count_agrees_with_the_relationship(bundle, relationship, brands, message):
    inputs = {**ELIGIBILITY, "brand_relationship": relationship, "brands_count": brands}
    assert errors(bundle, "eligibility", inputs) == [{"field": "brands_count", "message": message}]


@pytest.mark.parametrize("relationship, brands", [("none", None), ("none", 0), ("none", 1), ("registered_owner", 1),
                                                  ("registered_owner", 1000)])
def test_a_consistent_brand_count_is_accepted(bundle, relationship, brands):
    inputs = {**ELIGIBILITY, "brand_relationship": relationship, "brands_count": brands}
    assert not errors(bundle, "eligibility", inputs)


@pytest.mark.parametrize("name, unknown, message", [
    ("delisting", "sales", "Unknown input 'sales'; did you mean 'sales_365d_usd'?"),
    ("delisting", "store_opened", "Unknown input 'store_opened'; did you mean 'store_opened_on'?"),
    ("refund", "exit_mnth", "Unknown input 'exit_mnth'; did you mean 'exit_month'?"),
    ("refund", "colour", "Unknown input 'colour'; allowed: category, annual_sales_usd, service_level, "
                         "removed_for_violation, fee_paid_cny, exit_month, joined_month"),
])
def test_unknown_inputs_get_did_you_mean_or_the_allowed_names(bundle, name, unknown, message):
    base = {"refund": REFUND, "delisting": DELISTING}[name]
    assert errors(bundle, name, {**base, unknown: 1}) == [{"field": unknown, "message": message}]


def test_a_flood_of_unknown_names_is_summarised(bundle):
    found = errors(bundle, "refund", {**REFUND, **{f"x{i}": i for i in range(5000)}})
    assert len(found) == 21
    assert found[-1]["field"] == "(input)" and found[-1]["message"].startswith("4,980 more unknown inputs")


def test_a_name_given_twice_is_an_error_on_that_name(bundle_json):
    text = '{"category": "automotive", "annual_sales_usd": 15000, "annual_sales_usd": 1, "service_level": "good"}'
    answer = json.loads(run_json(bundle_json, "refund", text, '{"as_of": "2026-11-22"}'))
    assert answer == {"errors": [{"field": "annual_sales_usd", "message": "Given twice: give each input once"}]}


# ---------------------------------------------------------------------------------------------
# The command line: each named hostile input exits 2 (or 3) with JSON errors
# ---------------------------------------------------------------------------------------------


def cli(*args: str, stdin: bytes = b"") -> Ran:
    """`python -m calculators *args` in-process, stdin as bytes, stdout and stderr as bytes."""
    return run_cli(*args, stdin=stdin, cwd=ROOT, text=False)


def as_json(inputs: dict) -> bytes:
    return json.dumps(inputs).encode()


CLI_CASES = {  # label -> (calculator, stdin bytes, extra args, the error expected)
    "sales 1e308": ("refund", as_json({**REFUND, "annual_sales_usd": 1e308}), (),
                    {"field": "annual_sales_usd", "message": "Must be at most 1,000,000,000,000"}),
    "fee 1e308": ("refund", as_json({**REFUND, "fee_paid_cny": 1e308}), (),
                  {"field": "fee_paid_cny", "message": "Must be at most 10,000,000"}),
    "integer 10**400": ("delisting", as_json({**DELISTING, "active_listings": 10**400}), (),
                        {"field": "active_listings", "message": "Must be at most 10,000,000"}),
    "money 10**400": ("eligibility", as_json({**ELIGIBILITY, "annual_turnover_cny": 10**400}), (),
                      {"field": "annual_turnover_cny", "message": "Must be at most 1,000,000,000,000"}),
    "5,001-digit integer": ("refund", b'{"category": "automotive", "service_level": "good", "annual_sales_usd": '
                            + b"7" * 5001 + b"}", (),
                            {"field": "annual_sales_usd", "message": "Must be at most 1,000,000,000,000"}),
    "5,001-digit negative": ("refund", b'{"category": "automotive", "service_level": "good", "annual_sales_usd": -'
                             + b"7" * 5001 + b"}", (), {"field": "annual_sales_usd", "message": "Must not be negative"}),
    "1e999": ("refund", b'{"category": "automotive", "service_level": "good", "annual_sales_usd": 1e999}', (),
              {"field": "annual_sales_usd", "message": "Must be at most 1,000,000,000,000"}),
    "[ x 100000": ("refund", b"[" * 100_000, (),
                   {"field": "--input", "message": "Not valid input: nested too deeply (over 32 levels)"}),
    "as-of 9999-12-31, TM filed that day": (
        "eligibility", as_json({**ELIGIBILITY, "brand_relationship": "pending_owner",
                                "trademark_filed_on": "9999-12-31"}), ("--as-of", "9999-12-31"),
        {"field": "as_of", "message": "Must be between 2000-01-01 and 2100-12-31"}),
    "returned_on 9999-12-31": ("eligibility", as_json({**ELIGIBILITY, "returned_on": "9999-12-31"}), (),
                               {"field": "returned_on", "message": "Must be between 2000-01-01 and 2100-12-31"}),
    "assessment_date 9999-12-31": ("delisting", as_json({**DELISTING, "assessment_date": "9999-12-31"}), (),
                                   {"field": "assessment_date", "message": "Must be between 2000-01-01 and 2100-12-31"}),
    "1,5": ("refund", as_json({**REFUND, "annual_sales_usd": "1,5"}), (),
            {"field": "annual_sales_usd", "message": "'1,5' is not a number: use a point for decimals, like 1.5"}),
    "week date": ("delisting", as_json({**DELISTING, "store_opened_on": "2024-W09-4"}), (),
                  {"field": "store_opened_on", "message": "Not a real date: '2024-W09-4'; expected YYYY-MM-DD"}),
    "Arabic-Indic digits": ("refund", as_json({**REFUND, "annual_sales_usd": "١٥٠٠٠"}), (),
                            {"field": "annual_sales_usd",
                             "message": "'١٥٠٠٠' uses digits other than 0-9: enter a number, like 9000"}),
    "given twice": ("refund", b'{"category": "automotive", "annual_sales_usd": 1, "annual_sales_usd": 15000, '
                              b'"service_level": "good"}', (),
                    {"field": "annual_sales_usd", "message": "Given twice: give each input once"}),
    "unknown name": ("delisting", as_json({**DELISTING, "sales": 1}), (),
                     {"field": "sales", "message": "Unknown input 'sales'; did you mean 'sales_365d_usd'?"}),
    "not UTF-8 on stdin": ("refund", b'{"category": "\xff"}', (),
                           {"field": "--input", "message": "Not UTF-8 text: byte 0xff at offset 14"}),
    "over a million characters": ("refund", b" " * 1_000_001 + b"{}", (),
                                  {"field": "--input", "message": "The input is 1,000,003 characters; it may be at most 1,000,000"}),
}


@pytest.mark.parametrize("label", CLI_CASES)
def test_cli_refuses_hostile_input_with_exit_2_and_json_errors(label):
    name, stdin, args, expected = CLI_CASES[label]
    proc = cli("run", name, "--as-of", "2026-11-22", *args, stdin=stdin)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-2000:]
    assert proc.returncode == 2, proc.stdout
    assert json.loads(proc.stdout)["errors"] == [expected]


def test_cli_refuses_a_file_that_is_not_utf8(tmp_path):
    case = tmp_path / "latin1.json"
    case.write_bytes(json.dumps({**REFUND, "category": "café"}, ensure_ascii=False).encode("latin-1"))
    proc = cli("run", "refund", "--input", str(case))
    assert (proc.returncode, b"Traceback" in proc.stderr) == (2, False)
    [error] = json.loads(proc.stdout)["errors"]
    assert error["field"] == "--input" and error["message"].startswith("Not UTF-8 text: byte 0xe9")


def test_cli_accepts_a_utf8_byte_order_mark(tmp_path):
    case = tmp_path / "bom.json"
    case.write_bytes(b"\xef\xbb\xbf" + as_json(REFUND))
    proc = cli("run", "refund", "--input", str(case), "--as-of", "2026-11-22")
    assert proc.returncode == 0 and json.loads(proc.stdout)["verdict"] == "partial_refund"


@pytest.mark.parametrize("command", [("run", "refund"), ("list",)])
def test_unloadable_policies_exit_3_with_json_errors(command, tmp_path):
    proc = cli(*command, "--policies", str(tmp_path / "nonexistent"), stdin=as_json(REFUND))
    assert (proc.returncode, b"Traceback" in proc.stderr) == (3, False)
    assert json.loads(proc.stdout) == {"errors": [{"field": "--policies",
                                                   "message": f"{tmp_path / 'nonexistent'}:1:1: no such policy folder"}]}
