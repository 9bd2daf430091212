"""Saving files whole or not at all: temp files (0600, O_EXCL) written, fsynced and verified
before they take a name; a vault replaced atomically with its backups rotated; a new file
published by a link; and the sweep of the temp files a killed save left behind.

The save path is: temp file in the same folder -> write -> flush -> fsync -> read back and
verify -> fsync the folder -> keep the previous version as ``NAME.bak`` -> ``os.replace`` ->
fsync the folder again. Any failure before the replace removes the temp file and leaves the
vault as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from vaultapp.core.errors import SaveFailedError, UsageError
from vaultapp.core.storage import (
    BACKUP_SUFFIX,
    READ_MAX,
    TEMP_MARK,
    TEMP_STALE_AFTER,
    TEMP_TAIL,
    backup_path,
    open_private,
    read_limited,
)


def fsync_folder(folder: Path) -> None:
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


def write_temp(path: Path, data: bytes) -> Path:
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

    def exists() -> UsageError:
        return UsageError(f"{path} exists already; choose another name (nothing is overwritten).")

    if path.exists() or path.is_symlink():
        raise exists()
    temp: Path | None = None
    try:
        temp = write_temp(path, data)
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
        fsync_folder(path.parent)


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
        staged = write_temp(backup, read_limited(path, READ_MAX))
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
        temp = write_temp(path, data)
        if verify is not None:
            verify(read_limited(temp, len(data)))
        fsync_folder(path.parent)  # the temp file's name is durable before anything is replaced
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
        fsync_folder(path.parent)


def _stale_temp_pattern(name: str) -> re.Pattern[str]:
    """The temp files of one file ``name`` exactly: ``.NAME.tmp-<12 hex>``, and those of its
    backups and audit log (``.NAME.bak.tmp-…``, ``.NAME.bak.3.tmp-…``, ``.NAME.log.tmp-…``). Never
    another file's: ``.NAME2.tmp-…`` belongs to another vault."""
    return re.compile(rf"\.{re.escape(name)}(?:\.bak(?:\.\d+)?|\.log(?:\.1)?)?{TEMP_TAIL}")


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
