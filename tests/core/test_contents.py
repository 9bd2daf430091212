"""The contents model alone: entries, history, Trash, tombstones, drafts and folders in memory,
with no vault file (nothing here touches the disk)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vaultapp.core.body import Body
from vaultapp.core.contents import Contents
from vaultapp.core.errors import EntryNotFoundError, UsageError
from vaultapp.core.keys import Keyring

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _contents(history_max: int = 10) -> tuple[Contents, list[tuple[str, str | None, Any]]]:
    events: list[tuple[str, str | None, Any]] = []

    def later(event: str, uuid: str | None = None, detail: dict[str, Any] | None = None) -> None:
        events.append((event, uuid, detail))

    keys = Keyring(bytes(range(32)))
    body = Body({"id": "v", "created": T0.isoformat(), "generation": 0, "history_max": history_max})
    return Contents(body, keys=lambda: keys, device=lambda: "dev-a", later=later), events


def test_add_and_update_bump_this_devices_version_and_keep_history() -> None:
    contents, events = _contents(history_max=2)
    entry = contents.add("Mail", password="one", now=T0)
    assert entry.version == (("dev-a", 1),)
    assert contents.reveal(entry.password) == "one"  # type: ignore[arg-type]
    for n, pw in enumerate(["two", "three", "four"], start=1):
        contents.update(entry.uuid, password=pw, now=T0 + timedelta(minutes=n))
    current = contents.get(entry.uuid)
    assert dict(current.version)["dev-a"] == 4
    assert [contents.reveal(old.password) for old in current.history] == ["two", "three"]  # type: ignore[arg-type]
    assert events[0] == ("entry.created", entry.uuid, None)
    assert events[-1] == ("entry.changed", entry.uuid, {"fields": ["password"]})


def test_update_with_the_same_values_changes_nothing() -> None:
    contents, events = _contents()
    entry = contents.add("Mail", password="pw", now=T0)
    assert contents.update(entry.uuid, title="Mail", password="pw") is entry
    assert len(events) == 1


def test_trash_restore_and_remove_leave_a_tombstone() -> None:
    contents, events = _contents()
    entry = contents.add("Old", now=T0)
    contents.trash(entry.uuid, now=T0)
    assert contents.entries == []
    assert [e.uuid for e in contents.trashed_entries] == [entry.uuid]
    contents.restore(entry.uuid)
    assert [e.uuid for e in contents.entries] == [entry.uuid]
    grave = contents.remove(entry.uuid, now=T0)
    assert [t.uuid for t in contents.tombstones] == [entry.uuid]
    assert dict(grave.version)["dev-a"] == 3
    with pytest.raises(EntryNotFoundError):
        contents.get(entry.uuid)
    assert [e for e, _, _ in events] == ["entry.created", "entry.trashed", "entry.restored", "entry.deleted"]


def test_folders_rename_moves_entries_and_refuses_a_move_into_itself() -> None:
    contents, _ = _contents()
    contents.add_folder("Work/Empty")
    entry = contents.add("VPN", folder="Work/Net", now=T0)
    assert contents.folders == ["Work", "Work/Empty", "Work/Net"]
    contents.rename_folder("Work", "Job")
    assert contents.get(entry.uuid).folder == "Job/Net"
    assert contents.folders == ["Job", "Job/Empty", "Job/Net"]
    with pytest.raises(UsageError, match="own subfolder"):
        contents.rename_folder("Job", "Job/Inner")
    with pytest.raises(UsageError, match="not empty"):
        contents.remove_folder("Job")


def test_a_draft_is_kept_unvalidated_with_its_secret_sealed() -> None:
    contents, _ = _contents()
    draft = contents.keep_draft(None, title="", password="half typed", now=T0)
    assert draft.entry.password is not None
    assert "half typed" not in repr(contents.body.drafts)
    assert contents.reveal(draft.entry.password) == "half typed"
    contents.discard_draft(draft.entry.uuid)
    assert contents.drafts == []
