"""Merging two copies: concurrent edits, edit vs delete, both sides add, history, other keys."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of one vault, as a sync tool leaves them on two machines."""
    a = tmp_path / "laptop.vault"
    with Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Shared", username="u", password="p0", now=at(0))
        vault.add("Doomed", password="x", now=at(0))
        vault.save()
    b = tmp_path / "desktop.vault"
    shutil.copy(a, b)
    return a, b


def merge(a: Path, b: Path) -> str:
    with open_vault(a, writable=True) as ours, open_vault(b) as theirs:
        result = ours.merge_from(theirs)
        ours.save()
        return result.summary()


def test_both_sides_add_and_nothing_is_lost(copies: tuple[Path, Path]) -> None:
    """Entries added on each machine both end up in the merged vault."""
    a, b = copies
    with open_vault(a, writable=True) as v:
        v.add("Only on laptop", now=at(5))
        v.save()
    with open_vault(b, writable=True) as v:
        v.add("Only on desktop", password="d", now=at(6))
        v.save()
    assert merge(a, b) == "added 1, updated 0, deleted 0, unchanged 2"
    with open_vault(a) as v:
        assert {e.title for e in v.entries} == {"Shared", "Doomed", "Only on laptop", "Only on desktop"}
        assert v.reveal(v.find("Only on desktop").password) == "d"  # type: ignore[arg-type]


def test_concurrent_edits_newer_wins_older_goes_to_history(copies: tuple[Path, Path]) -> None:
    """The same entry edited on both machines: the later edit wins, the other is in history."""
    a, b = copies
    with open_vault(a, writable=True) as v:
        v.update(v.find("Shared").uuid, password="laptop edit", now=at(10))
        v.save()
    with open_vault(b, writable=True) as v:
        v.update(v.find("Shared").uuid, password="desktop edit", now=at(20))
        v.save()
    assert merge(a, b).startswith("added 0, updated 1")
    with open_vault(a) as v:
        shared = v.find("Shared")
        assert v.reveal(shared.password) == "desktop edit"  # type: ignore[arg-type]
        olds = [v.reveal(h.password) for h in shared.history]  # type: ignore[arg-type]
        assert olds == ["p0", "laptop edit"]
    # Merging the other way gives the same current value.
    assert merge(b, a).startswith("added 0")
    with open_vault(b) as v:
        assert v.reveal(v.find("Shared").password) == "desktop edit"  # type: ignore[arg-type]


def test_delete_wins_over_older_edit_but_not_newer(copies: tuple[Path, Path]) -> None:
    """A deletion after the other side's last edit deletes; an edit after the deletion survives."""
    a, b = copies
    with open_vault(a, writable=True) as v:
        v.remove(v.find("Doomed").uuid, now=at(30))
        v.remove(v.find("Shared").uuid, now=at(30))
        v.save()
    with open_vault(b, writable=True) as v:
        v.update(v.find("Shared").uuid, notes="edited later", now=at(40))
        v.save()
    assert merge(a, b) == "added 1, updated 0, deleted 0, unchanged 0"
    with open_vault(a) as v:
        assert [e.title for e in v.entries] == ["Shared"]
        assert v.find("Shared").notes == "edited later"
        assert len(v.tombstones) == 1  # Doomed stays deleted; Shared's tombstone is gone
    # The other direction: the desktop learns of the deletion, and Shared loses the history item
    # the deletion had seen (what was deleted stays deleted, whichever copy is merged first).
    assert merge(b, a) == "added 0, updated 1, deleted 1, unchanged 0"
    with open_vault(b) as v:
        assert v.find("Shared").history == ()


def test_merge_is_idempotent(copies: tuple[Path, Path]) -> None:
    """Merging the same copy twice changes nothing the second time."""
    a, b = copies
    with open_vault(b, writable=True) as v:
        v.add("New", now=at(1))
        v.save()
    merge(a, b)
    assert merge(a, b) == "added 0, updated 0, deleted 0, unchanged 3"


