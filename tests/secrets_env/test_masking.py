"""The output masker: every secret replaced, however the stream is cut into reads."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from vaultapp.secrets_env.masking import MASK, Masker

SECRETS = ["abcd", "abcdef", "xxab", "zz", "ça-va"]


def at_once(text: bytes) -> bytes:
    values = sorted((s.encode() for s in SECRETS if len(s) >= 4), key=len, reverse=True)
    return re.compile(b"|".join(map(re.escape, values))).sub(MASK, text)


def streamed(chunks: list[bytes]) -> bytes:
    masker = Masker(SECRETS)
    return b"".join(masker.feed(c) for c in chunks) + masker.flush()


def test_a_secret_split_across_reads_is_masked() -> None:
    """'abcdef' arriving as 'ab' + 'cd' + 'ef' is masked whole, not as 'abcd' + 'ef'."""
    assert streamed([b"x ab", b"cd", b"ef y\n"]) == b"x " + MASK + b" y\n"
    assert streamed([b"x ab", b"cd", b" y"]) == b"x " + MASK + b" y"
    assert streamed([b"\xc3", b"\xa7a-va"]) == MASK  # split inside a UTF-8 character


def test_short_values_are_not_masked_and_output_is_not_held() -> None:
    """'zz' (under 4 characters) passes; text that cannot start a secret is written at once."""
    masker = Masker(SECRETS)
    assert masker.feed(b"zz Enter code: ") == b"zz Enter code: "
    assert masker.feed(b"then ab") == b"then "  # 'ab' may be the start of 'abcd'
    assert masker.feed(b"c!") == b"abc!"
    assert masker.flush() == b""


def test_no_secrets_passes_everything() -> None:
    masker = Masker([])
    assert masker.feed(b"anything") == b"anything"
    assert masker.flush() == b""


PIECES = [b"a", b"b", b"c", b"d", b"ef", b"x", b"z", b" ", b"\xc3\xa7", b"-va"]


@given(st.lists(st.sampled_from(PIECES), max_size=40),
       st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=40))  # fmt: skip
def test_streamed_equals_masking_at_once(parts: list[bytes], cuts: list[int]) -> None:
    """For any text and any cutting into reads, the output is that of masking the whole text."""
    text = b"".join(parts)
    chunks, at, i = [], 0, 0
    while at < len(text):
        size = cuts[i % len(cuts)]
        chunks.append(text[at : at + size])
        at, i = at + size, i + 1
    assert streamed(chunks) == at_once(text)
