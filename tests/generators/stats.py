"""A chi-square goodness-of-fit check with a fixed, very small false-alarm rate."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

Z_ONE_IN_A_MILLION = 4.753  # one-sided normal quantile for p = 1e-6


def chi_square_critical(df: int, z: float = Z_ONE_IN_A_MILLION) -> float:
    """Wilson-Hilferty approximation of the chi-square quantile."""
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def assert_uniform(samples: Iterable[object], support: Sequence[object]) -> None:
    """Every value of ``support`` occurs, nothing else does, and counts fit uniformity."""
    counts = Counter(samples)
    assert set(counts) <= set(support), set(counts) - set(support)
    n = sum(counts.values())
    expected = n / len(support)
    statistic = sum((counts.get(value, 0) - expected) ** 2 / expected for value in support)
    assert statistic < chi_square_critical(len(support) - 1), statistic
