"""TOTP against RFC 6238 appendix B, and otpauth URI parsing."""

from __future__ import annotations

import base64

import pytest

from vaultapp.core.errors import UsageError
from vaultapp.generators.otp import parse, remaining_seconds, totp

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
# RFC 6238 appendix B: (time, algorithm, 8-digit code)
RFC6238 = [
    (59, "SHA1", "94287082"), (59, "SHA256", "46119246"), (59, "SHA512", "90693936"),
    (1111111109, "SHA1", "07081804"), (1111111109, "SHA256", "68084774"), (1111111109, "SHA512", "25091201"),
    (1111111111, "SHA1", "14050471"), (1111111111, "SHA256", "67062674"), (1111111111, "SHA512", "99943326"),
    (1234567890, "SHA1", "89005924"), (1234567890, "SHA256", "91819424"), (1234567890, "SHA512", "93441116"),
    (2000000000, "SHA1", "69279037"), (2000000000, "SHA256", "90698825"), (2000000000, "SHA512", "38618901"),
    (20000000000, "SHA1", "65353130"), (20000000000, "SHA256", "77737706"),
    (20000000000, "SHA512", "47863826"),
]  # fmt: skip


@pytest.mark.parametrize(("when", "algorithm", "code"), RFC6238)
def test_rfc6238_vectors_through_an_otpauth_uri(when: int, algorithm: str, code: str) -> None:
    """Codes from a URI carrying the RFC seed match appendix B for all three hashes."""
    secret = base64.b32encode(SEEDS[algorithm]).decode().rstrip("=")
    params = parse(f"otpauth://totp/Example:alice@example.com?secret={secret}&algorithm={algorithm}&digits=8")
    assert totp(params, when) == code


def test_bare_16_char_secret_and_remaining_seconds() -> None:
    """The common 80-bit secret works (lower case, spaces); 59 s into a period leaves 1 s."""
    params = parse("jbsw y3dp ehpk 3pxp")
    assert params.digits == 6
    assert len(totp(params, 59)) == 6
    assert remaining_seconds(params, 59) == 1


def test_issuer_and_account_from_label() -> None:
    """Label 'Issuer:account' (percent-encoded) fills issuer and account."""
    params = parse("otpauth://totp/ACME%20Co:john%40example.com?secret=JBSWY3DPEHPK3PXP")
    assert (params.issuer, params.account) == ("ACME Co", "john@example.com")


@pytest.mark.parametrize(
    "uri",
    [
        "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1",
        "otpauth://totp/x?issuer=y",
        "otpauth://totp/x?secret=01!!",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=soon",
        "",
    ],
)
def test_bad_uris_are_usage_errors(uri: str) -> None:
    """Unusable URIs give one clear UsageError."""
    with pytest.raises(UsageError):
        parse(uri)
