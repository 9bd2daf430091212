"""Where the app listens for the proxy, and the checks that keep it the user's own (standard
library only, and not even pathlib: the proxy imports this at every browser start)."""

from __future__ import annotations

import os
import stat

SOCKET_NAME = "browser.sock"


class UnsafeDirectoryError(OSError):
    """The socket folder exists but is not a private folder of this user."""


def socket_dir() -> str:
    """``$XDG_RUNTIME_DIR/vaultapp`` (or, without that variable, ``$TMPDIR/vaultapp-<uid>``)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):  # noqa: PTH117 - pathlib costs the proxy's start
        return os.path.join(runtime, "vaultapp")  # noqa: PTH118
    tmp = os.environ.get("TMPDIR") or "/tmp"  # noqa: S108 - the folder is checked private
    return os.path.join(tmp, f"vaultapp-{os.getuid()}")  # noqa: PTH118


def socket_path() -> str:
    return os.path.join(socket_dir(), SOCKET_NAME)  # noqa: PTH118


def check_private_dir(path: str) -> None:
    """Raise UnsafeDirectoryError unless ``path`` is a real folder (not a symlink) owned by this
    user with no access for anyone else."""
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeDirectoryError(
            f"{path} is not a folder (a symlink or a file); remove it and start vaultapp again."
        )
    if info.st_uid != os.getuid():
        raise UnsafeDirectoryError(f"{path} belongs to another user; remove it and start vaultapp again.")
    if info.st_mode & 0o077:
        raise UnsafeDirectoryError(f"{path} can be opened by other users; run 'chmod 700 {path}'.")


def ensure_private_dir(path: str | None = None) -> str:
    """Create the socket folder 0700 (its parents as needed) and check it; returns it."""
    path = path or socket_dir()
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)  # noqa: PTH103, PTH120
    try:  # noqa: SIM105 - contextlib (with collections and functools) would double the proxy's imports
        os.mkdir(path, 0o700)  # noqa: PTH102
    except FileExistsError:
        pass
    check_private_dir(path)
    return path
