"""TOTP (RFC 6238) and HOTP (RFC 4226) codes through ``cryptography.hazmat.primitives.twofactor``.

Parsing and building ``otpauth://`` URIs lives in ``vaultapp.core.otpauth`` (the vault validates
entries with it); it is re-exported here for callers that generate codes.
"""

from __future__ import annotations

from vaultapp.core.otpauth import (
    ALGORITHMS,
    OtpParams,
    build_uri,
    decode_secret,
    parse,
    parse_uri,
)

__all__ = [
    "ALGORITHMS",
    "OtpParams",
    "build_uri",
    "code_now",
    "decode_secret",
    "hotp",
    "parse",
    "parse_uri",
    "remaining_seconds",
    "totp",
]


def _algorithm(name: str):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import hashes

    if name == "SHA256":
        return hashes.SHA256()
    if name == "SHA512":
        return hashes.SHA512()
    return hashes.SHA1()  # noqa: S303 - RFC 4226/6238's default HMAC hash, not a digest


def hotp(params: OtpParams, counter: int | None = None) -> str:
    """The HOTP code for ``counter`` (default: the params' counter)."""
    from cryptography.hazmat.primitives.twofactor.hotp import HOTP

    engine = HOTP(params.secret, params.digits, _algorithm(params.algorithm), enforce_key_length=False)
    return engine.generate(params.counter if counter is None else counter).decode("ascii")


def totp(params: OtpParams, unix_time: float) -> str:
    """The TOTP code valid at ``unix_time``."""
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    engine = TOTP(
        params.secret, params.digits, _algorithm(params.algorithm), params.period, enforce_key_length=False
    )
    return engine.generate(int(unix_time)).decode("ascii")


def remaining_seconds(params: OtpParams, unix_time: float) -> int:
    """Seconds until the TOTP code changes."""
    return params.period - int(unix_time) % params.period


def code_now(params: OtpParams, unix_time: float) -> str:
    """TOTP at ``unix_time``, or HOTP at the stored counter."""
    return totp(params, unix_time) if params.kind == "totp" else hotp(params)
