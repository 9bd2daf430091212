"""Random passwords from character classes, uniform over every valid string.

A password must hold at least ``min_per_class`` characters of each chosen class. Drawing each
character uniformly from the whole alphabet and rejecting strings that miss a minimum makes every
valid string equally likely; the entropy is log2 of the exact count of valid strings.
"""

from __future__ import annotations

import math
import secrets
import string
from dataclasses import dataclass
from itertools import combinations, product
from typing import Final

from vaultapp.core.errors import UsageError

LOWER: Final = string.ascii_lowercase
UPPER: Final = string.ascii_uppercase
DIGITS: Final = string.digits
SYMBOLS: Final = "!#$%&()*+,-./:;<=>?@[]^_{|}~"
LOOKALIKES: Final = "0Oo1lI|"
LENGTH_MIN: Final = 4
LENGTH_MAX: Final = 1024


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated secret and the entropy of the space it was drawn from."""

    value: str
    entropy_bits: float

    def __repr__(self) -> str:
        return f"Generated(value=***, entropy_bits={self.entropy_bits:.1f})"


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    length: int = 20
    lower: bool = True
    upper: bool = True
    digits: bool = True
    symbols: bool = True
    symbol_set: str = SYMBOLS
    extra: str = ""
    exclude: str = ""
    exclude_lookalikes: bool = False
    min_per_class: int = 1

    def classes(self) -> tuple[list[str], str]:
        """The chosen classes (after exclusions) and the extra characters not in any class."""
        excluded = set(self.exclude) | (set(LOOKALIKES) if self.exclude_lookalikes else set())
        chosen = [
            chars
            for chars, on in (
                (LOWER, self.lower),
                (UPPER, self.upper),
                (DIGITS, self.digits),
                (self.symbol_set, self.symbols),
            )
            if on
        ]
        seen: set[str] = set()
        classes = []
        for chars in chosen:
            kept = "".join(dict.fromkeys(c for c in chars if c not in excluded and c not in seen))
            seen.update(kept)
            if kept:
                classes.append(kept)
        extra = "".join(dict.fromkeys(c for c in self.extra if c not in excluded and c not in seen))
        return classes, extra

    def check(self) -> None:
        """Raise UsageError (with the numbers) when no password can satisfy the policy."""
        if not LENGTH_MIN <= self.length <= LENGTH_MAX:
            raise UsageError(f"Password length must be {LENGTH_MIN} to {LENGTH_MAX}, not {self.length}.")
        if self.min_per_class < 0:
            raise UsageError("The minimum per character class cannot be negative.")
        classes, extra = self.classes()
        if not classes and not extra:
            raise UsageError("No characters left to choose from: turn on a class or allow more characters.")
        needed = self.min_per_class * len(classes)
        if needed > self.length:
            raise UsageError(
                f"Length {self.length} is too short for at least {self.min_per_class} of each of "
                f"{len(classes)} character classes ({needed} characters)."
            )


def count_valid(length: int, class_sizes: list[int], extra_size: int, minimum: int) -> int:
    """How many strings of ``length`` hold at least ``minimum`` of every class (inclusion-exclusion)."""
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


def generate_password(policy: PasswordPolicy | None = None) -> Generated:
    """A password drawn uniformly from all strings that satisfy ``policy``.

    Raises:
        UsageError: the policy cannot be satisfied.
    """
    policy = policy or PasswordPolicy()
    policy.check()
    classes, extra = policy.classes()
    alphabet = "".join(classes) + extra
    count = count_valid(policy.length, [len(c) for c in classes], len(extra), policy.min_per_class)
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(policy.length))
        if all(sum(ch in chars for ch in value) >= policy.min_per_class for chars in classes):
            return Generated(value, math.log2(count))
