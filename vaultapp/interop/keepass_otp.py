"""Every form of one-time code KeePassXC and KeePass 2 store in an entry, read as one otpauth URI.

- KeePassXC's ``otp`` attribute: an ``otpauth://`` URI (``encoder=steam`` for Steam), KeeOTP's
  ``key=…&size=…&step=…&otpHashMode=…``, or a bare base32 secret;
- KeePassXC's older ``TOTP Seed`` / ``TOTP Settings`` pair (``period;digits`` with ``S`` for
  Steam, optionally ``;algorithm``);
- KeePass 2.47+'s ``TimeOtp-Secret`` (UTF-8), ``-Secret-Hex``, ``-Secret-Base32``,
  ``-Secret-Base64`` with ``TimeOtp-Length``, ``-Period`` and ``-Algorithm`` (``HMAC-SHA-256``…),
  and its HOTP pair ``HmacOtp-Secret*`` / ``HmacOtp-Counter``.

``totp_of`` returns the URI and the attribute names it used (taken out of the custom fields); a
form it cannot make a working code of is left in the custom fields and named in a note.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qs, quote

from vaultapp.core.errors import UsageError
from vaultapp.core.otpauth import decode_secret

SEED: Final = "TOTP Seed"
SETTINGS: Final = "TOTP Settings"
_TIME_SECRETS: Final = (
    "TimeOtp-Secret-Base32",
    "TimeOtp-Secret-Hex",
    "TimeOtp-Secret-Base64",
    "TimeOtp-Secret",
)
_HMAC_SECRETS: Final = (
    "HmacOtp-Secret-Base32",
    "HmacOtp-Secret-Hex",
    "HmacOtp-Secret-Base64",
    "HmacOtp-Secret",
)
_ALGORITHMS: Final = {"HMAC-SHA-1": "SHA1", "HMAC-SHA-256": "SHA256", "HMAC-SHA-512": "SHA512"}


def _base32(secret: bytes) -> str:
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def _label(title: str, username: str) -> str:
    issuer = quote(title or "entry", safe="")
    return f"{issuer}:{quote(username, safe='@')}" if username else issuer


def _uri(
    kind: str, secret_b32: str, title: str, username: str, *, digits: int = 6, period: int = 30,
    algorithm: str = "SHA1", counter: int | None = None, steam: bool = False,
) -> str:  # fmt: skip
    query = f"secret={secret_b32.replace(' ', '').upper()}"
    if title:
        query += f"&issuer={quote(title, safe='')}"
    if algorithm != "SHA1":
        query += f"&algorithm={algorithm}"
    if steam:
        query += "&digits=5&encoder=steam"
    elif digits != 6:
        query += f"&digits={digits}"
    if kind == "totp" and period != 30:
        query += f"&period={period}"
    if counter is not None:
        query += f"&counter={counter}"
    return f"otpauth://{kind}/{_label(title, username)}?{query}"


def _number(text: str, default: int) -> int:
    text = text.strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a number") from None


def _secret(values: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    """(attribute name, base32 secret) from the first KeePass 2 secret attribute present."""
    for name in names:
        text = values.get(name, "")
        if not text:
            continue
        try:
            if name.endswith("-Base32"):
                raw = decode_secret(text)
            elif name.endswith("-Hex"):
                raw = bytes.fromhex("".join(text.split()))
            elif name.endswith("-Base64"):
                raw = base64.b64decode("".join(text.split()), validate=True)
            else:
                raw = text.encode("utf-8")
        except (binascii.Error, ValueError):  # UsageError (decode_secret) is a ValueError
            raise UsageError(f"{name} is not valid {name.rpartition('-')[2].lower()}") from None
        return name, _base32(raw)
    return None


def totp_of(values: Mapping[str, str], title: str, username: str) -> tuple[str, tuple[str, ...]]:
    """The otpauth URI the attributes ``values`` describe and the attribute names it came from;
    ("", ()) when there is none.

    Raises:
        UsageError: an attribute is present but malformed (the caller keeps it as a field).
    """
    otp = values.get("otp", "").strip()
    if otp:
        if otp.lower().startswith("otpauth:"):
            return otp, ("otp",)
        if "key=" in otp:  # KeeOTP: key=BASE32&size=6&step=30&otpHashMode=Sha256
            query = {k.lower(): v[-1] for k, v in parse_qs(otp, keep_blank_values=True).items()}
            algorithm = query.get("otphashmode", "Sha1").upper()
            return _uri(
                "totp", query.get("key", ""), title, username, digits=_number(query.get("size", ""), 6),
                period=_number(query.get("step", ""), 30), algorithm=algorithm,
            ), ("otp",)  # fmt: skip
        return otp, ("otp",)  # a bare base32 secret: SHA1, 6 digits, 30 s
    seed = values.get(SEED, "").strip()
    if seed:
        if seed.lower().startswith("otpauth:"):
            return seed, (SEED, SETTINGS) if SETTINGS in values else (SEED,)
        parts = [p.strip() for p in values.get(SETTINGS, "").split(";")]
        period = _number(parts[0], 30)
        steam = len(parts) > 1 and parts[1].upper() == "S"
        digits = 6 if steam or len(parts) < 2 else _number(parts[1], 6)
        algorithm = parts[2].upper().replace("-", "") if len(parts) > 2 and parts[2] else "SHA1"
        used: tuple[str, ...] = (SEED, SETTINGS) if SETTINGS in values else (SEED,)
        return _uri(
            "totp", seed, title, username, digits=digits, period=period, algorithm=algorithm, steam=steam
        ), used  # fmt: skip
    for kind, names, prefix in (("totp", _TIME_SECRETS, "TimeOtp"), ("hotp", _HMAC_SECRETS, "HmacOtp")):
        found = _secret(values, names)
        if found is None:
            continue
        name, secret = found
        algorithm_name = values.get(f"{prefix}-Algorithm", "HMAC-SHA-1").strip() or "HMAC-SHA-1"
        if algorithm_name not in _ALGORITHMS:
            raise UsageError(f"{prefix}-Algorithm {algorithm_name!r} is not one KeePass defines")
        extra = [f"{prefix}-Length", f"{prefix}-Period", f"{prefix}-Algorithm", f"{prefix}-Counter"]
        used = (name, *(n for n in extra if n in values))
        counter = _number(values.get("HmacOtp-Counter", ""), 0) if kind == "hotp" else None
        return _uri(
            kind, secret, title, username, digits=_number(values.get(f"{prefix}-Length", ""), 6),
            period=_number(values.get(f"{prefix}-Period", ""), 30), algorithm=_ALGORITHMS[algorithm_name],
            counter=counter,
        ), used  # fmt: skip
    return "", ()
