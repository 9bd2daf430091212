"""One running app per user: the socket a second ``vaultapp`` hands its request to, the lock that
makes "is one running?" and "then I am the one" a single step, and the tiny message protocol
(standard library only; the listening side is ``desktop.gui.InstanceServer``).

A request is one JSON object on one line, answered by one JSON object on one line:
``{"command": "activate", "open": "/abs/path.vault" | null}`` shows and raises the window (and
selects that vault); ``{"command": "state"}`` answers what the window shows (for scripts and the
tests: visible, minimized, locked, the selected vault). Anything else gets ``{"ok": false}``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from typing import Any, Final

from vaultapp.browser import paths

SOCKET_NAME: Final = "instance.sock"
LOCK_NAME: Final = "instance.lock"
MAX_MESSAGE: Final = 64 * 1024
ANSWER_SECONDS: Final = 10.0  # a guard against a hung first instance, not a timing


class NotAnsweringError(OSError):
    """A vaultapp listens on the socket but gave no answer."""


def socket_path() -> str:
    return os.path.join(paths.socket_dir(), SOCKET_NAME)  # noqa: PTH118


def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, separators=(",", ":")).encode() + b"\n"
    if len(data) > MAX_MESSAGE:
        raise ValueError("The message is over 64 KiB.")
    return data


def decode(data: bytes) -> dict[str, Any] | None:
    """One line's JSON object, or None for anything else (too long, not JSON, not an object)."""
    line = data.split(b"\n", 1)[0]
    if len(line) > MAX_MESSAGE:
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def activate_request(path: str | None) -> dict[str, Any]:
    """The request of ``vaultapp [PATH]`` (a relative path made absolute here, in its own folder)."""
    return {"command": "activate", "open": os.path.abspath(path) if path else None}  # noqa: PTH100


@contextlib.contextmanager
def startup_lock(directory: str | None = None) -> Iterator[str]:
    """Hold ``instance.lock`` in the private socket folder (created 0700 and checked) while a
    starting app decides; yields the folder. A crashed app's lock goes with its process.

    Raises:
        paths.UnsafeDirectoryError: the folder is not this user's private one.
    """
    folder = paths.ensure_private_dir(directory)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(os.path.join(folder, LOCK_NAME), flags, 0o600)  # noqa: PTH118
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        os.close(fd)  # releases the lock


def send(request: dict[str, Any], path: str | None = None) -> dict[str, Any] | None:
    """Hand ``request`` to the running app; its answer, or None when none listens (a stale
    socket of a crashed app is removed: call under ``startup_lock``).

    Raises:
        NotAnsweringError: an app accepted the request but did not answer.
    """
    path = path or socket_path()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(ANSWER_SECONDS)
    try:
        try:
            conn.connect(path)
        except FileNotFoundError:
            return None
        except ConnectionRefusedError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # noqa: PTH108 - nobody listens: a crashed app's socket
            return None
        except OSError as exc:
            if exc.errno == errno.ENOTSOCK:
                return None
            raise
        conn.sendall(encode(request))
        data = b""
        try:
            while b"\n" not in data and len(data) <= MAX_MESSAGE:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            raise NotAnsweringError(
                f"A vaultapp is running (its socket is {path}) but does not answer; "
                "close it, or end it if it hangs, and start vaultapp again."
            ) from None
        answer = decode(data)
        if answer is None:
            raise NotAnsweringError(f"The vaultapp listening at {path} gave no usable answer.")
        return answer
    finally:
        conn.close()
