"""``vaultapp-proxy``: the native-messaging host the browser starts. Standard library only, and
few modules of it (it starts at every browser launch): relays 4-byte native-order
length-prefixed JSON on its stdin/stdout to and from the running app's socket
(``paths.socket_path``), where messages are JSON objects back to back (``wire``: KeePassXC's
convention on its socket). One thread, one ``select`` loop; messages are cut by their brackets
(``wire.Scanner``) and relayed as they are, so neither ``json`` nor ``re`` is imported unless an
error reply must be written.

- The app not running: each request gets the protocol's "not connected" error (code 5); the
  proxy tries to connect again at each new request. A request with ``triggerUnlock`` also starts
  the app (``vaultapp`` on PATH, else beside this Python), detached, once per proxy.
- The app going away (quit, or it stopped serving) with requests unanswered: each gets that error.
- A message over 1 MiB is refused with one error (its bytes are skipped); a reply over 1 MiB
  from the app is replaced by an error (Chrome closes the port on one).
- Input that is not a JSON object gets one error reply; the end of stdin (the browser closed
  the port), even inside a message, ends the proxy cleanly (exit 0).
"""

from __future__ import annotations

import _socket  # socket.py would bring enum and selectors: most of the proxy's start
import os
import select
import sys

from vaultapp.browser.paths import socket_path
from vaultapp.browser.wire import HEADER, MAX_MESSAGE, Scanner, TooLargeError

NOT_RUNNING = 5  # TIMEOUT_OR_NOT_CONNECTED: the extension shows "is vaultapp running?"
UNKNOWN = 0
EMPTY = 13
CHUNK = 65536
NOTICE = b'{"action":"database-'  # the app's unrequested database-locked/-unlocked notices


class Proxy:
    def __init__(self, stdin: int = 0, stdout: int = 1, path: str | None = None) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.path = path or socket_path()
        self.conn: _socket.socket | None = None
        self.stream = Scanner()
        self.pending = bytearray()  # stdin bytes not yet a whole message
        self.skipping = 0  # bytes of a refused message still to drop
        self.waiting: list[bytes] = []  # requests relayed and not answered yet, oldest first
        self.started_app = False

    # ---- to the browser ---------------------------------------------------------------------

    def send_browser(self, data: bytes) -> None:
        if len(data) > MAX_MESSAGE:
            self.error("", UNKNOWN, "The reply was over 1 MiB.")
            return
        view = memoryview(HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(self.stdout, view) :]

    def error(self, action: object, code: int, text: str) -> None:
        from vaultapp.browser.wire import dumps

        action = action if isinstance(action, str) else ""
        self.send_browser(dumps({"action": action, "errorCode": code, "error": text}))

    # ---- to and from the app ----------------------------------------------------------------

    def connect(self) -> _socket.socket | None:
        if self.conn is None:
            conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                conn.connect(self.path)
            except OSError:
                conn.close()
                return None
            self.conn, self.stream = conn, Scanner()
        return self.conn

    def hang_up(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        waiting, self.waiting = self.waiting, []
        for message in waiting:
            self.error(self.action(message), NOT_RUNNING, "vaultapp stopped before answering.")

    def relay(self, data: bytes) -> bool:
        """Send one request to the app; False when it is not there (or went away)."""
        conn = self.connect()
        if conn is None:
            return False
        try:
            conn.sendall(data)
        except OSError:
            self.hang_up()
            return False
        self.waiting.append(data)
        return True

    def from_app(self) -> None:
        assert self.conn is not None  # noqa: S101 - select only returns it when connected
        try:
            data = self.conn.recv(CHUNK)
        except OSError:
            data = b""
        if not data:
            self.hang_up()
            return
        try:
            values = self.stream.feed(data)
        except TooLargeError:
            self.error("", UNKNOWN, "The reply was over 1 MiB; narrow the request.")
            self.hang_up()
            return
        for value in values:
            if value is not None:
                if self.waiting and not value.startswith(NOTICE):  # notices answer no request
                    self.waiting.pop(0)
                self.send_browser(value)

    # ---- from the browser -------------------------------------------------------------------

    def from_browser(self, data: bytes) -> None:
        self.pending += data
        while True:
            if self.skipping:
                dropped = min(self.skipping, len(self.pending))
                del self.pending[:dropped]
                self.skipping -= dropped
                if self.skipping:
                    return
            if len(self.pending) < HEADER.size:
                return
            (size,) = HEADER.unpack_from(self.pending)
            if size > MAX_MESSAGE:
                self.error("", UNKNOWN, f"Message of {size} bytes refused: the limit is 1 MiB.")
                del self.pending[: HEADER.size]
                self.skipping = size
                continue
            if len(self.pending) < HEADER.size + size:
                return
            message = bytes(self.pending[HEADER.size : HEADER.size + size])
            del self.pending[: HEADER.size + size]
            self.request(message)

    def request(self, message: bytes) -> None:
        """Relay one message that is a whole JSON object by its brackets (the app parses it)."""
        try:
            pieces = Scanner(MAX_MESSAGE).feed(message)
        except TooLargeError:  # cannot happen: the message is at most that long
            pieces = []
        whole = message.strip(b" \t\r\n")
        if len(pieces) != 1 or pieces[0] != whole or not whole.startswith(b"{"):
            self.error("", EMPTY, "The message is not a JSON object.")
        elif not self.relay(whole):
            if not self.started_app and self.wants_unlock(whole):
                self.started_app = start_app()
            self.error(self.action(whole), NOT_RUNNING, "vaultapp is not running or its vault is locked.")

    @staticmethod
    def wants_unlock(message: bytes) -> bool:
        import json

        try:
            value = json.loads(message)
        except (ValueError, RecursionError):
            return False
        return isinstance(value, dict) and value.get("triggerUnlock") in ("true", True)

    @staticmethod
    def action(message: bytes) -> str:
        import json

        try:
            value = json.loads(message)
        except (ValueError, RecursionError):
            return ""
        action = value.get("action") if isinstance(value, dict) else None
        return action if isinstance(action, str) else ""

    def run(self) -> int:
        while True:
            watched: list[int | _socket.socket] = (
                [self.stdin] if self.conn is None else [self.stdin, self.conn]
            )
            ready, _, _ = select.select(watched, [], [])
            if self.conn is not None and self.conn in ready:
                self.from_app()
            if self.stdin in ready:
                data = os.read(self.stdin, CHUNK)
                if not data:
                    return 0
                self.from_browser(data)


def start_app() -> bool:
    """Start the window (``vaultapp``), detached from the browser: its own session, no stdio."""
    import shutil
    import subprocess
    from pathlib import Path

    program = shutil.which("vaultapp")
    if program is None:
        beside = Path(sys.executable).parent / "vaultapp"
        program = str(beside) if os.access(beside, os.X_OK) else None
    if program is None:
        return False
    try:
        subprocess.Popen(
            [program],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        return False
    return True


def main() -> int:
    """The console entry point (the browser passes its origin, and a window id, as arguments)."""
    try:
        return Proxy().run()
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
    finally:
        try:  # noqa: SIM105 - contextlib is one more import at every browser start
            os.close(1)
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
