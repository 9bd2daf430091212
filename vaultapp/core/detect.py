"""What a path the user chose to open is, told before any passphrase is asked for."""

from __future__ import annotations

import enum
import os
import stat
from pathlib import Path

from vaultapp.core.format import MAGIC

# KeePass files start with signature 1 (0x9AA2D903) and signature 2 (0xB54BFB67 for KDBX 2-4,
# 0xB54BFB65 for KeePass 1.x .kdb files), both little-endian.
_KEEPASS_SIG1 = bytes.fromhex("03d9a29a")
_KEEPASS_SIG2 = (bytes.fromhex("67fb4bb5"), bytes.fromhex("65fb4bb5"), bytes.fromhex("66fb4bb5"))


class PathKind(enum.Enum):
    VAULT = "vault"  # starts with the vault magic (it may still be damaged or another version)
    KEEPASS = "keepass"  # a KeePass database (.kdbx or .kdb): it is imported, not opened
    FOLDER = "folder"
    MISSING = "missing"
    UNREADABLE = "unreadable"  # exists, but this user may not read it
    OTHER = "other"  # any other file (empty, text, another program's data)


def classify_path(path: Path | str) -> PathKind:
    """Look at the first bytes of ``path`` (never follows it into a write, never raises OSError)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return PathKind.MISSING
    except OSError:
        return PathKind.UNREADABLE
    if stat.S_ISDIR(info.st_mode):
        return PathKind.FOLDER
    if not stat.S_ISREG(info.st_mode):
        return PathKind.OTHER
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            start = os.read(fd, 16)
        finally:
            os.close(fd)
    except OSError:
        return PathKind.UNREADABLE
    if start.startswith(MAGIC):
        return PathKind.VAULT
    if start[:4] == _KEEPASS_SIG1 and start[4:8] in _KEEPASS_SIG2:
        return PathKind.KEEPASS
    return PathKind.OTHER
