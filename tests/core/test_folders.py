"""Folders: made empty, renamed with their entries (Trash included), deleted only when empty."""

from __future__ import annotations

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import UsageError, Vault


def test_add_rename_remove_folders(new_vault: Vault) -> None:
    """An empty folder survives a save; renaming moves subfolders and entries, history kept."""
    mail = new_vault.add("Mail", folder="Work/Email")
    wiki = new_vault.add("Wiki", folder="Work")
    old = new_vault.add("Old VPN", folder="Work")
    new_vault.trash(old.uuid)
    home = new_vault.add("Router", folder="Home")
    assert new_vault.add_folder(" Archive / 2024 ") == "Archive/2024"
    assert new_vault.folders == ["Archive", "Archive/2024", "Home", "Work", "Work/Email"]
    new_vault.save()
    with open_vault(new_vault.path) as reopened:
        assert "Archive/2024" in reopened.folders

    changed = new_vault.rename_folder("Work", "Job")
    assert {e.uuid for e in changed} == {mail.uuid, wiki.uuid, old.uuid}
    assert new_vault.get(mail.uuid).folder == "Job/Email"
    assert new_vault.get(wiki.uuid).history[-1].folder == "Work"  # the old place is in its history
    assert new_vault.get(old.uuid).folder == "Job"  # restoring it puts it in the renamed folder
    assert new_vault.get(home.uuid).folder == "Home"
    assert new_vault.folders == ["Archive", "Archive/2024", "Home", "Job", "Job/Email"]
    new_vault.rename_folder("Archive", "Attic")
    assert new_vault.folders == ["Attic", "Attic/2024", "Home", "Job", "Job/Email"]

    for old_name, new_name in (("Nope", "X"), ("Job", ""), ("Job", "Home"), ("Job", "Job/Inner")):
        with pytest.raises(UsageError):
            new_vault.rename_folder(old_name, new_name)
    with pytest.raises(UsageError, match="not empty"):
        new_vault.remove_folder("Job")
    with pytest.raises(UsageError):
        new_vault.add_folder("Home")
    new_vault.remove_folder("Attic")
    assert new_vault.folders == ["Home", "Job", "Job/Email"]
    new_vault.save()
    with open_vault(new_vault.path) as reopened:
        assert reopened.folders == ["Home", "Job", "Job/Email"]


def test_empty_trash(new_vault: Vault) -> None:
    """Emptying the Trash deletes only what is in it, for good (tombstones for merges)."""
    keep = new_vault.add("Keep")
    for title in ("A", "B"):
        new_vault.trash(new_vault.add(title).uuid)
    assert new_vault.empty_trash() == 2
    assert new_vault.trashed_entries == []
    assert [e.uuid for e in new_vault.entries] == [keep.uuid]
    assert len(new_vault.tombstones) == 2
    assert new_vault.empty_trash() == 0
    new_vault.save()
    with open_vault(new_vault.path, PASSPHRASE) as reopened:
        assert [e.title for e in reopened.entries] == ["Keep"]
