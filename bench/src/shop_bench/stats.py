"""Percentiles and rates of measured samples; pure functions, no I/O.

percentile([0.010, 0.012, 0.200], 99)   # -> seconds, interpolated
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The `pct` percentile (inclusive method), or None for no samples."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[max(0, min(98, round(pct) - 1))]


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def ms(seconds: float | None) -> float | None:
    """Seconds to milliseconds, keeping None."""
    return None if seconds is None else seconds * 1000.0


def rate(count: int, seconds: float) -> float | None:
    return count / seconds if seconds > 0 else None