def test_merge_from_a_copy_with_another_passphrase_reseals_secrets(tmp_path: Path) -> None:
    """A copy under another passphrase (other keys): secrets are re-sealed and still readable."""
    a = tmp_path / "a.vault"
    b = tmp_path / "b.vault"
    Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    with Vault.create(b, "other passphrase", kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
        v.add("Foreign", password="s3", totp="JBSWY3DPEHPK3PXP", custom=[("pin", "77", True)])
        v.save()
    with (
        open_vault(a, writable=True) as ours,
        Vault.open(b, "other passphrase", policy=TEST_POLICY) as theirs,
    ):
        assert ours.plan_merge(theirs).added == ["Foreign"]
        ours.merge_from(theirs)
        ours.save()
    with open_vault(a) as v:
        entry = v.find("Foreign")
        assert v.reveal(entry.password) == "s3"  # type: ignore[arg-type]
        assert v.reveal(entry.totp) == "JBSWY3DPEHPK3PXP"  # type: ignore[arg-type]
        assert v.reveal(entry.custom[0].value) == "77"  # type: ignore[arg-type]


def test_plan_previews_without_changing_anything(copies: tuple[Path, Path]) -> None:
    """plan_merge lists titles per kind of change and leaves the vault as it was."""
    a, b = copies
    with open_vault(b, writable=True) as v:
        v.add("Preview me", now=at(3))
        v.save()
    with open_vault(a, writable=True) as ours, open_vault(b) as theirs:
        preview = ours.plan_merge(theirs)
        assert preview.added == ["Preview me"]
        assert len(ours.entries) == 2


def test_conflict_copies_are_found_by_sync_tool_names(tmp_path: Path) -> None:
    """Syncthing, Dropbox, Nextcloud and numbered copies are found; other files are not."""
    from vaultapp.core.storage import find_conflict_copies

    vault = tmp_path / "Passwords.vault"
    names = [
        "Passwords.sync-conflict-20261123-101010-ABCDEFG.vault",
        "Passwords (conflicted copy).vault",
        "Passwords (Ada's conflicted copy 2026-11-23).vault",
        "Passwords (conflicted copy 2026-11-23 101010).vault",
        "Passwords (1).vault",
    ]
    for name in [*names, "Passwords.vault", "Passwords.vault.bak", "Other.vault", "Passwords (copy).txt"]:
        (tmp_path / name).write_text("x")
    assert sorted(p.name for p in find_conflict_copies(vault)) == sorted(names)


def test_open_copy_needs_the_same_keys(copies: tuple[Path, Path], tmp_path: Path) -> None:
    """A copy with the same header opens with the keys in hand; another passphrase is refused."""
    from vaultapp.core import WrongPassphraseError

    a, b = copies
    with open_vault(a) as ours:
        with ours.open_copy(b) as copy:
            assert {e.title for e in copy.entries} == {"Shared", "Doomed"}
        with open_vault(b, writable=True) as other:
            other.change_passphrase("changed")
        with pytest.raises(WrongPassphraseError, match="another passphrase"):
            ours.open_copy(b)


TEN_YEARS = timedelta(days=3653)


def test_deletion_under_a_clock_ten_years_ahead_does_not_remove_a_later_edit(
    copies: tuple[Path, Path],
) -> None:
    """issue 15: a copy ten years ahead deletes; a later edit elsewhere on the true clock survives."""
    a, b = copies
    with open_vault(a, writable=True) as v:
        v.device_id = "laptop"
        v.remove(v.find("Shared").uuid, now=at(30) + TEN_YEARS)
        v.save()
    with open_vault(b, writable=True) as v:
        v.device_id = "desktop"
        v.update(v.find("Shared").uuid, password="new password", now=at(60))
        v.save()
    merge(a, b)
    with open_vault(a) as v:
        shared = v.find("Shared")
        assert v.reveal(shared.password) == "new password"  # type: ignore[arg-type]
        assert v.tombstones == []
    # The other direction agrees, and merging again changes nothing.
    merge(b, a)
    with open_vault(b) as v:
        assert v.reveal(v.find("Shared").password) == "new password"  # type: ignore[arg-type]
    assert merge(a, b) == "added 0, updated 0, deleted 0, unchanged 2"


def test_edit_under_a_future_clock_does_not_win_later_merges(copies: tuple[Path, Path]) -> None:
    """issue 15: an edit made ten years ahead, once merged, loses to a newer real edit made after it."""
    a, b = copies
    with open_vault(a, writable=True) as v:
        v.device_id = "laptop"
        v.update(v.find("Shared").uuid, password="under a wrong clock", now=at(10) + TEN_YEARS)
        v.save()
    merge(b, a)  # the desktop sees the laptop's edit ...
    with open_vault(b, writable=True) as v:
        v.device_id = "desktop"
        v.update(v.find("Shared").uuid, password="real, later", now=at(60))  # ... and edits after it
        v.save()
    with open_vault(a, writable=True) as ours, open_vault(b) as theirs:
        preview = ours.plan_merge(theirs)
        assert preview.updated == ["Shared"]
        assert preview.future == ["Shared"]  # the wrong clock's time is still in its history
        warning = preview.future_warning()
        assert warning is not None
        assert "'Shared'" in warning
        assert "in the future" in warning
    merge(a, b)
    with open_vault(a) as v:
        shared = v.find("Shared")
        assert v.reveal(shared.password) == "real, later"  # type: ignore[arg-type]
        olds = [v.reveal(h.password) for h in shared.history]  # type: ignore[arg-type]
        assert olds == ["p0", "under a wrong clock"]


def test_deletion_that_saw_the_edit_still_deletes(copies: tuple[Path, Path]) -> None:
    """A deletion made after merging in the other side's edit removes the entry everywhere."""
    a, b = copies
    with open_vault(b, writable=True) as v:
        v.device_id = "desktop"
        v.update(v.find("Shared").uuid, notes="seen by the laptop", now=at(60))
        v.save()
    merge(a, b)
    with open_vault(a, writable=True) as v:
        v.device_id = "laptop"
        v.remove(v.find("Shared").uuid, now=at(1) - TEN_YEARS)  # a clock far behind does not matter
        v.save()
    assert merge(b, a) == "added 0, updated 0, deleted 1, unchanged 1"
    with open_vault(b) as v:
        assert {e.title for e in v.entries} == {"Doomed"}


def test_concurrent_edits_in_the_same_second_pick_the_same_winner_both_ways(
    copies: tuple[Path, Path], tmp_path: Path
) -> None:
    """Two edits with equal rank and equal time: the same winner whichever way the merge goes."""
    a, b = copies
    a2, b2 = tmp_path / "a2.vault", tmp_path / "b2.vault"
    for path, device, password in ((a, "laptop", "from laptop"), (b, "desktop", "from desktop")):
        with open_vault(path, writable=True) as v:
            v.device_id = device
            v.update(v.find("Shared").uuid, password=password, now=at(5))
            v.save()
    shutil.copy(a, a2)
    shutil.copy(b, b2)
    merge(a, b)
    merge(b2, a2)
    with open_vault(a) as one, open_vault(b2) as two:
        assert one.digest() == two.digest()
        assert one.reveal(one.find("Shared").password) == "from laptop"  # type: ignore[arg-type]


def _without_versions(obj: dict[str, Any]) -> dict[str, Any]:
    """What a format 1.0 writer wrote for an entry: the same keys, without version fields."""
    old = {k: v for k, v in obj.items() if k not in ("version", "rank", "device", "seq")}
    if "history" in old:
        old["history"] = [_without_versions(h) for h in old["history"]]
    return old


def test_format_1_0_copies_migrate_and_merge_by_history_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies written by vaultapp 1.0 open; entries get versions from their history length
    (so the copy with more edits wins), an old deletion still removes an entry not edited after
    it, and an entry edited after it survives (the old rule, for old tombstones only)."""
    a, b = tmp_path / "a.vault", tmp_path / "b.vault"
    with monkeypatch.context() as patch:
        from vaultapp.core import body as body_module
        from vaultapp.core import format as fmt
        from vaultapp.core.entry import entry_to_json

        patch.setattr(fmt, "FORMAT_MINOR", 0)
        patch.setattr(body_module, "entry_to_json", lambda e: _without_versions(entry_to_json(e)))
        patch.setattr(
            body_module, "tombstone_to_json", lambda t: {"uuid": t.uuid, "deleted": t.deleted.isoformat()}
        )
        with Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
            shared = v.add("Shared", password="p0", now=at(0))
            v.update(shared.uuid, password="p1", now=at(1))
            v.add("Gone", now=at(0))
            v.add("Edited after", now=at(0))
            v.save()
        shutil.copy(a, b)
        with open_vault(a, writable=True) as v:
            v.update(v.find("Shared").uuid, password="p2 on a", now=at(40))
            v.remove(v.find("Gone").uuid, now=at(30))
            v.remove(v.find("Edited after").uuid, now=at(30))
            v.save()
        with open_vault(b, writable=True) as v:
            v.update(v.find("Edited after").uuid, notes="after the deletion", now=at(50))
            v.save()
    assert Vault.read_header(a).version == "1.0"
    with open_vault(a) as v:
        migrated = v.find("Shared")
        assert (migrated.version, migrated.rank) == ((("legacy", 3),), 3)
        assert [t.legacy for t in v.tombstones] == [at(30), at(30)]
    # Updated: Shared (a's later edit) and Edited after (its version the deletion saw leaves history).
    assert merge(b, a) == "added 0, updated 2, deleted 1, unchanged 0"
    with open_vault(b) as v:
        assert {e.title for e in v.entries} == {"Shared", "Edited after"}
        assert v.reveal(v.find("Shared").password) == "p2 on a"  # type: ignore[arg-type]
        assert v.find("Edited after").notes == "after the deletion"
    # Once migrated, the other direction agrees.
    merge(a, b)
    with open_vault(a) as ours, open_vault(b) as theirs:
        assert ours.digest() == theirs.digest()


def test_edits_carry_this_devices_id_kept_in_the_state_folder(tmp_path: Path, isolated_home: Path) -> None:
    """The first edit picks a random id for this file on this device and keeps it in the state
    folder (0600); later sessions reuse it, and each edit counts up that id in the version."""
    path = tmp_path / "v.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
        entry = v.add("One", now=at(0))
        v.save()
    state = isolated_home / ".local" / "state" / "vaultapp" / "device.json"
    [[device]] = json.loads(state.read_text())["ids"].values()
    assert state.stat().st_mode & 0o777 == 0o600
    assert (entry.device, entry.version, entry.rank, entry.seq) == (device, ((device, 1),), 1, 1)
    with open_vault(path, writable=True) as v:
        edited = v.update(entry.uuid, notes="two", now=at(1))
        trashed = v.trash(entry.uuid, now=at(2))
    assert edited.version == ((device, 2),)
    assert trashed.version == ((device, 3),)
    assert [h.rank for h in edited.history] == [1]


def test_edit_after_restoring_a_backup_survives_a_deletion_of_the_undone_version(tmp_path: Path) -> None:
    """Restoring a backup forks this file's history, so the next edit gets a new device id: a
    deletion elsewhere that saw the undone version's number does not cover it."""
    a, b = tmp_path / "a.vault", tmp_path / "b.vault"
    with Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
        uuid = v.add("Entry", notes="first", now=at(0)).uuid
        v.save()
        v.update(uuid, notes="undone later", now=at(1))
        v.save()
    shutil.copy(a, b)  # the other machine has "undone later"
    with open_vault(a, writable=True) as v:
        v.restore_backup(next(b for b in v.backups() if b.name == "a.vault.bak"))
        assert v.get(uuid).notes == "first"
        v.update(uuid, notes="after the restore", now=at(2))
        v.save()
    with open_vault(b, writable=True) as v:
        v.device_id = "other-machine"
        v.remove(uuid, now=at(3))
        v.save()
    merge(a, b)
    with open_vault(a) as v:
        assert v.get(uuid).notes == "after the restore"


def test_accepting_an_older_copy_gives_this_file_a_new_device_id(tmp_path: Path) -> None:
    """Keeping an older copy (a rollback) forks the history too: later edits use a new id."""
    from vaultapp.core.rollback import SeenVaults

    path, old = tmp_path / "v.vault", tmp_path / "old.vault"
    seen = SeenVaults(tmp_path / "seen.json")
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
        uuid = v.add("Entry", now=at(0)).uuid
        v.save()
    shutil.copy(path, old)
    with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY, seen=seen) as v:
        before = v.update(uuid, notes="newer", now=at(1)).device
        v.save()
    shutil.copy(old, path)
    with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY, seen=seen) as v:
        assert v.rollback_warning is not None
        v.accept_rollback()
        after = v.update(uuid, notes="on the older copy", now=at(2))
    assert after.device != before
    assert dict(after.version)[before] == 1  # the older copy's count, not reused


