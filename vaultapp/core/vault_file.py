"""The vault file on disk: unlocking it, reading it again with the keys in hand, checking that
it is still what was read, and encoding a save that is verified before it replaces the file.
``Vault`` holds the state (path, header, keys, fingerprint) and the write lock around these.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vaultapp.core import format as fmt
from vaultapp.core.audit import AuditLog
from vaultapp.core.body import Body
from vaultapp.core.body import decode as decode_body
from vaultapp.core.errors import ConflictError, DamagedFileError, VaultError, WrongPassphraseError
from vaultapp.core.kdf import KdfParams, KdfPolicy, check_cost, derive_timed, new_salt
from vaultapp.core.keys import Keyring, same_secret
from vaultapp.core.storage import (
    LOCK_WAIT,
    Fingerprint,
    WriteLock,
    read_bytes,
    read_limited,
    refuse_read_only,
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


def unlock(path: Path, secret: bytes, *, writable: bool, audit: bool, allow_slow_kdf: bool) -> Unlocked:
    """Read, check and decrypt the vault file at ``path`` (see ``Vault.open``). A wrong
    passphrase is written to the audit log with ``audit`` (best effort)."""
    data = read_bytes(path, max_size=fmt.FILE_MAX, check_start=fmt.start_checker(path.name))
    swept: list[str] = []
    if writable:
        refuse_read_only(path)
        lock = WriteLock(path)  # taken briefly, to sweep what a killed save left behind
        lock.acquire(timeout=LOCK_WAIT)
        swept = lock.swept
        lock.release()
    fingerprint = Fingerprint.of(data)
    parsed = fmt.parse_file(data, name=path.name)
    del data
    header = parsed.header
    if not allow_slow_kdf:
        check_cost(header.kdf, path.name)
    master, kdf_ms = derive_timed(header.kdf, secret)
    keys = Keyring(master)
    try:
        fmt.check_mac(parsed, keys, name=path.name)
    except WrongPassphraseError:
        if audit:
            with contextlib.suppress(VaultError):  # best effort: nothing to tell anyone
                AuditLog(path, None).append("unlock.failed")
        raise
    body = decode_body(fmt.decrypt(parsed, keys))
    return Unlocked(header, keys, body, fingerprint, kdf_ms, swept)


def read_with_keys(
    path: Path, header: fmt.Header, keys: Callable[[], Keyring], mismatch: Callable[[], VaultError]
) -> tuple[fmt.Header, Body, bytes]:
    """Read a copy of a vault saved under ``header`` with the keys in hand: its header, body and
    bytes. Another header (another passphrase, salt or KDF) raises ``mismatch()``."""
    data = read_bytes(path, max_size=fmt.FILE_MAX, check_start=fmt.start_checker(path.name))
    parsed = fmt.parse_file(data, name=path.name)
    if parsed.header.raw != header.raw:
        raise mismatch()
    fmt.check_mac(parsed, keys(), name=path.name)
    return parsed.header, decode_body(fmt.decrypt(parsed, keys())), data


def check_unchanged(path: Path, fingerprint: Fingerprint | None) -> None:
    """Raise ConflictError when the file is not what was read or last saved (``fingerprint``;
    None while the vault is being created: then the file must not exist)."""
    if fingerprint is None:  # a vault being created
        if path.exists():
            raise ConflictError(f"{path} appeared while the vault was being created; nothing was saved.")
        return
    try:
        current = read_limited(path, fmt.FILE_MAX)  # never blocks on a FIFO swapped in
    except FileNotFoundError:
        raise ConflictError(
            f"{path} was moved or deleted since it was opened; nothing was saved. "
            "Put the file back, or save under another name."
        ) from None
    except OSError as exc:
        raise VaultError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if Fingerprint.of(current) != fingerprint:
        raise ConflictError(
            f"{path} changed on disk since it was opened (another program or a sync tool "
            "wrote it); nothing was saved. Open it again and redo the change."
        )


def encode_checked(header: fmt.Header, keys: Keyring, body: Body) -> tuple[bytes, Callable[[bytes], None]]:
    """The file's bytes for ``body``, and the check ``atomic_write`` runs on what it wrote."""
    data, plaintext = fmt.encode(header, keys, body.encode())
    header_raw = header.raw

    def verify(written: bytes) -> None:
        parsed = fmt.parse_file(written, name="the written file")
        if parsed.header.raw != header_raw or not keys.header_mac_matches(parsed.header.raw, parsed.mac):
            raise DamagedFileError("The written file does not read back correctly; nothing was replaced.")
        if not same_secret(keys.decrypt_payload(parsed.payload), plaintext):
            raise DamagedFileError("The written file does not read back correctly; nothing was replaced.")

    return data, verify


def new_keys(policy: KdfPolicy, kdf: KdfParams, secret: bytes) -> tuple[fmt.Header, Keyring, float]:
    """A header and keys for ``secret`` under a new salt and KDF parameters at least as strong
    as ``kdf`` and ``policy``; and how long the derivation took (ms)."""
    stronger = dataclasses.replace(policy.strengthen(kdf), salt=new_salt())
    master, kdf_ms = derive_timed(stronger, secret)
    return fmt.build_header(stronger), Keyring(master), kdf_ms
