"""File I/O for vaults: read, atomic verified write, backup, advisory lock, fingerprints.

The save path is: temp file in the same folder (mode 0600, O_EXCL) -> write -> flush -> fsync
-> read back and verify -> fsync the folder -> keep the previous version as ``NAME.bak`` ->
``os.replace`` -> fsync the folder again. Any failure before the replace removes the temp file and
leaves the vault as it was.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from vaultapp.core.errors import (
    DamagedFileError,
    ReadOnlyVaultError,
    SaveFailedError,
    UsageError,
    VaultError,
    VaultLockedError,
)

FILE_MODE: Final = 0o600
BACKUP_SUFFIX: Final = ".bak"
LOCK_SUFFIX: Final = ".lock"
TEMP_MARK: Final = ".tmp-"
READ_MAX: Final = 1 << 30  # no file vaultapp reads is larger (a vault is at most 1 GiB)
STATE_MAX: Final = 16 << 20  # a per-device state file (seen.json, audit-heads.json)
TEMP_STALE_AFTER: Final = 5 * 60  # seconds: a younger temp file may be a save in progress
_TEMP_TAIL: Final = r"\.tmp-[0-9a-f]{12}"  # what _write_temp and its callers append to a name


# ---- files that are not what they seem ---------------------------------------------------------


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a socket or a folder (or a link to one). Nothing is read from
    it, written to it, or created beside it: a FIFO blocks ``open`` for ever and ``/dev/zero``
    never ends. ``strerror`` says what it is."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(errno.EINVAL, f"it is {describe_mode(mode)}, not a regular file", str(path))
        self.mode = mode


class FileTooLargeError(OSError):
    """The file is larger than the reader's limit (``limit`` bytes); nothing past it was read."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than {describe_size(limit)}", str(path))
        self.limit = limit


