"""Bytes <-> (header, payload). No file I/O here; docs/FORMAT.md is the byte-level spec.

::

    offset  size  field
    0       8     magic  b"VAULTAPP"
    8       2     format major version, big-endian (1)
    10      2     format minor version, big-endian (1)
    12      4     header length L, big-endian (1..65536)
    16      L     header: UTF-8 JSON object (KDF, payload encoding)
    16+L    32    SHA-256 of bytes [0, 16+L)            -- tells damage from a wrong passphrase
    48+L    32    HMAC-SHA256(header MAC key, [0, 16+L)) -- checked before anything is decrypted
    80+L    ...   payload: the raw bytes of a Fernet token (base64url-decoded)           -- 1.0, 1.1
    80+L    8     payload length P                                                      -- 1.2
    88+L    P     payload: the raw bytes of a Fernet token
    88+L+P  ...   attachments: encrypted blobs, located by the index inside the payload

The Fernet plaintext is ``SHA-256(header bytes) || zlib(JSON body)``: the digest binds the
payload to this exact header, since Fernet has no associated data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError, UnsupportedVersionError, WrongPassphraseError
from vaultapp.core.factors import PASSPHRASE_ONLY, Factors, factors_from_header
from vaultapp.core.kdf import KdfParams, params_from_header
from vaultapp.core.keys import Keyring

MAGIC: Final = b"VAULTAPP"
FORMAT_MAJOR: Final = 1
# 2.0: the 1.2 layout, with a key schedule that takes a key file or a YubiKey besides (or instead
# of) the passphrase (docs/FORMAT.md §3.1); a vault taking its passphrase alone stays 1.2
FACTORS_MAJOR: Final = 2
FACTORS_MINOR: Final = 0
MAJORS: Final = (FORMAT_MAJOR, FACTORS_MAJOR)
# 1.1: entry versions and tombstone versions (docs/FORMAT.md §5.2); 1.2: the payload's length,
# then the attachments' blobs after it (§10)
FORMAT_MINOR: Final = 2
FRAMED_MINOR: Final = 2  # from this minor version on, the payload is framed and blobs follow it
PREFIX: Final = struct.Struct(">8sHHI")
FRAME: Final = struct.Struct(">Q")
HEADER_MAX: Final = 65536
DIGEST_SIZE: Final = 32
# A Fernet token: version(1) + time(8) + IV(16) + at least one AES block(16) + HMAC(32).
PAYLOAD_MIN: Final = 73
# The decompressed body may not exceed this (a zip bomb in a forged file stops here).
BODY_MAX: Final = 1 << 30

FILE_MAX: Final = 1 << 30  # 1 GiB: about seven million entries (a 1.2 file: up to its attachments)
# The attachments after the payload (format 1.2): 1 GiB of content, plus each blob's nonce and tag.
AREA_MAX: Final = (1 << 30) + (1 << 24)
WHOLE_MAX: Final = FILE_MAX + AREA_MAX  # a whole file, attachments included (copied, re-keyed)
_RESTORE_HINT: Final = "Restore the backup file next to the vault or another copy."


@dataclass(frozen=True, slots=True)
class Header:
    """The unencrypted, authenticated part of a vault file."""

    major: int
    minor: int
    kdf: KdfParams
    compression: str
    raw: bytes  # bytes [0, 16+L): exactly what the SHA-256 and the HMAC cover
    factors: Factors = PASSPHRASE_ONLY  # what the keys are made from (format 2.0: more than a passphrase)

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True, slots=True)
class ParsedFile:
    header: Header
    mac: bytes
    payload: bytes
    area_offset: int  # where the attachments' blobs start (format 1.2); the end of older files


def same_keys(a: Header, b: Header) -> bool:
    """True when two headers give the same keys for one passphrase (the same KDF, parameters and
    salt, and the same factors): a 1.1 header and the 1.2 header it was migrated to do."""
    return a.kdf == b.kdf and a.factors == b.factors


def framed(header: Header) -> bool:
    """True when the file has a payload length and may hold attachments (format 1.2 on, 2.0)."""
    return _framed(header.major, header.minor)


def _framed(major: int, minor: int) -> bool:
    return major >= FACTORS_MAJOR or minor >= FRAMED_MINOR


def is_current(header: Header) -> bool:
    """True when a save may keep ``header`` as it is (not a 1.0 or 1.1 file to migrate)."""
    return header.major >= FACTORS_MAJOR or header.minor >= FORMAT_MINOR


def head_length(start: bytes) -> int | None:
    """How many bytes of a file hold its header and payload, from its first bytes: ``None``
    when ``start`` is too short to tell (give it ``PREFIX.size + L + 72`` bytes), the whole
    file for versions before 1.2 (-1). Only what the parse will check again is read here.
    """
    if len(start) < PREFIX.size:
        return None
    _, major, minor, length = PREFIX.unpack_from(start)
    if not _framed(major, minor):
        return -1
    frame_at = PREFIX.size + length + 2 * DIGEST_SIZE
    if len(start) < frame_at + FRAME.size:
        return None
    return int(frame_at + FRAME.size + FRAME.unpack_from(start, frame_at)[0])


def build_header(kdf: KdfParams, factors: Factors = PASSPHRASE_ONLY) -> Header:
    """A new header: format 1.2 for a vault taking its passphrase alone, 2.0 with ``factors``."""
    obj: dict[str, Any] = {"kdf": kdf.to_header(), "payload": {"cipher": "fernet", "compression": "zlib"}}
    major, minor = FORMAT_MAJOR, FORMAT_MINOR
    if factors.second:
        factors.check()
        obj["factors"] = factors.to_header()
        major, minor = FACTORS_MAJOR, FACTORS_MINOR
    text = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")
    raw = PREFIX.pack(MAGIC, major, minor, len(text)) + text
    return Header(major, minor, kdf, "zlib", raw, factors if factors.second else PASSPHRASE_ONLY)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DamagedFileError(f"The vault header repeats a field. {_RESTORE_HINT}")
    return result


def start_checker(name: str) -> Callable[[bytes], None]:
    """A check of a file's first bytes (magic and major version) for ``storage.read_bytes``."""

    def check(start: bytes) -> None:
        if len(start) >= PREFIX.size:
            _check_prefix(start, name)

    return check


