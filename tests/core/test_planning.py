"""Merge and import planning on contents in memory (no vault file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vaultapp.core.body import Body
from vaultapp.core.contents import Contents
from vaultapp.core.entry import Draft, Entry
from vaultapp.core.keys import Keyring
from vaultapp.core.planning import merge_drafts, plan_import, plan_merge

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KEYS = Keyring(bytes(range(32)))


def _contents(device: str = "dev-a") -> Contents:
    body = Body({"id": "v", "created": T0.isoformat(), "generation": 0})
    return Contents(body, keys=lambda: KEYS, device=lambda: device, later=lambda *_, **__: None)


def test_importing_the_same_entry_twice_adds_nothing() -> None:
    contents = _contents()
    contents.add("Mail", username="me", password="pw", now=T0)
    again = contents.make_entry("Mail", username="me", password="pw", created=T0)
    other = contents.make_entry("Bank", password="pw2", created=T0)
    result = plan_import(contents, [again, other], lambda: "dev-a")
    assert result.added == ["Bank"]
    assert result.unchanged == 1  # the twin of the entry already there, not imported


def test_plan_merge_takes_the_other_copys_newer_edit() -> None:
    ours = _contents("dev-a")
    entry = ours.add("Mail", password="one", now=T0)
    theirs = _contents("dev-b")
    theirs.body.entries[entry.uuid] = entry
    theirs.update(entry.uuid, password="two", now=T0 + timedelta(minutes=1))
    result = plan_merge(ours, theirs.body, KEYS, KEYS)
    merged = result.entries[entry.uuid]
    assert merged.password is not None
    assert ours.reveal(merged.password) == "two"


def test_merge_drafts_keeps_both_sides_and_the_newer_of_one_key() -> None:
    def draft(key: str, minutes: int) -> Draft:
        saved = T0 + timedelta(minutes=minutes)
        return Draft(key, Entry(uuid=key, title=key, created=saved, modified=saved), saved)

    ours = {"a": draft("a", 1), "mine": draft("mine", 1)}
    disk = {"a": draft("a", 2), "theirs": draft("theirs", 1)}
    merged = merge_drafts(ours, disk, base={})
    assert sorted(merged) == ["a", "mine", "theirs"]
    assert merged["a"] is disk["a"]
    dropped_here = merge_drafts({}, disk, base={"theirs": T0})
    assert sorted(dropped_here) == ["a"]
