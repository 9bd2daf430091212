"""Encrypted backups: everything round-trips, verified on write; damaged backups are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_POLICY, DamagedFileError, UsageError, Vault, WrongPassphraseError

T0 = datetime(2026, 2, 3, tzinfo=UTC)


@pytest.fixture
def full(new_vault: Vault) -> Vault:
    """A vault using every feature: secrets, custom fields, history, Trash, tombstones."""
    e = new_vault.add("Bank", username="me", password="p1", totp="JBSWY3DPEHPK3PXP", tags=["money"],
                      folder="Home/Finance", custom=[("PIN", "1234", True), ("Branch", "7", False)],
                      expires=T0, favourite=True, notes="multi\nline", now=T0)  # fmt: skip
    new_vault.update(e.uuid, password="p2")
    gone = new_vault.add("Gone")
    new_vault.remove(gone.uuid)
    binned = new_vault.add("Binned")
    new_vault.trash(binned.uuid)
    new_vault.save()
    return new_vault


def test_backup_round_trip_keeps_every_field(full: Vault, tmp_path: Path) -> None:
    """A backup under its own passphrase restores the same content (digest equal) into a new vault."""
    out = tmp_path / "backup.vault"
    assert full.export_backup(out, "backup pass") == 2
    with pytest.raises(WrongPassphraseError):
        open_vault(out)
    with Vault.open(out, "backup pass", policy=TEST_POLICY) as backup:
        assert backup.digest() == full.digest()
        assert backup.header.kdf.salt != full.header.kdf.salt
    fresh = tmp_path / "restored.vault"
    with Vault.create(fresh, "new pass", kdf=full.header.kdf, policy=TEST_POLICY) as target:
        with Vault.open(out, "backup pass", policy=TEST_POLICY) as backup:
            target.merge_from(backup)
        target.save()
        assert target.digest() == full.digest()
        bank = target.find("Bank")
        assert target.reveal(bank.password) == "p2"  # type: ignore[arg-type]
        assert [target.reveal(h.password) for h in bank.history] == ["p1"]  # type: ignore[arg-type]
        assert [e.title for e in target.trashed_entries] == ["Binned"]
        assert len(target.tombstones) == 1


def test_export_never_overwrites(full: Vault, tmp_path: Path) -> None:
    """Exporting onto an existing file is refused and leaves it alone."""
    out = tmp_path / "exists.vault"
    out.write_bytes(b"keep me")
    with pytest.raises(UsageError, match="exists already"):
        full.export_backup(out, "x")
    assert out.read_bytes() == b"keep me"


def test_corrupted_backup_is_refused_and_target_untouched(full: Vault, tmp_path: Path) -> None:
    """A damaged backup fails to open with DamagedFileError; the vault to restore into is unchanged."""
    out = tmp_path / "backup.vault"
    full.export_backup(out, PASSPHRASE)
    data = bytearray(out.read_bytes())
    data[-20] ^= 0xFF
    out.write_bytes(bytes(data))
    before = full.path.read_bytes()
    with pytest.raises(DamagedFileError):
        Vault.open(out, PASSPHRASE, policy=TEST_POLICY)
    assert full.path.read_bytes() == before


def test_export_keeps_a_longer_history_than_the_default(new_vault: Vault, tmp_path: Path) -> None:
    """A vault keeping 20 versions per entry exports all of them (the backup's own default of 10
    does not cut the history the merge into it carries)."""
    new_vault._body.meta["history_max"] = 20
    uuid = new_vault.add("Often changed", notes="0").uuid
    for n in range(1, 16):
        new_vault.update(uuid, notes=str(n))
    new_vault.save()
    assert len(new_vault.get(uuid).history) == 15
    target = tmp_path / "export.vault"
    assert new_vault.export_backup(target, "export passphrase") == 1
    with Vault.open(target, "export passphrase", policy=TEST_POLICY) as copy:
        assert [h.notes for h in copy.get(uuid).history] == [str(n) for n in range(15)]
