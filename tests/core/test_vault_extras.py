"""Trash, duplicate, restoring old versions, drafts, reload and explicit overwrite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_POLICY, ConflictError, EntryNotFoundError, Vault
from vaultapp.core.storage import backup_path

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_trash_hides_restore_returns_purge_tombstones(new_vault: Vault) -> None:
    """Trashed entries leave lists, search and find; restore brings them back; purge deletes."""
    entry = new_vault.add("Old bank", username="me")
    new_vault.trash(entry.uuid, now=T0)
    assert new_vault.entries == []
    assert [e.uuid for e in new_vault.trashed_entries] == [entry.uuid]
    assert new_vault.search("bank") == []
    with pytest.raises(EntryNotFoundError):
        new_vault.find("Old bank")
    new_vault.save()
    with open_vault(new_vault.path) as vault:
        assert vault.trashed_entries[0].trashed == T0
    assert new_vault.restore(entry.uuid).trashed is None
    assert new_vault.find("Old bank").uuid == entry.uuid
    new_vault.trash(entry.uuid)
    new_vault.purge(entry.uuid)
    assert new_vault.trashed_entries == []
    assert [t.uuid for t in new_vault.tombstones] == [entry.uuid]


def test_duplicate_gets_new_uuid_same_secrets_no_history(new_vault: Vault) -> None:
    """A duplicate is independent: new UUID, '(copy)' title, same password, empty history."""
    entry = new_vault.add("Site", password="pw1")
    entry = new_vault.update(entry.uuid, password="pw2")
    copy = new_vault.duplicate(entry.uuid, now=T0)
    assert copy.uuid != entry.uuid
    assert copy.title == "Site (copy)"
    assert copy.history == ()
    assert new_vault.reveal(copy.password) == "pw2"  # type: ignore[arg-type]
    new_vault.update(copy.uuid, password="changed")
    assert new_vault.reveal(new_vault.get(entry.uuid).password) == "pw2"  # type: ignore[arg-type]


def test_restore_version_makes_old_values_current(new_vault: Vault) -> None:
    """Restoring history item 0 brings back its values; the replaced version joins history."""
    entry = new_vault.add("Site", username="first", password="a", now=T0)
    new_vault.update(entry.uuid, username="second", password="b", now=T0 + timedelta(days=1))
    restored = new_vault.restore_version(entry.uuid, 0, now=T0 + timedelta(days=2))
    assert restored.username == "first"
    assert new_vault.reveal(restored.password) == "a"  # type: ignore[arg-type]
    assert [h.username for h in restored.history] == ["first", "second"]
    assert restored.created == T0
    with pytest.raises(EntryNotFoundError):
        new_vault.restore_version(entry.uuid, 9)


def test_draft_is_sealed_saved_and_survives_relock(new_vault: Vault) -> None:
    """save_draft writes the unsaved values (secrets sealed) to disk; they come back after unlock."""
    entry = new_vault.add("Mail", password="old")
    new_vault.save_draft(entry.uuid, title="Mail", password="half-typed new pw", notes="wip", now=T0)
    assert b"half-typed" not in new_vault.path.read_bytes()
    new_vault.close()
    with open_vault(new_vault.path, writable=True) as vault:
        (draft,) = vault.drafts
        assert draft.target == entry.uuid
        assert draft.saved == T0
        assert vault.reveal(draft.entry.password) == "half-typed new pw"  # type: ignore[arg-type]
        assert draft.entry.notes == "wip"
        assert vault.reveal(vault.get(entry.uuid).password) == "old"  # type: ignore[arg-type]
        vault.discard_draft(draft.entry.uuid)
        vault.save()
    with open_vault(new_vault.path) as vault:
        assert vault.drafts == []


def test_draft_for_new_entry_accepts_incomplete_values(new_vault: Vault) -> None:
    """A new-entry draft may lack a title or hold a half-typed TOTP secret."""
    draft = new_vault.save_draft(None, title="", totp="JBSW", custom=[("", "ignored", False)])
    assert draft.target is None
    assert draft.entry.title == ""
    assert draft.entry.custom == ()


def test_drafts_are_resealed_on_passphrase_change(new_vault: Vault) -> None:
    """After passwd, drafts still decrypt (they were re-sealed with the new field key)."""
    new_vault.save_draft(None, title="x", password="draft pw")
    new_vault.change_passphrase("another passphrase")
    with open_vault(new_vault.path, "another passphrase") as vault:
        assert vault.reveal(vault.drafts[0].entry.password) == "draft pw"  # type: ignore[arg-type]


def _replace_on_disk(path: Path, title: str, tmp_path: Path) -> bytes:
    """Make the vault file hold a version written by another program with the same keys."""
    with open_vault(path) as other:
        other.add(title)
        other._write(backup=False)
    return path.read_bytes()


def test_reload_after_conflict_takes_the_version_on_disk(new_vault: Vault, tmp_path: Path) -> None:
    """After a ConflictError, reload() reads the other version with the keys in hand."""
    new_vault.save()
    _replace_on_disk(new_vault.path, "theirs", tmp_path)
    new_vault.add("mine")
    with pytest.raises(ConflictError):
        new_vault.save()
    new_vault.reload()
    assert [e.title for e in new_vault.entries] == ["theirs"]
    new_vault.add("after reload")
    new_vault.save()
    with open_vault(new_vault.path) as vault:
        assert {e.title for e in vault.entries} == {"theirs", "after reload"}


def test_overwrite_after_conflict_keeps_theirs_as_backup(new_vault: Vault, tmp_path: Path) -> None:
    """save(overwrite=True) is the user's explicit choice; the replaced version stays in NAME.bak."""
    new_vault.save()
    theirs = _replace_on_disk(new_vault.path, "theirs", tmp_path)
    new_vault.add("mine")
    with pytest.raises(ConflictError):
        new_vault.save()
    new_vault.save(overwrite=True)
    assert backup_path(new_vault.path).read_bytes() == theirs
    with open_vault(new_vault.path) as vault:
        assert [e.title for e in vault.entries] == ["mine"]


