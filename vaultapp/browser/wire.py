"""The bytes between the browser, the proxy and the app (standard library only).

- Browser <-> proxy: native messaging, each message a 4-byte native-order length then UTF-8 JSON.
- Proxy <-> app: KeePassXC's convention on its socket, JSON objects back to back with no framing,
  so clients written for KeePassXC's socket (keepassxc-proxy-client, keepassxc-browser-api) work
  against vaultapp's too. ``JsonStream`` cuts such a stream into values without guessing: it
  tracks strings and brackets, so a value split across reads waits for its end.
"""

from __future__ import annotations

import codecs
import json
import re
import struct

HEADER = struct.Struct("=I")
MAX_MESSAGE = 1024 * 1024  # 1 MiB, the native-messaging cap on messages to the browser

_IN_STRING = re.compile(r'["\\]')
_OUTSIDE = re.compile(r'["{}\[\]]')


class Garbage:
    """A piece of the stream that is not a JSON object or array (it was dropped)."""


GARBAGE = Garbage()


class TooLargeError(ValueError):
    """A value longer than the limit: the stream cannot be trusted further."""


class JsonStream:
    def __init__(self, limit: int = MAX_MESSAGE) -> None:
        self.limit = limit
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._pos = 0  # where scanning resumes
        self._depth = 0
        self._in_string = False

    def feed(self, data: bytes) -> list[object]:
        """The values completed by ``data`` (``GARBAGE`` for what could not be one).

        Raises:
            TooLargeError: a value grew past the limit.
        """
        self._text += self._decoder.decode(data)
        out: list[object] = []
        while True:
            if self._depth == 0:
                stripped = self._text.lstrip()
                self._text, self._pos = stripped, 0
                if not stripped:
                    return out
                if stripped[0] not in "{[":
                    out.append(GARBAGE)
                    self._text = ""
                    return out
            end = self._scan()
            if end is None:
                if len(self._text) > self.limit:
                    raise TooLargeError(f"A message over {self.limit} bytes.")
                return out
            piece, self._text, self._pos = self._text[:end], self._text[end:], 0
            try:
                out.append(json.loads(piece))
            except (ValueError, RecursionError):
                out.append(GARBAGE)

    def _scan(self) -> int | None:
        """The end of the value that starts the buffer, or None if it has not ended yet."""
        text, pos = self._text, self._pos
        while True:
            if self._in_string:
                match = _IN_STRING.search(text, pos)
                if match is None:
                    self._pos = len(text)
                    return None
                if match.group() == "\\":
                    if match.end() >= len(text):
                        self._pos = match.start()
                        return None
                    pos = match.end() + 1
                    continue
                self._in_string = False
                pos = match.end()
                continue
            match = _OUTSIDE.search(text, pos)
            if match is None:
                self._pos = len(text)
                return None
            char, pos = match.group(), match.end()
            if char == '"':
                self._in_string = True
            elif char in "{[":
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth <= 0:
                    self._depth = 0
                    return pos


def dumps(value: object) -> bytes:
    """Compact ASCII JSON (``\\u`` escapes), so no UTF-8 sequence is ever split on the socket."""
    return json.dumps(value, separators=(",", ":")).encode("ascii")
