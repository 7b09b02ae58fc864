"""`python -m bench [--only NAME ...] [--smallest]`: run the benchmarks, print a table, write bench/results/latest.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SUITES = ("cli", "batch", "duckdb", "build", "browser")
# Each part at its smallest size: every step runs and every table prints, in seconds rather than
# minutes, so that a test can run the bench on every change (tests/test_bench.py) and it cannot rot.
# The figures mean nothing at this size.
SMALLEST = {
    "cli": {"count": 20, "single_calls": 2},
    "batch": {"rows_in_process": 20, "cli_rows": (20,), "calls": 1},
    "duckdb": {"rows": 200},
    "build": {"runs": 1, "scales": (2,), "share_build_cache": True},  # 2: the scaling code runs too
    "browser": {"runs": 1, "lines": ("localhost",), "changes": 2, "pause_ms": 0},
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", nargs="*", choices=SUITES, default=list(SUITES))
    parser.add_argument("--runs", type=int, default=5, help="runs per browser figure (medians)")
    parser.add_argument("--smallest", action="store_true", help="each part at its smallest size (a smoke test)")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    sizes = SMALLEST if args.smallest else {"browser": {"runs": args.runs}}
    figures: dict = {"measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    if "cli" in args.only:
        from bench import cli

        figures["cli"] = cli.measure(**sizes.get("cli", {}))
        _print_cli(figures["cli"])
    if "batch" in args.only:
        from bench import batch

        figures["batch"] = batch.measure(**sizes.get("batch", {}))
        batch.print_table(figures["batch"])
    if "duckdb" in args.only:
        from bench import duckdb_udf

        figures["duckdb"] = duckdb_udf.measure(**sizes.get("duckdb", {}))
        duckdb_udf.print_table(figures["duckdb"])
    if "build" in args.only:
        from bench import build

        figures["build"] = build.measure(**sizes.get("build", {}))
        _print_build(figures["build"])
    if "browser" in args.only:
        from bench import browser

        figures["browser"] = browser.measure(**sizes.get("browser", {}))
        browser.print_table(figures["browser"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")


def _print_cli(row: dict) -> None:
    print("\nCLI throughput (delisting, in-process)")
    print(f"  {row['stores']:,} stores in {row['batch_seconds']:.2f} s: {row['results_per_second']:,.0f} results/s")
    print(f"  one call alone: {row['single_call_seconds'] * 1e6:.0f} µs; per call in the batch: "
          f"{row['per_call_in_batch_seconds'] * 1e6:.0f} µs (ratio {row['ratio_batch_per_call_to_single']:.2f})")


def _print_build(rows: list[dict]) -> None:
    print("\nBuild time (median of fresh-process builds)")
    print(f"  {'scale':>5} {'categories':>10} {'pages':>5} {'site s':>7} {'plain s':>7} {'ratio':>6} {'vs 1x':>6}")
    first = rows[0]["build_seconds"]
    for row in rows:
        print(f"  {row['scale']:>4}x {row['categories']:>10} {row['pages']:>5} {row['build_seconds']:>7.2f} "
              f"{row['plain_build_seconds']:>7.2f} {row['ratio']:>6.2f} {row['build_seconds'] / first:>6.2f}")


if __name__ == "__main__":
    main()
