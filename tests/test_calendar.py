"""A result's key dates (`dates`) and the iCalendar file made from them (issue 25 §4).

The file is read back with the `icalendar` package, a parser we did not write (a test-only
dependency: the calculators stay standard-library), from `run … --format ics` as a script runs it.
"""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

from calculators.api import run
from testsupport.cli import run_cli

AS_OF = "2026-12-07"
RETURNED_TOY_STORE = {"category": "toys-hobbies", "store_opened_on": "2023-01-01", "sales_365d_usd": 9000,
                      "medal": "none", "active_listings": 40, "listings_no_shipment_180d": 0}


def ics(tmp_path, name: str, inputs: dict, *more: str):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(inputs), encoding="utf-8")
    return run_cli("run", name, "--input", str(case), "--as-of", AS_OF, "--format", "ics", *more, text=False)


def events(data: bytes) -> dict[str, dt.date]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["SUMMARY"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}


def test_a_returned_store_s_calendar_holds_its_assessment_window_and_rejoin_day(tmp_path):
    ran = ics(tmp_path, "delisting", RETURNED_TOY_STORE)
    assert ran.returncode == 0, ran.stdout
    assert events(ran.stdout) == {
        "First day of the sales counted for the 14 February 2027 assessment": dt.date(2026, 2, 14),
        "Last day of the sales counted for the 14 February 2027 assessment": dt.date(2027, 2, 13),
        "Annual sales assessment (Toys & hobbies)": dt.date(2027, 2, 14),
        "Earliest day to rejoin": dt.date(2027, 5, 15),
    }


def test_the_file_is_rfc_5545_text_stamped_with_the_as_of_day_not_the_clock(tmp_path):
    data = ics(tmp_path, "delisting", RETURNED_TOY_STORE, "--lang", "zh").stdout
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2:] == [b"END:VCALENDAR", b""]
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF, none in a bare LF
    assert max(len(line) for line in lines) <= 75  # octets, folded (the Chinese titles are long)
    calendar = icalendar.Calendar.from_ical(data)
    assert all(event["DTSTART"].params.get("VALUE") == "DATE" for event in calendar.walk("VEVENT"))
    assert {event.decoded("DTSTAMP") for event in calendar.walk("VEVENT")} == \
        {dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)}
    assert len({str(event["UID"]) for event in calendar.walk("VEVENT")}) == 4
    assert "年度销售额考核（玩具）" in {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert ics(tmp_path, "delisting", RETURNED_TOY_STORE, "--lang", "zh").stdout == data  # the same answer, the same file


def test_escaped_and_folded_titles_come_back_whole(tmp_path, bundle):
    from calculators.ics import calendar_text

    long = "临时措施最后一天：" + "新入驻商家的贷款利息折扣，" * 6  # 3 octets a character: folded mid-title
    result = {"calculator": "refund", "as_of": AS_OF,
              "dates": [{"on": "2026-12-31", "kind": "trade_through", "title": "Trade, then; rest \\ done\nok"},
                        {"on": "2027-01-01", "kind": "temporary_measure_end", "title": long}]}
    text = calendar_text(result, "x").encode()
    assert max(len(line) for line in text.split(b"\r\n")) <= 75
    assert events(text) == {"Trade, then; rest \\ done\nok": dt.date(2026, 12, 31), long: dt.date(2027, 1, 1)}


def test_the_refund_s_key_date_is_the_year_end_to_trade_through(tmp_path):
    ran = ics(tmp_path, "refund", {"category": "toys-hobbies", "annual_sales_usd": 20000, "service_level": "good"})
    assert events(ran.stdout) == {"Trade through this day for the annual fee refund": dt.date(2026, 12, 31)}


def test_a_pending_trademark_s_last_day_and_a_rejoin_lock_are_eligibility_s_dates(bundle):
    seller = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "pending_owner",
              "trademark_filed_on": "2026-08-31", "category": "toys-hobbies", "seller_type": "brand",
              "annual_turnover_cny": 1000000, "returned_on": "2026-11-01"}
    result = run(bundle, "eligibility", seller, AS_OF)
    assert [(d["on"], d["kind"]) for d in result["dates"]] == [("2027-01-30", "rejoin_earliest"),
                                                               ("2027-02-28", "trademark_last_day")]
    too_old = run(bundle, "eligibility", {**seller, "trademark_filed_on": "2026-05-01"}, AS_OF)
    assert "trademark_last_day" not in {d["kind"] for d in too_old["dates"]}  # no longer accepted: nothing to keep


def test_a_temporary_measure_that_applies_adds_its_last_day(bundle):
    # The 2020 loan-interest discount applies to eligibility from 3 to 29 February 2020.
    seller = {"entity_type": "enterprise", "alipay_enterprise_verified": True, "brand_relationship": "registered_owner",
              "category": "toys-hobbies", "seller_type": "brand", "annual_turnover_cny": 1000000}
    inside = run(bundle, "eligibility", seller, "2020-02-20")
    assert [(d["on"], d["kind"], d["title"]) for d in inside["dates"]] == [
        ("2020-02-29", "temporary_measure_end",
         "Last day of a temporary measure: Loan-interest discount for new merchants")]
    assert run(bundle, "eligibility", seller, "2020-03-01")["dates"] == []  # over: no longer applies


@pytest.mark.parametrize("inputs", ["{}", '{"category": "toys-hobbies", "sales_365d_usd": "9,000"}'])
def test_bad_input_with_format_ics_is_still_json_errors_and_exit_2(tmp_path, inputs):
    case = tmp_path / "case.json"
    case.write_text(inputs, encoding="utf-8")
    ran = run_cli("run", "delisting", "--input", str(case), "--format", "ics")
    assert ran.returncode == 2
    assert json.loads(ran.stdout)["errors"] and "Traceback" not in ran.stderr
