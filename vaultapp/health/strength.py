"""Strength estimates from zxcvbn: realistic guesses, not character-class rules.

zxcvbn refuses passwords over 72 characters, so longer ones are estimated in chunks whose
guesses multiply (log10 guesses add; a chunk repeated counts once): never a crash, a long
passphrase still scores high, and a long run of one character does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

CHUNK: Final = 64
LABELS: Final = ("Very weak", "Weak", "Fair", "Strong", "Very strong")
WEAK_SCORE: Final = 3
"""A master passphrase scoring below this is weak: warned about when a vault is created or re-keyed."""


@dataclass(frozen=True, slots=True)
class Strength:
    score: int  # 0..4, zxcvbn's scale
    guesses_log10: float
    crack_time: str  # offline attack on a slow hash (10^4 guesses per second), e.g. "3 months"
    warning: str
    suggestions: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.score]

    @property
    def bits(self) -> float:
        return self.guesses_log10 * math.log2(10)

    def __repr__(self) -> str:
        return f"Strength(score={self.score}, guesses_log10={self.guesses_log10:.1f})"


def _score(guesses_log10: float) -> int:
    # zxcvbn's own thresholds: 1e3, 1e6, 1e8, 1e10 guesses.
    return sum(guesses_log10 >= t for t in (3, 6, 8, 10))


def _display(seconds: float) -> str:
    for unit, size in (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3_600)):
        if seconds >= size:
            count = seconds / size
            if unit == "year" and count >= 100:
                return "centuries"
            return f"{round(count)} {unit}{'s' if round(count) != 1 else ''}"
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return "less than a minute"


def crack_time_display(guesses_log10: float, guesses_per_second: float = 1e4) -> str:
    """How long an offline attack needs on average (default: a slow hash, 10^4 guesses per second)."""
    return _display(10**guesses_log10 / guesses_per_second / 2)


def estimate(password: str, user_inputs: tuple[str, ...] = ()) -> Strength:
    """Estimate how hard ``password`` is to guess. Works for any length."""
    from zxcvbn import zxcvbn

    if not password:
        return Strength(0, 0.0, "instantly", "", ("Type a passphrase.",))
    chunks = [password[i : i + CHUNK] for i in range(0, len(password), CHUNK)]
    unique = list(dict.fromkeys(chunks))  # a repeated chunk adds little: "aaaa…" stays weak
    results = [zxcvbn(chunk, user_inputs=list(user_inputs)) for chunk in unique]
    guesses_log10 = sum(float(r["guesses_log10"]) for r in results)
    if len(unique) < len(chunks):
        guesses_log10 += math.log10(len(chunks))
    first = results[0]
    feedback = first["feedback"]
    return Strength(
        score=_score(guesses_log10) if len(chunks) > 1 else int(first["score"]),
        guesses_log10=guesses_log10,
        crack_time=crack_time_display(guesses_log10),
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions", ())),
    )


def weak_passphrase_warning(passphrase: str, kdf_ms: float) -> str | None:
    """None when ``passphrase`` is good enough for a master passphrase (zxcvbn score at least
    ``WEAK_SCORE``); else one sentence saying how fast it falls to an offline attack on the vault
    file at its key-derivation cost (``kdf_ms`` per guess, one computer like this one)."""
    strength = estimate(passphrase)
    if strength.score >= WEAK_SCORE:
        return None
    time = crack_time_display(strength.guesses_log10, 1000 / max(kdf_ms, 1.0))
    why = f" {strength.warning}" if strength.warning else ""
    return (
        f"This passphrase is weak ({strength.label}, zxcvbn score {strength.score} of 4).{why} With the "
        f"vault file, one computer like this one guesses it in {time} at {kdf_ms:.0f} ms per guess; "
        "five or more random words make a strong passphrase."
    )
