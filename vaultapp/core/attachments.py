"""Attachments' content: the blob store behind ``Entry.attachments`` (docs/FORMAT.md §10).

Entries refer to content by a blob id, a keyed hash of the content (so the same file in ten
entries and in their history is stored once). Each blob is compressed when that helps, then
sealed with AES-256-GCM under the attachment key, the blob id being the associated data; the
sealed blobs follow the payload in the file, located by an index inside the (encrypted,
authenticated) body. Opening or listing a vault reads neither: a blob is read from the file,
and decrypted, only when its content is asked for. A save copies the sealed bytes of blobs that
did not change from the file they were read from; only new content is ever encrypted.

The attachment key is random, drawn with the first attachment and kept in the encrypted body:
a passphrase change re-encrypts the body, which holds the key, and copies the blobs as they are
(docs/SECURITY.md, "Attachments", says what that means).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vaultapp.core.errors import AttachmentTooLargeError, DamagedFileError, UsageError, VaultError
from vaultapp.core.keys import hkdf_sha256
from vaultapp.core.saving import publish_new
from vaultapp.core.storage import (
    FileTooLargeError,
    describe_size,
    open_private,
    open_regular,
    read_limited,
)

ATTACHMENT_MAX: Final = 64 << 20  # one attachment
TOTAL_MAX: Final = 1 << 30  # every attachment of a vault together (each stored blob counted once)
NAME_MAX: Final = 255  # bytes of UTF-8, as most file systems allow for a file name
LABEL_ID: Final = b"vaultapp attachment id v1"
LABEL_AEAD: Final = b"vaultapp attachment aead v1"
NONCE_SIZE: Final = 12
TAG_SIZE: Final = 16
KEY_SIZE: Final = 32
# Compress a blob only when that saves at least 1/32 of it (random content is stored as is).
_WORTH_COMPRESSING: Final = 31 / 32
_HINT: Final = "Restore the backup file next to the vault."


def _damaged(what: str) -> DamagedFileError:
    return DamagedFileError(f"An attachment in the vault is damaged ({what}). {_HINT}")


def check_name(name: str) -> str:
    """An attachment's name is a file name: not empty, no ``/``, no NUL, not ``.`` or ``..``,
    at most 255 bytes of UTF-8.

    Raises:
        UsageError: it is not.
    """
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise UsageError(f"{name!r} is not a usable attachment name (a file name, without '/').")
    if len(name.encode("utf-8", "surrogatepass")) > NAME_MAX:
        raise UsageError(f"The attachment name {name[:40]!r}… is over {NAME_MAX} bytes; shorten it.")
    return name


def check_size(size: int, name: str) -> None:
    """Raises AttachmentTooLargeError for an attachment over 64 MiB."""
    if size > ATTACHMENT_MAX:
        raise AttachmentTooLargeError(
            f"{name} is {describe_size(size)}; an attachment may be at most "
            f"{describe_size(ATTACHMENT_MAX)}. Nothing was added."
        )


class BlobKeys:
    """The keys derived from one attachment key. ``repr`` never shows a key."""

    __slots__ = ("_aead", "_id_key")

    def __init__(self, key: bytes) -> None:
        self._id_key = hkdf_sha256(key, info=LABEL_ID)
        self._aead = AESGCM(hkdf_sha256(key, info=LABEL_AEAD))

    def __repr__(self) -> str:
        return "BlobKeys(<keys hidden>)"

    def blob_id(self, content: bytes) -> str:
        """HMAC-SHA256 of the content, hex: equal content, equal id; without the key, the id
        tells nothing about the content (not even whether it is a well-known file)."""
        return hmac.new(self._id_key, content, hashlib.sha256).hexdigest()

    def seal(self, blob_id: str, content: bytes) -> tuple[bytes, str]:
        """The stored form of ``content``: nonce || AES-256-GCM(packed content, ad = blob id),
        and its packing (``zlib`` or ``none``)."""
        packed, packing = content, "none"
        if content:
            squeezed = zlib.compress(content, 1)
            if len(squeezed) < len(content) * _WORTH_COMPRESSING:
                packed, packing = squeezed, "zlib"
        nonce = secrets.token_bytes(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, packed, blob_id.encode("ascii")), packing

    def open(self, blob_id: str, record: bytes, packing: str, size: int) -> bytes:
        """Verify and decrypt a stored blob.

        Raises:
            DamagedFileError: it does not verify (altered, cut, or another blob's bytes), or it
                does not unpack to ``size`` bytes.
        """
        if len(record) < NONCE_SIZE + TAG_SIZE:
            raise _damaged("it is cut short")
        try:
            packed = self._aead.decrypt(record[:NONCE_SIZE], record[NONCE_SIZE:], blob_id.encode("ascii"))
        except InvalidTag:
            raise _damaged("its content does not verify") from None
        if packing == "none":
            content = packed
        else:
            unpacker = zlib.decompressobj()
            try:
                content = unpacker.decompress(packed, size + 1)
            except zlib.error:
                raise _damaged("it will not unpack") from None
        if len(content) != size or not hmac.compare_digest(self.blob_id(content), blob_id):
            raise _damaged("its content is not what the index says")
        return content


@dataclass(frozen=True, slots=True)
class Stored:
    """Where a blob is in the vault file: ``offset`` from the start of the blob area,
    ``length`` stored bytes, ``size`` of the content, ``packing``."""

    offset: int
    length: int
    size: int
    packing: str


@dataclass(frozen=True, slots=True)
class Fresh:
    """A blob added since the last save: sealed already, held in memory until it is written."""

    record: bytes
    size: int
    packing: str


def _valid_id(blob_id: object) -> bool:
    return type(blob_id) is str and len(blob_id) == 64 and all(c in "0123456789abcdef" for c in blob_id)


def _index_from_json(raw: object) -> dict[str, Stored]:
    if type(raw) is not dict:
        raise _damaged("the index is not an object")
    index = {}
    for blob_id, item in raw.items():
        if not (
            _valid_id(blob_id)
            and type(item) is list
            and len(item) == 4
            and all(type(n) is int and n >= 0 for n in item[:3])
            and item[3] in ("zlib", "none")
        ):
            raise _damaged("its index entry is malformed")
        index[blob_id] = Stored(*item)
    return index


class BlobStore:
    """The blobs of one open vault: those in its file (read on demand through a descriptor kept
    open, so a file replaced by another process's save does not change what we read) and those
    added since the last save (sealed, in memory).

    ``source`` is the envelope's ``attachments`` object (``Body.blobs``); ``fd`` the open vault
    file (None for a vault not yet saved) and ``area_offset`` where its blob area starts.
    """

    def __init__(self, source: dict[str, Any], fd: int | None = None, area_offset: int = 0) -> None:
        key = source.get("key")
        self._key: bytes | None = None
        if key is not None:
            try:
                decoded = base64.b64decode(key, validate=True) if type(key) is str else b""
            except ValueError:
                decoded = b""
            if len(decoded) != KEY_SIZE:
                raise _damaged("the attachment key is malformed")
            self._key = decoded
        self._keys = BlobKeys(self._key) if self._key is not None else None
        self._index = _index_from_json(source.get("blobs", {}))
        self._fresh: dict[str, Fresh] = {}
        self._fd = fd
        self._area_offset = area_offset
        self.decrypts = 0  # how many blobs were decrypted (tests: opening and listing decrypt none)

    def __repr__(self) -> str:
        return f"BlobStore({len(self._index)} stored, {len(self._fresh)} new)"

    @classmethod
    def with_new_key(cls) -> BlobStore:
        """An empty store under a new attachment key (an export: blobs adopted are sealed again)."""
        store = cls({})
        store._require_keys()
        return store

    # ---- keys ------------------------------------------------------------------------------

    @property
    def key(self) -> bytes | None:
        return self._key

    def _require_keys(self) -> BlobKeys:
        if self._keys is None:
            self._key = secrets.token_bytes(KEY_SIZE)
            self._keys = BlobKeys(self._key)
        return self._keys

    def same_key(self, other: BlobStore) -> bool:
        return self._key is not None and other._key is not None and hmac.compare_digest(self._key, other._key)

    # ---- reading ---------------------------------------------------------------------------

    def __contains__(self, blob_id: object) -> bool:
        return blob_id in self._fresh or blob_id in self._index

    def size(self, blob_id: str) -> int:
        fresh = self._fresh.get(blob_id)
        return fresh.size if fresh is not None else self._index[blob_id].size

    @property
    def area_size(self) -> int:
        """Where the last stored blob ends: the size of the file's blob area."""
        return max((s.offset + s.length for s in self._index.values()), default=0)

    @property
    def total(self) -> int:
        """The content size of every blob held (each counted once)."""
        return sum(f.size for f in self._fresh.values()) + sum(
            s.size for b, s in self._index.items() if b not in self._fresh
        )

    def record(self, blob_id: str) -> tuple[bytes, int, str]:
        """The sealed bytes of a blob, its content size and packing (read from the file when it
        was not added since the last save).

        Raises:
            DamagedFileError: the blob is not in the store or the file is cut short.
        """
        fresh = self._fresh.get(blob_id)
        if fresh is not None:
            return fresh.record, fresh.size, fresh.packing
        stored = self._index.get(blob_id)
        if stored is None or self._fd is None:
            raise _damaged("its content is missing from the vault")
        try:
            record = os.pread(self._fd, stored.length, self._area_offset + stored.offset)
        except OSError as exc:
            raise VaultError(f"Cannot read an attachment from the vault: {exc.strerror or exc}.") from None
        if len(record) != stored.length:
            raise _damaged("the file is cut short")
        return record, stored.size, stored.packing

    def read(self, blob_id: str) -> bytes:
        """The content of a blob: read, verified and decrypted now.

        Raises:
            DamagedFileError: it is missing or does not verify.
        """
        record, size, packing = self.record(blob_id)
        if self._keys is None:
            raise _damaged("the vault has no attachment key")
        self.decrypts += 1
        return self._keys.open(blob_id, record, packing, size)

    # ---- adding ----------------------------------------------------------------------------

    def put(self, content: bytes, name: str = "The attachment") -> str:
        """Store ``content`` (sealed now, written at the next save) unless the same content is
        held already; returns its blob id.

        Raises:
            AttachmentTooLargeError: over 64 MiB, or the vault's attachments would pass 1 GiB.
        """
        check_size(len(content), name)
        keys = self._require_keys()
        blob_id = keys.blob_id(content)
        if blob_id in self:
            return blob_id
        if self.total + len(content) > TOTAL_MAX:
            raise AttachmentTooLargeError(
                f"The vault's attachments would pass {describe_size(TOTAL_MAX)} in all with {name} "
                f"({describe_size(len(content))}). Remove attachments you no longer need; nothing was added."
            )
        record, packing = keys.seal(blob_id, content)
        self._fresh[blob_id] = Fresh(record, len(content), packing)
        return blob_id

    def adopt(self, other: BlobStore, blob_id: str) -> str:
        """Bring a blob of ``other`` (another copy of the vault: a merge, an import) into this
        store; returns its id here. Under the same attachment key its sealed bytes are copied as
        they are; under another key (two copies given attachments apart) it is decrypted and
        sealed again, and its id here differs."""
        if self._key is None and other._key is not None:  # no attachment yet: share the other's key
            self._key, self._keys = other._key, BlobKeys(other._key)
        if blob_id in self and (self.same_key(other) or other._keys is None):
            return blob_id
        if self.same_key(other):
            record, size, packing = other.record(blob_id)
            self._fresh[blob_id] = Fresh(record, size, packing)
            return blob_id
        return self.put(other.read(blob_id))

    # ---- saving ----------------------------------------------------------------------------

    def layout(self, referenced: Iterable[str]) -> tuple[dict[str, Any], list[bytes]]:
        """The envelope's ``attachments`` object and the blob area (its blobs in order, joined
        once, by the file's encoding) for a save keeping the blobs ``referenced`` (the others
        are dropped). Unchanged blobs are copied as stored.

        Raises:
            DamagedFileError: a referenced blob is missing.
        """
        wanted = sorted(set(referenced))
        if self._key is None or not wanted:
            kept = {} if self._key is None else {"key": base64.b64encode(self._key).decode("ascii")}
            return kept, []
        chunks: list[bytes] = []
        index: dict[str, list[int | str]] = {}
        offset = 0
        for blob_id in wanted:
            record, size, packing = self.record(blob_id)
            index[blob_id] = [offset, len(record), size, packing]
            chunks.append(record)
            offset += len(record)
        return {"key": base64.b64encode(self._key).decode("ascii"), "blobs": index}, chunks

    def settle(self, source: dict[str, Any], fd: int | None, area_offset: int) -> None:
        """After a save: the blobs are now those of the file just written (``fd``)."""
        self.close()
        self._index = _index_from_json(source.get("blobs", {}))
        self._fresh = {}
        self._fd = fd
        self._area_offset = area_offset

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


# ---- the vault file, read without its blobs ---------------------------------------------------


@dataclass(slots=True)
class VaultBytes:
    """A vault file read up to the end of its payload (``head``), the rest left on disk;
    ``fd`` stays open for the blobs (the caller closes it, or hands it to a ``BlobStore``)."""

    head: bytes
    fd: int
    size: int


def _head_size(fd: int, path: Path, size: int, head_max: int, area_max: int, check_start: Any) -> int:
    from vaultapp.core import format as fmt

    start = os.pread(fd, fmt.PREFIX.size, 0)
    if check_start is not None:
        check_start(start)
    wanted = fmt.head_length(start)
    if wanted is None and len(start) == fmt.PREFIX.size:
        length = fmt.PREFIX.unpack_from(start)[3]
        if length <= fmt.HEADER_MAX:
            more = os.pread(fd, fmt.PREFIX.size + length + 2 * fmt.DIGEST_SIZE + fmt.FRAME.size, 0)
            wanted = fmt.head_length(more)
    if wanted is None or wanted == -1:  # an earlier version, or too short to tell: all of it
        if size > head_max:
            raise FileTooLargeError(path, head_max)
        return size
    if wanted > head_max or size - wanted > area_max:
        raise FileTooLargeError(path, head_max if wanted > head_max else area_max)
    if wanted > size:
        raise DamagedFileError(f"{path.name} is truncated (its payload is cut short). {_HINT}")
    return wanted


def read_vault(path: Path, *, head_max: int, area_max: int, check_start: Any = None) -> VaultBytes:
    """Read a vault file's header and payload, not its attachments (format 1.2); a file of an
    earlier version is read whole. The checks of ``storage.read_limited`` apply (a regular file,
    never blocking); ``head_max`` bounds the header and payload, ``area_max`` the blobs.

    Raises:
        FileTooLargeError: over the bounds (nothing past them was read).
        DamagedFileError: the file is shorter than its payload length says.
        OSError: as ``read_limited``.
    """
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        wanted = _head_size(fd, path, size, head_max, area_max, check_start)
        chunks, got = [], 0
        while got < wanted:
            chunk = os.pread(fd, min(wanted - got, 1 << 24), got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except BaseException:
        os.close(fd)
        raise
    return VaultBytes(b"".join(chunks), fd, size)


# ---- files in and out -----------------------------------------------------------------------


def read_file(path: Path | str) -> bytes:
    """The content of a file to attach: a regular file of at most 64 MiB (read no further).

    Raises:
        AttachmentTooLargeError: it is larger.
        UsageError: it cannot be read, or is not a regular file.
    """
    path = Path(path)
    try:
        return read_limited(path, ATTACHMENT_MAX)
    except FileTooLargeError:
        check_size(path.stat().st_size, path.name)
        raise AttachmentTooLargeError(f"{path.name} is over {describe_size(ATTACHMENT_MAX)}.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def write_file(path: Path | str, content: bytes) -> None:
    """Save an attachment's content as a new file (0600 from the first byte, never through a
    symbolic link, never over an existing file: see ``storage.publish_new``).

    Raises:
        UsageError: ``path`` exists already.
        SaveFailedError: it could not be written; nothing is left at ``path``.
    """
    publish_new(Path(path), content)


def _safe_file_name(name: str) -> str:
    name = name.replace("/", "_").replace("\0", "_").strip() or "attachment"
    return "attachment" if name in (".", "..") else name


class PrivateCopy:
    """A plaintext copy of an attachment for "open with the default application": a file
    (0600) in a new private folder (0700) of the temp directory, removed with its folder by
    ``remove`` (or at the end of a ``with`` block). The copy is plaintext on disk while it
    exists: front ends say so."""

    def __init__(self, name: str, content: bytes) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vaultapp-"))  # mode 0700, an unguessable name
        self.path = self.folder / _safe_file_name(name)
        try:
            fd = open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
        except BaseException:
            self.remove()
            raise

    def remove(self) -> None:
        """Delete the copy and its folder (what the application did inside the folder too)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PrivateCopy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


@contextlib.contextmanager
def private_copy(name: str, content: bytes) -> Iterator[Path]:
    """``with private_copy(name, content) as path:`` a ``PrivateCopy`` removed afterwards."""
    with PrivateCopy(name, content) as copy:
        yield copy.path
