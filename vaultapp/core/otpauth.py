"""``otpauth://`` URIs (the Key Uri Format authenticator apps use) and base32 secrets.

The one place that decides whether an entry's one-time-code field is usable; the vault checks
it on every add and edit, and ``vaultapp.generators.otp`` computes codes from it. Secrets of the
lengths sites really issue are accepted, including the common 16-character (80-bit) ones some
libraries refuse; base32 is case-insensitive, with or without padding, spaces and dashes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from vaultapp.core.errors import UsageError
from vaultapp.core.otpsecret import (
    ALGORITHMS,
    COUNTER_MAX,
    DIGITS,
    PERIOD_MAX,
    SECRET_BYTES_MIN,
    decode_secret,
)

# The bounds and base32 live in ``otpsecret`` (the one-shot CLI path imports only that); named here too.
__all__ = ["ALGORITHMS", "COUNTER_MAX", "DIGITS", "PERIOD_MAX", "SECRET_BYTES_MIN", "STEAM", "STEAM_DIGITS",
           "Algorithm", "OtpParams", "build_uri", "decode_secret", "parse", "parse_uri"]  # fmt: skip

Algorithm = Literal["SHA1", "SHA256", "SHA512"]
# Steam Guard codes: TOTP (SHA1, 30 s) written as 5 characters of this alphabet instead of
# digits; KeePassXC marks them ``encoder=steam`` in the URI (and ``S`` in "TOTP Settings").
STEAM: Final = "steam"
STEAM_DIGITS: Final = 5


@dataclass(frozen=True, slots=True)
class OtpParams:
    secret: bytes = field(repr=False)
    kind: Literal["totp", "hotp"] = "totp"
    digits: int = 6
    period: int = 30
    algorithm: str = "SHA1"
    counter: int = 0
    issuer: str = ""
    account: str = ""
    encoder: str = ""  # "" (digits) or STEAM

    def __post_init__(self) -> None:
        if self.encoder not in ("", STEAM):
            raise UsageError(f"The only code encoder known is 'steam', not {self.encoder!r}.")
        if self.encoder == STEAM:
            if self.digits != STEAM_DIGITS or self.kind != "totp":
                raise UsageError("Steam codes are time-based (TOTP) with 5 characters.")
        elif self.digits not in DIGITS:
            raise UsageError(f"One-time codes have 6 to 8 digits, not {self.digits}.")
        if not 1 <= self.period <= PERIOD_MAX:
            raise UsageError(f"The code period must be 1 to {PERIOD_MAX} seconds, not {self.period}.")
        if self.algorithm not in ALGORITHMS:
            raise UsageError(f"The algorithm is SHA1, SHA256 or SHA512, not {self.algorithm!r}.")
        if not 0 <= self.counter <= COUNTER_MAX:
            raise UsageError(f"The HOTP counter must be 0 to {COUNTER_MAX} (2^64 - 1), not a larger number.")
        if len(self.secret) < SECRET_BYTES_MIN:
            raise UsageError(
                f"The secret is {len(self.secret) * 8} bits; one-time code secrets have at least 80 "
                "(16 base32 characters). Copy the whole secret again."
            )

    @property
    def secret_base32(self) -> str:
        return base64.b32encode(self.secret).decode("ascii").rstrip("=")


def parse_uri(uri: str) -> OtpParams:
    """``otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=...&digits=...&period=...``
    (or ``otpauth://hotp/...&counter=N``).

    Raises:
        UsageError: not an otpauth URI, no secret, or a parameter out of range.
    """
    text = uri.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() != "otpauth":
        raise UsageError("Not an otpauth:// URI; paste the whole URI or just the secret.")
    kind = parts.netloc.lower()
    if kind not in ("totp", "hotp"):
        raise UsageError(f"otpauth URIs are totp or hotp, not {parts.netloc!r}.")
    query: dict[str, str] = {}
    for key, values in parse_qs(parts.query, keep_blank_values=True).items():
        if len(values) != 1:
            raise UsageError(f"The otpauth URI gives {key!r} more than once.")
        query[key.lower()] = values[0]
    if not query.get("secret"):
        raise UsageError("The otpauth URI has no secret= parameter; copy the whole URI again.")
    # Split the label "Issuer:account" at its first literal colon before un-escaping, so an
    # issuer with an escaped colon (%3A) stays whole; fall back to an escaped separator.
    # The Key Uri Format allows one separator: a second colon is refused, not guessed at.
    raw = parts.path.lstrip("/")
    raw_issuer, sep, raw_account = raw.partition(":")
    if sep:
        label_issuer, account = unquote(raw_issuer), unquote(raw_account)
    else:
        label_issuer, sep, account = unquote(raw).partition(":")
        if not sep:
            label_issuer, account = "", unquote(raw)
    if ":" in (raw_account if ":" in raw else account):
        raise UsageError(
            "The otpauth URI's label has more than one colon; it is 'Issuer:account' with one colon "
            "(write a colon inside the issuer or account as %3A)."
        )
    try:
        digits = int(query.get("digits", "6"))
        period = int(query.get("period", "30"))
        counter = int(query.get("counter", "0"))
    except ValueError:
        raise UsageError(
            "The otpauth URI has a digits, period or counter value that is not a number."
        ) from None
    if kind == "hotp" and "counter" not in query:
        raise UsageError("An otpauth://hotp URI needs a counter= parameter.")
    encoder = query.get("encoder", "").strip().lower()
    if encoder == STEAM:
        digits = STEAM_DIGITS  # KeePassXC writes digits=5 or none; the encoder decides
    return OtpParams(
        secret=decode_secret(query["secret"]),
        kind=kind,  # type: ignore[arg-type]
        digits=digits,
        period=period,
        algorithm=query.get("algorithm", "SHA1").upper(),
        counter=counter,
        issuer=query.get("issuer", label_issuer).strip(),
        account=account.strip(),
        encoder=encoder,
    )


def parse(value: str) -> OtpParams:
    """An otpauth URI or a bare base32 secret (then TOTP, SHA1, 6 digits, 30 s)."""
    text = value.strip()
    if text.lower().startswith("otpauth:") or "://" in text:
        return parse_uri(text)
    return OtpParams(decode_secret(text))


def build_uri(params: OtpParams) -> str:
    """The otpauth URI for ``params`` (issuer in the label and as a parameter, percent-encoded)."""
    label = quote(params.account, safe="@")
    if params.issuer:
        label = f"{quote(params.issuer, safe='')}:{label}"
    query: dict[str, str | int] = {"secret": params.secret_base32}
    if params.issuer:
        query["issuer"] = params.issuer
    if params.algorithm != "SHA1":
        query["algorithm"] = params.algorithm
    if params.digits != 6:
        query["digits"] = params.digits
    if params.encoder:
        query["encoder"] = params.encoder
    if params.kind == "totp":
        if params.period != 30:
            query["period"] = params.period
    else:
        query["counter"] = params.counter
    return f"otpauth://{params.kind}/{label}?{urlencode(query, quote_via=quote)}"
