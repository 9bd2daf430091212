"""Uniform random indices in bulk from ``os.urandom``, by rejection (never modulo bias).

Drawing one byte (or two, or four) per index and rejecting values at or above the largest
multiple of the range keeps every index exactly equally likely, and bulk draws keep it fast.
"""

from __future__ import annotations

import os
from array import array

TYPE_CHECKING = False  # typing stays off the one-shot CLI path; annotations are not evaluated
if TYPE_CHECKING:
    from typing import Final


_WIDTHS: Final = ((1, 256, "B"), (2, 65536, "H"), (4, 1 << 32, "I"))


def indices(count: int, size: int) -> list[int]:
    """``count`` independent uniform integers in ``range(size)``."""
    if size <= 0:
        raise ValueError("size must be positive")
    if size == 1:
        return [0] * count
    fitting = [w for w in _WIDTHS if size <= w[1]]
    if not fitting:
        raise ValueError("size too large for bulk draws")
    width, span, code = fitting[0]
    limit = span - span % size
    result: list[int] = []
    while len(result) < count:
        need = count - len(result)
        # Draw a little more than needed, given the acceptance rate limit / span.
        batch = array(code, os.urandom(width * (need * span // limit + 16)))
        result.extend(v % size for v in batch if v < limit)
    del result[count:]
    return result


def below(size: int) -> int:
    """One uniform integer in ``range(size)`` (``secrets.randbelow`` semantics)."""
    import secrets

    return secrets.randbelow(size)


def chars(count: int, alphabet: str) -> str:
    """``count`` characters, each uniform over ``alphabet`` (whose characters must be distinct).

    For alphabets of Latin-1 characters this runs entirely in C: random bytes, rejected bytes
    deleted with ``bytes.translate``, the rest mapped through a translation table.
    """
    size = len(alphabet)
    if size == 0:
        raise ValueError("empty alphabet")
    if size > 256 or max(map(ord, alphabet)) > 255:
        return "".join(alphabet[i] for i in indices(count, size))
    limit = 256 - 256 % size
    rejected = bytes(range(limit, 256))
    table = bytes(ord(alphabet[b % size]) if b < limit else 0 for b in range(256))
    parts: list[bytes] = []
    have = 0
    while have < count:
        need = count - have
        raw = os.urandom(need * 256 // limit + 16).translate(None, rejected)[:need]
        parts.append(raw)
        have += len(raw)
    return b"".join(parts).translate(table).decode("latin-1")
