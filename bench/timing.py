"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Run `action` `runs` times; the median wall time and every sample, in seconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def percentile(samples: list[float], fraction: float) -> float:
    """The `fraction` quantile (0.95 for p95), by nearest rank."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
