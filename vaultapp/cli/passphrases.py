"""Reading passphrases and other secret lines: without echo from a terminal, else one line each from
standard input, refusing what is not UTF-8 without ever showing it."""

from __future__ import annotations

import sys

from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    from typing import IO


LINE_MAX = 65536  # one line of standard input (a passphrase, password or TOTP URI) at most


class Passphrases:
    """Reads passphrases: without echo from a terminal, else one line each from standard input."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stdin
        self.first = ""  # the first passphrase read (the vault's): "empty" answers later mean this one

    @property
    def stream(self) -> IO[str]:
        return self._stream

    @property
    def interactive(self) -> bool:
        return self._stream.isatty()

    def read(self, prompt: str, what: str, *, confirm: bool = False) -> str:
        value = self._read(prompt, what, confirm=confirm)
        self.first = self.first or value
        return value

    def _read(self, prompt: str, what: str, *, confirm: bool) -> str:
        if self.interactive:
            from vaultapp.core.keys import same_secret

            value = _ask_hidden(f"{prompt}: ", what)
            if confirm and not same_secret(_ask_hidden(f"{prompt} (again): ", what), value):
                raise UsageError("The two passphrases do not match; nothing was changed.")
            return value
        # Bytes, decoded here: whatever the locale, a byte that is not UTF-8 is refused in one
        # line that never shows the input (nor where in it the byte was).
        buffer = getattr(self._stream, "buffer", None)
        raw = buffer.readline(LINE_MAX + 1) if buffer is not None else self._stream.readline(LINE_MAX + 1)
        if not raw:
            raise UsageError(f"Expected {what} as a line on standard input, but the input ended.")
        if len(raw) > LINE_MAX:  # /dev/zero, or a file given by mistake: never read it all
            raise UsageError(
                f"Expected {what} as a line on standard input, but the line is longer than "
                f"{LINE_MAX:,} bytes; check what is piped in."
            )
        line = _utf8(raw, what)
        return line.removesuffix("\n").removesuffix("\r")


def _ask_hidden(prompt: str, what: str) -> str:
    """One answer typed at the terminal without echo."""
    import getpass

    try:
        return _utf8(getpass.getpass(prompt), what)
    except EOFError:
        raise UsageError(f"The input ended (Ctrl+D) before {what} was typed; nothing was changed.") from None
    except UnicodeDecodeError:
        raise _not_utf8(what) from None


def _utf8(value: str | bytes, what: str) -> str:
    """``value`` as text, refusing bytes that are not UTF-8 (seen as surrogates in text)."""
    try:
        if isinstance(value, bytes):
            return value.decode("utf-8")
        value.encode("utf-8")  # undecodable bytes reach text as surrogates, which do not encode
    except UnicodeError:
        raise _not_utf8(what) from None
    return value


def _not_utf8(what: str) -> UsageError:
    return UsageError(
        f"{what[0].upper()}{what[1:]} is not valid UTF-8 text; type it again with the terminal (or the "
        "file it comes from) set to UTF-8."
    )
