"""Password generator: exact counts against brute force, minimums always met, clear errors."""

from __future__ import annotations

import itertools
import math

import pytest

from vaultapp.core.errors import UsageError
from vaultapp.generators.password import PasswordPolicy, count_valid, generate_password


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
def test_count_valid_matches_brute_force(length: int, sizes: list[int], extra: int, minimum: int) -> None:
    """Inclusion-exclusion equals enumerating every string over a tiny alphabet."""
    classes = [[f"c{i}_{j}" for j in range(size)] for i, size in enumerate(sizes)]
    alphabet = [c for cls in classes for c in cls] + [f"x{j}" for j in range(extra)]
    brute = sum(
        all(sum(ch in cls for ch in word) >= minimum for cls in classes)
        for word in itertools.product(alphabet, repeat=length)
    )
    assert count_valid(length, sizes, extra, minimum) == brute


def test_default_password_has_every_class_and_exact_entropy() -> None:
    """20 characters, at least one of each class, entropy below the naive 20*log2(alphabet)."""
    for _ in range(200):
        generated = generate_password()
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


def test_impossible_policies_say_which_numbers_conflict() -> None:
    """Too short for the minimums, or nothing to choose from: a UsageError with the numbers."""
    with pytest.raises(UsageError, match=r"Length 4 is too short for at least 2 of each of 4"):
        generate_password(PasswordPolicy(length=4, min_per_class=2))
    with pytest.raises(UsageError, match="No characters left"):
        generate_password(PasswordPolicy(lower=False, upper=False, digits=False, symbols=False))
    with pytest.raises(UsageError, match="4 to 1024"):
        generate_password(PasswordPolicy(length=3))


def test_exclusions_are_honoured() -> None:
    """Excluded and look-alike characters never appear."""
    policy = PasswordPolicy(length=64, exclude="abc", exclude_lookalikes=True)
    for _ in range(50):
        value = generate_password(policy).value
        assert not set(value) & set("abc0Oo1lI|")
