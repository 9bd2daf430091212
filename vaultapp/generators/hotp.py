"""HOTP (RFC 4226) and TOTP (RFC 6238) codes with the standard library's ``hmac``: the HMAC of
the 8-byte counter, RFC 4226's dynamic truncation, the last ``digits`` decimal digits. The CLI's
one-shot ``totp --secret`` computes with this (it starts without importing cryptography);
``generators.otp`` computes the same codes through ``cryptography`` for everything else, and the
tests check both against the RFCs' vectors and against each other."""

from __future__ import annotations

import hashlib
import hmac

_HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def truncate(mac: bytes) -> int:
    """RFC 4226 §5.3: 31 bits from the offset the last nibble names."""
    offset = mac[-1] & 0x0F
    return int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF


def hotp_code(secret: bytes, counter: int, digits: int = 6, algorithm: str = "SHA1") -> str:
    """The code for ``counter`` (0 to 2^64 - 1); ``algorithm`` SHA1, SHA256 or SHA512."""
    mac = hmac.new(secret, counter.to_bytes(8, "big"), _HASHES[algorithm]).digest()
    return str(truncate(mac) % 10**digits).zfill(digits)


def totp_code(
    secret: bytes, unix_time: int, digits: int = 6, period: int = 30, algorithm: str = "SHA1"
) -> str:
    """The code valid at ``unix_time`` (whole seconds since 1970, not negative)."""
    return hotp_code(secret, unix_time // period, digits, algorithm)
