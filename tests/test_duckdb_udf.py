"""The integrators' worked example at scale (bench/duckdb_udf.py): the calculators as a DuckDB UDF
give, store by store, the answers `python -m calculators batch` gives for the same CSV.

duckdb is the benchmarks' dependency (bench/requirements.lock); `make test` installs it too, so
this example cannot rot unseen.
"""

from __future__ import annotations

import json

import duckdb

from bench.duckdb_udf import NAME, AS_OF, in_duckdb
from policy_review.population import write_csv
from testsupport.cli import run_cli


def test_duckdb_answers_each_store_as_batch_does(bundle, tmp_path):
    stores, batch_out, parquet = tmp_path / "stores.csv", tmp_path / "batch.jsonl", tmp_path / "duck.parquet"
    with stores.open("w", encoding="utf-8", newline="") as stream:
        write_csv(bundle, 300, 5, stream)
    ran = run_cli("batch", NAME, "--input", str(stores), "--as-of", AS_OF, "--output", str(batch_out))
    assert ran.returncode == 0, ran.stderr
    batch = {r["store_id"]: r for r in map(json.loads, batch_out.read_text(encoding="utf-8").splitlines())}

    assert in_duckdb(bundle, stores, parquet) == (300, 300)
    with duckdb.connect() as con:
        duck = {store: json.loads(result) for store, result in con.execute(f"SELECT * FROM '{parquet}'").fetchall()}
    assert duck.keys() == batch.keys()
    verdicts = {r["verdict"] for r in duck.values()}
    assert len(verdicts) >= 3, verdicts  # the synthetic stores reach several verdicts, so the comparison means something
    for store, result in duck.items():
        assert (result["verdict"], result["amounts"]) == (batch[store]["verdict"], batch[store]["amounts"]), store
