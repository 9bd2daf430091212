"""The JSON Lines body: strict structure, and the per-entry line cache stays correct."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.helpers import open_vault
from vaultapp.core import DamagedFileError, Vault
from vaultapp.core import body as body_module
from vaultapp.core.body import Body, decode

T = datetime(2026, 5, 6, tzinfo=UTC).isoformat()
ENVELOPE = {"format": 1, "meta": {"generation": 3}, "tombstones": [], "count": 1}
ENTRY = {"uuid": "u1", "title": "t", "created": T, "modified": T}
MADE = {"version": {"dev1": 2}, "device": "dev1", "seq": 2, "rank": 2}


def _lines(*values: object) -> bytes:
    return "\n".join(v if isinstance(v, str) else json.dumps(v) for v in values).encode()


def test_round_trip_envelope_and_entry() -> None:
    """A well-formed body decodes and encodes back to equal content."""
    body = decode(_lines(ENVELOPE, ENTRY))
    assert list(body.entries) == ["u1"]
    assert decode(body.encode()).entries == body.entries


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        _lines("not json"),
        _lines({**ENVELOPE, "format": 9}, ENTRY),
        _lines({**ENVELOPE, "count": 2}, ENTRY),
        _lines(ENVELOPE, json.dumps(ENTRY) + json.dumps(ENTRY)),
        _lines(ENVELOPE, json.dumps(ENTRY) + " "),
        _lines({**ENVELOPE, "count": 2}, ENTRY, ENTRY),
        _lines({**ENVELOPE, "meta": {"generation": "3"}}, ENTRY),
        _lines(ENVELOPE, {**ENTRY, "created": "yesterday"}),
        _lines(ENVELOPE, {**ENTRY, "created": "2026-05-06T00:00:00"}),
        _lines(ENVELOPE, {**ENTRY, "tags": "a,b"}),
        _lines(ENVELOPE, {**ENTRY, "title": 5}),
        _lines(ENVELOPE, {**ENTRY, "history": [{**ENTRY, "history": [ENTRY]}]}),
        _lines(ENVELOPE, [ENTRY]),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev1": True}}),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev1": 0}}),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev1": 2**60}}),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev 1": 2}}),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": [["dev1", 2]]}),
        _lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev1": 1}}),  # behind its own edit
        _lines(ENVELOPE, {**ENTRY, **MADE, "rank": "2"}),
        _lines(ENVELOPE, {**ENTRY, "version": {"dev1": 2}}),  # a version without its edit
        _lines({**ENVELOPE, "tombstones": [{"uuid": "u2", "deleted": T, "version": {"x": -1}}]}, ENTRY),
    ],
)
def test_malformed_bodies_are_damaged(data: bytes) -> None:
    """Every structural fault gives DamagedFileError, never another exception."""
    with pytest.raises(DamagedFileError):
        decode(data)


def test_unchanged_entries_reuse_their_line_and_changed_ones_do_not(
    new_vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save re-encodes only entries that changed; the file still reflects every change."""
    kept = new_vault.add("kept")
    changed = new_vault.add("changed")
    new_vault.save()
    encoded: list[str] = []
    original = body_module.entry_to_json
    monkeypatch.setattr(body_module, "entry_to_json", lambda e: encoded.append(e.title) or original(e))
    new_vault.update(changed.uuid, title="changed again")
    new_vault.save()
    assert encoded == ["changed again"]
    with open_vault(new_vault.path) as vault:
        assert {e.title for e in vault.entries} == {"kept", "changed again"}
        assert vault.get(kept.uuid) == kept


def test_empty_body_has_only_the_envelope() -> None:
    """A vault without entries is one line."""
    data = Body({"generation": 0}).encode()
    assert b"\n" not in data
    assert decode(data).entries == {}


def test_versions_round_trip_and_old_bodies_are_migrated() -> None:
    """Format 1.1 version fields survive encode/decode; a 1.0 entry gets as many legacy edits as
    it has versions and a 1.0 tombstone becomes a legacy one that keeps its time."""
    old_history = [{**ENTRY, "notes": "first"}, {**ENTRY, "notes": "second"}]
    grave = {"uuid": "u2", "deleted": T}
    body = decode(_lines({**ENVELOPE, "tombstones": [grave]}, {**ENTRY, "history": old_history}))
    entry = body.entries["u1"]
    assert (entry.version, entry.rank, entry.device, entry.seq) == ((("legacy", 3),), 3, "legacy", 3)
    assert [(h.rank, h.device, h.seq, h.version) for h in entry.history] == [
        (1, "legacy", 1, ()),
        (2, "legacy", 2, ()),
    ]
    assert body.tombstones["u2"].version == ()
    assert body.tombstones["u2"].legacy == datetime.fromisoformat(T)
    again = decode(body.encode())
    assert again.entries == body.entries
    assert again.tombstones == body.tombstones
    current = decode(_lines(ENVELOPE, {**ENTRY, **MADE, "version": {"dev1": 2, "legacy": 4}}))
    assert current.entries["u1"].version == (("dev1", 2), ("legacy", 4))
    assert decode(current.encode()).entries == current.entries
