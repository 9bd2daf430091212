"""Issue 23: most entries are read by a fast path (text fields, times, a version shape checked
once); it builds the same entries as the general checks and lets nothing through they refuse."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from vaultapp.core import DamagedFileError
from vaultapp.core import entry as entry_module
from vaultapp.core.entry import entry_from_json

T = datetime(2026, 5, 6, tzinfo=UTC).isoformat()
PLAIN = {
    "uuid": "u1", "title": "t", "created": T, "modified": T, "username": "me", "password": "tok",
    "url": "https://x", "notes": "n", "folder": "f", "version": {"dev1": 2}, "device": "dev1",
    "seq": 2, "rank": 2,
}  # fmt: skip


def _general(obj: dict[str, Any]) -> entry_module.Entry:
    """The entry as the general checks build it (the fast path turned off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(entry_module, "_PLAIN_KEYS", frozenset())
        patch.setattr(entry_module, "_MADE_BY", {})
        patch.setattr(entry_module, "_MADE_BY_MAX", 0)
        return entry_from_json(obj)


@pytest.mark.parametrize(
    "obj",
    [
        PLAIN,
        {"uuid": "u2", "title": "bare", "created": T, "modified": T},  # a 1.0 entry, migrated
        {**PLAIN, "password": None},
        {**PLAIN, "version": {"dev1": 2, "legacy": 3}},
    ],
)
def test_the_fast_path_builds_what_the_general_checks_build(obj: dict[str, Any]) -> None:
    fast = entry_from_json(obj)
    assert fast == _general(obj)
    assert {f.name: getattr(fast, f.name) for f in dataclasses.fields(fast)} == {
        f.name: getattr(_general(obj), f.name) for f in dataclasses.fields(fast)
    }


@pytest.mark.parametrize(
    "obj",
    [
        {**PLAIN, "title": 5},
        {**PLAIN, "created": "yesterday"},
        {**PLAIN, "modified": "2026-05-06T00:00:00"},  # no time zone
        {**PLAIN, "password": 7},
        {**PLAIN, "version": {"dev1": True}, "seq": True},
        {**PLAIN, "version": {"dev1": True}},
        {**PLAIN, "version": {"dev1": 1}},  # behind its own edit
        {**PLAIN, "rank": True},
        {**PLAIN, "device": "dev 1", "version": {"dev 1": 2}},
    ],
)
def test_a_shape_checked_once_never_lets_a_faulty_entry_through(obj: dict[str, Any]) -> None:
    """The valid shape is remembered first; a faulty one (even one equal to it in Python, like
    ``True == 1``) is still refused."""
    entry_from_json(PLAIN)
    entry_from_json({**PLAIN, "version": {"dev1": 1}, "seq": 1, "rank": 1})
    with pytest.raises(DamagedFileError):
        entry_from_json(obj)


def test_a_body_handed_over_in_a_list_is_read_the_same_and_let_go() -> None:
    """``decode([data])`` takes the bytes out of the list (so they can be freed early)."""
    from vaultapp.core.body import Body, decode

    body = Body({"generation": 1})
    body.entries["u1"] = entry_from_json(PLAIN)
    data = body.encode()
    holder = [data]
    assert decode(holder).entries == decode(data).entries == body.entries
    assert holder == []
