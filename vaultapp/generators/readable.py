"""Readable passwords: no look-alike characters, optional dash-separated groups, or syllables.

Random mode draws uniformly from letters and digits without look-alikes; grouping only inserts
dashes at fixed places, so it changes no entropy. Pronounceable mode is a sequence of
consonant-vowel syllables, each uniform over all such syllables (the string determines the
syllables, so the entropy is exact), with an optional final digit.
"""

from __future__ import annotations

import string
from collections import namedtuple

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.entropy import bits
from vaultapp.generators.password import Generated

TYPE_CHECKING = False  # typing stays off the one-shot CLI path; annotations are not evaluated
if TYPE_CHECKING:
    from typing import Final

LOOKALIKES: Final = "0OoQD1lIi|5S2Z8B6G9gq"
ALPHABET: Final = "".join(c for c in string.ascii_letters + string.digits if c not in LOOKALIKES)
CONSONANTS: Final = "bcdfhjkmnprstvwxz"
VOWELS: Final = "aeu"  # no i/o: look-alikes of 1, l, 0
LENGTH_MIN: Final = 4
LENGTH_MAX: Final = 256


class ReadablePolicy(
    namedtuple(
        "_ReadableFields", "length group pronounceable syllables digit", defaults=(16, 4, False, 10, True)
    )
):
    """length (random mode, 16); group: a dash every N characters (4; 0 = none); pronounceable;
    syllables (10, pronounceable mode); digit: end with one digit (pronounceable mode)."""

    __slots__ = ()

    def check(self) -> None:
        if self.pronounceable:
            if not 2 <= self.syllables <= 64:
                raise UsageError(f"Syllables must be 2 to 64, not {self.syllables}.")
        elif not LENGTH_MIN <= self.length <= LENGTH_MAX:
            raise UsageError(f"Readable length must be {LENGTH_MIN} to {LENGTH_MAX}, not {self.length}.")
        if self.group < 0:
            raise UsageError("Group size cannot be negative.")

    def entropy_bits(self) -> float:
        if self.pronounceable:
            count = (len(CONSONANTS) * len(VOWELS)) ** self.syllables * (10 if self.digit else 1)
        else:
            count = len(ALPHABET) ** self.length
        return bits(count)


def _grouped(text: str, group: int) -> str:
    if group <= 0:
        return text
    return "-".join(text[i : i + group] for i in range(0, len(text), group))


def generate_readable(policy: ReadablePolicy | None = None, count: int = 1) -> list[Generated]:
    """Readable passwords per ``policy``."""
    policy = policy or ReadablePolicy()
    policy.check()
    entropy = policy.entropy_bits()
    if not policy.pronounceable:
        text = draw.chars(policy.length * count, ALPHABET)
        return [
            Generated(_grouped(text[i : i + policy.length], policy.group), entropy)
            for i in range(0, len(text), policy.length)
        ]
    syllables = [c + v for c in CONSONANTS for v in VOWELS]
    picks = draw.indices(policy.syllables * count, len(syllables))
    digits = draw.indices(count, 10) if policy.digit else [None] * count
    out = []
    for n in range(count):
        word = "".join(syllables[i] for i in picks[n * policy.syllables : (n + 1) * policy.syllables])
        digit = digits[n]
        out.append(Generated(_grouped(word, policy.group) + ("" if digit is None else str(digit)), entropy))
    return out
