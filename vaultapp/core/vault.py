"""The Vault façade: create, open, search, edit, save, change the passphrase, close.

Front ends (CLI, GUI) use only this class and the types in ``vaultapp.core``. Secrets stay
sealed in memory; ``reveal`` decrypts one on demand. The rooms behind it: ``contents`` (the
entries in memory), ``vault_file`` (the file on disk: unlocking, saving, reloading), ``rekey``
(the passphrase change), ``backups``, ``audit_trail`` (the log's wiring) and ``planning``
(merge and import plans); ``delegation`` offers their methods under the façade's names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from vaultapp.core import backups as backups_room
from vaultapp.core import format as fmt
from vaultapp.core import planning, rekey, vault_reading
from vaultapp.core.attachments import BlobStore
from vaultapp.core.audit_records import Verification
from vaultapp.core.audit_trail import AuditTrail, merge_heads
from vaultapp.core.backups import Backups
from vaultapp.core.body import Body
from vaultapp.core.contents import UNSET as UNSET  # re-exported: the CLI leaves fields unset with it
from vaultapp.core.contents import Contents
from vaultapp.core.delegation import Kept, forward
from vaultapp.core.entry import Draft, Entry, Sealed, Tombstone, new_uuid, utc_now
from vaultapp.core.kdf import (
    DEFAULT_POLICY,
    UNLOCK_MS_DEFAULT,
    KdfName,
    KdfParams,
    KdfPolicy,
    derive_timed,
    new_salt,
)
from vaultapp.core.kdf_cost import Calibration, calibrate
from vaultapp.core.keys import Keyring, normalize_passphrase
from vaultapp.core.locks import WriteLock
from vaultapp.core.merge import MergePlan
from vaultapp.core.rollback import SeenVaults
from vaultapp.core.storage import Fingerprint, is_read_only, resolve_vault_path
from vaultapp.core.vault_attachments import AttachmentMethods
from vaultapp.core.vault_file import VaultFile


class Vault(AttachmentMethods):
    """An unlocked vault. Use ``Vault.create`` or ``Vault.open``; close it (or use ``with``)."""

    def __init__(
        self,
        path: Path,
        header: fmt.Header,
        keys: Keyring,
        body: Body,
        fingerprint: Fingerprint | None,
        *,
        policy: KdfPolicy,
        lock: WriteLock | None,
        kdf_ms: float,
        writable: bool = False,
        blobs: BlobStore | None = None,
    ) -> None:
        self._trail = AuditTrail(path, lambda: self._body.meta)
        self._contents = Contents(body, keys=self._require_keys, device=self._device, later=self._trail.later)
        self._backups = Backups(path, lambda: self._body.meta, self._trail.later)
        self._file = VaultFile(
            path, header, keys, fingerprint, policy=policy, lock=lock, kdf_ms=kdf_ms, writable=writable,
            contents=self._contents, trail=self._trail, backups=self._backups, blobs=blobs,
        )  # fmt: skip

    # ---- the file (core.vault_file) ---------------------------------------------------------

    path: Kept[Path] = Kept("_file")
    header: Kept[fmt.Header] = Kept("_file")
    writable: Kept[bool] = Kept("_file")  # opened to be changed (``writable``, or created)
    policy: Kept[KdfPolicy] = Kept("_file")  # the KDF policy it was opened with
    kdf_ms: Kept[float] = Kept("_file")
    calibration: Kept[Calibration | None] = Kept("_file")
    merge_on_conflict: Kept[bool] = Kept("_file")  # see ``VaultFile.save``
    rollback_warning: Kept[str | None] = Kept("_file")
    swept_files: Kept[list[str]] = Kept("_file")
    swept_notice: Kept[str | None] = Kept("_file")
    device_id: Kept[str | None] = Kept("_file")  # this process's id in entry versions; settable

    @property
    def kdf(self) -> KdfParams:
        return self._file.header.kdf

    @property
    def needs_rehash(self) -> bool:
        """True when the next save will re-key with stronger KDF parameters."""
        return self._file.rekey is not None

    @classmethod
    def create(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        kdf_name: KdfName = "argon2id",
        unlock_ms: int = UNLOCK_MS_DEFAULT,
        policy: KdfPolicy = DEFAULT_POLICY,
        now: datetime | None = None,
        audit: bool = True,
    ) -> Vault:
        """Create a new, empty vault file and return it open for writing.

        Without ``kdf``, parameters are calibrated to ``unlock_ms`` on this machine. With
        ``audit`` (not for backups) the audit log beside it starts with ``vault.created``; a
        log left by an earlier vault of the same name is kept aside as ``NAME.vault.log.orphaned``.

        Raises:
            UsageError: the file exists already, the passphrase is empty, or unlock_ms is out of range.
            SaveFailedError: the file could not be written.
        """
        path, secret = vault_reading.new_place(path, passphrase)
        calibration = None
        if kdf is None:
            calibration = calibrate(kdf_name, unlock_ms, policy=policy)
            kdf = calibration.params
        kdf = dataclasses.replace(kdf, salt=new_salt())
        lock = WriteLock(path)
        lock.acquire()
        try:
            master, kdf_ms = derive_timed(kdf, secret)
            now = now or utc_now()
            body = Body({"id": new_uuid(), "created": now.isoformat(), "generation": 0})
            header, keys = fmt.build_header(kdf), Keyring(master)
            vault = cls(
                path, header, keys, body, None, policy=policy, lock=lock, kdf_ms=kdf_ms, writable=True
            )
            vault.calibration = calibration
            if audit:
                vault._trail.start(keys.audit_key, orphans=True)
            vault._write(backup=False)
        finally:
            lock.release()  # held again for each later save
        vault._file.lock = None
        vault._trail.log("vault.created", now=now)
        return vault

    @classmethod
    def open(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        writable: bool = False,
        policy: KdfPolicy = DEFAULT_POLICY,
        seen: SeenVaults | None = None,
        audit: bool = True,
        allow_slow_kdf: bool = False,
    ) -> Vault:
        """Unlock a vault file. ``writable`` says the vault is opened to be changed: a file the
        user made read-only is refused, and the next save re-keys a KDF weaker than ``policy``.
        No lock is held while it is open (other processes may save meanwhile): each save takes
        the write lock and checks that the file is still what was read (see ``save``).

        KDF parameters that would take over 20 s or more than half the free memory here (a file
        from someone else) raise SlowKdfError before deriving, unless ``allow_slow_kdf``.

        With ``audit`` (the vault being worked on, not a backup or another copy being read) a
        writable unlock, and a failed one, is written to the audit log beside the file. A
        read-only unlock is not: it cannot change the vault, and what it shows or copies is
        logged by those events, so a script that reads a hundred times does not flood the log.

        With ``seen`` (this device's memory of vaults), an older copy than one seen before sets
        ``rollback_warning`` and ``save`` raises RollbackError until ``accept_rollback``.

        Raises:
            WrongPassphraseError: the passphrase is wrong.
            DamagedFileError: the file is not a vault, damaged or tampered (or a subclass).
            ReadOnlyVaultError: ``writable`` and the user made the file read-only.
            VaultLockedError: ``writable`` and another process's save held the lock too long.
            SlowKdfError: see above; nothing was derived.
        """
        path = resolve_vault_path(path)
        secret = normalize_passphrase(passphrase)
        read = vault_reading.unlock(
            path, secret, writable=writable, audit=audit, allow_slow_kdf=allow_slow_kdf
        )
        header, keys = read.header, read.keys
        vault = cls(
            path, header, keys, read.body, read.fingerprint, policy=policy, lock=None, kdf_ms=read.kdf_ms,
            writable=writable, blobs=read.blobs,
        )  # fmt: skip
        vault.swept_files = read.swept
        if audit:
            vault._trail.start(keys.audit_key)
            if writable:
                vault._trail.log("vault.unlocked", detail={"mode": "write"})
        vault._file.attach_seen(seen)
        if writable:
            vault._file.migrate()
            vault._file.plan_rekey(secret)
        return vault

    @staticmethod
    def is_read_only(path: Path | str) -> bool:
        """True when the user made the vault file read-only (open it without ``writable``)."""
        return is_read_only(resolve_vault_path(path))

    read_header = staticmethod(vault_reading.read_header)

    def close(self) -> None:
        """Drop the keys and the entries and release the write lock."""
        self._trail.keep_gaps()
        self._body = Body(self._body.meta)
        self._file.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._file.keys is not None else "closed"
        return f"Vault({str(self.path)!r}, {len(self._body.entries)} entries, {state})"

    save = forward("_file", VaultFile.save)
    reload = forward("_file", VaultFile.reload)
    merge_disk = forward("_file", VaultFile.merge_disk)
    accept_rollback = forward("_file", VaultFile.accept_rollback)
    next_hotp = forward("_file", VaultFile.next_hotp)
    check_passphrase = forward("_file", rekey.check_passphrase)
    change_passphrase = forward("_file", rekey.change_passphrase)
    _write = forward("_file", VaultFile.write)
    _require_keys = forward("_file", VaultFile.require_keys)
    _device = forward("_file", VaultFile.device)

    def open_copy(self, path: Path | str) -> Vault:
        """Open another copy of this vault (a sync tool's conflict copy) with the keys in hand,
        read-only, for ``plan_merge``/``merge_from``.

        Raises:
            WrongPassphraseError: the copy has another salt or KDF (its passphrase is needed).
            DamagedFileError: the copy is damaged.
        """
        path = Path(path)
        header, body, fingerprint, blobs = self._file.read_copy(path)
        return Vault(
            path, header, self._require_keys(), body, fingerprint, policy=self.policy, lock=None, kdf_ms=0.0,
            blobs=blobs,
        )  # fmt: skip

    # ---- audit log (core.audit_trail) -------------------------------------------------------

    audit_warning: Kept[str | None] = Kept("_trail", "warning")  # why the log could not be written
    audit_path: Kept[Path] = Kept("_trail", "log_path")

    note = forward("_trail", AuditTrail.note)

    def verify_log(self) -> Verification:
        """Read and check this vault's audit log (see ``core.audit``)."""
        return self._trail.verify(self._require_keys().audit_key)

    # ---- the contents (core.contents) -------------------------------------------------------

    @property
    def _blobs(self) -> BlobStore:  # type: ignore[override]
        """The attachments' content (``core.attachments``), kept with the file."""
        return self._file.blobs

    @property
    def _body(self) -> Body:
        return self._contents.body

    @_body.setter
    def _body(self, body: Body) -> None:
        self._contents.body = body

    entries: Kept[list[Entry]] = Kept("_contents")  # without those in the Trash
    trashed_entries: Kept[list[Entry]] = Kept("_contents")
    drafts: Kept[list[Draft]] = Kept("_contents")  # editor values kept when the vault locked
    tombstones: Kept[list[Tombstone]] = Kept("_contents")
    generation: Kept[int] = Kept("_contents")  # how many times the vault was saved
    folders: Kept[list[str]] = Kept("_contents")
    history_max: Kept[int] = Kept("_contents")  # earlier versions each entry keeps

    get = forward("_contents", Contents.get)
    find = forward("_contents", Contents.find)
    search = forward("_contents", Contents.search)
    reveal = forward("_contents", Contents.reveal)
    digest = forward("_contents", Contents.digest)
    add = forward("_contents", Contents.add)
    make_entry = forward("_contents", Contents.make_entry)
    apply = forward("_contents", Contents.apply)
    update = forward("_contents", Contents.update)
    remove = forward("_contents", Contents.remove)
    purge = forward("_contents", Contents.remove)
    trash = forward("_contents", Contents.trash)
    restore = forward("_contents", Contents.restore)
    duplicate = forward("_contents", Contents.duplicate)
    add_folder = forward("_contents", Contents.add_folder)
    rename_folder = forward("_contents", Contents.rename_folder)
    remove_folder = forward("_contents", Contents.remove_folder)
    empty_trash = forward("_contents", Contents.empty_trash)
    restore_version = forward("_contents", Contents.restore_version)
    discard_draft = forward("_contents", Contents.discard_draft)
    # Keeps the draft and saves: a draft is never refused because another process saved meanwhile.
    save_draft = forward("_contents", Contents.keep_draft, then_save=True)
    integration_data = forward("_contents", Contents.integration_data)
    set_integration_data = forward("_contents", Contents.set_integration_data)

    @property
    def vault_id(self) -> str:
        """The vault's own id (``meta.id``, made at creation): the same in every copy of it."""
        return str(self._body.meta.get("id", ""))

    def secret_tag(self, sealed: Sealed) -> str:
        """The keyed hash of a secret field (see ``Keyring.secret_tag``): compare passwords by
        these tags, never by holding the plaintexts."""
        keys = self._require_keys()
        return keys.secret_tag(keys.unseal(sealed.token))

    @property
    def tag_key_check(self) -> str:
        """The tag of a fixed text: tells whether stored tags were made with the current key."""
        return self._require_keys().secret_tag("vaultapp tag key check")

    @property
    def strength_cache(self) -> dict[str, Any]:
        """Cached strength results kept inside the vault, keyed by ``secret_tag`` (health)."""
        cache = self._body.meta.get("strength")
        return cache if isinstance(cache, dict) else {}

    @strength_cache.setter
    def strength_cache(self, cache: dict[str, Any]) -> None:
        self._body.meta["strength"] = cache

    # ---- merge and import planning (core.planning) ------------------------------------------

    def plan_import(self, entries: Iterable[Entry]) -> MergePlan:
        """What importing ``entries`` (from ``make_entry``) would do, by the merge rules; changes
        nothing. An entry whose UUID the vault does not know, but which equals a live entry in
        title, username, URL, folder, password and TOTP, counts as already there (importing the
        same CSV twice adds nothing)."""
        return planning.plan_import(self._contents, entries, self._device)

    def plan_merge(self, other: Vault) -> MergePlan:
        """What merging ``other`` (another open copy) into this vault would do; changes nothing."""
        theirs = self._file.translate_blobs(other._body, other._blobs)
        return planning.plan_merge(self._contents, theirs, self._require_keys(), other._require_keys())

    def merge_from(self, other: Vault) -> MergePlan:
        """Merge another copy into this vault (in memory; call ``save``). See ``core.merge``."""
        result = self.plan_merge(other)
        self.apply(result, event="vault.merged")
        self._file.carry_blobs(other._blobs)
        self._body.meta["generation"] = max(self.generation, other.generation)
        merge_heads(self._body.meta, other._body.meta)
        self._file.recheck_rollback()
        return result

    # ---- backups (core.backups) -------------------------------------------------------------

    backup_count: Kept[int] = Kept("_backups", "count")  # earlier versions kept (default 5; 0 = none)

    @property
    def backup_folder_setting(self) -> str:
        """The chosen folder for automatic backups as stored in the vault ('' = beside the vault)."""
        return self._backups.folder_setting

    @backup_folder_setting.setter
    def backup_folder_setting(self, folder: str | Path) -> None:
        self._backups.folder_setting = folder

    backup_folder: Kept[Path] = Kept("_backups", "folder")  # where they go on this machine
    backups = forward("_backups", Backups.found)
    stale_backups = backups_room.stale_backups
    export_backup = backups_room.export_backup
    restore_backup = backups_room.restore_backup
