"""The Vault façade: create, open, search, edit, save, change the passphrase, close.

Front ends (CLI, GUI) use only this class and the types in ``vaultapp.core``. Secrets stay
sealed in memory; ``reveal`` decrypts one on demand. The rooms behind it: ``contents`` (the
entries in memory), ``vault_file`` (the file on disk), ``backups``, ``audit_trail`` (the log's
wiring) and ``planning`` (merge and import plans).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hmac
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from vaultapp.core import format as fmt
from vaultapp.core import planning, vault_file
from vaultapp.core.audit import Verification
from vaultapp.core.audit_trail import AuditTrail
from vaultapp.core.backups import Backups, export_backup, rekey_report
from vaultapp.core.body import Body
from vaultapp.core.contents import UNSET as UNSET  # re-exported: the CLI leaves fields unset with it
from vaultapp.core.contents import Contents
from vaultapp.core.entry import (
    Draft,
    Entry,
    Sealed,
    Tombstone,
    new_uuid,
    utc_now,
)
from vaultapp.core.errors import (
    ConflictError,
    RollbackError,
    UsageError,
    VaultError,
    WrongPassphraseError,
)
from vaultapp.core.kdf import (
    DEFAULT_POLICY,
    UNLOCK_MS_DEFAULT,
    Calibration,
    KdfName,
    KdfParams,
    KdfPolicy,
    calibrate,
    derive_timed,
    new_salt,
)
from vaultapp.core.keys import Keyring, normalize_passphrase
from vaultapp.core.merge import MergePlan
from vaultapp.core.otpauth import OtpParams
from vaultapp.core.rollback import SeenVaults
from vaultapp.core.storage import (
    LOCK_WAIT,
    ExclusiveLock,
    Fingerprint,
    WriteLock,
    atomic_write,
    is_read_only,
    read_bytes,
    refuse_read_only,
    resolve_vault_path,
    sweep_stale_temps,
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _under_write_lock(method: Callable[Concatenate[Vault, _P], _R]) -> Callable[Concatenate[Vault, _P], _R]:
    """Run a method that writes the vault (and files beside it) holding the write lock, after
    merging in the version on disk first when another process saved meanwhile and
    ``merge_on_conflict`` is set."""

    @functools.wraps(method)
    def locked(self: Vault, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._holding_lock():
            if self.merge_on_conflict:
                self._merge_if_changed()
            self._check_unchanged()  # a conflict is raised before anything is changed
            return method(self, *args, **kwargs)

    return locked


def _contents(
    method: Callable[Concatenate[Contents, _P], _R], *, then_save: bool = False
) -> Callable[Concatenate[Vault, _P], _R]:
    """A method of the vault's contents (``core.contents``), offered by the façade as is; with
    ``then_save``, the vault is saved after it (merging in another process's save)."""

    @functools.wraps(method)
    def forward(self: Vault, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        result = method(self._contents, *args, **kwargs)
        if then_save:
            self.save(merge=True)
        return result

    return forward


class Vault:
    """An unlocked vault. Use ``Vault.create`` or ``Vault.open``; close it (or use ``with``)."""

    # The id this process's edits of this file carry in entry versions, leased from the state
    # folder at the first edit (core.causal.DeviceFile). Set it to choose one (tests, tools).
    device_id: str | None = None
    _device_lease: ExclusiveLock | None = None

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
    ) -> None:
        self.path = path
        self._header = header
        self._keys: Keyring | None = keys
        self._fingerprint = fingerprint
        self._policy = policy
        self._lock = lock  # held only while saving
        self._writable = writable
        # Front ends that save in one go (the CLI) set this: a save that finds the file changed
        # by another process merges that version in, under the lock, instead of ConflictError.
        self.merge_on_conflict = False
        self.kdf_ms = kdf_ms
        self.calibration: Calibration | None = None
        self._seen: SeenVaults | None = None
        self.rollback_warning: str | None = None
        self._rekey: tuple[fmt.Header, Keyring] | None = None
        self._trail = AuditTrail(path, lambda: self._body.meta)
        self._contents = Contents(body, keys=self._require_keys, device=self._device, later=self._trail.later)
        self._backups = Backups(path, lambda: self._body.meta, self._trail.later)
        self._draft_base = planning.draft_stamps(body)  # the drafts on disk when last read or saved
        # Temp files of a save that was killed, found and removed when the write lock was taken.
        self.swept_files: list[str] = list(lock.swept) if lock is not None else []

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

    # ---- life cycle -----------------------------------------------------------------------

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
        path = resolve_vault_path(path)
        secret = normalize_passphrase(passphrase)
        if path.exists():
            raise UsageError(f"{path} exists already; choose another name or delete it first.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultError(f"Cannot create the folder {path.parent}: {exc.strerror or exc}.") from None
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
            vault = cls(
                path,
                fmt.build_header(kdf),
                Keyring(master),
                body,
                None,
                policy=policy,
                lock=lock,
                kdf_ms=kdf_ms,
                writable=True,
            )
            vault.calibration = calibration
            if audit:
                vault._trail.start(vault._require_keys().audit_key, orphans=True)
            vault._write(backup=False)
        finally:
            lock.release()  # held again for each later save
        vault._lock = None
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
        read = vault_file.unlock(path, secret, writable=writable, audit=audit, allow_slow_kdf=allow_slow_kdf)
        header, keys = read.header, read.keys
        vault = cls(
            path, header, keys, read.body, read.fingerprint, policy=policy, lock=None, kdf_ms=read.kdf_ms,
            writable=writable,
        )  # fmt: skip
        vault.swept_files = read.swept
        if audit:
            vault._trail.start(keys.audit_key)
            if writable:
                vault._trail.log("vault.unlocked", detail={"mode": "write"})
        vault._attach_seen(seen)
        if writable and policy.needs_rehash(header.kdf):
            stronger = dataclasses.replace(policy.strengthen(header.kdf), salt=new_salt())
            vault._rekey = (fmt.build_header(stronger), Keyring(stronger.derive(secret)))
        return vault

    @staticmethod
    def is_read_only(path: Path | str) -> bool:
        """True when the user made the vault file read-only (open it without ``writable``)."""
        return is_read_only(resolve_vault_path(path))

    def _attach_seen(self, seen: SeenVaults | None) -> None:
        self._seen = seen
        if seen is None or self._fingerprint is None:
            return
        key, sha = self._seen_key(), self._fingerprint.sha256.hex()
        self.rollback_warning = seen.check(key, self.generation, sha)
        if self.rollback_warning is None:
            seen.remember(key, self.generation, sha)

    def _seen_key(self) -> str:
        """Per vault and per place: a sibling conflict copy is not a rollback of this file."""
        return f"{self._body.meta.get('id', '')}:{self.path.resolve()}"

    def accept_rollback(self) -> None:
        """The user chose to keep this older copy: saving is allowed again."""
        self.rollback_warning = None
        self._device(fresh=True)  # edit numbers after this copy were used already

    # ---- audit log (core.audit_trail) -------------------------------------------------------

    @property
    def audit_warning(self) -> str | None:
        """Why the audit log could not be written, when it could not (see ``AuditTrail.log``)."""
        return self._trail.warning

    @audit_warning.setter
    def audit_warning(self, warning: str | None) -> None:
        self._trail.warning = warning  # a front end that said it clears it

    def note(self, event: str, uuid: str | None = None, detail: dict[str, Any] | None = None) -> None:
        """For front ends: log that a secret of entry ``uuid`` was shown (``entry.revealed``) or
        copied (``entry.copied``), with ``detail={"field": ...}`` (a field kind, never a value);
        an export the vault did not write itself (``vault.exported``), a change of the app's
        own settings (``settings.changed``)."""
        if event not in ("entry.revealed", "entry.copied", "vault.exported", "settings.changed"):
            raise UsageError(f"{event!r} is logged by the vault itself, not by a front end.")
        self._trail.log(event, uuid, detail)

    @property
    def audit_path(self) -> Path:
        return self._trail.log_path

    def verify_log(self) -> Verification:
        """Read and check this vault's audit log (see ``core.audit``)."""
        return self._trail.verify(self._require_keys().audit_key)

    @staticmethod
    def read_header(path: Path | str) -> fmt.Header:
        """The header of a vault file, checked but not decrypted (no passphrase needed)."""
        path = Path(path)
        data = read_bytes(path, max_size=fmt.FILE_MAX, check_start=fmt.start_checker(path.name))
        return fmt.parse_file(data, name=path.name).header

    def close(self) -> None:
        """Drop the keys and the entries and release the write lock."""
        self._trail.keep_gaps()
        self._keys = None
        self._rekey = None
        self._body = Body(self._body.meta)
        self._release_device()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._keys is not None else "closed"
        return f"Vault({str(self.path)!r}, {len(self._body.entries)} entries, {state})"

    # ---- reading --------------------------------------------------------------------------

    @property
    def header(self) -> fmt.Header:
        return self._header

    @property
    def writable(self) -> bool:
        """True when the vault was opened to be changed (``writable``, or created)."""
        return self._writable

    @property
    def policy(self) -> KdfPolicy:
        """The KDF policy this vault was opened with (other files it opens use it too)."""
        return self._policy

    @property
    def kdf(self) -> KdfParams:
        return self._header.kdf

    @property
    def needs_rehash(self) -> bool:
        """True when the next save will re-key with stronger KDF parameters."""
        return self._rekey is not None

    # ---- the contents (core.contents): reading ---------------------------------------------

    @property
    def _body(self) -> Body:
        return self._contents.body

    @_body.setter
    def _body(self, body: Body) -> None:
        self._contents.body = body

    @property
    def entries(self) -> list[Entry]:
        """The entries, without those in the Trash."""
        return self._contents.entries

    @property
    def trashed_entries(self) -> list[Entry]:
        """The entries in the Trash (restorable until purged)."""
        return self._contents.trashed_entries

    @property
    def drafts(self) -> list[Draft]:
        """Unsaved editor values kept when the vault locked during an edit."""
        return self._contents.drafts

    @property
    def tombstones(self) -> list[Tombstone]:
        """Deleted entries (see ``Contents.tombstones``)."""
        return self._contents.tombstones

    @property
    def generation(self) -> int:
        """How many times this vault has been saved (the save counter)."""
        return self._contents.generation

    @property
    def history_max(self) -> int:
        """How many earlier versions each entry keeps."""
        return self._contents.history_max

    @property
    def folders(self) -> list[str]:
        """Every folder, sorted (see ``Contents.folders``)."""
        return self._contents.folders

    get = _contents(Contents.get)
    find = _contents(Contents.find)
    search = _contents(Contents.search)
    reveal = _contents(Contents.reveal)
    digest = _contents(Contents.digest)

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
        params, entry = self._contents.advance_hotp(uuid, now=now)
        try:
            self.save()
        except BaseException:  # not saved: the code is not shown, so the counter stays
            self._body.entries[uuid] = entry
            self._trail.pending.pop()
            raise
        return params

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

    # ---- this device's id in entry versions (core.causal) --------------------------------

    def _device(self, *, fresh: bool = False) -> str:
        from vaultapp.core.causal import DeviceFile, valid_device_id

        if self.device_id is None or fresh:
            self._release_device()
            self.device_id, self._device_lease = DeviceFile.default().lease(self._seen_key(), fresh=fresh)
        if not valid_device_id(self.device_id):
            raise UsageError(f"{self.device_id!r} is not a device id (1-64 letters, digits, '-' or '_').")
        return self.device_id

    def _release_device(self) -> None:
        if self._device_lease is not None:
            self._device_lease.release()
            self._device_lease = None

    # ---- the contents (core.contents): changing, in memory until ``save`` ------------------

    add = _contents(Contents.add)
    make_entry = _contents(Contents.make_entry)
    apply = _contents(Contents.apply)
    update = _contents(Contents.update)
    remove = _contents(Contents.remove)
    purge = _contents(Contents.remove)
    trash = _contents(Contents.trash)
    restore = _contents(Contents.restore)
    duplicate = _contents(Contents.duplicate)
    add_folder = _contents(Contents.add_folder)
    rename_folder = _contents(Contents.rename_folder)
    remove_folder = _contents(Contents.remove_folder)
    empty_trash = _contents(Contents.empty_trash)
    restore_version = _contents(Contents.restore_version)
    discard_draft = _contents(Contents.discard_draft)

    # Keeps the draft and saves: a draft is never refused because another process saved meanwhile.
    save_draft = _contents(Contents.keep_draft, then_save=True)

    def plan_import(self, entries: Iterable[Entry]) -> MergePlan:
        """What importing ``entries`` (from ``make_entry``) would do, by the merge rules; changes
        nothing. An entry whose UUID the vault does not know, but which equals a live entry in
        title, username, URL, folder, password and TOTP, counts as already there (importing the
        same CSV twice adds nothing)."""
        return planning.plan_import(self._contents, entries, self._device)

    def plan_merge(self, other: Vault) -> MergePlan:
        """What merging ``other`` (another open copy) into this vault would do; changes nothing."""
        return planning.plan_merge(self._contents, other._body, self._require_keys(), other._require_keys())

    def merge_from(self, other: Vault) -> MergePlan:
        """Merge another copy into this vault (in memory; call ``save``). See ``core.merge``."""
        result = self.plan_merge(other)
        self.apply(result, event="vault.merged")
        self._body.meta["generation"] = max(self.generation, other.generation)
        if self.rollback_warning is not None and self._seen is not None:
            # Merging in the newer copy (say, the sync tool's conflict copy) brings the history
            # this device saw back: the rollback is resolved, not overwritten.
            self.rollback_warning = self._seen.check(self._seen_key(), self.generation, "")
        return result

    def open_copy(self, path: Path | str) -> Vault:
        """Open another copy of this vault (a sync tool's conflict copy) with the keys in hand,
        read-only, for ``plan_merge``/``merge_from``.

        Raises:
            WrongPassphraseError: the copy has another salt or KDF (its passphrase is needed).
            DamagedFileError: the copy is damaged.
        """
        path = Path(path)

        def mismatch() -> VaultError:
            return WrongPassphraseError(
                f"{path.name} was saved with another passphrase or KDF; unlock it with its own passphrase."
            )

        header, body, data = vault_file.read_with_keys(path, self._header, self._require_keys, mismatch)
        return Vault(
            path, header, self._require_keys(), body, Fingerprint.of(data), policy=self._policy, lock=None,
            kdf_ms=0.0,
        )  # fmt: skip

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

        _, disk, data = vault_file.read_with_keys(self.path, self._header, self._require_keys, mismatch)
        keys = self._require_keys()
        result = planning.plan_merge(self._contents, disk, keys, keys)
        self.apply(result, event="vault.merged", source="disk")
        self._merge_drafts(disk)
        self._body.meta["generation"] = max(self.generation, int(disk.meta.get("generation", 0)))
        self._fingerprint = Fingerprint.of(data)  # the disk version is now part of ours
        return result

    def _merge_drafts(self, disk: Body) -> None:
        self._body.drafts = planning.merge_drafts(self._body.drafts, disk.drafts, self._draft_base)
        self._draft_base = planning.draft_stamps(disk)

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

        _, self._body, data = vault_file.read_with_keys(self.path, self._header, self._require_keys, mismatch)
        self._draft_base = planning.draft_stamps(self._body)
        self._fingerprint = Fingerprint.of(data)
        self._trail.pending = []  # the changes they described were dropped

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
        with self._holding_lock():
            merged = None
            if not overwrite:
                if self.merge_on_conflict if merge is None else merge:
                    merged = self._merge_if_changed()
                self._check_unchanged()  # before re-keying: a conflict leaves the keys as they were
            if self._rekey is not None:  # the stronger KDF means new keys; the log stays
                header, keys = self._rekey
                self._write_rekeyed(header, keys, backup=backup, overwrite=overwrite)
                self._trail.rekey(keys.audit_key)
                self._trail.flush()
                return merged
            self._write(backup=backup, overwrite=overwrite)
        self._trail.flush()
        return merged

    def _write_rekeyed(
        self, header: fmt.Header, keys: Keyring, *, backup: bool, overwrite: bool = False
    ) -> None:
        """Save under new keys (every secret resealed, the old audit key kept in the vault); if
        the save fails, the old keys and contents are back as they were."""
        old_header, old_keys, old_rekey, old_state = (
            self._header,
            self._require_keys(),
            self._rekey,
            self._state(),
        )
        try:
            self._contents.reseal_all(keys)
            self._header, self._keys, self._rekey = header, keys, None
            self._trail.retire_key(old_keys.audit_key)
            self._write(backup=backup, overwrite=overwrite)
        except BaseException:
            self._header, self._keys, self._rekey = old_header, old_keys, old_rekey
            self._restore_state(old_state)
            raise

    @contextlib.contextmanager
    def _holding_lock(self) -> Iterator[None]:
        """Hold the write lock for a save (re-entrant: a save inside a locked step reuses it)."""
        if self._lock is not None:
            yield
            return
        lock = WriteLock(self.path)
        lock.acquire(timeout=LOCK_WAIT)
        self._lock = lock
        self.swept_files += lock.swept
        try:
            yield
        finally:
            self._lock = None
            lock.release()

    def _merge_if_changed(self) -> MergePlan | None:
        """Holding the lock: merge in the version on disk if another process saved since we read
        or last saved it (a file that vanished is left to ``_check_unchanged`` to report)."""
        if self._fingerprint is None or not self.path.exists():
            return None
        try:
            self._check_unchanged()
        except ConflictError:
            return self.merge_disk()
        return None

    def _state(self) -> tuple[dict[str, Entry], dict[str, Draft], dict[str, Any]]:
        """What a re-key changes in the body, to put back when the save fails."""
        return dict(self._body.entries), dict(self._body.drafts), dict(self._body.meta)

    def _restore_state(self, state: tuple[dict[str, Entry], dict[str, Draft], dict[str, Any]]) -> None:
        self._body.entries, self._body.drafts, self._body.meta = state

    def check_passphrase(self, passphrase: str) -> None:
        """Confirm that ``passphrase`` is this vault's (before changing it): one key derivation.

        Raises:
            WrongPassphraseError: it is not.
        """
        keys = Keyring(self._header.kdf.derive(normalize_passphrase(passphrase)))
        probe = b"vaultapp passphrase check"
        if not hmac.compare_digest(keys.header_mac(probe), self._require_keys().header_mac(probe)):
            raise WrongPassphraseError("That is not the vault's current passphrase.")

    @_under_write_lock
    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-encrypt everything under a new passphrase and a new salt, backups included.

        First a re-encrypted copy of every automatic backup (and of the version being replaced,
        which becomes the newest backup) is written beside it and synced; then the vault is
        replaced (from that moment only the new passphrase opens it); then the copies are
        renamed into place. Backups under an even older passphrase are removed. The audit log
        is not rewritten: the vault keeps the old audit key, so the log's older records verify.

        Raises:
            SaveFailedError: nothing was changed (a full disk, say): the old passphrase still
                opens the vault and every backup.
            ConflictError: the file changed on disk since it was opened; nothing was changed.
            PassphraseChangedError: the passphrase WAS changed, but the backups it names could
                not be re-encrypted and still open with the old passphrase.
        """
        from vaultapp.core import rekey
        from vaultapp.core.errors import PassphraseChangedError
        from vaultapp.core.storage import list_backups

        secret = normalize_passphrase(new_passphrase)
        header, keys, kdf_ms = vault_file.new_keys(self._policy, self._header.kdf, secret)
        old_header, old_keys = self._header, self._require_keys()
        own_lock = self._lock is None
        if own_lock:
            self._lock = WriteLock(self.path)
            self._lock.acquire()
        try:
            current = read_bytes(self.path, max_size=fmt.FILE_MAX)
            if self._fingerprint is not None and Fingerprint.of(current) != self._fingerprint:
                self._check_unchanged()  # raises ConflictError
            folder = self._backups.folder_or_none()
            rotating = list_backups(self.path, folder)
            others = [p for p in self._backups.found() if p not in rotating]
            prepared = rekey.prepare(
                self.path, current, rotating, others, keep=self._backups.count, folder=folder,
                old=(old_header, old_keys), new=(header, keys),
            )  # fmt: skip
            self._rekey = None  # the new keys replace a pending stronger KDF, saved or not
            try:
                self._write_rekeyed(header, keys, backup=False)
            except BaseException:
                prepared.discard()
                raise
            result = prepared.commit()
        finally:
            if own_lock and self._lock is not None:
                self._lock.release()
                self._lock = None
        self.kdf_ms = kdf_ms
        self._trail.rekey(keys.audit_key)
        self._trail.flush()
        self._trail.log("passphrase.changed")
        if result.kept or result.lost:
            raise PassphraseChangedError(rekey_report(result.kept, result.lost))

    # ---- internals ------------------------------------------------------------------------

    def _require_keys(self) -> Keyring:
        if self._keys is None:
            raise VaultError("The vault is closed; unlock it again.")
        return self._keys

    # ---- backups (core.backups) ------------------------------------------------------------

    @property
    def backup_count(self) -> int:
        """How many earlier versions each save keeps beside the vault (default 5; 0 = none)."""
        return self._backups.count

    @backup_count.setter
    def backup_count(self, count: int) -> None:
        self._backups.count = count

    @property
    def backup_folder_setting(self) -> str:
        """The chosen folder for automatic backups as stored in the vault ('' = beside the vault)."""
        return self._backups.folder_setting

    @backup_folder_setting.setter
    def backup_folder_setting(self, folder: str | Path) -> None:
        self._backups.folder_setting = folder

    @property
    def backup_folder(self) -> Path:
        """Where automatic backups go on this machine (see ``Backups.folder``)."""
        return self._backups.folder

    def backups(self) -> list[Path]:
        """This vault's automatic backups, newest first (see ``Backups.found``)."""
        return self._backups.found()

    def stale_backups(self) -> list[Path]:
        """Automatic backups that this passphrase does not open (from before a passphrase change
        whose re-encryption of them did not finish, or damaged)."""
        return self._backups.stale(self._header.raw)

    def export_backup(self, path: Path | str, passphrase: str) -> int:
        """Write an encrypted backup under its own salt and ``passphrase``, checked before it gets
        its name (see ``backups.export_backup``). Returns the number of entries written.

        Raises:
            UsageError: the target exists already, or the passphrase is empty.
            DamagedFileError: the backup does not read back identically (nothing is left).
            SaveFailedError: the file could not be written (nothing is left).
        """
        count = export_backup(self, path, passphrase)
        self._trail.log("vault.exported", None, {"format": "backup", "entries": count})
        return count

    def restore_backup(self, backup: Path | str) -> None:
        """Make an automatic backup's content current (in memory; ``save`` then keeps today's
        version as the newest backup, so a restore can itself be undone).

        Raises:
            WrongPassphraseError: the backup is from before a passphrase change.
        """
        with self.open_copy(backup) as copy:
            generation = self.generation
            audit = {k: v for k, v in self._body.meta.items() if k in ("audit_keys", "audit_gaps")}
            self._body = copy._body
            self._body.meta["generation"] = generation
            self._body.meta.update(audit)  # the log's keys and gaps are today's, not the backup's
        self._device(fresh=True)  # edit numbers after the backup were used already
        self._trail.later("backup.restored")

    def _write(self, *, backup: bool, overwrite: bool = False, head: bool = True) -> bytes:
        keys = self._require_keys()
        with self._holding_lock():
            refuse_read_only(self.path)
            folder = self._backups.folder_or_none()
            if folder is not None and backup:
                self.swept_files += sweep_stale_temps(self.path, folder)
            if not overwrite:
                self._check_unchanged()
            with self._trail.stamping(head=head):
                self._body.meta["generation"] = self.generation + 1
                data, verify = vault_file.encode_checked(self._header, keys, self._body)
                try:
                    keep = self._backups.count
                    atomic_write(self.path, data, verify=verify, backup=backup and keep > 0, keep=keep,
                                 backup_folder=self._backups.folder_or_none())  # fmt: skip
                except BaseException:
                    self._body.meta["generation"] = self.generation - 1
                    raise
            self._fingerprint = Fingerprint.of(data)
            self._draft_base = planning.draft_stamps(self._body)
            if self._seen is not None:
                self._seen.remember(self._seen_key(), self.generation, self._fingerprint.sha256.hex())
            return data

    def _check_unchanged(self) -> None:
        vault_file.check_unchanged(self.path, self._fingerprint)
