"""TOTP (RFC 6238) and HOTP (RFC 4226) codes through ``cryptography.hazmat.primitives.twofactor``
(``generators.hotp`` computes the same with the standard library for the CLI's one-shot path).

Parsing and building ``otpauth://`` URIs lives in ``vaultapp.core.otpauth`` (the vault validates
entries with it); it is re-exported here for callers that generate codes.
"""

from __future__ import annotations

import math
from typing import Final

from vaultapp.core.errors import UsageError
from vaultapp.core.otpauth import (
    ALGORITHMS,
    COUNTER_MAX,
    STEAM,
    OtpParams,
    build_uri,
    decode_secret,
    parse,
    parse_uri,
)
from vaultapp.core.otpsecret import TIME_MAX

__all__ = [
    "ALGORITHMS",
    "OtpParams",
    "build_uri",
    "check_unix_time",
    "code_now",
    "decode_secret",
    "hotp",
    "parse",
    "parse_uri",
    "remaining_seconds",
    "totp",
]


def check_unix_time(unix_time: float) -> int:
    """``unix_time`` as whole seconds, refusing times a one-time code cannot be computed for.

    Raises:
        UsageError: not a number (NaN), infinite, before 1970 or after the year 9999.
    """
    if not math.isfinite(unix_time):
        raise UsageError(f"The time must be a number of seconds since 1970, not {unix_time}.")
    if not 0 <= unix_time <= TIME_MAX:
        raise UsageError(
            f"The time must be 0 (1970-01-01) to {TIME_MAX} (year 9999) seconds since 1970, "
            f"not {unix_time:g}."
        )
    return int(unix_time)


def _algorithm(name: str):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import hashes

    if name == "SHA256":
        return hashes.SHA256()
    if name == "SHA512":
        return hashes.SHA512()
    return hashes.SHA1()  # noqa: S303 - RFC 4226/6238's default HMAC hash, not a digest


def hotp(params: OtpParams, counter: int | None = None) -> str:
    """The HOTP code for ``counter`` (default: the params' counter).

    Raises:
        UsageError: ``counter`` is negative or does not fit in 8 bytes.
    """
    from cryptography.hazmat.primitives.twofactor.hotp import HOTP

    if counter is not None and not 0 <= counter <= COUNTER_MAX:
        raise UsageError(f"The HOTP counter must be 0 to {COUNTER_MAX} (2^64 - 1).")
    engine = HOTP(params.secret, params.digits, _algorithm(params.algorithm), enforce_key_length=False)
    return engine.generate(params.counter if counter is None else counter).decode("ascii")


def totp(params: OtpParams, unix_time: float) -> str:
    """The TOTP code valid at ``unix_time``.

    Raises:
        UsageError: ``unix_time`` is not finite, before 1970 or after the year 9999.
    """
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    if params.encoder == STEAM:
        return _steam(params, check_unix_time(unix_time) // params.period)
    engine = TOTP(
        params.secret, params.digits, _algorithm(params.algorithm), params.period, enforce_key_length=False
    )
    return engine.generate(check_unix_time(unix_time)).decode("ascii")


STEAM_ALPHABET: Final = "23456789BCDFGHJKMNPQRTVWXY"


def _steam(params: OtpParams, counter: int) -> str:
    """A Steam Guard code: RFC 4226's dynamic truncation of HMAC-SHA1, written in base 26 over
    Steam's alphabet (5 characters, least significant first), as Steam and KeePassXC compute it."""
    import hashlib
    import hmac

    from vaultapp.generators.hotp import truncate

    value = truncate(hmac.new(params.secret, counter.to_bytes(8, "big"), hashlib.sha1).digest())
    chars = []
    for _ in range(params.digits):
        value, index = divmod(value, len(STEAM_ALPHABET))
        chars.append(STEAM_ALPHABET[index])
    return "".join(chars)


def remaining_seconds(params: OtpParams, unix_time: float) -> int:
    """Seconds until the TOTP code changes."""
    return params.period - check_unix_time(unix_time) % params.period


def code_now(params: OtpParams, unix_time: float) -> str:
    """TOTP at ``unix_time``, or HOTP at the stored counter."""
    return totp(params, unix_time) if params.kind == "totp" else hotp(params)
