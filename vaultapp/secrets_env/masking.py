"""Masking a command's output: every secret value that appears on its stdout or stderr is
replaced by ``<concealed by vaultapp>``, as ``op run`` does, also when a value arrives split
across reads (``Masker``).

The output is bytes; a secret is matched as its UTF-8 bytes, exactly (not in other encodings,
not escaped, not base64). Where secrets overlap, the leftmost occurrence wins and, at one
place, the longest secret. Values shorter than ``MIN_MASKED`` characters are not masked: a
two-letter value would garble every word that holds it (``run`` says which variables those are).
Only as much output as could be the start of a secret is held back, and only until the next
read shows whether it is: a prompt without a line break appears at once unless it ends in the
first characters of a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

MASK: Final = b"<concealed by vaultapp>"
MIN_MASKED: Final = 4


def maskable(value: str) -> bool:
    """Whether ``value`` is long enough to be masked (see ``MIN_MASKED``)."""
    return len(value) >= MIN_MASKED


class Masker:
    """A stream's masking state: ``feed`` each chunk read, ``flush`` at the end of the stream.
    What they return, written in order, is the stream with every secret replaced by ``MASK``:
    the same as masking the whole stream at once, however it was cut into chunks."""

    def __init__(self, secrets: Iterable[str]) -> None:
        values = sorted({s.encode("utf-8") for s in secrets if maskable(s)}, key=lambda b: (-len(b), b))
        self._secrets = values
        self._pattern = re.compile(b"|".join(re.escape(v) for v in values)) if values else None
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        """The part of the stream so far that can be written now, masked."""
        if self._pattern is None:
            return chunk
        data = self._pending + chunk
        hold = len(data) - self._open_prefix(data)
        if not any(secret in data for secret in self._secrets):  # the usual case, at memchr speed
            self._pending = data[hold:]
            return data[:hold]
        out: list[bytes] = []
        done = 0
        for match in self._pattern.finditer(data):
            if match.start() >= hold:  # may yet be part of a longer secret: wait for more
                break
            out += (data[done : match.start()], MASK)
            done = match.end()
        cut = max(done, hold)
        out.append(data[done:cut])
        self._pending = data[cut:]
        return b"".join(out)

    def flush(self) -> bytes:
        """The rest of the stream, masked (at its end, nothing more can complete a secret)."""
        data, self._pending = self._pending, b""
        if self._pattern is None or not data:
            return data
        return self._pattern.sub(MASK, data)

    def _open_prefix(self, data: bytes) -> int:
        """The length of the longest end of ``data`` that is the start of a secret but not all of
        it (a secret that may be cut by the end of this read)."""
        best = 0
        for secret in self._secrets:
            at = data.find(secret[:1], max(0, len(data) - len(secret) + 1))
            while at != -1 and len(data) - at > best:
                if secret.startswith(data[at:]):
                    best = len(data) - at
                    break
                at = data.find(secret[:1], at + 1)
        return best
