"""Automatic backups of a vault file: the settings kept in the vault (how many, which folder),
listing them, finding those a passphrase change left behind, and the encrypted backup export.
Rotation on save and the re-encryption on a passphrase change are in ``storage`` and ``rekey``.
"""

from __future__ import annotations

import dataclasses
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultapp.core import format as fmt
from vaultapp.core.body import Body
from vaultapp.core.contents import Later
from vaultapp.core.entry import new_uuid, utc_now
from vaultapp.core.errors import DamagedFileError, UsageError, VaultError
from vaultapp.core.kdf import derive_timed, new_salt
from vaultapp.core.keys import Keyring, normalize_passphrase
from vaultapp.core.storage import BACKUPS_DEFAULT, list_backups, publish_new, read_bytes

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault


class Backups:
    """The automatic backups of the vault file at ``path``; ``meta`` returns the vault's settings
    (``meta``), ``later`` records a settings change for the audit log."""

    def __init__(self, path: Path, meta: Callable[[], dict[str, Any]], later: Later) -> None:
        self.path = path
        self._meta = meta
        self._later = later

    @property
    def count(self) -> int:
        """How many earlier versions each save keeps beside the vault (default 5; 0 = none)."""
        value = self._meta().get("backups", BACKUPS_DEFAULT)
        return value if type(value) is int and value >= 0 else BACKUPS_DEFAULT

    @count.setter
    def count(self, count: int) -> None:
        if not 0 <= count <= 100:
            raise UsageError(f"Keep 0 to 100 automatic backups, not {count}.")
        if count != self.count:
            self._later("settings.changed", None, {"setting": "backups"})
        self._meta()["backups"] = count

    @property
    def folder_setting(self) -> str:
        """The chosen folder for automatic backups as stored in the vault ('' = beside the vault).
        A folder under the home folder is stored as ``~/...``, so the setting travels with a
        synced vault to machines whose user names differ."""
        value = self._meta().get("backup_dir", "")
        return value if type(value) is str else ""

    @folder_setting.setter
    def folder_setting(self, folder: str | Path) -> None:
        text = str(folder).strip()
        if text:
            path = Path(text).expanduser().resolve()
            if not path.is_dir():
                raise UsageError(f"{path} is not a folder; create it first, or choose another.")
            home = Path.home().resolve()
            text = (
                f"~/{path.relative_to(home).as_posix()}"
                if path.is_relative_to(home) and path != home
                else str(path)
            )
        if text != self.folder_setting:
            self._later("settings.changed", None, {"setting": "backup_dir"})
        self._meta()["backup_dir"] = text

    @property
    def folder(self) -> Path:
        """Where automatic backups go on this machine: the chosen folder if it exists here, else
        beside the vault."""
        chosen = self.folder_setting
        if chosen:
            path = Path(chosen).expanduser()
            if path.is_dir():
                return path
        return self.path.parent

    def found(self) -> list[Path]:
        """This vault's automatic backups, newest first (in the backup folder, and any left
        beside the vault from before a folder was chosen)."""
        found = list_backups(self.path, self.folder)
        if self.folder.resolve() != self.path.parent.resolve():
            found += list_backups(self.path)
        return found

    def folder_or_none(self) -> Path | None:
        """The backup folder, or None when that is beside the vault."""
        folder = self.folder
        return None if folder == self.path.parent else folder

    def stale(self, header_raw: bytes) -> list[Path]:
        """Automatic backups not written under the vault's header ``header_raw`` (from before a
        passphrase change whose re-encryption of them did not finish, or damaged)."""
        stale = []
        for path in self.found():
            try:
                data = read_bytes(path, max_size=fmt.FILE_MAX)
                same = fmt.parse_file(data, name=path.name).header.raw == header_raw
            except VaultError:
                same = False
            if not same:
                stale.append(path)
        return stale


