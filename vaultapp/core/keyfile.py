"""Key files: reading the 32-byte key of any file as KeePass and KeePassXC do, and writing a new one.

A key file is a second secret kept apart from the passphrase (on a USB stick, say): without it
the vault does not open. Any file can be one. What key a file gives (docs/FORMAT.md §3.1):

1. a KeePass XML key file, version 1.0 (``<Data>`` holds the key in base64) or 2.0 (``<Data>``
   holds it in hex, ``Hash`` its checksum: the first 4 bytes of its SHA-256);
2. else a file of exactly 32 bytes: those bytes;
3. else a file of exactly 64 hexadecimal digits: the 32 bytes they spell;
4. else any other file: the SHA-256 of its content.

So a key file made by KeePassXC or KeePass 2 unlocks a vault here with the same key, and a file
vaultapp makes (XML 2.0, as KeePassXC writes) is taken by them too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from pathlib import Path
from typing import Final

from vaultapp.core.errors import UsageError

KEY_LENGTH: Final = 32
KEYFILE_MAX: Final = 64 << 20  # 64 MiB: any file may be a key file, but not a disk image
XML_MAX: Final = 64 << 10  # only files this small are tried as XML key files
KEYFILE_SUFFIX: Final = ".keyx"  # KeePassXC's name for its XML key files


class KeyFileError(UsageError):
    """A key file that cannot be used: missing, unreadable, too large, or an XML key file whose
    checksum does not match (damaged). Exit 2; a file that reads but is the wrong one is a wrong
    passphrase or key file (exit 3), since the two cannot be told apart."""


def key_from_bytes(data: bytes, *, name: str = "the key file") -> bytes:
    """The 32-byte key a key file's content gives (the rules in the module docstring).

    Raises:
        KeyFileError: an XML key file of version 2.0 whose ``Hash`` does not match its key.
    """
    if len(data) <= XML_MAX:
        key = _xml_key(data, name)
        if key is not None:
            return key
    if len(data) == KEY_LENGTH:
        return data
    if len(data) == 2 * KEY_LENGTH and re.fullmatch(rb"[0-9A-Fa-f]{64}", data):
        return bytes.fromhex(data.decode("ascii"))
    return hashlib.sha256(data).digest()


def _xml_key(data: bytes, name: str) -> bytes | None:
    """The key of a KeePass XML key file; None when ``data`` is not one (it is then hashed)."""
    import xml.etree.ElementTree as ET

    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    # No DTD, so no entities to expand; a file with one is simply not a key file of this kind.
    if not head.startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        root = ET.fromstring(data)  # noqa: S314 - small (XML_MAX), no DTD: nothing to expand
    except (ET.ParseError, ValueError):
        return None
    version = (root.findtext("Meta/Version") or "").strip()
    element = root.find("Key/Data")
    if root.tag != "KeyFile" or element is None:
        return None
    text = "".join((element.text or "").split())
    if version.startswith("1.0"):
        try:
            key = base64.b64decode(text, validate=True)
        except binascii.Error:
            return None
        return key if key else None
    if version.startswith("2.0"):
        try:
            key = bytes.fromhex(text)
        except ValueError:
            return None
        check = element.get("Hash")
        if check is not None and not secrets.compare_digest(
            check.strip().upper(), hashlib.sha256(key).digest()[:4].hex().upper()
        ):
            raise KeyFileError(
                f"{name} is a KeePass key file whose checksum does not match its key: it is damaged. "
                "Use a copy of the key file you kept elsewhere."
            )
        return key if key else None
    return None


def read_key_file(path: Path | str) -> bytes:
    """Read the key file at ``path`` and return its 32-byte key (``key_from_bytes``).

    Raises:
        KeyFileError: there is no such file, it cannot be read, is not a regular file, is over
            ``KEYFILE_MAX``, or is a damaged XML key file.
    """
    from vaultapp.core.storage import FileTooLargeError, read_limited

    path = Path(path)
    try:
        data = read_limited(path, KEYFILE_MAX)
    except FileNotFoundError:
        raise KeyFileError(
            f"There is no key file at {path}. Check the path (or the USB stick it is on)."
        ) from None
    except FileTooLargeError:
        raise KeyFileError(
            f"{path} is larger than {KEYFILE_MAX >> 20} MiB; vaultapp does not take a file that "
            "large as a key file. Choose the key file itself."
        ) from None
    except OSError as exc:
        raise KeyFileError(f"Cannot read the key file {path}: {exc.strerror or exc}.") from None
    return key_from_bytes(data, name=path.name)


def keyfile_xml(key: bytes) -> bytes:
    """A KeePass XML 2.0 key file holding ``key`` (32 bytes), laid out as KeePassXC writes it."""
    hex_key = key.hex().upper()
    groups = [hex_key[i : i + 8] for i in range(0, len(hex_key), 8)]
    lines = [" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    check = hashlib.sha256(key).digest()[:4].hex().upper()
    data = "\n".join(f"            {line}" for line in lines)
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<KeyFile>\n"
        "    <Meta>\n"
        "        <Version>2.0</Version>\n"
        "    </Meta>\n"
        "    <Key>\n"
        f'        <Data Hash="{check}">\n{data}\n        </Data>\n'
        "    </Key>\n"
        "</KeyFile>\n"
    )
    return text.encode("ascii")


def create_key_file(path: Path | str) -> bytes:
    """Write a new key file at ``path`` (32 random bytes from ``secrets`` in the KeePass XML 2.0
    format, mode 0600, never over an existing file or through a link) and return its key.

    Raises:
        UsageError: something exists at ``path`` already (nothing is overwritten).
        SaveFailedError: it could not be written (nothing is left at ``path``).
    """
    from vaultapp.core.saving import publish_new

    path = Path(path)
    key = secrets.token_bytes(KEY_LENGTH)
    data = keyfile_xml(key)

    def verify(written: Path) -> None:
        if read_key_file(written) != key:
            raise KeyFileError(f"The key file {path.name} did not read back; nothing was written.")

    publish_new(path, data, verify=verify)
    return key


__all__ = [
    "KEYFILE_MAX",
    "KEYFILE_SUFFIX",
    "KeyFileError",
    "create_key_file",
    "key_from_bytes",
    "keyfile_xml",
    "read_key_file",
]
