"""Passwords: exact counts against brute force, uniform over valid strings, minimums always met."""

from __future__ import annotations

import itertools
import math
import string

import pytest

from tests.generators.stats import assert_uniform
from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.entropy import count_with_minimums, count_with_required_sets
from vaultapp.generators.password import PasswordPolicy, generate_password, generate_passwords


@pytest.mark.parametrize(
    ("length", "sizes", "extra", "minimum"),
    [
        (3, [2, 1], 0, 1),
        (4, [2, 2], 1, 1),
        (5, [1, 2, 1], 0, 1),
        (5, [2, 1], 1, 2),
        (4, [3], 0, 0),
        (6, [1, 1], 1, 2),
    ],
)
def test_count_with_minimums_matches_brute_force(
    length: int, sizes: list[int], extra: int, minimum: int
) -> None:
    """Inclusion-exclusion equals enumerating every string over a tiny alphabet."""
    classes = [[f"c{i}_{j}" for j in range(size)] for i, size in enumerate(sizes)]
    alphabet = [c for cls in classes for c in cls] + [f"x{j}" for j in range(extra)]
    brute = sum(
        all(sum(ch in cls for ch in word) >= minimum for cls in classes)
        for word in itertools.product(alphabet, repeat=length)
    )
    assert count_with_minimums(length, sizes, extra, minimum) == brute


def test_count_with_overlapping_required_sets_matches_brute_force() -> None:
    """Required sets may overlap (e.g. 'upper' and '[A-F0-9]'); the count is still exact."""
    alphabet = "abAB01"
    required = [frozenset("AB"), frozenset("B01"), frozenset("a")]
    brute = sum(all(not s.isdisjoint(w) for s in required) for w in itertools.product(alphabet, repeat=4))
    assert count_with_required_sets(4, alphabet, required) == brute


def test_characters_are_uniform_over_the_alphabet() -> None:
    """300,000 drawn characters fit a uniform distribution (chi-square, p = 1e-6)."""
    alphabet = string.ascii_letters + string.digits + "!#$%&()*+,-./:;<=>?@[]^_{|}~"
    assert_uniform(draw.chars(300_000, alphabet), alphabet)
    assert_uniform(draw.indices(200_000, 7776 // 64), range(7776 // 64))


def test_passwords_are_uniform_over_all_valid_strings() -> None:
    """Length 4 over digits '01' and symbols 'ab', one of each: all 224 valid strings, evenly."""
    policy = PasswordPolicy(length=4, lower=False, upper=False, symbol_set="ab", exclude="23456789")
    valid = [
        "".join(w)
        for w in itertools.product("01ab", repeat=4)
        if any(c in "01" for c in w) and any(c in "ab" for c in w)
    ]
    assert len(valid) == 224
    assert_uniform([g.value for g in generate_passwords(policy, 44_800)], valid)
    assert math.isclose(generate_password(policy).entropy_bits, math.log2(224))


def test_default_password_has_every_class_and_exact_entropy() -> None:
    """20 characters, at least one of each class, entropy just below the naive 20*log2(alphabet)."""
    for generated in generate_passwords(None, 2000):
        value = generated.value
        assert len(value) == 20
        assert any(c.islower() for c in value)
        assert any(c.isupper() for c in value)
        assert any(c.isdigit() for c in value)
        assert any(not c.isalnum() for c in value)
    classes, _ = PasswordPolicy().classes()
    naive = 20 * math.log2(sum(map(len, classes)))
    assert naive - 1 < generated.entropy_bits < naive
    assert "***" in repr(generated)


def test_minimum_counts_above_one_always_hold() -> None:
    """min_per_class=3 over 12 characters: every password has 3+ of each class."""
    policy = PasswordPolicy(length=12, min_per_class=3)
    for generated in generate_passwords(policy, 3000):
        value = generated.value
        assert sum(c.islower() for c in value) >= 3
        assert sum(c.isupper() for c in value) >= 3
        assert sum(c.isdigit() for c in value) >= 3
        assert sum(not c.isalnum() for c in value) >= 3


def test_impossible_policies_say_which_numbers_conflict() -> None:
    """Too short for the minimums, or nothing to choose from: a UsageError with the numbers."""
    with pytest.raises(UsageError, match=r"Length 4 is too short for at least 2 of each of 4"):
        generate_password(PasswordPolicy(length=4, min_per_class=2))
    with pytest.raises(UsageError, match="No characters left"):
        generate_password(PasswordPolicy(lower=False, upper=False, digits=False, symbols=False))
    with pytest.raises(UsageError, match="4 to 1024"):
        generate_password(PasswordPolicy(length=3))
    with pytest.raises(UsageError, match="No characters left"):
        generate_password(
            PasswordPolicy(upper=False, digits=False, symbols=False, exclude=string.ascii_lowercase)
        )


def test_exclusions_symbol_set_and_extra_are_honoured() -> None:
    """Excluded and look-alike characters never appear; only the site's symbols; extras used."""
    policy = PasswordPolicy(length=64, exclude="abc", exclude_lookalikes=True, symbol_set="-_", extra="é€")
    seen: set[str] = set()
    for generated in generate_passwords(policy, 300):
        seen |= set(generated.value)
    assert not seen & set("abc0Oo1lI|")
    assert {c for c in seen if not c.isalnum()} <= set("-_€")
    assert {"é", "€"} <= seen


def test_bulk_is_as_long_as_asked_and_distinct() -> None:
    """100,000 passwords of 16 characters: the right count and length, no duplicates."""
    values = [g.value for g in generate_passwords(PasswordPolicy(length=16), 100_000)]
    assert len(values) == len(set(values)) == 100_000
    assert {len(v) for v in values} == {16}
