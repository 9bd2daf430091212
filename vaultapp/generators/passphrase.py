"""Word passphrases from the EFF large wordlist (or a custom list), with counted entropy.

Entropy, for n words from a list of W unique words:
  words            n x log2(W)
  capitalisation   none / first / all: 0; random per word: n bits; one random word: log2(n)
  random separator (n - 1) x log2(|set|) (each separator drawn on its own)
  extra character  log2(|set|) + log2(n): one character appended to one random word
Every choice shows in the output and distinct choices give distinct strings, so the counts are
exact: words are lower case and start with a letter, separators and extra characters are not
letters, and words that contain a separator character (EFF's ``felt-tip`` with ``-``) are left
out for that separator, W counting only the rest. An empty separator is refused: two word
sequences could then read the same.
"""

from __future__ import annotations

import math
import string
from collections import namedtuple
from functools import cache
from pathlib import Path
from typing import Final, Literal

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.password import Generated

Capitalize = Literal["none", "first", "all", "random", "one"]
CAPITALIZE: Final[tuple[str, ...]] = ("none", "first", "all", "random", "one")
RANDOM_SEPARATOR: Final = "random"  # a random digit or symbol between each pair of words
SEPARATOR_SET: Final = string.digits + "!#$%&*+-./:=?@^_~"
EXTRA_SETS: Final = {"digit": string.digits, "symbol": "!#$%&*+-./:=?@^_~"}
SMALL_LIST: Final = 4000
WORDS_MIN: Final = 1
WORDS_MAX: Final = 64
WORDLIST_MAX: Final = 16 << 20  # 16 MiB: far above any real list (the EFF one is 108 KiB)


class Wordlist(namedtuple("_WordlistFields", "words source warning", defaults=("",))):
    """Unique lower-case words, where they came from, and a warning when the list is small."""

    __slots__ = ()

    @property
    def bits_per_word(self) -> float:
        return math.log2(len(self.words))

    @classmethod
    def from_lines(cls, lines: list[str], source: str) -> Wordlist:
        """Bare words or dice-numbered ``NNNNN<TAB>word`` lines; blank and ``#`` lines skipped,
        duplicates (ignoring case) dropped.

        Raises:
            UsageError: fewer than two usable words, or a word with spaces in it.
        """
        seen: set[str] = set()
        words: list[str] = []
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                parts = parts[1:]
            if len(parts) != 1:
                raise UsageError(f"{source} line {number}: one word per line, not {line[:40]!r}.")
            word = parts[0].lower()
            if not word[:1].isalpha():
                raise UsageError(f"{source} line {number}: a word must start with a letter ({word[:40]!r}).")
            if any(c.isdigit() for c in word) or any(c in SEPARATOR_SET.replace("-", "") for c in word):
                raise UsageError(
                    f"{source} line {number}: words may not hold digits or symbols ({word[:40]!r})."
                )
            if word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(word)
        if len(words) < 2:
            raise UsageError(f"{source} has fewer than two different words; it cannot make passphrases.")
        warning = ""
        if len(words) < SMALL_LIST:
            warning = (
                f"{source} has only {len(words)} different words "
                f"({math.log2(len(words)):.1f} bits per word); "
                f"use more words per passphrase, or a list of {SMALL_LIST} or more."
            )
        return cls(tuple(words), source, warning)

    @classmethod
    def from_file(cls, path: Path | str) -> Wordlist:
        from vaultapp.core.storage import read_limited

        path = Path(path)
        try:
            text = read_limited(path, WORDLIST_MAX).decode("utf-8-sig")
        except OSError as exc:  # also a FIFO or device (refused unread) and a file over the limit
            raise UsageError(f"Cannot read the wordlist {path}: {exc.strerror or exc}.") from None
        except UnicodeDecodeError:
            raise UsageError(f"The wordlist {path} is not UTF-8 text.") from None
        return cls.from_lines(text.splitlines(), path.name)


@cache
def _without_chars(wordlist: Wordlist, chars: str) -> tuple[str, ...]:
    banned = set(chars)
    return tuple(w for w in wordlist.words if banned.isdisjoint(w))


