"""The bytes between the browser, the proxy and the app.

- Browser <-> proxy: native messaging, each message a 4-byte native-order length then UTF-8 JSON.
- Proxy <-> app: KeePassXC's convention on its socket, JSON values back to back with no framing,
  so clients written for KeePassXC's socket (keepassxc-proxy-client, keepassxc-browser-api) work
  against vaultapp's too. ``Scanner`` cuts such a stream into values without parsing them: it
  tracks strings and brackets, so a value split across reads waits for its end. It imports
  nothing (not even ``json`` or ``re``), so the proxy can use it and still start fast;
  ``JsonStream`` (the app's side) parses what it cuts.
"""

from __future__ import annotations

import struct

HEADER = struct.Struct("=I")
MAX_MESSAGE = 1024 * 1024  # 1 MiB, the native-messaging cap on messages to the browser

_QUOTE, _BACKSLASH = 0x22, 0x5C
_OPEN, _CLOSE = frozenset(b"{["), frozenset(b"}]")
_SPACE = b" \t\r\n"


class TooLargeError(ValueError):
    """A value longer than the limit: the stream cannot be trusted further."""


class Scanner:
    """Cuts a byte stream into JSON objects/arrays by their brackets (not checked any further)."""

    def __init__(self, limit: int = MAX_MESSAGE) -> None:
        self.limit = limit
        self._buffer = bytearray()
        self._pos = 0  # where scanning resumes
        self._depth = 0
        self._in_string = False

    def feed(self, data: bytes) -> list[bytes | None]:
        """The values completed by ``data``; None for bytes that cannot start one (dropped).

        Raises:
            TooLargeError: a value grew past the limit.
        """
        self._buffer += data
        out: list[bytes | None] = []
        while True:
            if self._depth == 0:
                start = 0
                while start < len(self._buffer) and self._buffer[start] in _SPACE:
                    start += 1
                del self._buffer[:start]
                self._pos = 0
                if not self._buffer:
                    return out
                if self._buffer[0] not in _OPEN:
                    out.append(None)
                    self._buffer.clear()
                    return out
            end = self._scan()
            if end is None:
                if len(self._buffer) > self.limit:
                    raise TooLargeError(f"A message over {self.limit} bytes.")
                return out
            out.append(bytes(self._buffer[:end]))
            del self._buffer[:end]
            self._pos = 0

    def _scan(self) -> int | None:
        buffer, pos, size = self._buffer, self._pos, len(self._buffer)
        while pos < size:
            if self._in_string:
                quote = buffer.find(b'"', pos)
                backslash = buffer.find(b"\\", pos, quote if quote >= 0 else size)
                if backslash >= 0:
                    if backslash + 1 >= size:
                        break  # the escaped byte has not arrived yet
                    pos = backslash + 2
                    continue
                if quote < 0:
                    pos = size
                    break
                self._in_string = False
                pos = quote + 1
                continue
            byte = buffer[pos]
            pos += 1
            if byte == _QUOTE:
                self._in_string = True
            elif byte in _OPEN:
                self._depth += 1
            elif byte in _CLOSE:
                self._depth -= 1
                if self._depth <= 0:
                    self._depth = 0
                    return pos
        self._pos = pos
        return None


class Garbage:
    """A piece of the stream that is not a JSON object or array (it was dropped)."""


GARBAGE = Garbage()


class JsonStream:
    """``Scanner`` plus parsing: the values themselves, ``GARBAGE`` for what is not JSON."""

    def __init__(self, limit: int = MAX_MESSAGE) -> None:
        self._scanner = Scanner(limit)

    def feed(self, data: bytes) -> list[object]:
        import json

        out: list[object] = []
        for piece in self._scanner.feed(data):
            try:
                out.append(GARBAGE if piece is None else json.loads(piece))
            except (ValueError, RecursionError):
                out.append(GARBAGE)
        return out


def dumps(value: object) -> bytes:
    """Compact ASCII JSON (``\\u`` escapes), so no UTF-8 sequence is ever split on the socket."""
    import json

    return json.dumps(value, separators=(",", ":")).encode("ascii")
