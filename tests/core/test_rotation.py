"""Automatic backups: N earlier versions rotated beside the vault, restorable, re-keyed on passwd."""

from __future__ import annotations

import pytest

from tests.helpers import open_vault
from vaultapp.core import UsageError, Vault, WrongPassphraseError
from vaultapp.core.saving import list_backups


def _titles(vault: Vault) -> set[str]:
    return {e.title for e in vault.entries}


def test_each_save_keeps_the_previous_versions_rotated(new_vault: Vault) -> None:
    """Seven saves with the default of 5: exactly five backups, newest first, each one save older."""
    for i in range(7):
        new_vault.add(f"entry {i}")
        new_vault.save()
    backups = new_vault.backups()
    assert [b.name for b in backups] == ["test.vault.bak"] + [f"test.vault.bak.{i}" for i in range(1, 5)]
    with open_vault(backups[0]) as newest, open_vault(backups[-1]) as oldest:
        assert len(newest.entries) == 6
        assert len(oldest.entries) == 2


def test_backup_count_is_configurable_and_zero_turns_it_off(new_vault: Vault) -> None:
    """backup_count=2 keeps two; 0 keeps none and removes nothing the user did not ask for."""
    new_vault.backup_count = 2
    for _ in range(4):
        new_vault.save()
    assert len(new_vault.backups()) == 2
    new_vault.backup_count = 0
    new_vault.save()
    assert len(list_backups(new_vault.path)) == 2  # older ones stay until saves with backups resume


def test_restore_from_automatic_backup_can_itself_be_undone(new_vault: Vault) -> None:
    """Restoring the oldest backup brings its content back; today's version becomes a backup."""
    new_vault.add("first")
    new_vault.save()
    new_vault.add("second")
    new_vault.save()
    new_vault.add("third")
    new_vault.save()
    oldest = new_vault.backups()[-1]
    generation = new_vault.generation
    new_vault.restore_backup(oldest)
    new_vault.save()
    assert new_vault.generation == generation + 1
    with open_vault(new_vault.path) as vault:
        assert _titles(vault) == set()  # the oldest backup is the vault as first created
    with open_vault(new_vault.backups()[0]) as previous:
        assert _titles(previous) == {"first", "second", "third"}


def test_passwd_rekeys_backups_and_removes_older_passphrase_copies(new_vault: Vault) -> None:
    """After a passphrase change every backup opens with the new passphrase only."""
    for i in range(3):
        new_vault.add(f"e{i}")
        new_vault.save()
    new_vault.change_passphrase("brand new passphrase")
    backups = new_vault.backups()
    assert backups
    for backup in backups:
        with pytest.raises(WrongPassphraseError):
            open_vault(backup)
        open_vault(backup, "brand new passphrase").close()
    with open_vault(backups[0], "brand new passphrase") as before_change:
        assert _titles(before_change) == {"e0", "e1", "e2"}


def test_backups_go_to_a_chosen_folder(new_vault: Vault, tmp_path, isolated_home) -> None:
    """A chosen folder holds the rotated backups; under HOME it is stored as ~/..., so a synced
    vault finds it on another machine; a folder missing here falls back to beside the vault."""
    folder = isolated_home / "Backups" / "vault"
    folder.mkdir(parents=True)
    new_vault.backup_folder_setting = folder
    assert new_vault.backup_folder_setting == "~/Backups/vault"
    new_vault.backup_count = 3
    for i in range(5):
        new_vault.add(f"entry {i}")
        new_vault.save()
    assert [b.parent for b in new_vault.backups()] == [folder] * 3
    assert list_backups(new_vault.path) == []  # nothing beside the vault
    with open_vault(new_vault.backups()[0]) as newest:
        assert len(newest.entries) == 4
    with pytest.raises(UsageError, match="is not a folder"):
        new_vault.backup_folder_setting = tmp_path / "missing"
    folder.rename(folder.with_name("moved"))  # as on a machine without that folder
    assert new_vault.backup_folder == new_vault.path.parent
    new_vault.save()
    assert len(list_backups(new_vault.path)) == 1
    new_vault.backup_folder_setting = ""
    assert new_vault.backup_folder == new_vault.path.parent
