"""Batch throughput and memory: `python -m calculators batch` against one call per store.

Three rates for the delisting calculator over the same synthetic stores (policy_review.population),
measured in one run so the machine's load is shared:
  single call   calculators.api.run per store, in-process (what a script looping over `run` gets);
  batch         BatchRunner.run per store, in-process (memoized rule resolution, one Policy);
  batch CLI     the whole command, CSV in and CSV out, in a fresh process (reading and writing included);
and, for scale, one `python -m calculators run` process per store (a shell loop), from a few calls.
Peak memory is the batch process's maximum resident size at 1e4 and 1e5 rows (1e6 with --big):
streaming means it should not grow with the row count. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from calculators.api import run
from batch.stores import BatchRunner
from calculators.registry import CALCULATORS
from policy_loader import load_bundle
from policy_review.population import write_csv

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
NAME = "delisting"
IN_PROCESS_ROWS = 20_000


def measure(big: bool = False, rows_in_process: int = IN_PROCESS_ROWS, cli_rows: tuple[int, ...] = (10_000, 100_000),
            calls: int = 5) -> dict:
    bundle = load_bundle(ROOT / "policies")
    fields = {f.name for f in CALCULATORS[NAME].inputs}
    figures: dict = {"calculator": NAME}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        stores = Path(tmp) / "stores.csv"
        with stores.open("w", encoding="utf-8", newline="") as stream:
            write_csv(bundle, rows_in_process, 11, stream)
        rows = [{k: v for k, v in row.items() if k in fields} for row in csv.DictReader(stores.open(encoding="utf-8"))]

        start = time.perf_counter()
        for row in rows:
            run(bundle, NAME, row, AS_OF)
        single = time.perf_counter() - start
        runner = BatchRunner(bundle, NAME, AS_OF)
        start = time.perf_counter()
        for row in rows:
            runner.run(row)
        batched = time.perf_counter() - start
        figures.update(rows=len(rows), single_per_second=len(rows) / single, batch_per_second=len(rows) / batched,
                       speedup=single / batched)

        start = time.perf_counter()
        for row in rows[:calls]:
            subprocess.run([sys.executable, "-m", "calculators", "run", NAME, "--as-of", AS_OF],
                           input=json.dumps(row), cwd=ROOT, capture_output=True, text=True, check=False)
        figures["process_per_store_per_second"] = calls / (time.perf_counter() - start)

        figures["cli"] = []
        for count in cli_rows + ((1_000_000,) if big else ()):
            path = Path(tmp) / f"stores-{count}.csv"
            with path.open("w", encoding="utf-8", newline="") as stream:
                write_csv(bundle, count, 11, stream)
            figures["cli"].append(_cli_run(path, count, Path(tmp) / "results.csv"))
    return figures


def _cli_run(stores: Path, count: int, output: Path) -> dict:
    """One fresh `batch` process: wall time and its peak resident memory (ru_maxrss of the child)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=False); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "calculators", "batch", NAME,
                           "--input", str(stores), "--as-of", AS_OF, "--output", str(output)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, max_rss_kib = proc.stdout.split()
    return {"rows": count, "seconds": float(seconds), "rows_per_second": count / float(seconds),
            "peak_rss_mib": int(max_rss_kib) / 1024}


def print_table(figures: dict) -> None:
    print(f"\nBatch ({figures['calculator']}, {figures['rows']:,} synthetic stores in-process)")
    print(f"  single call (api.run):          {figures['single_per_second']:>9,.0f} stores/s")
    print(f"  batch (memoized, in-process):   {figures['batch_per_second']:>9,.0f} stores/s "
          f"({figures['speedup']:.1f}x)")
    print(f"  one `run` process per store:    {figures['process_per_store_per_second']:>9,.1f} stores/s")
    for row in figures["cli"]:
        print(f"  batch CLI, {row['rows']:>9,} rows: {row['seconds']:7.1f} s, {row['rows_per_second']:>7,.0f} rows/s, "
              f"peak RSS {row['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    result = measure(big="--big" in sys.argv)
    print_table(result)