def test_reload_refuses_a_rekeyed_file(new_vault: Vault, tmp_path: Path) -> None:
    """If the passphrase was changed elsewhere, reload asks for a new unlock instead of guessing."""
    new_vault.save()
    new_vault.close()
    with Vault.open(new_vault.path, PASSPHRASE, policy=TEST_POLICY) as stale:
        with open_vault(new_vault.path, writable=True) as other:
            other.change_passphrase("changed elsewhere")
        with pytest.raises(Exception, match="unlock it again"):
            stale.reload()


def test_merge_disk_after_conflict_keeps_both_sides(new_vault: Vault, tmp_path: Path) -> None:
    """After a ConflictError, merge_disk() folds the disk version in; save() then keeps both."""
    new_vault.save()
    _replace_on_disk(new_vault.path, "theirs", tmp_path)
    new_vault.add("mine")
    with pytest.raises(ConflictError):
        new_vault.save()
    result = new_vault.merge_disk()
    assert result.added == ["theirs"]
    new_vault.save()
    with open_vault(new_vault.path) as vault:
        assert {e.title for e in vault.entries} == {"theirs", "mine"}


def test_check_passphrase_accepts_only_the_current_one(new_vault: Vault) -> None:
    """The window asks for the old passphrase before changing it: only the current one passes."""
    from vaultapp.core import WrongPassphraseError

    new_vault.check_passphrase(PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        new_vault.check_passphrase(PASSPHRASE + "x")
    new_vault.change_passphrase("a brand new passphrase")
    new_vault.check_passphrase("a brand new passphrase")
    with pytest.raises(WrongPassphraseError):
        new_vault.check_passphrase(PASSPHRASE)
