"""Reading a vault file: unlocking it (the KDF, the header MAC, the payload), reading it again
with the keys in hand, its fingerprint and the changed-on-disk check, and encoding a body
checked by reading it back. ``vault_file.VaultFile`` holds the open file's state and uses these.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vaultapp.core import format as fmt
from vaultapp.core.attachments import BlobStore, VaultBytes, read_vault
from vaultapp.core.audit import AuditLog
from vaultapp.core.body import Body
from vaultapp.core.body import decode as decode_body
from vaultapp.core.errors import (
    ConflictError,
    DamagedFileError,
    UsageError,
    VaultError,
    WrongPassphraseError,
)
from vaultapp.core.factors import Credentials, Factors, kdf_input
from vaultapp.core.kdf import derive_timed
from vaultapp.core.kdf_cost import check_cost
from vaultapp.core.keys import Keyring, same_secret
from vaultapp.core.locks import LOCK_WAIT, WriteLock
from vaultapp.core.storage import (
    Fingerprint,
    refuse_read_only,
    resolve_vault_path,
    vault_read_error,
)


@dataclass(slots=True)
class Unlocked:
    """A vault file read and decrypted by ``unlock``."""

    header: fmt.Header
    keys: Keyring
    body: Body
    fingerprint: Fingerprint
    kdf_ms: float
    swept: list[str]  # temp files of a killed save, removed (``writable`` only)
    blobs: BlobStore  # the attachments, left on disk until one is read
    secret: bytes = field(default=b"", repr=False)  # the KDF input (for a re-key at once; then dropped)


def fingerprint_of(data: bytes) -> Fingerprint:
    """What a vault file's bytes look like for the changed-on-disk check: its size and the
    SHA-256 of its header and payload (every save rewrites the payload, and the attachments
    after it are bound to it by the index it holds, so they need not be hashed: format 1.2). A
    file of an earlier version is hashed whole."""
    head = fmt.head_length(data)
    if head is None or not 0 <= head <= len(data):
        return Fingerprint.of(data)
    return Fingerprint(len(data), hashlib.sha256(memoryview(data)[:head]).digest())


def _read_head(path: Path) -> VaultBytes:
    """A vault file's header and payload (not its attachments), with one clear error each.
    The caller closes ``fd`` (or hands it to a ``BlobStore``)."""
    try:
        return read_vault(path, head_max=fmt.FILE_MAX, area_max=fmt.AREA_MAX,
                          check_start=fmt.start_checker(path.name))  # fmt: skip
    except OSError as exc:
        raise vault_read_error(path, exc, fmt.FILE_MAX) from None


def _head_fingerprint(read: VaultBytes) -> Fingerprint:
    return Fingerprint(read.size, hashlib.sha256(read.head).digest())


def _blob_store(body: Body, read: VaultBytes, area_offset: int, name: str) -> BlobStore:
    """The attachments of a file just read: checked to end exactly where the file ends (bytes
    added after the last blob, or a file cut short, are damage)."""
    store = BlobStore(body.blobs, read.fd, area_offset)
    if area_offset + store.area_size != read.size:
        store.close()
        raise DamagedFileError(
            f"{name} does not end where its attachments end (bytes were added or cut off). "
            "Restore the backup file next to the vault or another copy."
        )
    return store


def read_header(path: Path | str) -> fmt.Header:
    """The header of a vault file, checked but not decrypted (no passphrase needed)."""
    path = Path(path)
    read = _read_head(path)
    os.close(read.fd)
    return fmt.parse_file(read.head, name=path.name).header


def new_place(path: Path | str, factors: Factors, credentials: Credentials) -> tuple[Path, bytes]:
    """Where a new vault goes (its folder made) and its KDF input, checked (see ``Vault.create``)."""
    path = resolve_vault_path(path)
    factors.check()
    secret = kdf_input(factors, credentials, name=path.name)
    if path.exists():
        raise UsageError(f"{path} exists already; choose another name or delete it first.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VaultError(f"Cannot create the folder {path.parent}: {exc.strerror or exc}.") from None
    return path, secret


def unlock(
    path: Path, credentials: Credentials, *, writable: bool, audit: bool, allow_slow_kdf: bool
) -> Unlocked:
    """Read, check and decrypt the vault file at ``path`` (see ``Vault.open``). A wrong
    passphrase is written to the audit log with ``audit`` (best effort)."""
    read = _read_head(path)
    try:
        return _unlock(path, read, credentials, writable=writable, audit=audit, allow_slow_kdf=allow_slow_kdf)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(read.fd)
        raise


def _unlock(
    path: Path,
    read: VaultBytes,
    credentials: Credentials,
    *,
    writable: bool,
    audit: bool,
    allow_slow_kdf: bool,
) -> Unlocked:
    swept: list[str] = []
    if writable:
        refuse_read_only(path)
        lock = WriteLock(path)  # taken briefly, to sweep what a killed save left behind
        lock.acquire(timeout=LOCK_WAIT)
        swept = lock.swept
        lock.release()
    fingerprint = _head_fingerprint(read)
    parsed = fmt.parse_file(read.head, name=path.name)
    read.head = b""
    header = parsed.header
    if not allow_slow_kdf:
        check_cost(header.kdf, path.name)
    secret = kdf_input(header.factors, credentials, name=path.name)  # a missing factor: before the KDF
    master, kdf_ms = derive_timed(header.kdf, secret)
    keys = Keyring(master)
    try:
        fmt.check_mac(parsed, keys, name=path.name)
    except WrongPassphraseError:
        if audit:
            with contextlib.suppress(VaultError):  # best effort: nothing to tell anyone
                AuditLog(path, None).append("unlock.failed")
        raise
    body = decode_body([fmt.decrypt(parsed, keys)])
    blobs = _blob_store(body, read, parsed.area_offset, path.name)
    return Unlocked(header, keys, body, fingerprint, kdf_ms, swept, blobs, secret)


def read_with_keys(
    path: Path, header: fmt.Header, keys: Callable[[], Keyring], mismatch: Callable[[], VaultError]
) -> tuple[fmt.Header, Body, Fingerprint, BlobStore]:
    """Read a copy of a vault saved under ``header``'s keys with the keys in hand: its header,
    body, fingerprint and attachments (left on disk; close the store). Another passphrase, salt
    or KDF raises ``mismatch()``; a header only migrated to a newer format version is the same."""
    read = _read_head(path)
    try:
        parsed = fmt.parse_file(read.head, name=path.name)
        body = _decrypt_copy(parsed, header, keys, mismatch, path.name)
        blobs = _blob_store(body, read, parsed.area_offset, path.name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(read.fd)
        raise
    return parsed.header, body, _head_fingerprint(read), blobs


def _decrypt_copy(
    parsed: fmt.ParsedFile,
    header: fmt.Header,
    keys: Callable[[], Keyring],
    mismatch: Callable[[], VaultError],
    name: str,
) -> Body:
    if not fmt.same_keys(parsed.header, header):
        raise mismatch()
    fmt.check_mac(parsed, keys(), name=name)
    return decode_body([fmt.decrypt(parsed, keys())])


def check_unchanged(path: Path, fingerprint: Fingerprint | None) -> None:
    """Raise ConflictError when the file is not what was read or last saved (``fingerprint``;
    None while the vault is being created: then the file must not exist)."""
    if fingerprint is None:  # a vault being created
        if path.exists():
            raise ConflictError(f"{path} appeared while the vault was being created; nothing was saved.")
        return
    try:
        read = read_vault(path, head_max=fmt.FILE_MAX, area_max=fmt.AREA_MAX)  # never blocks on a FIFO
        os.close(read.fd)
        current = _head_fingerprint(read)
    except FileNotFoundError:
        raise ConflictError(
            f"{path} was moved or deleted since it was opened; nothing was saved. "
            "Put the file back, or save under another name."
        ) from None
    except DamagedFileError:
        current = None  # cut short or not a vault now: not what was read
    except OSError as exc:
        raise VaultError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if current != fingerprint:
        raise ConflictError(
            f"{path} changed on disk since it was opened (another program or a sync tool "
            "wrote it); nothing was saved. Open it again and redo the change."
        )


def encode_checked(
    header: fmt.Header, keys: Keyring, body: Body, blobs: BlobStore | None = None
) -> tuple[bytes, Callable[[bytes], None]]:
    """The file's bytes for ``body`` (and the attachments it refers to, from ``blobs``: those that
    did not change copied as stored, unreferenced ones dropped), and the check ``atomic_write``
    runs on what it wrote. ``body.blobs`` becomes the index written."""
    area: list[bytes] = []
    if blobs is not None:
        body.blobs, area = blobs.layout(body.blob_ids())
    data, plaintext = fmt.encode(header, keys, body.encode(), area)
    area_size = sum(map(len, area))
    del area  # the file's bytes hold the blobs now: no second copy of them is kept
    header_raw = header.raw

    def verify(written: bytes) -> None:
        parsed = fmt.parse_file(written, name="the written file")
        if parsed.header.raw != header_raw or not keys.header_mac_matches(parsed.header.raw, parsed.mac):
            raise DamagedFileError("The written file does not read back correctly; nothing was replaced.")
        if not same_secret(keys.decrypt_payload(parsed.payload), plaintext):
            raise DamagedFileError("The written file does not read back correctly; nothing was replaced.")
        if memoryview(written)[parsed.area_offset :] != memoryview(data)[len(data) - area_size :]:
            raise DamagedFileError("The written file's attachments do not read back; nothing was replaced.")

    return data, verify
