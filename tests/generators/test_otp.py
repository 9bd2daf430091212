"""HOTP/TOTP against RFC 4226 appendix D and RFC 6238 appendix B; otpauth URIs both ways."""

from __future__ import annotations

import base64

import pytest

from vaultapp.core.errors import UsageError
from vaultapp.generators.otp import OtpParams, build_uri, hotp, parse, parse_uri, remaining_seconds, totp

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
RFC6238 = [
    (59, "SHA1", "94287082"), (59, "SHA256", "46119246"), (59, "SHA512", "90693936"),
    (1111111109, "SHA1", "07081804"), (1111111109, "SHA256", "68084774"), (1111111109, "SHA512", "25091201"),
    (1111111111, "SHA1", "14050471"), (1111111111, "SHA256", "67062674"), (1111111111, "SHA512", "99943326"),
    (1234567890, "SHA1", "89005924"), (1234567890, "SHA256", "91819424"), (1234567890, "SHA512", "93441116"),
    (2000000000, "SHA1", "69279037"), (2000000000, "SHA256", "90698825"), (2000000000, "SHA512", "38618901"),
    (20000000000, "SHA1", "65353130"), (20000000000, "SHA256", "77737706"),
    (20000000000, "SHA512", "47863826"),
]  # fmt: skip


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


@pytest.mark.parametrize(("counter", "code"), list(enumerate(RFC4226)))
def test_rfc4226_appendix_d(counter: int, code: str) -> None:
    """HOTP codes for counters 0-9 match RFC 4226 appendix D, also through an hotp URI."""
    assert hotp(OtpParams(SEEDS["SHA1"], kind="hotp"), counter) == code
    params = parse(f"otpauth://hotp/Test:rfc?secret={_b32(SEEDS['SHA1'])}&counter={counter}")
    assert hotp(params) == code


@pytest.mark.parametrize(("when", "algorithm", "code"), RFC6238)
def test_rfc6238_appendix_b(when: int, algorithm: str, code: str) -> None:
    """TOTP codes from a URI carrying the RFC seed match appendix B for all three hashes."""
    secret = _b32(SEEDS[algorithm])
    params = parse(f"otpauth://totp/Example:alice@example.com?secret={secret}&algorithm={algorithm}&digits=8")
    assert totp(params, when) == code


@pytest.mark.parametrize(
    "secret", ["JBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp", "JBSWY3DPEHPK3PXP====", "jbsw-y3dp-ehpk-3pxp"]
)
def test_common_80_bit_secret_in_any_spelling(secret: str) -> None:
    """The 16-character demo secret works in any case, spacing or padding (oathtool: 590752 at T)."""
    params = parse(secret)
    assert params.secret == base64.b32decode("JBSWY3DPEHPK3PXP")
    assert (params.digits, params.period, params.algorithm) == (6, 30, "SHA1")
    assert len(totp(params, 59)) == 6
    assert remaining_seconds(params, 59) == 1
    assert remaining_seconds(params, 60) == 30


def test_issuer_and_account_from_label_and_parameter() -> None:
    """Label 'Issuer:account' (percent-encoded) and issuer= fill the fields; the parameter wins."""
    params = parse_uri("otpauth://totp/ACME%20Co:john%40example.com?secret=JBSWY3DPEHPK3PXP")
    assert (params.issuer, params.account) == ("ACME Co", "john@example.com")
    params = parse_uri("otpauth://totp/Old:john?secret=JBSWY3DPEHPK3PXP&issuer=New%20Name&period=60&digits=7")
    assert (params.issuer, params.period, params.digits) == ("New Name", 60, 7)


