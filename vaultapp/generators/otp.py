"""TOTP codes (RFC 6238) from an otpauth:// URI or a base32 secret, via cryptography's twofactor.

The generator issue extends this module (HOTP, URI building, QR); the window uses it to show
and copy an entry's current code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

from vaultapp.core.errors import UsageError

ALGORITHMS: Final = ("SHA1", "SHA256", "SHA512")


@dataclass(frozen=True, slots=True)
class OtpParams:
    secret: bytes = field(repr=False)
    digits: int = 6
    period: int = 30
    algorithm: str = "SHA1"
    issuer: str = ""
    account: str = ""


def _b32(secret: str) -> bytes:
    compact = secret.replace(" ", "").replace("-", "").upper().rstrip("=")
    try:
        decoded = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except ValueError:
        raise UsageError("The TOTP secret is not valid base32 (letters A-Z and digits 2-7).") from None
    if not decoded:
        raise UsageError("The TOTP secret is empty.")
    return decoded


def parse(value: str) -> OtpParams:
    """An ``otpauth://totp/...`` URI or a bare base32 secret.

    Raises:
        UsageError: not a TOTP URI or secret, or parameters out of range.
    """
    text = value.strip()
    if not text.lower().startswith("otpauth://"):
        return OtpParams(_b32(text))
    parts = urlsplit(text)
    if parts.netloc.lower() != "totp":
        raise UsageError("Only time-based codes (otpauth://totp/...) can be shown here.")
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    label = unquote(parts.path.lstrip("/"))
    issuer, _, account = label.rpartition(":")
    try:
        digits = int(query.get("digits", "6"))
        period = int(query.get("period", "30"))
    except ValueError:
        raise UsageError("The otpauth URI has a digits or period value that is not a number.") from None
    algorithm = query.get("algorithm", "SHA1").upper()
    if algorithm not in ALGORITHMS or not 6 <= digits <= 8 or not 1 <= period <= 86400:
        raise UsageError("The otpauth URI asks for an algorithm, digits or period this app cannot use.")
    if "secret" not in query:
        raise UsageError("The otpauth URI has no secret= parameter.")
    return OtpParams(
        _b32(query["secret"]), digits, period, algorithm, query.get("issuer", issuer.strip()), account.strip()
    )


def totp(params: OtpParams, unix_time: float) -> str:
    """The code valid at ``unix_time``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    algorithm: hashes.SHA1 | hashes.SHA256 | hashes.SHA512
    if params.algorithm == "SHA256":
        algorithm = hashes.SHA256()
    elif params.algorithm == "SHA512":
        algorithm = hashes.SHA512()
    else:
        algorithm = hashes.SHA1()  # noqa: S303 - RFC 6238's default, used as an HMAC key, not a digest
    engine = TOTP(params.secret, params.digits, algorithm, params.period, enforce_key_length=False)
    return engine.generate(int(unix_time)).decode("ascii")


def remaining_seconds(params: OtpParams, unix_time: float) -> int:
    """Seconds until the code changes."""
    return params.period - int(unix_time) % params.period