class SymlinkRefusedError(OSError):
    """A file vaultapp writes is a symbolic link (someone may have planted it to redirect the
    write): it is never written through."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            errno.ELOOP, "it is a symbolic link, and vaultapp never writes through one; remove it", str(path)
        )


def describe_size(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size:,} bytes"


def describe_mode(mode: int) -> str:
    """What kind of file ``mode`` (from ``os.stat``) is, for messages."""
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
    ):  # fmt: skip
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(path, mode)


def _blocking(fd: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.set_blocking(fd, True)  # a regular file: reads and writes behave as usual


_READ_FLAGS: Final = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)  # fmt: skip
_WRITE_FLAGS: Final = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)  # fmt: skip


def read_limited(path: Path, max_size: int, *, check_start: Callable[[bytes], None] | None = None) -> bytes:
    """Read a whole regular file of at most ``max_size`` bytes: the one reader for every file
    vaultapp reads (vaults, backups, imports, key files, wordlists, images, state files).

    A FIFO, a device (``/dev/zero``, ``/dev/urandom``), a socket or a folder, or a link to one, is
    refused before it is opened; it is opened with ``O_NONBLOCK`` and checked again, so one
    swapped in meanwhile cannot block either. A file over ``max_size`` is refused by its size,
    and at most ``max_size + 1`` bytes are read even if it grows. ``check_start`` sees the first
    16 bytes before anything else is read (a huge file that is not a vault then costs nothing).

    Raises:
        NotRegularFileError, IsADirectoryError: not a regular file (nothing was read).
        FileTooLargeError: over ``max_size`` (nothing past it was read).
        OSError: any other reason it cannot be read (missing, permission denied).
    """
    path = Path(path)
    fd = open_regular(path)
    info = os.fstat(fd)
    try:
        if check_start is not None:
            check_start(os.read(fd, 16))
            os.lseek(fd, 0, os.SEEK_SET)
        if info.st_size > max_size:
            raise FileTooLargeError(path, max_size)
        chunks, total = [], 0
        while total <= max_size:  # usually one read of the whole file, then one at its end
            chunk = os.read(fd, min(max_size + 1 - total, max(info.st_size + 1 - total, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > max_size:
        raise FileTooLargeError(path, max_size)
    return b"".join(chunks)


def open_regular(path: Path) -> int:
    """Open a regular file to read (the checks of ``read_limited``: a FIFO, device, socket or
    folder is refused before and after it is opened, never blocking). Returns the descriptor,
    for a reader that reads parts of a file (the vault's attachments) instead of all of it.

    Raises:
        NotRegularFileError, IsADirectoryError: not a regular file.
        OSError: any other reason it cannot be opened.
    """
    path = Path(path)
    _refuse_special(path, path.stat().st_mode)
    fd = os.open(path, _READ_FLAGS)
    try:
        _refuse_special(path, os.fstat(fd).st_mode)
        _blocking(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private(path: Path, flags: int) -> int:
    """``os.open`` for every file vaultapp writes: created at mode 0600 from the first byte, never
    through a symbolic link (``O_NOFOLLOW``), never a FIFO or device (``O_NONBLOCK``, then
    checked). ``flags`` are the usual ``O_WRONLY | O_CREAT | O_EXCL``... Returns the descriptor.

    Raises:
        SymlinkRefusedError: ``path`` is a symbolic link (nothing was opened).
        NotRegularFileError, IsADirectoryError: ``path`` is a FIFO, device, socket or folder.
        FileExistsError: with ``O_EXCL``, something (a link too) is there already.
        OSError: any other reason.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if flags & os.O_EXCL:
            raise FileExistsError(errno.EEXIST, "it exists already", str(path))
        if stat.S_ISLNK(info.st_mode):
            raise SymlinkRefusedError(path)
        _refuse_special(path, info.st_mode)
    try:
        fd = os.open(path, flags | _WRITE_FLAGS, FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink():
            raise SymlinkRefusedError(path) from None  # planted between the check and the open
        raise
    try:
        _refuse_special(path, os.fstat(fd).st_mode)
        _blocking(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def resolve_vault_path(path: Path | str) -> Path:
    """The path to write: a symlinked vault (say, into a synced folder) is followed, not replaced."""
    path = Path(path)
    return path.resolve() if path.is_symlink() else path


def find_conflict_copies(path: Path) -> list[Path]:
    """Copies that sync tools leave beside a vault when two machines changed it:
    Syncthing ``NAME.sync-conflict-<date>-<time>-<device>.vault``, Dropbox and Nextcloud
    ``NAME (… conflicted copy …).vault``, and numbered duplicates ``NAME (1).vault``."""
    import re

    stem, suffix = re.escape(path.stem), re.escape(path.suffix)
    patterns = (
        re.compile(rf"{stem}\.sync-conflict-[^/]*{suffix}"),
        re.compile(rf"{stem} \([^)]*conflicted copy[^)]*\){suffix}", re.IGNORECASE),
        re.compile(rf"{stem} \(\d+\){suffix}"),
    )
    try:
        names = sorted(p.name for p in path.parent.iterdir() if p.is_file())
    except OSError:
        return []
    return [path.parent / n for n in names if n != path.name and any(r.fullmatch(n) for r in patterns)]


def set_aside(path: Path) -> Path:
    """Rename a merged conflict copy to ``NAME.merged`` (kept, but no longer offered)."""
    target = path.with_name(path.name + ".merged")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.merged{counter}")
    path.rename(target)
    return target


def backup_path(path: Path, folder: Path | None = None) -> Path:
    """``NAME.bak`` beside the vault, or in ``folder`` when one is chosen."""
    return (folder or path.parent) / (path.name + BACKUP_SUFFIX)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a vault file looked like when we last read or wrote it."""

    size: int
    sha256: bytes

    @classmethod
    def of(cls, data: bytes) -> Fingerprint:
        return cls(len(data), hashlib.sha256(data).digest())


def _not_a_vault(path: Path, mode: int) -> str:
    return f"{path} is {describe_mode(mode)}, not a vault file; give the path of the vault file."


def read_bytes(
    path: Path, *, max_size: int = READ_MAX, check_start: Callable[[bytes], None] | None = None
) -> bytes:
    """Read a vault file (``read_limited``), turning OS errors into one clear VaultError.

    ``check_start`` sees the first 16 bytes before the rest is read, and ``max_size`` bounds the
    file, so pointing the program at a huge file that is not a vault costs nothing.
    """
    try:
        return read_limited(path, max_size, check_start=check_start)
    except OSError as exc:
        raise vault_read_error(path, exc, max_size) from None


def vault_read_error(path: Path, exc: OSError, max_size: int) -> VaultError:
    """The one clear error for a vault file that could not be read (see ``read_bytes``)."""
    if isinstance(exc, FileNotFoundError):
        return VaultError(f"No vault at {path}. Check the path, or create one with 'init'.")
    if isinstance(exc, IsADirectoryError):
        return VaultError(f"{path} is a folder, not a vault file.")
    if isinstance(exc, NotRegularFileError):
        return UsageError(_not_a_vault(path, exc.mode))
    if isinstance(exc, FileTooLargeError):
        return DamagedFileError(
            f"{path.name} is larger than {max_size // 1024**2} MiB; it is not a vault this program can open."
        )
    return VaultError(f"Cannot read {path}: {exc.strerror or exc}.")


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows: folders cannot be opened for fsync
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_failed(path: Path, exc: OSError) -> SaveFailedError:
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: " Free some disk space and save again.",
        errno.EDQUOT: " Free some disk space and save again.",
        errno.EACCES: " Check that you may write to that folder.",
        errno.EPERM: " Check that you may write to that folder.",
        errno.EROFS: " The disk is read-only.",
    }.get(exc.errno or 0, " Try again; if it keeps failing, save to another folder.")
    return SaveFailedError(f"Could not save {path.name}: {reason}. The vault on disk is unchanged.{hint}")


def _write_temp(path: Path, data: bytes) -> Path:
    temp = path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(6)}")
    fd = open_private(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


# Files this process has put in place (a vault replaced by ``atomic_write``, a new file linked
# by ``publish_new``), in order. A front end that is interrupted (Ctrl-C) reads it to say truly
# whether anything was saved.
LANDED: list[Path] = []


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) for a few system calls, so that "the file was replaced" and "it
    is recorded in LANDED" happen together; a Ctrl-C pressed meanwhile is raised right after.
    Only the main thread receives SIGINT, so elsewhere (and off POSIX) this does nothing."""
    import signal
    import threading

    block = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if block:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if block:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def publish_new(path: Path, data: bytes, *, verify: Callable[[Path], None] | None = None) -> None:
    """Create the new file ``path`` holding ``data``, so that nothing half-made ever has that
    name: a temp file (0600, O_EXCL, an unguessable name) in the same folder is written, fsynced
    and handed to ``verify`` (which raises if it is wrong), and only then hard-linked to ``path``
    -- a link never replaces an existing name, not even a dangling symlink -- and the temp name
    removed. A kill, a full disk or a failed check leaves no file at ``path`` (at worst a
    ``.NAME.tmp-*`` file, to remove by hand: the vault's sweep matches its own names only).

    Raises:
        UsageError: ``path`` exists already (nothing is overwritten).
        SaveFailedError: an OS error on the way (disk full, permissions); nothing is left behind.
        VaultError: whatever ``verify`` raised; nothing is left behind.
    """
    from vaultapp.core.errors import UsageError

    def exists() -> UsageError:
        return UsageError(f"{path} exists already; choose another name (nothing is overwritten).")

    if path.exists() or path.is_symlink():
        raise exists()
    temp: Path | None = None
    try:
        temp = _write_temp(path, data)
        if verify is not None:
            verify(temp)
        with _uninterrupted():
            try:
                os.link(temp, path, follow_symlinks=False)
            except FileExistsError:
                raise exists() from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                    raise
                # A file system without hard links (FAT, some network shares): rename instead,
                # which cannot refuse an existing name, so look first.
                if path.exists() or path.is_symlink():
                    raise exists() from None
                temp.rename(path)
                temp = None
            LANDED.append(path)
    except OSError as exc:
        raise SaveFailedError(
            f"Could not write {path.name}: {exc.strerror or exc}. Nothing was left at {path}."
        ) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    with contextlib.suppress(OSError):
        _fsync_folder(path.parent)


BACKUPS_DEFAULT: Final = 5


def list_backups(path: Path, folder: Path | None = None) -> list[Path]:
    """The automatic backups of a vault, newest first: ``NAME.bak``, ``NAME.bak.1``, ..."""
    newest = backup_path(path, folder)
    found = [newest] if newest.is_file() else []
    numbered = []
    for candidate in newest.parent.glob(f"{path.name}{BACKUP_SUFFIX}.*"):
        tail = candidate.name[len(newest.name) + 1 :]
        if tail.isdigit() and candidate.is_file():
            numbered.append((int(tail), candidate))
    return found + [p for _, p in sorted(numbered)]


def _rotate_backups(path: Path, keep: int, folder: Path | None = None) -> None:
    """Shift NAME.bak -> NAME.bak.1 -> ... keeping ``keep`` backups in all (each step atomic)."""
    newest = backup_path(path, folder)
    for stale in list_backups(path, folder)[max(keep - 1, 0) :]:
        if stale != newest or keep <= 1:
            with contextlib.suppress(OSError):
                stale.unlink()
    for index in range(keep - 2, 0, -1):
        older = newest.with_name(f"{newest.name}.{index}")
        if older.exists():
            older.replace(newest.with_name(f"{newest.name}.{index + 1}"))
    if keep > 1 and newest.exists():
        newest.replace(newest.with_name(f"{newest.name}.1"))


def _keep_backup(path: Path, backup: Path, keep: int = 1) -> None:
    """Make ``backup`` hold what ``path`` holds now (hard link if possible, else a copy), after
    rotating older backups so that ``keep`` versions remain."""
    if not path.exists():
        return
    _rotate_backups(path, keep, backup.parent if backup.parent != path.parent else None)
    staged = backup.with_name(f".{backup.name}{TEMP_MARK}{secrets.token_hex(6)}")
    try:
        os.link(path, staged)
    except OSError:
        staged = _write_temp(backup, read_limited(path, READ_MAX))
    try:
        staged.replace(backup)
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise


def atomic_write(
    path: Path,
    data: bytes,
    *,
    verify: Callable[[bytes], None] | None = None,
    backup: bool = True,
    keep: int = 1,
    backup_folder: Path | None = None,
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    ``verify`` is called with the bytes read back from the temp file and must raise if they are
    wrong. With ``backup``, the previous file is kept as ``NAME.bak`` and older backups are
    rotated to ``NAME.bak.1`` ... so that ``keep`` versions remain, beside the vault or in
    ``backup_folder``.

    Raises:
        SaveFailedError: an OS error on the way (disk full, permissions); the old file is intact.
        VaultError: whatever ``verify`` raised; the old file is intact.
    """
    temp: Path | None = None
    try:
        temp = _write_temp(path, data)
        if verify is not None:
            verify(read_limited(temp, len(data)))
        _fsync_folder(path.parent)  # the temp file's name is durable before anything is replaced
        if backup:
            _keep_backup(path, backup_path(path, backup_folder), keep)
        with _uninterrupted():
            temp.replace(path)
            temp = None
            LANDED.append(path)
    except OSError as exc:
        raise _save_failed(path, exc) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    # The new file is in place. If the folder cannot be synced now (some network file systems
    # refuse), a crash could at worst bring back the previous version, which NAME.bak holds too.
    with contextlib.suppress(OSError):
        _fsync_folder(path.parent)


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


def _stale_temp_pattern(name: str) -> re.Pattern[str]:
    """The temp files of one file ``name`` exactly: ``.NAME.tmp-<12 hex>``, and those of its
    backups and audit log (``.NAME.bak.tmp-…``, ``.NAME.bak.3.tmp-…``, ``.NAME.log.tmp-…``). Never
    another file's: ``.NAME2.tmp-…`` belongs to another vault."""
    return re.compile(rf"\.{re.escape(name)}(?:\.bak(?:\.\d+)?|\.log(?:\.1)?)?{_TEMP_TAIL}")


def sweep_stale_temps(vault_path: Path, folder: Path | None = None) -> list[str]:
    """Remove the temp files of the vault's own saves beside it (or in ``folder``, its backup
    folder; exact names, see ``_stale_temp_pattern``): the half-written output of a save that was
    killed (power loss, ``kill -9``). Only call this holding the write lock: every live writer of
    those files holds it for its whole save, so any found then belongs to a dead process. As a
    second guard a temp file younger than ``TEMP_STALE_AFTER`` seconds is left alone (a writer on
    another machine of a shared folder, whose lock this one cannot see), and only regular files
    are removed. An export's temp file is left alone, even one named after the vault
    (``NAME.csv``): exports do not take the lock, so it may be another process's work."""
    pattern = _stale_temp_pattern(vault_path.name)
    now = time.time()
    removed = []
    with contextlib.suppress(OSError):
        for candidate in (folder or vault_path.parent).iterdir():
            if not pattern.fullmatch(candidate.name):
                continue
            with contextlib.suppress(OSError):
                info = candidate.lstat()
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= TEMP_STALE_AFTER:
                    candidate.unlink()
                    removed.append(candidate.name)
    return sorted(removed)


LOCK_WAIT: Final = 15.0  # seconds a save waits for another process's save to finish


def is_read_only(path: Path) -> bool:
    """True when the user made the file read-only: its mode has no owner-write bit (chmod 400,
    or Windows' read-only attribute). Decided on the mode, not ``os.access``, so it holds for
    root too, who may write anything."""
    import stat

    try:
        return not path.stat().st_mode & stat.S_IWUSR
    except OSError:
        return False


def refuse_read_only(path: Path) -> None:
    """Raise ReadOnlyVaultError when the user made ``path`` read-only (see ``is_read_only``)."""
    if is_read_only(path):
        raise ReadOnlyVaultError(
            f"{path.name} is read-only, so vaultapp will not change it; to change it, make it "
            f"writable first (chmod u+w {path})."
        )


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
            _refuse_special(self.vault_path, self.vault_path.stat().st_mode)
        except FileNotFoundError:
            pass  # a vault being created
        except NotRegularFileError as exc:
            raise UsageError(_not_a_vault(self.vault_path, exc.mode)) from None
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
