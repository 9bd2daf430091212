"""Audit records and their chain in memory: the check of a chain of record lines, without a disk."""

from __future__ import annotations

import json
from typing import Any

from vaultapp.core.audit_records import GENESIS, b64, canonical, check_chain, key_id, parse_line, tag_of

KEY = bytes(range(32))
OLD_KEY = bytes(32)
WHEN = "2026-11-29T10:00:00+00:00"


def _chain(
    events: list[str], *, key: bytes | None = KEY, start: int = 0, prev: bytes = GENESIS
) -> list[bytes]:
    """Record lines as AuditLog writes them: each chained to the one before with ``key`` (or,
    for ``unlock.failed``, the unkeyed hash)."""
    lines = []
    for seq, event in enumerate(events, start):
        keyed = key if event != "unlock.failed" else None
        content: dict[str, Any] = {"seq": seq, "time": WHEN, "event": event}
        if keyed is not None:
            content["k"] = key_id(keyed)
        prev = tag_of(prev, canonical(content), keyed)
        line = dict(content, **{"mac" if keyed is not None else "hash": b64(prev)})
        lines.append(json.dumps(line, separators=(",", ":")).encode())
    return lines


def _check(
    lines: list[bytes], *, keys: tuple[bytes, ...] = (KEY,), anchor: tuple[int, bytes] | None = None
) -> Any:
    data = b"".join(line + b"\n" for line in lines)
    return check_chain(("v.vault.log.1", b""), ("v.vault.log", data), list(keys), [("the vault", anchor)])


def test_an_intact_chain_verifies_and_counts_each_kind() -> None:
    """Records chained as the log writes them verify; a failed unlock counts as unauthenticated."""
    result = _check(_chain(["vault.created", "unlock.failed", "entry.created"]))
    assert result.problems == []
    assert [r.event for r in result.records] == ["vault.created", "unlock.failed", "entry.created"]
    assert (result.unauthenticated, result.forged) == (1, 0)


def test_an_altered_record_and_a_removed_one_are_reported() -> None:
    """Editing a record's content breaks its MAC; removing one leaves a hole in the sequence."""
    lines = _chain(["vault.created", "entry.created", "entry.deleted", "entry.created"])
    edited = json.loads(lines[1])
    edited["event"] = "entry.trashed"
    altered = _check([lines[0], json.dumps(edited).encode(), *lines[2:]])
    assert any("was altered" in p for p in altered.problems), altered.problems
    removed = _check([lines[0], lines[1], lines[3]])
    assert any("missing before record 3" in p for p in removed.problems), removed.problems


def test_another_key_and_a_forged_unkeyed_record_are_reported() -> None:
    """Records made with a key the vault does not know, and an event other than a failed unlock
    chained with the unkeyed hash, are reported, not trusted."""
    foreign = _check(_chain(["vault.created"], key=OLD_KEY))
    assert any("does not know" in p for p in foreign.problems), foreign.problems
    lines = _chain(["vault.created"])
    prev = parse_line(lines[-1].decode())
    assert prev is not None
    content = {"seq": 1, "time": WHEN, "event": "entry.deleted"}
    forged = dict(content, hash=b64(tag_of(prev[1].tag, canonical(content), None)))
    result = _check([*lines, json.dumps(forged).encode()])
    assert result.forged == 1
    assert any("forged" in p for p in result.problems), result.problems


def test_records_of_an_earlier_passphrase_verify_with_its_kept_key() -> None:
    """The vault keeps the audit keys of earlier passphrases: records made with one verify."""
    first = _chain(["vault.created", "entry.created"], key=OLD_KEY)
    last = parse_line(first[-1].decode())
    assert last is not None
    lines = first + _chain(["passphrase.changed"], start=2, prev=last[1].tag)
    assert _check(lines, keys=(OLD_KEY, KEY)).problems == []
    assert _check(lines, keys=(KEY,)).problems != []


def test_a_cut_end_is_caught_by_the_vaults_anchor_and_a_torn_line_is_a_note() -> None:
    """A log that ends before the head the vault stored is reported as cut; a last line without
    its newline (a killed writer) is only a note."""
    lines = _chain(["vault.created", "entry.created", "entry.changed"])
    head = parse_line(lines[-1].decode())
    assert head is not None
    cut = _check(lines[:2], anchor=(2, head[1].tag))
    assert any("cut off the end" in p for p in cut.problems), cut.problems
    whole = b"".join(line + b"\n" for line in lines[:2]) + lines[2][:20]
    torn = check_chain(("v.vault.log.1", b""), ("v.vault.log", whole), [KEY], [])
    assert torn.problems == []
    assert any("cut by a crash" in n for n in torn.notes), torn.notes
