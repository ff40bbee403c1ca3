"""The statistics of the benchmarks: medians, percentiles and paired ratios.

Pure functions, no HA: report.py pools the samples of several processes with them.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

TAIL_BLOCK = 400
"""Pairs per block of `tail_ratio` (p99 of 400 = the 4th largest of each side)."""


def median(values: Iterable[float]) -> float:
    """Return the median (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    if not ordered:
        msg = "the median of nothing"
        raise ValueError(msg)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Iterable[float], share: float) -> float:
    """Return the nearest-rank percentile, e.g. share=0.99 for p99."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _check_pairs(ours: Sequence[float], base: Sequence[float]) -> None:
    if len(ours) != len(base) or not ours:
        msg = "paired rounds need as many values on each side"
        raise ValueError(msg)


def paired_ratio(ours: Sequence[float], base: Sequence[float]) -> float:
    """Return the median of the rounds' ratios: ours[i] ÷ base[i], round by round."""
    _check_pairs(ours, base)
    return median(o / b for o, b in zip(ours, base, strict=True))


def tail_ratio(
    ours: Sequence[float], base: Sequence[float], share: float = 0.99
) -> float:
    """Return the ratio of the two sides' percentiles, robust to drift and bursts.

    The pairs are cut into blocks of TAIL_BLOCK consecutive rounds (the last one
    absorbing the rest); the ratio is the median of the blocks' percentile ÷
    percentile, so a burst of load from elsewhere that fills one block's tail moves
    one block, not the result.
    """
    _check_pairs(ours, base)
    count = max(1, len(ours) // TAIL_BLOCK)
    edges = [len(ours) * index // count for index in range(count + 1)]
    return median(
        percentile(ours[low:high], share) / percentile(base[low:high], share)
        for low, high in pairwise(edges)
    )
