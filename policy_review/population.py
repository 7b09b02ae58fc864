"""`python -m policy_review.population --rows N --seed S`: a SYNTHETIC store population, as CSV.

Every store is made up by a seeded random generator: no row describes a real seller, and the
proportions (categories, ages, sales, medals) are rough guesses chosen to exercise every verdict,
not statistics about any marketplace. Use it to see how many stores a policy change would move
(`python -m calculators diff OLD NEW --population stores.csv`) and to benchmark `batch`.

One row holds the inputs of all three calculators (eligibility, refund, delisting), so a single
file serves each of them; `batch` passes over the columns its calculator does not read. The same
seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from typing import IO, Iterator

from batch.stores import ID_COLUMN
from calculators.registry import CALCULATORS

AS_OF = dt.date(2026, 11, 22)  # store ages are counted back from here, so a seed gives one file forever


def columns() -> list[str]:
    """store_id, then every calculator's inputs (each once), in declaration order."""
    names = [ID_COLUMN]
    for calculator in CALCULATORS.values():
        names += [field.name for field in calculator.inputs if field.name not in names]
    return names


def stores(bundle: dict, rows: int, seed: int) -> Iterator[dict]:
    """`rows` synthetic stores, one at a time (constant memory for any size)."""
    rng = random.Random(seed)
    categories = sorted(bundle["categories"])
    terms = bundle["terms"]
    for number in range(1, rows + 1):
        category = rng.choice(categories)
        # Sales cluster around the thresholds (USD 5,000-20,000) so that changes to them show.
        sales = round(rng.lognormvariate(9.3, 0.8), 2)
        listings = rng.randrange(0, 4000)
        stores_total = rng.choice([0, 0, 0, 1, 2, 5])
        brand = rng.choice(sorted(terms["brand_relationship"]))
        # A pending trademark needs its filing date (the eligibility calculator asks for it).
        filed = (AS_OF - dt.timedelta(days=rng.randrange(1, 900))).isoformat() if brand == "pending_owner" else ""
        yield {
            ID_COLUMN: f"S{seed}-{number:07d}",
            "entity_type": rng.choices(["enterprise", "individual_business", "individual"], [85, 10, 5])[0],
            "alipay_enterprise_verified": rng.choice(["true", "true", "true", "false"]),
            "brand_relationship": brand,
            "trademark_filed_on": filed,
            "brands_count": rng.randint(1, 4),
            "category": category,
            "seller_type": rng.choice(sorted(terms["seller_type"])),
            "annual_turnover_cny": round(rng.lognormvariate(15.8, 1.2)),
            "stores_total": stores_total,
            "stores_in_category": min(stores_total, rng.choice([0, 0, 1])),
            "returned_on": "",
            "annual_sales_usd": round(sales * rng.uniform(0.8, 1.2), 2),
            "service_level": rng.choice(sorted(terms["service_level"])),
            "removed_for_violation": rng.choice(["false"] * 19 + ["true"]),
            "fee_paid_cny": "",
            "exit_month": "",
            "store_opened_on": (AS_OF - dt.timedelta(days=rng.randrange(0, 3000))).isoformat(),
            "sales_365d_usd": sales,
            "medal": rng.choice(sorted(terms["medal"])),
            "active_listings": listings,
            "listings_no_shipment_180d": rng.randrange(0, listings + 1),
            "assessment_date": "",
        }


def write_csv(bundle: dict, rows: int, seed: int, stream: IO[str]) -> None:
    names = columns()
    writer = csv.DictWriter(stream, fieldnames=names, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for store in stores(bundle, rows, seed):
        writer.writerow({name: store.get(name, "") for name in names})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy_review.population",
                                     description="Write a synthetic (made-up) store population as CSV.")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", default="-", help="a .csv file, or - for standard output")
    parser.add_argument("--policies", default="policies", help="the policy folder (for category and term ids)")
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must not be negative")
    from policy_contract.checks import load_checked_bundle
    from policy_loader import PolicyErrors

    try:
        bundle = load_checked_bundle(args.policies)
    except PolicyErrors as problems:
        print(problems, file=sys.stderr)
        return 1
    if args.output == "-":
        write_csv(bundle, args.rows, args.seed, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as stream:
            write_csv(bundle, args.rows, args.seed, stream)
    return 0


if __name__ == "__main__":
    sys.exit(main())
