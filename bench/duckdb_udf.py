"""An integrator's millions of stores where their data lives: the calculators as a DuckDB Python UDF.

`python -m bench.duckdb_udf [--rows N]` writes N synthetic stores (policy_review.population) to a
CSV, then, in one run on the same machine:
  batch    `python -m calculators batch delisting` over the CSV, JSONL out (a fresh process);
  duckdb   DuckDB reads the same CSV and writes Parquet, the delisting answer computed per row by a
           Python scalar UDF around the same per-store function batch uses (BatchRunner.run);
and prints rows/s for each and their ratio. It asserts nothing about time.

duckdb is a benchmark dependency only (bench/requirements.lock, installed by `make bench`): the
calculators stay standard-library. The UDF is the whole integration: one pure function from a
row's inputs to the result JSON. bench/README.md says how the same function runs as a Spark UDF.
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch.stores import BatchRunner
from calculators.registry import CALCULATORS
from policy_loader import load_bundle
from policy_review.population import write_csv

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
NAME = "delisting"


def udf(bundle: dict, name: str = NAME, as_of: str = AS_OF):
    """The function DuckDB calls per row: the calculator's inputs in, the result as JSON text out."""
    runner = BatchRunner(bundle, name, as_of)
    fields = [field.name for field in CALCULATORS[name].inputs]

    def answer(*values) -> str:
        inputs = {field: value for field, value in zip(fields, values) if value != ""}  # as batch: empty is absent
        return json.dumps(runner.run(inputs), ensure_ascii=False)

    # DuckDB counts a UDF's parameters from its signature: one per input.
    answer.__signature__ = inspect.Signature([inspect.Parameter(f, inspect.Parameter.POSITIONAL_ONLY) for f in fields])
    return answer, fields


def in_duckdb(bundle: dict, stores: Path, output: Path) -> tuple[int, int]:
    """Answer every store of the CSV `stores` in DuckDB, into the Parquet file `output`
    (store_id, result JSON); (rows written, rows with a result rather than errors)."""
    import duckdb

    answer, fields = udf(bundle)
    with duckdb.connect() as con:
        # Every column as text, as batch reads the CSV: the calculators' own reader types and checks them.
        con.create_function("delisting", answer, ["VARCHAR"] * len(fields), "VARCHAR")
        # An empty cell comes as NULL; DuckDB would answer NULL without calling the UDF, so it is passed as "".
        columns = ", ".join(f"coalesce({field}, '')" for field in fields)
        con.execute(f"COPY (SELECT store_id, delisting({columns}) AS result FROM read_csv('{stores}', all_varchar=true)) "
                    f"TO '{output}' (FORMAT parquet)")
        return con.execute(f"SELECT count(*), count(*) FILTER (WHERE result LIKE '%\"verdict\"%') "
                           f"FROM '{output}'").fetchone()


def measure(rows: int = 1_000_000, seed: int = 7, keep: Path | None = None) -> dict:
    """Both runs over the same `rows` stores; `keep`: a folder to leave the stores and both outputs in
    (stores.csv, batch.jsonl, duckdb.parquet), for a test to compare them store by store."""
    import duckdb

    bundle = load_bundle(ROOT / "policies")
    with tempfile.TemporaryDirectory(prefix="bench-duckdb-") as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        stores, out_batch, out_parquet = folder / "stores.csv", folder / "batch.jsonl", folder / "duckdb.parquet"
        with stores.open("w", encoding="utf-8", newline="") as stream:
            write_csv(bundle, rows, seed, stream)

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "calculators", "batch", NAME, "--input", str(stores), "--as-of", AS_OF,
                        "--output", str(out_batch)], check=True, cwd=ROOT, capture_output=True)
        batch_seconds = time.perf_counter() - start

        start = time.perf_counter()
        counted = in_duckdb(bundle, stores, out_parquet)
        duckdb_seconds = time.perf_counter() - start
        batch_rows = sum(1 for _ in out_batch.open(encoding="utf-8"))
    return {"rows": rows, "batch_rows_written": batch_rows, "duckdb_rows_written": counted[0],
            "duckdb_results": counted[1], "batch_per_second": rows / batch_seconds,
            "duckdb_per_second": rows / duckdb_seconds, "duckdb_to_batch": batch_seconds / duckdb_seconds,
            "duckdb_version": duckdb.__version__}


def print_table(figures: dict) -> None:
    print(f"\n{figures['rows']:,} synthetic stores, delisting as of {AS_OF} (duckdb {figures['duckdb_version']})")
    print(f"  batch (CSV -> JSONL, one process)   {figures['batch_per_second']:>10,.0f} rows/s")
    print(f"  DuckDB Python UDF (CSV -> Parquet)  {figures['duckdb_per_second']:>10,.0f} rows/s"
          f"   ({figures['duckdb_to_batch']:.2f}x batch)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.duckdb_udf")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="leave the stores and both outputs in this folder")
    args = parser.parse_args()
    print_table(measure(args.rows, keep=args.keep))


if __name__ == "__main__":
    main()