def _check_prefix(data: bytes, name: str) -> int:
    magic, major, minor, length = PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise DamagedFileError(f"{name} is not a vaultapp vault (wrong magic bytes).")
    if major not in MAJORS:
        raise UnsupportedVersionError(
            f"{name} uses vault format {major}.{minor}; this program reads formats 1.x and 2.x. "
            "Open it with a newer vaultapp."
        )
    return int(length)


def parse_file(data: bytes, *, name: str = "the file") -> ParsedFile:
    """Split and check a vault file without any key: magic, version, lengths, SHA-256, KDF bounds.

    Raises:
        DamagedFileError: not a vault, truncated, or the header is damaged.
        UnsupportedVersionError: a format major version this program cannot read.
        KdfParamsRejectedError: the KDF parameters are outside the accepted bounds.
    """
    if len(data) < PREFIX.size:
        if not data:
            raise DamagedFileError(f"{name} is empty; it is not a vault. {_RESTORE_HINT}")
        raise DamagedFileError(f"{name} is too short to be a vault (truncated). {_RESTORE_HINT}")
    length = _check_prefix(data, name)
    _, major, minor, _ = PREFIX.unpack_from(data)
    if not 0 < length <= HEADER_MAX:
        raise DamagedFileError(f"{name} has an impossible header length. {_RESTORE_HINT}")
    end = PREFIX.size + length
    frame = FRAME.size if _framed(major, minor) else 0
    if len(data) < end + 2 * DIGEST_SIZE + frame + PAYLOAD_MIN:
        raise DamagedFileError(f"{name} is truncated. {_RESTORE_HINT}")
    raw = data[:end]
    digest = data[end : end + DIGEST_SIZE]
    if not hmac.compare_digest(hashlib.sha256(raw).digest(), digest):
        raise DamagedFileError(f"The header of {name} is damaged (checksum mismatch). {_RESTORE_HINT}")
    try:
        obj = json.loads(raw[PREFIX.size :].decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (ValueError, RecursionError):  # also an integer too long to convert (over 4,300 digits)
        raise DamagedFileError(f"The header of {name} is not valid JSON. {_RESTORE_HINT}") from None
    if not isinstance(obj, dict):
        raise DamagedFileError(f"The header of {name} is not a JSON object. {_RESTORE_HINT}")
    payload_info = obj.get("payload")
    if not isinstance(payload_info, dict) or payload_info.get("cipher") != "fernet":
        raise UnsupportedVersionError(f"{name} uses a payload cipher this program does not know.")
    compression = payload_info.get("compression")
    if compression not in ("zlib", "none"):
        raise UnsupportedVersionError(f"{name} uses a payload compression this program does not know.")
    kdf = params_from_header(obj.get("kdf"))
    factors = factors_from_header(obj.get("factors")) if major == FACTORS_MAJOR else PASSPHRASE_ONLY
    header = Header(major, minor, kdf, str(compression), raw, factors)
    mac = data[end + DIGEST_SIZE : end + 2 * DIGEST_SIZE]
    start = end + 2 * DIGEST_SIZE
    if not frame:
        return ParsedFile(header, mac, data[start:], len(data))
    (size,) = FRAME.unpack_from(data, start)
    start += frame
    if size < PAYLOAD_MIN or start + size > len(data):
        raise DamagedFileError(f"{name} is truncated (its payload is cut short). {_RESTORE_HINT}")
    return ParsedFile(header, mac, data[start : start + size], start + size)


def check_mac(parsed: ParsedFile, keys: Keyring, *, name: str = "the vault") -> None:
    """Raise WrongPassphraseError unless the header MAC verifies (constant-time)."""
    if not keys.header_mac_matches(parsed.header.raw, parsed.mac):
        factors = parsed.header.factors
        if factors.second:  # one MAC: which factor was wrong cannot be told (nor is it, as in KeePassXC)
            what = factors.describe().replace(" and ", " or ")
            checks = "Check Caps Lock, and that" if factors.passphrase else "Check that"
            raise WrongPassphraseError(
                f"Wrong {what} for {name}. {checks} the key file (or YubiKey) is the one this vault was "
                "made with; without them the vault cannot be recovered."
            )
        raise WrongPassphraseError(
            f"Wrong passphrase for {name}. Check Caps Lock and the keyboard layout; "
            "without the passphrase the vault cannot be recovered."
        )


def encode(
    header: Header, keys: Keyring, body: bytes, area: bytes | Sequence[bytes] = b""
) -> tuple[bytes, bytes]:
    """Return (file bytes, payload plaintext) for ``body`` (the JSON body, uncompressed) and
    ``area``, the attachments' blobs, as bytes or in pieces (only a 1.2 header has room for
    them; pieces are joined straight into the file's bytes, never copied twice)."""
    digest = hashlib.sha256(header.raw).digest()
    packed = zlib.compress(body, 1) if header.compression == "zlib" else body
    plaintext = digest + packed
    token = keys.encrypt_payload(plaintext)
    start = header.raw + digest + keys.header_mac(header.raw)
    if not framed(header):
        if area:
            raise ValueError("a format 1.0/1.1 header has no room for attachments")
        return start + token, plaintext
    pieces = [area] if isinstance(area, bytes) else list(area)
    return b"".join((start, FRAME.pack(len(token)), token, *pieces)), plaintext


def decrypt(parsed: ParsedFile, keys: Keyring) -> bytes:
    """Decrypt and unpack the payload; returns the JSON body (bytes). MAC must be checked first.

    Raises:
        DamagedFileError: the payload does not verify, belongs to another header, or will not unpack.
    """
    plaintext = keys.decrypt_payload(parsed.payload)
    return unpack(parsed.header, plaintext)


def unpack(header: Header, plaintext: bytes) -> bytes:
    if not hmac.compare_digest(plaintext[:DIGEST_SIZE], hashlib.sha256(header.raw).digest()):
        raise DamagedFileError(f"The vault's payload does not belong to its header. {_RESTORE_HINT}")
    packed = memoryview(plaintext)[DIGEST_SIZE:]
    if header.compression == "none":
        return bytes(packed)
    unpacker = zlib.decompressobj()
    try:
        body = unpacker.decompress(packed, BODY_MAX)
    except zlib.error:
        raise DamagedFileError(f"The vault's payload will not unpack. {_RESTORE_HINT}") from None
    if unpacker.unconsumed_tail or not unpacker.eof:
        raise DamagedFileError(f"The vault's payload is too large or incomplete. {_RESTORE_HINT}")
    return body
