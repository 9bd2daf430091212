"""Files as vaultapp finds them: the one bounded reader, private file creation (0600, never
through a link, never a FIFO), the names beside a vault (backups, lock, conflict copies), its
fingerprint and the read-only check. Writing whole files is ``saving``; locks and per-device
state files are ``locks``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vaultapp.core.errors import (
    DamagedFileError,
    ReadOnlyVaultError,
    UsageError,
    VaultError,
)

FILE_MODE: Final = 0o600
BACKUP_SUFFIX: Final = ".bak"
LOCK_SUFFIX: Final = ".lock"
TEMP_MARK: Final = ".tmp-"
READ_MAX: Final = 1 << 30  # no file vaultapp reads is larger (a vault is at most 1 GiB)
STATE_MAX: Final = 16 << 20  # a per-device state file (seen.json, audit-heads.json)
TEMP_STALE_AFTER: Final = 5 * 60  # seconds: a younger temp file may be a save in progress
TEMP_TAIL: Final = r"\.tmp-[0-9a-f]{12}"  # what saving.write_temp and its callers append


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


def refuse_special(path: Path, mode: int) -> None:
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
    refuse_special(path, path.stat().st_mode)
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        refuse_special(path, info.st_mode)
        _blocking(fd)
    except BaseException:
        os.close(fd)
        raise
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
        refuse_special(path, info.st_mode)
    try:
        fd = os.open(path, flags | _WRITE_FLAGS, FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink():
            raise SymlinkRefusedError(path) from None  # planted between the check and the open
        raise
    try:
        refuse_special(path, os.fstat(fd).st_mode)
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


def not_a_vault(path: Path, mode: int) -> str:
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
    except FileNotFoundError:
        raise VaultError(f"No vault at {path}. Check the path, or create one with 'init'.") from None
    except IsADirectoryError:
        raise VaultError(f"{path} is a folder, not a vault file.") from None
    except NotRegularFileError as exc:
        raise UsageError(not_a_vault(path, exc.mode)) from None
    except FileTooLargeError:
        raise DamagedFileError(
            f"{path.name} is larger than {max_size // 1024**2} MiB; it is not a vault this program can open."
        ) from None
    except OSError as exc:
        raise VaultError(f"Cannot read {path}: {exc.strerror or exc}.") from None


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
