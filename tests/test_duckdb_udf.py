"""The integrators' worked example at scale (bench/duckdb_udf.py, run as the bench runs it): the
calculators as a DuckDB UDF give, store by store, the answers `python -m calculators batch` gives
for the same CSV.

duckdb is the benchmarks' dependency (bench/requirements.lock), which `make test` installs too;
marked `bench`, so `make test-fast` leaves it out with the bench's own smoke test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from testsupport.checkout import ROOT

pytestmark = pytest.mark.bench


def test_duckdb_answers_each_store_as_batch_does(tmp_path):
    import duckdb  # the bench's dependency: imported here, so collecting this file never needs it

    ran = subprocess.run([sys.executable, "-m", "bench.duckdb_udf", "--rows", "300", "--keep", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert "rows/s" in ran.stdout
    batch = {r["store_id"]: r for r in map(json.loads, (tmp_path / "batch.jsonl").read_text(encoding="utf-8").splitlines())}
    with duckdb.connect() as con:
        duck = {store: json.loads(result)
                for store, result in con.execute(f"SELECT * FROM '{tmp_path / 'duckdb.parquet'}'").fetchall()}
    assert len(duck) == 300 and duck.keys() == batch.keys()
    verdicts = {r["verdict"] for r in duck.values()}
    assert len(verdicts) >= 3, verdicts  # the synthetic stores reach several verdicts, so the comparison means something
    for store, result in duck.items():
        assert (result["verdict"], result["amounts"]) == (batch[store]["verdict"], batch[store]["amounts"]), store
