"""``vaultapp-proxy``: the native-messaging host the browser starts. Standard library only (it
starts at every browser launch): relays 4-byte native-order length-prefixed JSON on its
stdin/stdout to and from the running app's socket (``paths.socket_path``), where messages are
JSON objects back to back (``wire``: KeePassXC's convention on its socket).

- The app not running: each request gets the protocol's "not connected" error (code 5); the
  proxy keeps trying to connect at each new request.
- A message over 1 MiB is refused with one error (its bytes are skipped); a response over 1 MiB
  from the app is replaced by an error (Chrome closes the port on one).
- Input that is not a JSON object gets one error reply; a stream cut inside a message ends the
  proxy cleanly (exit 0): the browser closed the port.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
from typing import IO, Any

from vaultapp.browser.paths import socket_path
from vaultapp.browser.wire import GARBAGE, HEADER, MAX_MESSAGE, JsonStream, TooLargeError, dumps

NOT_RUNNING = 5  # TIMEOUT_OR_NOT_CONNECTED: the extension shows "is vaultapp running?"
UNKNOWN = 0
EMPTY = 13


def read_exact(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes from ``stream``, or None at the end of the stream."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def skip(stream: IO[bytes], size: int) -> bool:
    while size > 0:
        chunk = stream.read(min(size, 65536))
        if not chunk:
            return False
        size -= len(chunk)
    return True


class Proxy:
    def __init__(self, stdin: IO[bytes], stdout: IO[bytes], path: str | None = None) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.path = path or str(socket_path())
        self.conn: socket.socket | None = None
        self.write_lock = threading.Lock()

    def send_browser(self, data: bytes) -> None:
        if len(data) > MAX_MESSAGE:
            data = dumps({"action": "", "errorCode": UNKNOWN, "error": "The reply was over 1 MiB."})
        with self.write_lock:
            self.stdout.write(HEADER.pack(len(data)) + data)
            self.stdout.flush()

    def error(self, action: object, code: int, text: str) -> None:
        reply: dict[str, Any] = {
            "action": action if isinstance(action, str) else "",
            "errorCode": code,
            "error": text,
        }
        self.send_browser(json.dumps(reply).encode())

    def connect(self) -> socket.socket | None:
        if self.conn is None:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(self.path)
            except OSError:
                conn.close()
                return None
            self.conn = conn
            threading.Thread(target=self.from_app, args=(conn,), daemon=True).start()
        return self.conn

    def from_app(self, conn: socket.socket) -> None:
        """Relay the app's messages (replies and lock notices) to the browser until it hangs up."""
        stream = JsonStream()
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                for value in stream.feed(data):
                    if value is not GARBAGE:
                        self.send_browser(dumps(value))
        except TooLargeError:
            self.error("", UNKNOWN, "The reply was over 1 MiB; narrow the request.")
        except OSError:
            pass
        if self.conn is conn:
            self.conn = None
        conn.close()

    def relay(self, data: bytes) -> bool:
        """Send one request to the app; False when it is not there (or went away)."""
        conn = self.connect()
        if conn is None:
            return False
        try:
            conn.sendall(data)
        except OSError:
            self.conn = None
            return False
        return True

    def run(self) -> int:
        while True:
            header = read_exact(self.stdin, HEADER.size)
            if header is None:
                return 0
            (size,) = HEADER.unpack(header)
            if size > MAX_MESSAGE:
                self.error("", UNKNOWN, f"Message of {size} bytes refused: the limit is 1 MiB.")
                if not skip(self.stdin, size):
                    return 0
                continue
            data = read_exact(self.stdin, size)
            if data is None:
                return 0
            try:
                request = json.loads(data)
            except (ValueError, RecursionError):
                request = None
            if not isinstance(request, dict):
                self.error("", EMPTY, "The message is not a JSON object.")
                continue
            if not self.relay(dumps(request)):
                self.error(
                    request.get("action"), NOT_RUNNING, "vaultapp is not running or its vault is locked."
                )


def main() -> int:
    """The console entry point: the browser passes its origin (and a window id) as arguments."""
    try:
        return Proxy(sys.stdin.buffer, sys.stdout.buffer).run()
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
    finally:
        with contextlib.suppress(OSError):
            os.close(1)


if __name__ == "__main__":
    sys.exit(main())
