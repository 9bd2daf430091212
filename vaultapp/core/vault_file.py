"""The vault file on disk: unlocking it, its state while open (``VaultFile``: header, keys,
fingerprint, write lock, a pending re-key, this device's id and memory of it), and saving,
reading again and merging the version on disk in, each verified. A passphrase change is in
``rekey``. The ``Vault`` façade delegates to it; the contents, audit trail and backups are
handed in.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from vaultapp.core import format as fmt
from vaultapp.core import planning
from vaultapp.core.attachments import BlobStore
from vaultapp.core.audit_trail import AuditTrail, merge_heads
from vaultapp.core.backups import Backups
from vaultapp.core.body import Body
from vaultapp.core.contents import Contents
from vaultapp.core.entry import Draft, Entry, remap_blobs
from vaultapp.core.errors import (
    ConflictError,
    RollbackError,
    UsageError,
    VaultError,
    WrongPassphraseError,
)
from vaultapp.core.kdf import KdfPolicy, new_salt
from vaultapp.core.kdf_cost import Calibration
from vaultapp.core.keys import Keyring
from vaultapp.core.locks import LOCK_WAIT, ExclusiveLock, WriteLock
from vaultapp.core.merge import MergePlan
from vaultapp.core.otpauth import OtpParams
from vaultapp.core.rollback import SeenVaults
from vaultapp.core.saving import atomic_write, sweep_stale_temps
from vaultapp.core.storage import (
    Fingerprint,
    open_regular,
    refuse_read_only,
)
from vaultapp.core.vault_reading import (
    check_unchanged,
    encode_checked,
    fingerprint_of,
    read_with_keys,
)

_State = tuple[dict[str, Entry], dict[str, Draft], dict[str, Any]]


class VaultFile:
    """One open vault file and its save protocol. ``contents`` holds the body being saved,
    ``trail`` logs what a save made permanent, ``backups`` says how many earlier versions to keep
    and where. The write lock is held only while saving (``lock`` is set meanwhile)."""

    def __init__(
        self,
        path: Path,
        header: fmt.Header,
        keys: Keyring,
        fingerprint: Fingerprint | None,
        *,
        policy: KdfPolicy,
        lock: WriteLock | None,
        kdf_ms: float,
        writable: bool,
        contents: Contents,
        trail: AuditTrail,
        backups: Backups,
        blobs: BlobStore | None = None,
    ) -> None:
        self.path = path
        self.blobs = blobs if blobs is not None else BlobStore(contents.body.blobs)
        self.header = header
        self.keys: Keyring | None = keys
        self.fingerprint = fingerprint  # of what was read or last saved; None while being created
        self.policy = policy
        self.lock = lock
        self.writable = writable
        # Front ends that save in one go (the CLI) set this: a save that finds the file changed
        # by another process merges that version in, under the lock, instead of ConflictError.
        self.merge_on_conflict = False
        self.kdf_ms = kdf_ms
        self.calibration: Calibration | None = None
        self.seen: SeenVaults | None = None
        self.rollback_warning: str | None = None
        self.rekey: tuple[fmt.Header, Keyring] | None = None  # a stronger KDF, for the next save
        # The id this process's edits of this file carry in entry versions, leased from the state
        # folder at the first edit (core.causal.DeviceFile). Set it to choose one (tests, tools).
        self.device_id: str | None = None
        self._device_lease: ExclusiveLock | None = None
        self.contents, self.trail, self.backups = contents, trail, backups
        self.draft_base = planning.draft_stamps(contents.body)  # the drafts on disk when last read or saved
        # Temp files of a save that was killed, found and removed when the write lock was taken.
        self.swept_files: list[str] = list(lock.swept) if lock is not None else []

    @property
    def _body(self) -> Body:
        return self.contents.body

    @property
    def swept_notice(self) -> str | None:
        """What to tell the user when an interrupted save's temp files were cleaned up."""
        if not self.swept_files:
            return None
        count = len(self.swept_files)
        files = "file" if count == 1 else "files"
        return (
            f"Removed {count} unfinished temp {files} ({', '.join(self.swept_files[:3])}) left by a "
            f"save that was interrupted; {self.path.name} itself is intact."
        )

    def require_keys(self) -> Keyring:
        if self.keys is None:
            raise VaultError("The vault is closed; unlock it again.")
        return self.keys

    def close(self) -> None:
        """Drop the keys and release the device id and the write lock."""
        self.keys = None
        self.rekey = None
        self.blobs.close()
        self.release_device()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # ---- this device: its id in entry versions (core.causal), its memory of vaults (rollback) --

    def seen_key(self) -> str:
        """Per vault and per place: a sibling conflict copy is not a rollback of this file."""
        return f"{self._body.meta.get('id', '')}:{self.path.resolve()}"

    def attach_seen(self, seen: SeenVaults | None) -> None:
        self.seen = seen
        if seen is None or self.fingerprint is None:
            return
        key, sha = self.seen_key(), self.fingerprint.sha256.hex()
        self.rollback_warning = seen.check(key, self.contents.generation, sha)
        if self.rollback_warning is None:
            seen.remember(key, self.contents.generation, sha)

    def accept_rollback(self) -> None:
        """The user chose to keep this older copy: saving is allowed again."""
        self.rollback_warning = None
        self.device(fresh=True)  # edit numbers after this copy were used already

    def recheck_rollback(self) -> None:
        """After merging in another copy: if it brought back the history this device saw (say,
        the sync tool's conflict copy), the rollback is resolved, not overwritten."""
        if self.rollback_warning is not None and self.seen is not None:
            self.rollback_warning = self.seen.check(self.seen_key(), self.contents.generation, "")

    def device(self, *, fresh: bool = False) -> str:
        from vaultapp.core.causal import DeviceFile, valid_device_id

        if self.device_id is None or fresh:
            self.release_device()
            self.device_id, self._device_lease = DeviceFile.default().lease(self.seen_key(), fresh=fresh)
        if not valid_device_id(self.device_id):
            raise UsageError(f"{self.device_id!r} is not a device id (1-64 letters, digits, '-' or '_').")
        return self.device_id

    def release_device(self) -> None:
        if self._device_lease is not None:
            self._device_lease.release()
            self._device_lease = None

    # ---- reading the file again with the keys in hand ---------------------------------------

    def read_copy(self, path: Path) -> tuple[fmt.Header, Body, Fingerprint, BlobStore]:
        """Read another copy of this vault (see ``Vault.open_copy``)."""

        def mismatch() -> VaultError:
            return WrongPassphraseError(
                f"{path.name} was saved with another passphrase or KDF; unlock it with its own passphrase."
            )

        return read_with_keys(path, self.header, self.require_keys, mismatch)

    def merge_disk(self) -> MergePlan:
        """After a ConflictError: merge the version now on disk into this one (same keys), so
        that the next ``save`` keeps both sides' changes.

        Raises:
            VaultError: the file on disk was re-encrypted elsewhere (unlock it again to merge).
        """

        def mismatch() -> VaultError:
            return VaultError(
                f"{self.path.name} was re-encrypted elsewhere (new passphrase or KDF); "
                "lock it, unlock it again and merge from the other copy."
            )

        _, disk, fingerprint, blobs = read_with_keys(self.path, self.header, self.require_keys, mismatch)
        try:
            keys = self.require_keys()
            result = planning.plan_merge(self.contents, self.translate_blobs(disk, blobs), keys, keys)
            self.contents.apply(result, event="vault.merged", source="disk")
            self._body.drafts = planning.merge_drafts(self._body.drafts, disk.drafts, self.draft_base)
            self.carry_blobs(blobs)
        finally:
            blobs.close()
        self.draft_base = planning.draft_stamps(disk)
        self._body.meta["generation"] = max(self.contents.generation, int(disk.meta.get("generation", 0)))
        merge_heads(self._body.meta, disk.meta)
        self.fingerprint = fingerprint  # the disk version is now part of ours
        return result

    def translate_blobs(self, theirs: Body, other: BlobStore) -> Body:
        """Another copy's body as this vault names its files. Two copies given attachment keys
        apart name one file differently; merging by those names would keep an entry's version
        twice. So the files the other copy refers to are brought in now (sealed again under this
        vault's key; unreferenced ones are dropped at the next save) and its references renamed;
        under the same key ``theirs`` is returned as it is."""
        if other.key is None or self.blobs.same_key(other):
            return theirs
        mapping = {blob: self.blobs.adopt(other, blob) for blob in sorted(theirs.blob_ids())}
        if all(old == new for old, new in mapping.items()):
            return theirs
        entries = {u: remap_blobs(e, mapping) for u, e in theirs.entries.items()}
        return dataclasses.replace(theirs, entries=entries, lines={})

    def carry_blobs(self, other: BlobStore) -> None:
        """After another copy's entries were merged in (or its body taken): bring in the blobs
        they refer to that this vault lacks, copied as stored (under another attachment key,
        sealed again and the entries' references renamed)."""
        body = self._body
        missing = sorted(b for b in body.blob_ids() if b not in self.blobs)
        mapping = {blob: self.blobs.adopt(other, blob) for blob in missing}
        if any(old != new for old, new in mapping.items()):
            body.entries = {u: remap_blobs(e, mapping) for u, e in body.entries.items()}
            body.drafts = {
                k: dataclasses.replace(d, entry=remap_blobs(d.entry, mapping)) for k, d in body.drafts.items()
            }

    def reload(self) -> None:
        """Re-read the file with the keys in hand, dropping unsaved changes (after a conflict).

        Raises:
            VaultError: the file on disk has another header (passphrase or KDF changed elsewhere);
                the vault must be unlocked again.
        """

        def mismatch() -> VaultError:
            return VaultError(
                f"{self.path.name} was re-encrypted elsewhere (new passphrase or KDF); "
                "lock it and unlock it again."
            )

        _, self.contents.body, self.fingerprint, blobs = read_with_keys(
            self.path, self.header, self.require_keys, mismatch
        )
        self.blobs.close()
        self.blobs = blobs
        self.draft_base = planning.draft_stamps(self._body)
        self.trail.pending = []  # the changes they described were dropped

    def migrate(self) -> None:
        """At a writable open: a file of an earlier format version (1.0, 1.1) is written as the
        current one (1.2) by the next save: the same KDF parameters and salt, so the same keys."""
        if self.header.minor < fmt.FORMAT_MINOR:
            self.header = fmt.build_header(self.header.kdf)

    def plan_rekey(self, secret: bytes) -> None:
        """At a writable open: the next save re-keys a KDF weaker than the policy."""
        if self.policy.needs_rehash(self.header.kdf):
            stronger = dataclasses.replace(self.policy.strengthen(self.header.kdf), salt=new_salt())
            self.rekey = (fmt.build_header(stronger), Keyring(stronger.derive(secret)))

    # ---- saving -----------------------------------------------------------------------------

    def save(
        self, *, overwrite: bool = False, backup: bool = True, merge: bool | None = None
    ) -> MergePlan | None:
        """Write the vault atomically (verified, previous version kept as an automatic backup),
        then log the changes made since the last save.

        The write lock is taken for the save only (waiting up to ``LOCK_WAIT`` seconds for
        another process's save). Under it, the file is compared with what was read or last
        saved: if another process saved meanwhile, ``merge`` (default ``merge_on_conflict``)
        merges that version in first, and the plan is returned; otherwise ConflictError.
        ``overwrite`` skips the check: only for when the user chose to replace the other
        version after a ConflictError (that version is then kept as a backup).
        ``backup=False`` keeps no backup: for bookkeeping (the strength cache), not content.

        Raises:
            ConflictError: the file changed on disk since it was opened or last saved.
            ReadOnlyVaultError: the user made the file read-only.
            VaultLockedError: another process's save held the write lock too long.
            SaveFailedError: the write failed; the file on disk is unchanged.
        """
        if self.rollback_warning is not None:
            raise RollbackError(self.rollback_warning + " Nothing was saved.")
        with self.holding_lock():
            merged = None
            if not overwrite:
                if self.merge_on_conflict if merge is None else merge:
                    merged = self.merge_if_changed()
                self.check_unchanged()  # before re-keying: a conflict leaves the keys as they were
            if self.rekey is not None:  # the stronger KDF means new keys; the log stays
                header, keys = self.rekey
                self.write_rekeyed(header, keys, backup=backup, overwrite=overwrite)
                self.trail.rekey(keys.audit_key)
                self.trail.flush()
                return merged
            self.write(backup=backup, overwrite=overwrite)
        self.trail.flush()
        return merged

    def next_hotp(self, uuid: str, *, now: datetime | None = None) -> OtpParams:
        """Use an HOTP entry's counter: returns the entry's one-time-code parameters at the stored
        counter (``hotp(params)`` is the code to show or copy) after storing counter + 1 and saving,
        so a code once shown is never shown again (KeePassXC does the same). The step changes
        ``modified`` (merges keep the newer counter) but adds no history version; it is logged as
        ``entry.changed`` with ``fields: ["totp"]``. ``hotp(params, n)`` shows a code for another
        counter without using one.

        Raises:
            UsageError: the entry has no one-time code, or a time-based (TOTP) one.
            VaultLockedError, ConflictError, RollbackError, SaveFailedError: as ``save``; the
                counter did not advance and no code should be shown.
        """
        params, entry = self.contents.advance_hotp(uuid, now=now)
        try:
            self.save()
        except BaseException:  # not saved: the code is not shown, so the counter stays
            self.contents.body.entries[uuid] = entry
            self.trail.pending.pop()
            raise
        return params

    def write(self, *, backup: bool, overwrite: bool = False, head: bool = True) -> bytes:
        """Encode and write the body under the write lock (the save's core; see ``save``)."""
        keys = self.require_keys()
        with self.holding_lock():
            refuse_read_only(self.path)
            folder = self.backups.folder_or_none()
            if folder is not None and backup:
                self.swept_files += sweep_stale_temps(self.path, folder)
            if not overwrite:
                self.check_unchanged()
            with self.trail.stamping(head=head):
                self._body.meta["generation"] = self.contents.generation + 1
                data, verify = encode_checked(self.header, keys, self._body, self.blobs)
                try:
                    keep = self.backups.count
                    atomic_write(self.path, data, verify=verify, backup=backup and keep > 0, keep=keep,
                                 backup_folder=self.backups.folder_or_none())  # fmt: skip
                except BaseException:
                    self._body.meta["generation"] = self.contents.generation - 1
                    raise
            self._settle_blobs(data)
            self.fingerprint = fingerprint_of(data)
            self.draft_base = planning.draft_stamps(self._body)
            if self.seen is not None:
                self.seen.remember(self.seen_key(), self.contents.generation, self.fingerprint.sha256.hex())
            return data

    def _settle_blobs(self, data: bytes) -> None:
        """After a save (under the lock): the blobs are read from the file just written from now
        on. If it cannot be opened, the store keeps reading the previous file (still open)."""
        try:
            fd = open_regular(self.path)
        except OSError:
            return
        self.blobs.settle(self._body.blobs, fd, fmt.parse_file(data, name=self.path.name).area_offset)

    def write_rekeyed(
        self, header: fmt.Header, keys: Keyring, *, backup: bool, overwrite: bool = False
    ) -> None:
        """Save under new keys (every secret resealed, the old audit key kept in the vault); if
        the save fails, the old keys and contents are back as they were."""
        old_header, old_keys, old_rekey, old_state = (
            self.header,
            self.require_keys(),
            self.rekey,
            self._state(),
        )
        try:
            self.contents.reseal_all(keys)
            self.header, self.keys, self.rekey = header, keys, None
            self.trail.retire_key(old_keys.audit_key)
            self.write(backup=backup, overwrite=overwrite)
        except BaseException:
            self.header, self.keys, self.rekey = old_header, old_keys, old_rekey
            self._body.entries, self._body.drafts, self._body.meta = old_state
            raise

    def _state(self) -> _State:
        """What a re-key changes in the body, to put back when the save fails."""
        return dict(self._body.entries), dict(self._body.drafts), dict(self._body.meta)

    @contextlib.contextmanager
    def holding_lock(self) -> Iterator[None]:
        """Hold the write lock for a save (re-entrant: a save inside a locked step reuses it)."""
        if self.lock is not None:
            yield
            return
        lock = WriteLock(self.path)
        lock.acquire(timeout=LOCK_WAIT)
        self.lock = lock
        self.swept_files += lock.swept
        try:
            yield
        finally:
            self.lock = None
            lock.release()

    def merge_if_changed(self) -> MergePlan | None:
        """Holding the lock: merge in the version on disk if another process saved since we read
        or last saved it (a file that vanished is left to ``check_unchanged`` to report)."""
        if self.fingerprint is None or not self.path.exists():
            return None
        try:
            self.check_unchanged()
        except ConflictError:
            return self.merge_disk()
        return None

    def check_unchanged(self) -> None:
        check_unchanged(self.path, self.fingerprint)
