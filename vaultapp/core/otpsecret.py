"""Base32 one-time-code secrets and the bounds of a code's parameters, with the standard library
only: ``otpauth`` (URIs, ``OtpParams``) builds on these, and the CLI's one-shot ``totp --secret``
imports them without the rest of it."""

from __future__ import annotations

import base64
import binascii

from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing stays off the one-shot CLI path; annotations are not evaluated
if TYPE_CHECKING:
    from typing import Final

ALGORITHMS: Final[tuple[str, ...]] = ("SHA1", "SHA256", "SHA512")
DIGITS: Final = range(6, 9)
PERIOD_MAX: Final = 86_400
SECRET_BYTES_MIN: Final = 10  # 80 bits: the shortest secret sites commonly issue
COUNTER_MAX: Final = 2**64 - 1  # RFC 4226: the counter is an 8-byte value
TIME_MAX: Final = 253_402_300_799  # 9999-12-31 23:59:59 UTC, the last second a datetime can show


def decode_secret(text: str) -> bytes:
    """Base32, any case, with or without ``=`` padding, spaces or dashes.

    Raises:
        UsageError: not base32.
    """
    compact = "".join(text.split()).replace("-", "").upper().rstrip("=")
    if not compact:
        raise UsageError("The one-time code secret is empty.")
    try:
        return base64.b32decode(compact + "=" * (-len(compact) % 8))
    except (binascii.Error, ValueError):
        raise UsageError(
            "The one-time code secret is not valid base32 (letters A-Z and digits 2-7); check for typos."
        ) from None
