"""Readable passwords, numeric codes, tokens, and site password rules."""

from __future__ import annotations

import base64
import itertools
import math
import re
import uuid

import pytest
from cryptography.fernet import Fernet

from vaultapp.core.errors import UsageError
from vaultapp.generators.codes import generate_codes
from vaultapp.generators.passwordrules import _count_runs, generate_with_rules, parse_rules
from vaultapp.generators.readable import ALPHABET, LOOKALIKES, ReadablePolicy, generate_readable
from vaultapp.generators.tokens import env_line, generate_token


def test_readable_has_no_lookalikes_and_groups() -> None:
    """Random readable: groups of 4 joined by dashes, never a look-alike; entropy 16 x log2(|A|)."""
    for generated in generate_readable(ReadablePolicy(), count=300):
        assert re.fullmatch(r"\w{4}-\w{4}-\w{4}-\w{4}", generated.value)
        assert not set(generated.value) & set(LOOKALIKES)
    assert math.isclose(generated.entropy_bits, 16 * math.log2(len(ALPHABET)))
    assert not set("0Oo1lI|") & set(ALPHABET)


def test_pronounceable_is_syllables_with_exact_entropy() -> None:
    """Pronounceable: consonant-vowel syllables and a digit; entropy counts syllables exactly."""
    generated = generate_readable(ReadablePolicy(pronounceable=True, group=0, syllables=5))[0]
    assert re.fullmatch(r"([bcdfhjkmnprstvwxz][aeu]){5}\d", generated.value)
    assert math.isclose(generated.entropy_bits, 5 * math.log2(17 * 3) + math.log2(10))


def test_codes_are_zero_padded_digits() -> None:
    """PINs keep their leading zeros; 6 digits carry log2(10^6) bits; bad sizes refused."""
    codes = [g.value for g in generate_codes(6, 5000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert any(c.startswith("0") for c in codes)
    assert math.isclose(generate_codes(6)[0].entropy_bits, 6 * math.log2(10))
    with pytest.raises(UsageError):
        generate_codes(2)


def test_tokens_have_the_promised_size_and_form() -> None:
    """hex, urlsafe, base32, Fernet, API key, UUID4, JWT secrets and .env lines."""
    assert re.fullmatch(r"[0-9a-f]{64}", generate_token("hex").value)
    assert len(base64.urlsafe_b64decode(generate_token("urlsafe").value + "=")) == 32
    assert len(base64.b32decode(generate_token("base32", nbytes=20).value)) == 20
    Fernet(generate_token("fernet").value.encode())  # a usable key
    key = generate_token("api-key", prefix="sk_live_")
    assert key.value.startswith("sk_live_")
    assert key.entropy_bits >= 256
    assert uuid.UUID(generate_token("uuid4").value).version == 4
    for algorithm, size in (("HS256", 32), ("HS384", 48), ("HS512", 64)):
        secret = generate_token("jwt-secret", algorithm=algorithm)
        assert len(base64.urlsafe_b64decode(secret.value + "==")) == size
        assert secret.entropy_bits == 8 * size
    assert env_line("API_KEY", key).value == f"API_KEY={key.value}"
    with pytest.raises(UsageError, match="environment variable"):
        env_line("1BAD", key)
    with pytest.raises(UsageError, match="prefix"):
        generate_token("api-key", prefix="bad prefix!")
    with pytest.raises(UsageError, match="8 to 1024"):
        generate_token("hex", nbytes=4)


def test_password_rules_parse_and_generate() -> None:
    """Apple's example rule: lengths, required classes, allowed symbols all honoured."""
    rules = parse_rules("minlength: 12; maxlength: 16; required: upper; required: digit; allowed: [-!@#]")
    assert (rules.min_length, rules.max_length) == (12, 16)
    for generated in generate_with_rules(rules, count=300):
        value = generated.value
        assert len(value) == 16
        assert any(c.isupper() for c in value) and any(c.isdigit() for c in value)  # noqa: PT018
        assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!@#")


def test_max_consecutive_count_matches_brute_force() -> None:
    """The run-length count equals enumeration on a tiny alphabet with overlapping requirements."""
    required = (frozenset("ab"), frozenset("b1"))
    for limit in (1, 2):
        brute = sum(
            all(not s.isdisjoint(w) for s in required)
            and all(len(list(g)) <= limit for _, g in itertools.groupby(w))
            for w in itertools.product("ab1", repeat=5)
        )
        assert _count_runs(5, "ab1", required, limit) == brute


def test_max_consecutive_is_honoured() -> None:
    """No password has more identical characters in a row than allowed."""
    rules = parse_rules("required: digit; allowed: [ab]; max-consecutive: 1; minlength: 10; maxlength: 10")
    for generated in generate_with_rules(rules, count=300):
        assert all(a != b for a, b in itertools.pairwise(generated.value))


@pytest.mark.parametrize(
    ("text", "message"),
    [("minlength: twelve", "whole number"), ("required: emoji", "Unknown character class"),
     ("minlength 12", "no ':'"), ("minlength: 20; maxlength: 10", "above maxlength")],
)  # fmt: skip
def test_bad_rules_are_clear_errors(text: str, message: str) -> None:
    """Malformed rule text says which property is wrong."""
    with pytest.raises(UsageError, match=message):
        generate_with_rules(parse_rules(text))
