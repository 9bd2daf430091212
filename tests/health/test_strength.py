"""Strength estimates: weak vs strong, long passphrases in chunks, empty input."""

from __future__ import annotations

from vaultapp.health.strength import estimate


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
