"""Random passwords from character classes, uniform over every valid string.

A password must hold at least ``min_per_class`` characters of each chosen class. Characters
are drawn uniformly from the whole alphabet and strings that miss a minimum are rejected, which
makes every valid string equally likely; the entropy is log2 of the exact count of valid
strings (inclusion-exclusion), not length x log2(alphabet).
"""

from __future__ import annotations

import string
from collections import namedtuple

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.entropy import bits, count_with_minimums

TYPE_CHECKING = False  # typing stays off the one-shot CLI path; annotations are not evaluated
if TYPE_CHECKING:
    from typing import Final

LOWER: Final = string.ascii_lowercase
UPPER: Final = string.ascii_uppercase
DIGITS: Final = string.digits
SYMBOLS: Final = "!#$%&()*+,-./:;<=>?@[]^_{|}~"
LOOKALIKES: Final = "0Oo1lI|"
LENGTH_MIN: Final = 4
LENGTH_MAX: Final = 1024


class Generated:
    """A generated secret and the entropy of the space it was drawn from (repr hides the value)."""

    __slots__ = ("entropy_bits", "value")

    def __init__(self, value: str, entropy_bits: float) -> None:
        self.value = value
        self.entropy_bits = entropy_bits

    def __repr__(self) -> str:
        return f"Generated(value=***, entropy_bits={self.entropy_bits:.1f})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Generated) and (self.value, self.entropy_bits) == (
            other.value,
            other.entropy_bits,
        )

    def __hash__(self) -> int:
        return hash((self.value, self.entropy_bits))


# Policies are immutable named tuples (``policy._replace(length=24)``): dataclasses would cost a
# one-shot ``vaultapp-cli generate`` more start-up time than the whole generation.
_PasswordFields = namedtuple(
    "_PasswordFields",
    "length lower upper digits symbols symbol_set extra exclude exclude_lookalikes min_per_class",
    defaults=(20, True, True, True, True, SYMBOLS, "", "", False, 1),
)


class PasswordPolicy(_PasswordFields):
    """length 4-1024 (20); lower/upper/digits/symbols on; symbol_set; extra and excluded
    characters; exclude_lookalikes; min_per_class (1)."""

    __slots__ = ()

    def classes(self) -> tuple[list[str], str]:
        """The chosen classes (after exclusions, no repeats) and extra characters in no class."""
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

    def entropy_bits(self) -> float:
        classes, extra = self.classes()
        return bits(
            count_with_minimums(self.length, [len(c) for c in classes], len(extra), self.min_per_class)
        )


def count_valid(length: int, class_sizes: list[int], extra_size: int, minimum: int) -> int:
    """Kept for callers of the first version; see ``entropy.count_with_minimums``."""
    return count_with_minimums(length, class_sizes, extra_size, minimum)


def generate_passwords(policy: PasswordPolicy | None, count: int) -> list[Generated]:
    """``count`` passwords, each drawn uniformly from all strings that satisfy ``policy``.

    Raises:
        UsageError: the policy cannot be satisfied.
    """
    policy = policy or PasswordPolicy()
    policy.check()
    classes, extra = policy.classes()
    alphabet = "".join(classes) + extra
    entropy = policy.entropy_bits()
    length, minimum = policy.length, policy.min_per_class
    # Tag every character with its class ("0", "1", ...; extra characters stay as "x") so one
    # translate per batch tells which classes each password holds.
    tags = {ord(c): str(i) for i, cls in enumerate(classes) for c in cls} | {ord(c): "x" for c in extra}
    wanted = [str(i) for i in range(len(classes))] if minimum > 0 else []
    required = set(wanted)
    out: list[Generated] = []
    while len(out) < count:
        batch = max(8, (count - len(out)) * 5 // 4)
        text = draw.chars(batch * length, alphabet)
        tagged = text.translate(tags)
        for start in range(0, batch * length, length):
            tag = tagged[start : start + length]
            if minimum == 1:
                if not required.issubset(tag):
                    continue
            elif minimum > 1 and any(tag.count(t) < minimum for t in wanted):
                continue
            out.append(Generated(text[start : start + length], entropy))
            if len(out) == count:
                break
    return out


def generate_password(policy: PasswordPolicy | None = None) -> Generated:
    """One password drawn uniformly from all strings that satisfy ``policy``."""
    return generate_passwords(policy, 1)[0]
