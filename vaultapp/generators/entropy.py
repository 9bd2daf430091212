"""Exact entropy: log2 of the number of equally likely outputs, counted, not estimated."""

from __future__ import annotations

import math
from itertools import combinations, product


def bits(count: int) -> float:
    """log2 of a (possibly huge) count, exact enough for display."""
    if count <= 0:
        return 0.0
    if count < 1 << 1000:
        return math.log2(count)
    shift = count.bit_length() - 64
    return math.log2(count >> shift) + shift


def count_with_minimums(length: int, class_sizes: list[int], extra_size: int, minimum: int) -> int:
    """Strings of ``length`` over disjoint classes (+ extra chars) with at least ``minimum`` of
    every class, by inclusion-exclusion over the classes that fall short."""
    alphabet = sum(class_sizes) + extra_size
    total = 0
    for size in range(len(class_sizes) + 1):
        for subset in combinations(class_sizes, size):
            rest = alphabet - sum(subset)
            term = 0
            for counts in product(range(minimum), repeat=size):
                used = sum(counts)
                if used > length:
                    continue
                ways = math.factorial(length) // math.factorial(length - used)
                for count, class_size in zip(counts, subset, strict=True):
                    ways = ways // math.factorial(count) * class_size**count
                term += ways * rest ** (length - used)
            total += -term if size % 2 else term
    return total


def count_with_required_sets(length: int, alphabet: str, required: list[frozenset[str]]) -> int:
    """Strings of ``length`` over ``alphabet`` that contain at least one character of every
    required set (the sets may overlap), by inclusion-exclusion."""
    chars = set(alphabet)
    total = 0
    for size in range(len(required) + 1):
        for subset in combinations(required, size):
            banned = set().union(*subset) & chars if subset else set()
            term = (len(chars) - len(banned)) ** length
            total += -term if size % 2 else term
    return total
