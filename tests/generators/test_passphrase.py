"""Passphrases: words from the list, counted entropy per option, wordlist checks."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import pytest

from tests.generators.stats import assert_uniform
from vaultapp.core.errors import UsageError
from vaultapp.generators.passphrase import (
    RANDOM_SEPARATOR,
    SEPARATOR_SET,
    PassphrasePolicy,
    Wordlist,
    eff_wordlist,
    generate_passphrases,
)
from vaultapp.resources import resource_path

EFF = eff_wordlist()


def test_shipped_list_is_the_eff_large_list_with_its_licence() -> None:
    """7,776 words, the file hash recorded for EFF's list, and the attribution beside it."""
    path = resource_path("wordlists", "eff_large_wordlist.txt")
    assert hashlib.sha256(path.read_bytes()).hexdigest().startswith("addd3553")
    assert len(EFF.words) == len(set(EFF.words)) == 7776
    assert (
        "Electronic Frontier Foundation"
        in resource_path("wordlists", "eff_large_wordlist.LICENSE.txt").read_text()
    )
    assert Wordlist.from_file(path).words == EFF.words  # the fast path agrees with the checked one


def test_default_six_words_from_the_list_with_77_5_bits() -> None:
    """Default: six words, space-separated, every word from the list, 6 x log2(7776) bits."""
    for generated in generate_passphrases(count=500):
        words = generated.value.split(" ")
        assert len(words) == 6
        assert set(words) <= set(EFF.words)
        assert math.isclose(generated.entropy_bits, 6 * math.log2(7776))


def test_words_are_uniform_over_a_small_list(tmp_path: Path) -> None:
    """Over a 50-word list, 100,000 words fit a uniform distribution; the list warns it is small."""
    words = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}x" for i in range(50)]
    path = tmp_path / "small.txt"
    path.write_text("\n".join(words) + "\n")
    wordlist = Wordlist.from_file(path)
    assert "only 50 different words" in wordlist.warning
    phrases = generate_passphrases(PassphrasePolicy(words=5), 20_000, wordlist)
    assert_uniform([w for p in phrases for w in p.value.split(" ")], words)


@pytest.mark.parametrize(
    ("policy", "extra_bits", "pattern"),
    [
        (PassphrasePolicy(separator="-", capitalize="first"), 0, r"([A-Z][a-z]+-){5}[A-Z][a-z]+"),
        (PassphrasePolicy(capitalize="all"), 0, r"([A-Z-]+ ){5}[A-Z-]+"),
        (PassphrasePolicy(capitalize="random"), 6, None),
        (PassphrasePolicy(capitalize="one"), math.log2(6), None),
        (PassphrasePolicy(separator=RANDOM_SEPARATOR), 5 * math.log2(len(SEPARATOR_SET)), None),
        (PassphrasePolicy(extra="digit"), math.log2(10) + math.log2(6), r".*[0-9].*"),
    ],
)
def test_options_add_exactly_their_bits(
    policy: PassphrasePolicy, extra_bits: float, pattern: str | None
) -> None:
    """Each option's entropy is counted, and the output has the promised shape."""
    words = len(policy.usable_words(EFF))
    generated = generate_passphrases(policy)[0]
    assert math.isclose(generated.entropy_bits, 6 * math.log2(words) + extra_bits)
    if pattern:
        assert re.fullmatch(pattern, generated.value), generated.value


def test_one_random_word_capitalised_exactly_once() -> None:
    """capitalize='one': exactly one word starts with a capital."""
    for generated in generate_passphrases(PassphrasePolicy(capitalize="one"), count=300):
        assert sum(w[0].isupper() for w in generated.value.split(" ")) == 1


def test_separator_words_are_left_out() -> None:
    """With '-' as separator, hyphenated EFF words are not used (so word boundaries stay unique)."""
    usable = PassphrasePolicy(separator="-").usable_words(EFF)
    assert len(usable) == 7772
    assert all("-" not in w for w in usable)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (PassphrasePolicy(words=0), "1 to 64"),
        (PassphrasePolicy(separator=""), "empty separator"),
        (PassphrasePolicy(separator="and"), "letters"),
        (PassphrasePolicy(capitalize="shout"), "Capitalisation"),
        (PassphrasePolicy(extra="emoji"), "digit' or 'symbol"),
    ],
)
def test_bad_options_are_usage_errors(policy: PassphrasePolicy, message: str) -> None:
    """Impossible or ambiguous settings are refused with a clear message."""
    with pytest.raises(UsageError, match=message):
        generate_passphrases(policy)


@pytest.mark.parametrize(
    ("text", "message"),
    [("only\n", "fewer than two"), ("good\ntwo words\n", "one word per line"), ("abc\nx1y\n", "digits"),
     ("abc\n-dash\n", "start with a letter")],
)  # fmt: skip
def test_bad_custom_wordlists(tmp_path: Path, text: str, message: str) -> None:
    """Custom lists are validated line by line."""
    path = tmp_path / "list.txt"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        Wordlist.from_file(path)


def test_custom_list_dedupes_and_accepts_dice_numbers(tmp_path: Path) -> None:
    """Dice-numbered lines work; duplicates (any case) are dropped; words are lower-cased."""
    path = tmp_path / "list.txt"
    path.write_text("# comment\n11111\tApple\n11112\tapple\n11113\tpear\n\n")
    assert Wordlist.from_file(path).words == ("apple", "pear")
