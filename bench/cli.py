"""CLI throughput: delisting results per second over 100,000 generated stores, in-process.

Baseline: one call timed alone (the median of single calls, each with a fresh input), so the
ratio shows what batching gains or loses against the per-call cost.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from calculators.api import run
from policy_loader import load_bundle

STORES = 100_000
AS_OF = dt.date(2026, 11, 22)


def generate_stores(bundle: dict, count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    categories = list(bundle["categories"])
    medals = list(bundle["terms"]["medal"])
    stores = []
    for _ in range(count):
        listings = rng.randrange(0, 4000)
        stores.append({
            "category": rng.choice(categories),
            "store_opened_on": (AS_OF - dt.timedelta(days=rng.randrange(0, 3000))).isoformat(),
            "sales_365d_usd": round(rng.uniform(0, 40_000), 2),
            "medal": rng.choice(medals),
            "active_listings": listings,
            "listings_no_shipment_180d": rng.randrange(0, listings + 1),
        })
    return stores


def measure(policies: str = "policies", count: int = STORES, single_calls: int = 200) -> dict:
    bundle = load_bundle(policies)
    stores = generate_stores(bundle, count)
    singles = []
    for store in stores[:single_calls]:
        start = time.perf_counter()
        run(bundle, "delisting", store, AS_OF)
        singles.append(time.perf_counter() - start)
    single = statistics.median(singles)
    start = time.perf_counter()
    verdicts: dict[str, int] = {}
    for store in stores:
        verdict = run(bundle, "delisting", store, AS_OF)["verdict"]
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    batch = time.perf_counter() - start
    per_call = batch / count
    return {
        "stores": count,
        "batch_seconds": batch,
        "results_per_second": count / batch,
        "single_call_seconds": single,
        "per_call_in_batch_seconds": per_call,
        "ratio_batch_per_call_to_single": per_call / single,
        "verdicts": verdicts,
    }