def rekey_report(kept: list[tuple[str, str]], lost: list[tuple[str, str]]) -> str:
    """One line: the passphrase changed, and what became of the backups that were not switched."""
    parts = []
    if kept:
        count, them = len(kept), "them" if len(kept) != 1 else "it"
        parts.append(
            f"{count} backup{'s' if count != 1 else ''} could not be re-encrypted ({kept[0][1]}) and "
            f"still open{'s' if count == 1 else ''} with the old passphrase: "
            f"{', '.join(n for n, _ in kept)}; delete {them}, or keep {them} knowing the old "
            f"passphrase opens {them}"
        )
    if lost:
        count = len(lost)
        parts.append(
            f"{count} older backup{'s' if count != 1 else ''} could not be kept ({lost[0][1]}): "
            f"{', '.join(n for n, _ in lost)}"
        )
    return "The passphrase was changed, but " + "; and ".join(parts) + "."


def stale_backups(vault: Vault) -> list[Path]:
    """Automatic backups that this passphrase does not open (from before a passphrase change
    whose re-encryption of them did not finish, or damaged)."""
    return vault._backups.stale(vault.header.raw)


def restore_backup(vault: Vault, backup: Path | str) -> None:
    """Make an automatic backup's content current (in memory; ``save`` then keeps today's
    version as the newest backup, so a restore can itself be undone).

    Raises:
        WrongPassphraseError: the backup is from before a passphrase change.
    """
    with vault.open_copy(backup) as copy:
        generation = vault.generation
        audit = {k: v for k, v in vault._body.meta.items() if k in ("audit_keys", "audit_gaps")}
        vault._body = copy._body
        vault._body.meta["generation"] = generation
        vault._body.meta.update(audit)  # the log's keys and gaps are today's, not the backup's
    vault._device(fresh=True)  # edit numbers after the backup were used already
    vault._trail.later("backup.restored")


def export_backup(vault: Vault, path: Path | str, passphrase: str) -> int:
    """Write an encrypted backup of ``vault`` (the vault format, its own salt and ``passphrase``). It is
    built in memory, written under a temp name, opened again with ``passphrase`` and checked
    (entry count and content digest), and only then given its name, so a kill, a full disk
    or a bad read-back never leaves a file at ``path``. Returns the number of entries written
    (``Vault.export_backup`` logs it).

    Raises:
        UsageError: the target exists already, or the passphrase is empty.
        DamagedFileError: the backup does not read back identically (nothing is left).
        SaveFailedError: the file could not be written (nothing is left).
    """
    from vaultapp.core.vault import Vault

    path = Path(path)
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} exists already; choose another name (nothing is overwritten).")
    secret = normalize_passphrase(passphrase)
    kdf = dataclasses.replace(vault.policy.strengthen(vault.kdf), salt=new_salt())
    master, kdf_ms = derive_timed(kdf, secret)
    meta = {"id": vault._body.meta.get("id", new_uuid()), "created": utc_now().isoformat()}
    meta["generation"] = vault.generation
    copy = Vault(
        path, fmt.build_header(kdf), Keyring(master), Body(meta), None,
        policy=vault.policy, lock=None, kdf_ms=kdf_ms,
    )  # fmt: skip
    try:
        copy.merge_from(vault)
        data, _ = fmt.encode(copy.header, copy._require_keys(), copy._body.encode())
    finally:
        copy.close()
    count, digest = len(vault._body.entries), vault.digest()

    def verify(written: Path) -> None:
        with Vault.open(  # a file we just wrote with parameters we chose: no cost check
            written, passphrase, policy=vault.policy, audit=False, allow_slow_kdf=True
        ) as check:
            same = len(check._body.entries) == count and hmac.compare_digest(check.digest(), digest)
        if not same:
            raise DamagedFileError(
                f"The backup {path.name} did not read back identically; nothing was written."
            )

    publish_new(path, data, verify=verify)
    vault._trail.log("vault.exported", None, {"format": "backup", "entries": count})
    return count
