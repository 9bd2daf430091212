"""A passphrase change (and a change of key file or YubiKey, the same re-key): the check of the
current passphrase, new keys, and the automatic backups re-encrypted before the vault is switched.

``prepare`` writes a re-encrypted copy of every backup, and of the version about to be replaced
(it becomes the newest backup, as at any save), to temp files in the backup folder, each fsynced.
A failure there (a full disk) changes nothing: the temp files go and the old passphrase still
opens the vault and every backup. Only then is the vault replaced; ``commit`` renames the
prepared copies into place (the backups rotate as at a save: renames only, no new space) and
returns exactly what could not be switched, so nothing is reported as unchanged that was changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vaultapp.core import format as fmt
from vaultapp.core.backups import rekey_report
from vaultapp.core.body import decode as decode_body
from vaultapp.core.entry import Sealed
from vaultapp.core.errors import PassphraseChangedError, SaveFailedError, VaultError, WrongPassphraseError
from vaultapp.core.factors import (
    PASSPHRASE_ONLY,
    ChallengeResponse,
    Credentials,
    Factors,
    KeyFileArg,
    kdf_input,
)
from vaultapp.core.kdf import KdfParams, KdfPolicy, derive_timed, new_salt
from vaultapp.core.keys import Keyring
from vaultapp.core.saving import fsync_folder, list_backups, write_temp
from vaultapp.core.storage import backup_path, read_bytes
from vaultapp.core.vault_reading import fingerprint_of

if TYPE_CHECKING:
    from vaultapp.core.vault_file import VaultFile


@dataclass(slots=True)
class Rekeyed:
    """What became of the backups: ``kept`` names still under the old passphrase (with the
    reason), ``unreadable`` ones left as they were (damaged, or not this vault's format)."""

    kept: list[tuple[str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)  # oldest versions that found no place
    unreadable: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Prepared:
    """Re-encrypted copies waiting in temp files: (temp, final name, the file it came from)."""

    moves: list[tuple[Path, Path, Path]] = field(default_factory=list)
    retire: list[Path] = field(default_factory=list)  # old backups that no longer have a place
    unreadable: list[Path] = field(default_factory=list)

    def discard(self) -> None:
        for temp, _, _ in self.moves:
            with contextlib.suppress(OSError):
                temp.unlink()
        self.moves = []

    def commit(self) -> Rekeyed:
        """After the vault was replaced: put every prepared copy in place. Never raises. When a
        rename fails, nothing more is removed: every backup not replaced is named in ``kept``."""
        result = Rekeyed(unreadable=[p.name for p in self.unreadable])
        placed: set[Path] = set()
        reason = ""
        for temp, target, _ in self.moves:
            try:
                temp.replace(target)
                placed.add(target)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    temp.unlink()
                reason = reason or exc.strerror or str(exc)
        if not reason:
            for old in self.retire:
                if old not in placed:
                    try:
                        old.unlink(missing_ok=True)
                    except OSError as exc:
                        reason = reason or exc.strerror or str(exc)
        names = {target for _, target, _ in self.moves} | set(self.retire)
        result.kept = [(p.name, reason) for p in sorted(names - placed) if p.exists()]
        result.lost = [(p.name, reason) for p in sorted(names - placed) if not p.exists() and reason]
        for folder in {target.parent for _, target, _ in self.moves}:
            with contextlib.suppress(OSError):
                fsync_folder(folder)
        return result


def _rekey(
    data: bytes, name: str, old: tuple[fmt.Header, Keyring], new: tuple[fmt.Header, Keyring]
) -> bytes | None:
    """The file's content under the new header and keys; None when it is not under ``old``."""
    from vaultapp.core.merge import reseal_entry

    parsed = fmt.parse_file(data, name=name)
    if not fmt.same_keys(parsed.header, old[0]):
        return None
    fmt.check_mac(parsed, old[1], name=name)
    body = decode_body([fmt.decrypt(parsed, old[1])])

    def move(sealed: Sealed) -> Sealed:
        return Sealed(new[1].seal(old[1].unseal(sealed.token)))

    body.entries = {u: reseal_entry(e, move) for u, e in body.entries.items()}
    body.drafts = {
        k: dataclasses.replace(d, entry=reseal_entry(d.entry, move)) for k, d in body.drafts.items()
    }
    body.lines = {}
    # The attachments' blobs are sealed under the attachment key inside the body, which does not
    # change: their bytes are copied as they are (docs/SECURITY.md, "Attachments").
    return fmt.encode(new[0], new[1], body.encode(), data[parsed.area_offset :])[0]


def prepare(
    vault_path: Path,
    current: bytes,
    rotating: list[Path],
    others: list[Path],
    *,
    keep: int,
    folder: Path | None,
    old: tuple[fmt.Header, Keyring],
    new: tuple[fmt.Header, Keyring],
) -> Prepared:
    """Write the re-encrypted copies. ``current`` is the vault file as it is now (it becomes the
    newest backup when ``keep`` > 0); ``rotating`` the backups in the backup folder, newest
    first (they move one place down, as at a save); ``others`` backups elsewhere (re-encrypted
    where they are).

    Raises:
        SaveFailedError: a copy could not be written (nothing was changed; no temp file is left).
    """
    prepared = Prepared()
    newest = backup_path(vault_path, folder)

    def slot(index: int) -> Path:
        return newest if index == 0 else newest.with_name(f"{newest.name}.{index}")

    newest_copy = _rekey(current, vault_path.name, old, new) if keep > 0 else None
    if keep > 0 and newest_copy is None:
        raise VaultError(f"{vault_path.name} changed on disk while its passphrase was being changed.")
    try:
        if newest_copy is not None:
            prepared.moves.append((write_temp(slot(0), newest_copy), slot(0), vault_path))
        readable = 0
        for path in [*rotating, *others]:
            try:
                rekeyed = _rekey(read_bytes(path, max_size=fmt.WHOLE_MAX), path.name, old, new)
            except VaultError:
                prepared.unreadable.append(path)
                continue
            if rekeyed is None:  # under an even older passphrase: it goes
                prepared.retire.append(path)
                continue
            target: Path | None = path
            if path not in others and keep > 0:  # one place down, as at a save
                readable += 1
                target = slot(readable) if readable < keep else None
                prepared.retire.append(path)
            if target is not None:
                prepared.moves.append((write_temp(target, rekeyed), target, path))
    except OSError as exc:
        prepared.discard()
        raise SaveFailedError(
            f"Could not change the passphrase: {exc.strerror or exc} while re-encrypting the "
            "backups. Nothing was changed: the old passphrase still opens the vault and its "
            "backups. Free some disk space and try again."
        ) from None
    except BaseException:
        prepared.discard()
        raise
    return prepared


def new_keys(
    policy: KdfPolicy, kdf: KdfParams, secret: bytes, factors: Factors = PASSPHRASE_ONLY
) -> tuple[fmt.Header, Keyring, float]:
    """A header and keys for ``secret`` (the KDF input ``factors`` made) under a new salt and KDF
    parameters at least as strong as ``kdf`` and ``policy``; and how long the derivation took (ms)."""
    stronger = dataclasses.replace(policy.strengthen(kdf), salt=new_salt())
    master, kdf_ms = derive_timed(stronger, secret)
    return fmt.build_header(stronger, factors), Keyring(master), kdf_ms


def check_passphrase(
    file: VaultFile,
    passphrase: str | None,
    *,
    keyfile: KeyFileArg | None = None,
    yubikey: ChallengeResponse | None = None,
) -> None:
    """Confirm that ``passphrase`` (with the vault's key file or YubiKey, when it takes them) is
    this vault's (before changing it): one key derivation.

    Raises:
        WrongPassphraseError: it is not.
        FactorMissingError, KeyFileError, YubiKeyError: as ``kdf_input``.
    """
    secret = kdf_input(file.header.factors, Credentials(passphrase, keyfile, yubikey), name=file.path.name)
    keys = Keyring(file.header.kdf.derive(secret))
    probe = b"vaultapp passphrase check"
    if not hmac.compare_digest(keys.header_mac(probe), file.require_keys().header_mac(probe)):
        what = "passphrase" if not file.header.factors.second else file.header.factors.describe()
        raise WrongPassphraseError(f"That is not the vault's current {what}.")


def change_passphrase(
    file: VaultFile,
    new_passphrase: str | None,
    *,
    keyfile: KeyFileArg | None = None,
    yubikey: ChallengeResponse | None = None,
    yubikey_slot: int | None = None,
) -> None:
    """Re-encrypt everything under new credentials and a new salt, backups included. The vault
    then takes exactly what is given: ``new_passphrase`` (None: no passphrase), ``keyfile`` (a
    path or a 32-byte key; None: no key file), a YubiKey in ``yubikey_slot`` answering through
    ``yubikey`` (a new challenge is drawn). At least one of them.

    First a re-encrypted copy of every automatic backup (and of the version being replaced,
    which becomes the newest backup) is written beside it and synced; then the vault is
    replaced (from that moment only the new passphrase opens it); then the copies are
    renamed into place. Backups under an even older passphrase are removed. The audit log
    is not rewritten: the vault keeps the old audit key, so the log's older records verify.

    Raises:
        UsageError: the passphrase is empty, or nothing at all would unlock the vault.
        KeyFileError, YubiKeyError: the new key file cannot be read, the YubiKey did not answer.
        SaveFailedError: nothing was changed (a full disk, say): the old passphrase still
            opens the vault and every backup.
        ConflictError: the file changed on disk since it was opened; nothing was changed.
        PassphraseChangedError: the passphrase WAS changed, but the backups it names could
            not be re-encrypted and still open with the old passphrase.
    """
    with file.holding_lock():
        if file.merge_on_conflict:
            file.merge_if_changed()
        file.check_unchanged()  # a conflict is raised before anything is changed
        factors = Factors(new_passphrase is not None, keyfile is not None, yubikey_slot).with_new_challenge()
        factors.check()
        secret = kdf_input(factors, Credentials(new_passphrase, keyfile, yubikey), name=file.path.name)
        header, keys, kdf_ms = new_keys(file.policy, file.header.kdf, secret, factors)
        old_header, old_keys = file.header, file.require_keys()
        current = read_bytes(file.path, max_size=fmt.WHOLE_MAX)
        if file.fingerprint is not None and fingerprint_of(current) != file.fingerprint:
            file.check_unchanged()  # raises ConflictError
        folder = file.backups.folder_or_none()
        rotating = list_backups(file.path, folder)
        others = [p for p in file.backups.found() if p not in rotating]
        prepared = prepare(
            file.path, current, rotating, others, keep=file.backups.count, folder=folder,
            old=(old_header, old_keys), new=(header, keys),
        )  # fmt: skip
        file.rekey = None  # the new keys replace a pending stronger KDF, saved or not
        try:
            file.write_rekeyed(header, keys, backup=False)
        except BaseException:
            prepared.discard()
            raise
        result = prepared.commit()
    file.kdf_ms = kdf_ms
    file.trail.rekey(keys.audit_key)
    file.trail.flush()
    file.trail.log("passphrase.changed")
    if result.kept or result.lost:
        raise PassphraseChangedError(rekey_report(result.kept, result.lost))
