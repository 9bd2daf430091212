"""Locks and per-device state: ``ExclusiveLock`` (flock, dropped by the OS when the process
dies), the ``WriteLock`` a save holds on ``NAME.lock``, and the small JSON state files in the
state folder, each rewritten whole under its own lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from vaultapp.core.errors import SaveFailedError, UsageError, VaultError, VaultLockedError
from vaultapp.core.saving import sweep_stale_temps
from vaultapp.core.storage import (
    FILE_MODE,
    LOCK_SUFFIX,
    STATE_MAX,
    TEMP_MARK,
    NotRegularFileError,
    SymlinkRefusedError,
    lock_path,
    not_a_vault,
    open_private,
    read_limited,
    refuse_special,
)

LOCK_WAIT: Final = 15.0  # seconds a save waits for another process's save to finish


class LockTimeoutError(Exception):
    """Another process holds the lock (raised by ``ExclusiveLock.acquire``)."""


class ExclusiveLock:
    """An advisory, exclusive lock on a file, held until ``release``.

    POSIX: ``fcntl.flock`` on the file, which the OS drops when the process dies, so a crash never
    leaves anything locked. Elsewhere: the ``filelock`` package. (Its import alone costs about
    15 ms, which every command paid on each unlock once the audit log took a lock there.)

    With ``remove`` the lock file is deleted on release, so none is left beside the vault. That is
    safe because every acquirer checks, once it holds the flock, that the file it locked is still
    the one at the path (a process that opened the file just before it was removed would
    otherwise hold a lock on a deleted file that nobody else can see): if not, it tries again.
    The file is removed while the lock is still held.
    """

    POLL: Final = 0.005

    def __init__(self, path: Path, timeout: float = 0, *, remove: bool = False) -> None:
        self.path, self.timeout, self.remove = path, timeout, remove
        self._fd: int | None = None
        self._fallback: Any = None

    def acquire(self) -> None:
        """Raises LockTimeoutError when still held by another process after ``timeout`` seconds."""
        try:
            import fcntl
        except ImportError:  # Windows
            from filelock import FileLock, Timeout

            lock = FileLock(self.path, timeout=self.timeout, mode=FILE_MODE)
            try:
                lock.acquire()
            except Timeout:
                raise LockTimeoutError(str(self.path)) from None
            self._fallback = lock
            return
        import time

        deadline = time.monotonic() + self.timeout
        while True:
            fd = open_private(self.path, os.O_RDWR | os.O_CREAT)  # 0600, never through a link
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise LockTimeoutError(str(self.path)) from None
                        time.sleep(self.POLL)  # held by another process: poll, as filelock does
                if self._is_current(fd):
                    self._fd = fd
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # we locked a file its last holder removed: lock the one at the path now

    def _is_current(self, fd: int) -> bool:
        """True when ``fd`` is the file now at ``path`` (not one removed since it was opened)."""
        held = os.fstat(fd)
        try:
            now = os.lstat(self.path)
        except FileNotFoundError:
            return False
        return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)

    def release(self) -> None:
        if self._fallback is not None:
            self._fallback.release()
            self._fallback = None
        if self._fd is not None:
            if self.remove:
                with contextlib.suppress(OSError):
                    self.path.unlink()  # still holding the lock: see the class docstring
            os.close(self._fd)  # closing the last descriptor drops the flock
            self._fd = None

    def __enter__(self) -> ExclusiveLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class StateFile:
    """A small per-device JSON file in the state folder (``~/.local/state/vaultapp/`` on Linux,
    per platformdirs). Holds no secret. Subclasses name the file and give it meaning."""

    FILE_NAME = "state.json"

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls) -> Self:
        from platformdirs import user_state_dir

        return cls(Path(user_state_dir("vaultapp", appauthor=False)) / cls.FILE_NAME)

    def _load(self) -> dict[str, Any]:
        return load_state(self.path)


def load_state(path: Path) -> dict[str, Any]:
    """A small per-device JSON state file (``{}`` when missing or unreadable: it is advisory)."""
    try:
        data = json.loads(read_limited(path, STATE_MAX).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def update_state(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Load, ``change`` and atomically rewrite a per-device state file under its own lock, so
    processes updating it at once never lose each other's changes or leave a torn file. Best
    effort: state that cannot be written never fails the caller's work."""
    with contextlib.suppress(OSError, LockTimeoutError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with ExclusiveLock(path.with_name(path.name + LOCK_SUFFIX), timeout=5):
            sweep_stale_temps(path)  # of writers killed before their rename (kill -9, power loss)
            data = load_state(path)
            change(data)
            temp = path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(6)}")
            fd = open_private(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle)
                temp.replace(path)
            finally:
                with contextlib.suppress(OSError):
                    temp.unlink()


class WriteLock:
    """An advisory, exclusive lock on ``NAME.lock`` (``ExclusiveLock``: flock on POSIX), taken
    for each save and released (the file removed) right after it.

    The OS drops the lock when the process dies, so a crash never leaves the vault locked; a lock
    file a killed process left behind is reused and removed by the next save.
    """

    def __init__(self, vault_path: Path) -> None:
        self.path = lock_path(vault_path)
        self.vault_path = vault_path
        self._lock: ExclusiveLock | None = None
        self.swept: list[str] = []  # temp files of an interrupted save, removed when taking the lock

    def acquire(self, timeout: float = 0) -> None:
        """Take the lock, waiting up to ``timeout`` seconds for another process's save, or
        raise VaultLockedError naming the lock file. No lock file is created beside a path that
        is not a regular file (``/dev/null.lock``): that raises UsageError."""
        try:
            refuse_special(self.vault_path, self.vault_path.stat().st_mode)
        except FileNotFoundError:
            pass  # a vault being created
        except NotRegularFileError as exc:
            raise UsageError(not_a_vault(self.vault_path, exc.mode)) from None
        except OSError as exc:
            raise VaultError(f"Cannot use {self.vault_path}: {exc.strerror or exc}.") from None
        lock = ExclusiveLock(self.path, timeout=timeout, remove=True)
        try:
            lock.acquire()
        except LockTimeoutError:
            waited = f" for {timeout:.0f} s" if timeout >= 1 else ""
            raise VaultLockedError(
                f"The vault is being saved by another process (lock file {self.path}) and it held "
                f"the lock{waited}; try again, and if this persists, close the other program."
            ) from None
        except (SymlinkRefusedError, NotRegularFileError) as exc:  # planted: never followed
            raise VaultError(f"Cannot use the lock file {self.path}: {exc.strerror}.") from None
        except OSError as exc:  # a full disk, a folder one may not write: nothing was changed yet
            raise SaveFailedError(
                f"Could not create the lock file {self.path}: {exc.strerror or exc}. Nothing was "
                "changed; free some disk space or check that you may write to that folder."
            ) from None
        self._lock = lock
        self.swept = sweep_stale_temps(self.vault_path)

    @property
    def held(self) -> bool:
        return self._lock is not None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
