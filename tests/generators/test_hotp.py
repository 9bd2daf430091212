"""The standard-library HOTP/TOTP (``generators.hotp``, the CLI's one-shot path) against RFC 4226
appendix D, RFC 6238 appendix B, and the cryptography-based ``generators.otp`` for any secret,
algorithm, digit count, period and time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.generators.test_otp import RFC4226, RFC6238, SEEDS
from vaultapp.core.otpsecret import COUNTER_MAX, TIME_MAX
from vaultapp.generators.hotp import hotp_code, totp_code
from vaultapp.generators.otp import OtpParams, hotp, totp


@pytest.mark.parametrize(("counter", "code"), list(enumerate(RFC4226)))
def test_rfc4226_appendix_d(counter: int, code: str) -> None:
    assert hotp_code(SEEDS["SHA1"], counter) == code


@pytest.mark.parametrize(("when", "algorithm", "code"), RFC6238)
def test_rfc6238_appendix_b(when: int, algorithm: str, code: str) -> None:
    assert totp_code(SEEDS[algorithm], when, digits=8, algorithm=algorithm) == code


@settings(max_examples=300, deadline=None)
@given(
    secret=st.binary(min_size=10, max_size=80),
    algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
    digits=st.sampled_from([6, 7, 8]),
    period=st.integers(1, 86_400),
    when=st.integers(0, TIME_MAX),
    counter=st.integers(0, COUNTER_MAX),
)
def test_agrees_with_the_cryptography_path(
    secret: bytes, algorithm: str, digits: int, period: int, when: int, counter: int
) -> None:
    """Both implementations give the same TOTP and HOTP codes for every parameter in range."""
    params = OtpParams(secret, digits=digits, period=period, algorithm=algorithm)
    assert totp_code(secret, when, digits, period, algorithm) == totp(params, when)
    hotp_params = OtpParams(secret, kind="hotp", digits=digits, algorithm=algorithm)
    assert hotp_code(secret, counter, digits, algorithm) == hotp(hotp_params, counter)
