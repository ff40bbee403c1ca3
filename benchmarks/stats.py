"""The statistics of the benchmarks: medians, percentiles and paired ratios.

Pure functions, no HA: report.py pools the samples of several processes with them.
"""

from __future__ import annotations

import math
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


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
    ours: Sequence[float],
    base: Sequence[float],
    sizes: Sequence[int] = (),
    share: float = 0.99,
) -> float:
    """Return the ratio of the two sides' percentiles, taken process by process.

    `sizes`: how many consecutive pairs each process measured (default: all one
    process). The ratio is the median of the processes' own percentile ÷ percentile,
    so what one process's memory layout or a burst of load favours moves one
    process's ratio, not the result; one process gives the plain ratio.
    """
    _check_pairs(ours, base)
    sizes = list(sizes) or [len(ours)]
    if sum(sizes) != len(ours) or min(sizes) < 1:
        msg = "the processes' sizes must add up to the pairs"
        raise ValueError(msg)
    edges = [0, *accumulate(sizes)]
    return median(
        percentile(ours[low:high], share) / percentile(base[low:high], share)
        for low, high in pairwise(edges)
    )


def overheads(
    ours: Sequence[float], base: Sequence[float], bare: Sequence[float]
) -> tuple[float, float]:
    """Return what each side adds over `bare`: the median of the rounds' differences.

    ours[i], base[i] and bare[i] are measured in the same round, so the differences
    are paired: a slow spell of the machine during one round hits all three.
    """
    _check_pairs(ours, base)
    _check_pairs(ours, bare)
    return (
        median(o - b for o, b in zip(ours, bare, strict=True)),
        median(a - b for a, b in zip(base, bare, strict=True)),
    )


def overhead_ratio(
    ours: Sequence[float], base: Sequence[float], bare: Sequence[float]
) -> float:
    """Return our overhead over `bare` ÷ the baseline's (see `overheads`).

    A ratio of the two median differences, not the median of the rounds' own ratios:
    a round's ratio divides by a difference of two noisy values, so it swings wide
    (and loses its sign) whenever the baseline's overhead is small in that round,
    where the medians of the differences are steady. The baseline adding nothing
    over bare makes the ratio infinite (any overhead of ours is too much).
    """
    mine, theirs = overheads(ours, base, bare)
    if theirs <= 0:
        return math.inf
    return mine / theirs