@pytest.mark.parametrize(
    "params",
    [
        OtpParams(SEEDS["SHA1"], issuer="ACME Co", account="john@example.com"),
        OtpParams(SEEDS["SHA256"], algorithm="SHA256", digits=8, period=60, issuer="Ex:ample", account="a b"),
        OtpParams(SEEDS["SHA512"], kind="hotp", counter=42, account="only-account"),
    ],
)
def test_uri_round_trip(params: OtpParams) -> None:
    """build_uri then parse_uri gives back every field."""
    uri = build_uri(params)
    assert uri.startswith(f"otpauth://{params.kind}/")
    assert parse_uri(uri) == params


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("https://example.com/?secret=JBSWY3DPEHPK3PXP", "Not an otpauth"),
        ("otpauth://sotp/x?secret=JBSWY3DPEHPK3PXP", "totp or hotp"),
        ("otpauth://totp/x?issuer=y", "no secret"),
        ("otpauth://totp/x?secret=", "no secret"),
        ("otpauth://totp/x?secret=01!!ABCDEFGHIJKLMNOP", "base32"),
        ("otpauth://totp/x?secret=JBSWY3DP", "at least 80"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=10", "6 to 8 digits"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", "SHA1, SHA256 or SHA512"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", "period"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=soon", "not a number"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&secret=AAAAAAAAAAAAAAAA", "more than once"),
        ("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP", "counter"),
        ("", "empty"),
    ],
)
def test_bad_uris_are_one_clear_usage_error(uri: str, message: str) -> None:
    """Unusable URIs give one UsageError that says what is wrong."""
    with pytest.raises(UsageError, match=message):
        parse(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "otpauth://totp/Example:alice:bob?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/Example%3Aalice%3Abob?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/Example:alice%3A:bob?secret=JBSWY3DPEHPK3PXP",
    ],
)
def test_label_with_two_colons_is_refused(uri: str) -> None:
    """The Key Uri Format's label is 'Issuer:account' with one colon; a second one is a UsageError."""
    with pytest.raises(UsageError, match="more than one colon"):
        parse_uri(uri)


def test_hotp_counter_beyond_eight_bytes_is_refused_on_input() -> None:
    """An HOTP counter of 2^64 or more is refused when the URI or params are read, not when a code is made."""
    base = "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter="
    assert parse_uri(base + str(2**64 - 1)).counter == 2**64 - 1
    with pytest.raises(UsageError, match="counter must be 0 to"):
        parse_uri(base + str(2**64))
    with pytest.raises(UsageError, match="counter must be 0 to"):
        OtpParams(SEEDS["SHA1"], kind="hotp", counter=2**70)
    with pytest.raises(UsageError, match="counter must be 0 to"):
        hotp(OtpParams(SEEDS["SHA1"], kind="hotp"), 2**64)


@pytest.mark.parametrize("when", [float("nan"), float("inf"), float("-inf"), 1e300, -1.0, -1e-9])
def test_totp_refuses_times_it_cannot_compute(when: float) -> None:
    """NaN, infinities, times before 1970 and after the year 9999 are one UsageError, not a crash."""
    params = OtpParams(SEEDS["SHA1"])
    with pytest.raises(UsageError, match="since 1970"):
        totp(params, when)
    with pytest.raises(UsageError, match="since 1970"):
        remaining_seconds(params, when)
    assert totp(params, 0) == totp(params, 29.9)


def test_steam_codes_parse_build_and_compute() -> None:
    """encoder=steam (KeePassXC's mark) gives 5-character Steam Guard codes and survives a
    round trip through build_uri; other digit counts with steam, or 5 without it, are refused."""
    import pytest

    from vaultapp.core.errors import UsageError
    from vaultapp.core.otpauth import OtpParams
    from vaultapp.generators.otp import build_uri, code_now, parse_uri

    params = parse_uri("otpauth://totp/Steam:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&encoder=steam")
    assert (params.digits, params.encoder) == (5, "steam")
    assert parse_uri(build_uri(params)) == params
    code = code_now(params, 1_700_000_000)
    assert len(code) == 5
    assert set(code) <= set("23456789BCDFGHJKMNPQRTVWXY")
    with pytest.raises(UsageError):
        OtpParams(params.secret, digits=5)
    with pytest.raises(UsageError):
        OtpParams(params.secret, digits=6, encoder="steam")
