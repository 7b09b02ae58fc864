"""The benchmarks still run: each part at its smallest size (bench/__main__.py SMALLEST), through
`python -m bench`'s own entry point, printing its table and writing its figures.

They are not tests of speed: these figures mean nothing at this size. They keep the bench from
rotting unseen: the bench builds scaled policies, which must pass the same check as the real ones.
"""

from __future__ import annotations

import json

import pytest

from bench.__main__ import main

pytestmark = pytest.mark.bench


def run_smallest(part: str, tmp_path, capsys) -> tuple[dict, str]:
    output = tmp_path / "figures.json"
    main(["--only", part, "--smallest", "--output", str(output)])
    return json.loads(output.read_text(encoding="utf-8"))[part], capsys.readouterr().out


def test_the_cli_bench_counts_a_verdict_for_every_store(tmp_path, capsys):
    figures, printed = run_smallest("cli", tmp_path, capsys)
    assert sum(figures["verdicts"].values()) == figures["stores"] == 20
    assert "20 stores in" in printed


def test_the_batch_bench_runs_the_batch_command_and_measures_its_memory(tmp_path, capsys):
    figures, printed = run_smallest("batch", tmp_path, capsys)
    assert figures["rows"] == 20
    assert [row["rows"] for row in figures["cli"]] == [20]
    assert figures["cli"][0]["peak_rss_mib"] > 0
    assert "batch CLI" in printed


def test_the_build_bench_builds_the_site_with_its_categories_multiplied(bundle, tmp_path, capsys):
    (row,), printed = run_smallest("build", tmp_path, capsys)
    assert row["categories"] == 2 * len(bundle["categories"])
    assert row["pages"] > 1 and row["plain_build_seconds"] > 0
    assert "2x" in printed


@pytest.mark.browser
def test_the_browser_bench_times_every_page_and_counts_the_bytes(tmp_path, capsys):
    figures, printed = run_smallest("browser", tmp_path, capsys)
    assert set(figures["first_result_ms"]) == {f"{page} localhost {visit}" for page in ("calculator", "bare worker", "js worker")
                                               for visit in ("cold", "warm")}
    assert figures["recalculation_ms"]["calculator"]["changes"] == 2
    assert figures["bytes"]["plain page"]["pyodide_requests"] == 0
    assert "Time to first result" in printed
