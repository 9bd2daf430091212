"""Numeric codes: PINs and one-time verification codes of N digits, zero-padded, uniform."""

from __future__ import annotations

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.entropy import bits
from vaultapp.generators.password import Generated

TYPE_CHECKING = False  # typing stays off the one-shot CLI path; annotations are not evaluated
if TYPE_CHECKING:
    from typing import Final

DIGITS_MIN: Final = 3
DIGITS_MAX: Final = 64


def generate_codes(digits: int = 6, count: int = 1) -> list[Generated]:
    if not DIGITS_MIN <= digits <= DIGITS_MAX:
        raise UsageError(f"A numeric code has {DIGITS_MIN} to {DIGITS_MAX} digits, not {digits}.")
    text = draw.chars(digits * count, "0123456789")
    entropy = bits(10**digits)
    return [Generated(text[i : i + digits], entropy) for i in range(0, len(text), digits)]