def test_a_merge_that_only_learns_a_deletion_counts_as_a_change(copies: tuple[Path, Path]) -> None:
    """Both copies deleted an entry after different edits: merging learns the other deletion's
    version, which is a change to save (else a later merge could revive what it had seen)."""
    a, b = copies
    for path, device in ((a, "laptop"), (b, "desktop")):
        with open_vault(path, writable=True) as v:
            v.device_id = device
            uuid = v.find("Shared").uuid
            v.update(uuid, notes=f"edited on the {device}", now=at(5))
            v.remove(uuid, now=at(6))
            v.save()
    with open_vault(a, writable=True) as ours, open_vault(b) as theirs:
        result = ours.merge_from(theirs)
        assert result.summary() == "added 0, updated 0, deleted 0, unchanged 1"
        assert result.changes == 1
        [grave] = ours.tombstones
        counts = dict(grave.version)
        assert (counts["desktop"], counts["laptop"]) == (1, 1)  # both deletions' versions


def test_same_content_from_two_edits_merges_as_unchanged_but_is_saved(copies: tuple[Path, Path]) -> None:
    """Both copies made the same change (say, both imported one file): the summary says
    unchanged, yet the merge is saved, since the entry now has seen both edits."""
    a, b = copies
    for path, device in ((a, "laptop"), (b, "desktop")):
        with open_vault(path, writable=True) as v:
            v.device_id = device
            v.update(v.find("Shared").uuid, notes="same on both", now=at(5))
            v.save()
    with open_vault(a, writable=True) as ours, open_vault(b) as theirs:
        result = ours.merge_from(theirs)
        assert result.summary() == "added 0, updated 0, deleted 0, unchanged 2"
        assert result.changes == 1
        counts = dict(ours.find("Shared").version)
        assert (counts["laptop"], counts["desktop"]) == (1, 1)
        # Both edits are kept (a later deletion may have seen one and not the other).
        assert [h.notes for h in ours.find("Shared").history] == ["", "same on both"]


def test_two_processes_editing_one_file_at_once_use_two_ids(tmp_path: Path) -> None:
    """The window and the CLI may change one file in turn while both have it open: each holds
    its own id (a lease in the state folder), so they never number two edits alike; a closed
    session's id is used again by the next one."""
    path = tmp_path / "v.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as v:
        uuid = v.add("Entry", now=at(0)).uuid
        first = v.get(uuid).device
        v.save()
    window, command = open_vault(path), open_vault(path)
    try:
        in_window = window.update(uuid, notes="from the window", now=at(1))
        from_cli = command.update(uuid, notes="from the command line", now=at(1))
        assert in_window.device == first  # the lease was free again
        assert from_cli.device != first
        assert in_window.version != from_cli.version
    finally:
        window.close()
        command.close()
