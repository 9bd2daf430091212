"""Where the app listens for the proxy, and the checks that keep it the user's own (standard
library only: the proxy imports this at every browser start)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

SOCKET_NAME = "browser.sock"


class UnsafeDirectoryError(OSError):
    """The socket folder exists but is not a private folder of this user."""


def socket_dir() -> Path:
    """``$XDG_RUNTIME_DIR/vaultapp`` (or, without that variable, ``/tmp/vaultapp-<uid>``)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute():
        return Path(runtime) / "vaultapp"
    return Path(os.environ.get("TMPDIR") or "/tmp") / f"vaultapp-{os.getuid()}"  # noqa: S108 - checked private


def socket_path() -> Path:
    return socket_dir() / SOCKET_NAME


def check_private_dir(path: Path) -> None:
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


def ensure_private_dir(path: Path | None = None) -> Path:
    """Create the socket folder 0700 (its parents as needed) and check it; returns it."""
    path = path or socket_dir()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    check_private_dir(path)
    return path
