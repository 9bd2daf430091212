"""Strength estimates: weak vs strong, long passphrases in chunks, empty input."""

from __future__ import annotations

import math

from vaultapp.health.strength import estimate, weak_passphrase_warning


def test_common_password_is_weak_and_random_words_are_strong() -> None:
    """'password123' scores low with a warning; six random words score 4."""
    weak = estimate("password123")
    assert weak.score <= 1
    assert weak.crack_time in ("less than a minute", "instantly") or "minute" in weak.crack_time
    strong = estimate("gravy lunar tidal orbit spoon ember")
    assert strong.score == 4
    assert strong.bits > 60


def test_long_passphrase_is_estimated_in_chunks_without_error() -> None:
    """zxcvbn refuses over 72 characters; we estimate in chunks and never raise."""
    long = "correct horse battery staple " * 10
    result = estimate(long)
    assert result.score == 4
    assert result.guesses_log10 > estimate(long[:64]).guesses_log10


def test_empty_is_score_zero() -> None:
    """An empty field scores 0 and suggests typing one."""
    assert estimate("").score == 0


def test_long_run_of_one_character_stays_weak() -> None:
    """Chunks that repeat count once: 200 times 'a' is not a strong password."""
    result = estimate("a" * 200)
    assert result.score <= 1
    assert estimate("a" * 128).score <= 1


def test_weak_master_passphrase_warning_counts_the_kdf_cost() -> None:
    """Weak: score, and the crack time at the vault's cost per guess; strong: None; never the secret."""
    slow = weak_passphrase_warning("qwertyuiop1", 1000)
    fast = weak_passphrase_warning("qwertyuiop1", 1)
    assert slow is not None
    assert fast is not None
    assert "zxcvbn score" in slow
    assert "at 1000 ms per guess" in slow
    assert "qwertyuiop1" not in slow
    assert slow != fast  # a costlier derivation means a longer crack time
    assert weak_passphrase_warning("correct horse battery staple", 1000) is None


def test_crack_times_say_one_minute_and_two_minutes() -> None:
    """One of a unit is singular at every size (it said "1 minutes")."""
    from vaultapp.health.strength import crack_time_display

    def at(seconds: float) -> str:
        return crack_time_display(math.log10(seconds * 2 * 1e4))

    assert at(61) == "1 minute"
    assert at(125) == "2 minutes"
    assert at(3_700) == "1 hour"
    assert at(30) == "less than a minute"