@cache
def eff_wordlist() -> Wordlist:
    """The EFF large wordlist shipped in resources/wordlists (7,776 words), read once.

    It is known-good (tests/generators check its hash, size and words), so it is read with one
    C-speed split instead of the custom-list checks.
    """
    from vaultapp.resources import resource_path

    text = resource_path("wordlists", "eff_large_wordlist.txt").read_text(encoding="ascii")
    return Wordlist(tuple(text.split()[1::2]), "EFF large wordlist")


class PassphrasePolicy(
    namedtuple("_PassphraseFields", "words separator capitalize extra", defaults=(6, " ", "none", ""))
):
    """words (6); separator: any non-empty text, or RANDOM_SEPARATOR; capitalize: none, first,
    all, random or one; extra: "", "digit" or "symbol"."""

    __slots__ = ()

    def check(self, wordlist: Wordlist) -> None:
        if not WORDS_MIN <= self.words <= WORDS_MAX:
            raise UsageError(f"A passphrase has {WORDS_MIN} to {WORDS_MAX} words, not {self.words}.")
        if self.capitalize not in CAPITALIZE:
            raise UsageError(f"Capitalisation is one of {', '.join(CAPITALIZE)}, not {self.capitalize!r}.")
        if self.extra not in ("", *EXTRA_SETS):
            raise UsageError(f"The extra character is 'digit' or 'symbol', not {self.extra!r}.")
        if self.separator == "":
            raise UsageError(
                "An empty separator can make two word sequences read the same; choose a separator."
            )
        if self.separator != RANDOM_SEPARATOR and any(c.isalpha() for c in self.separator):
            raise UsageError("The separator may not contain letters (words would run together).")

    def usable_words(self, wordlist: Wordlist) -> tuple[str, ...]:
        """The words that cannot be confused with a separator (see the module notes)."""
        return _without_chars(
            wordlist, SEPARATOR_SET if self.separator == RANDOM_SEPARATOR else self.separator
        )

    def entropy_bits(self, wordlist: Wordlist) -> float:
        n: int = self.words
        total: float = n * math.log2(len(self.usable_words(wordlist)))
        total += {"random": float(n), "one": math.log2(n)}.get(self.capitalize, 0.0)
        if self.separator == RANDOM_SEPARATOR:
            total += (n - 1) * math.log2(len(SEPARATOR_SET))
        if self.extra:
            total += math.log2(len(EXTRA_SETS[self.extra])) + math.log2(n)
        return total


def generate_passphrases(
    policy: PassphrasePolicy | None = None, count: int = 1, wordlist: Wordlist | None = None
) -> list[Generated]:
    """Passphrases, every word uniform over the list (the list is read once per process)."""
    policy = policy or PassphrasePolicy()
    wordlist = wordlist or eff_wordlist()
    policy.check(wordlist)
    words, n = policy.usable_words(wordlist), policy.words
    entropy = policy.entropy_bits(wordlist)
    picks = draw.indices(n * count, len(words))
    random_sep = policy.separator == RANDOM_SEPARATOR
    seps = draw.chars((n - 1) * count, SEPARATOR_SET) if random_sep and n > 1 else ""
    coin = draw.indices(n * count, 2) if policy.capitalize == "random" else None
    which = draw.indices(count, n) if policy.capitalize == "one" else None
    extras = draw.chars(count, EXTRA_SETS[policy.extra]) if policy.extra else ""
    extra_at = draw.indices(count, n) if policy.extra else None
    out: list[Generated] = []
    for k in range(count):
        chosen = [words[i] for i in picks[k * n : (k + 1) * n]]
        if policy.capitalize == "first":
            chosen = [w[:1].upper() + w[1:] for w in chosen]
        elif policy.capitalize == "all":
            chosen = [w.upper() for w in chosen]
        elif coin is not None:
            chosen = [w[:1].upper() + w[1:] if coin[k * n + j] else w for j, w in enumerate(chosen)]
        elif which is not None:
            j = which[k]
            chosen[j] = chosen[j][:1].upper() + chosen[j][1:]
        if extra_at is not None:
            j = extra_at[k]
            chosen[j] += extras[k]
        if random_sep:
            own = seps[k * (n - 1) : (k + 1) * (n - 1)]
            text = chosen[0] + "".join(s + w for s, w in zip(own, chosen[1:], strict=True))
        else:
            text = policy.separator.join(chosen)
        out.append(Generated(text, entropy))
    return out
