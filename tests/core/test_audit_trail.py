"""The audit wiring of an open vault (core.audit_trail) on a meta dict: gaps the log refused are
put into the vault by a save that lands, and taken out again by one that fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vaultapp.core.audit_trail import AuditTrail


def _trail() -> tuple[AuditTrail, dict[str, Any]]:
    meta: dict[str, Any] = {"audit_gaps": [["2026-01-01T00:00:00+00:00", 1, ["entry.copied"]]]}
    trail = AuditTrail(Path("unused.vault"), lambda: meta)
    trail.unlogged = [("2026-01-02T00:00:00+00:00", "entry.changed")]
    return trail, meta


def test_a_failed_save_leaves_the_gap_pending_and_the_stored_gaps_as_they_were() -> None:
    trail, meta = _trail()
    before = list(meta["audit_gaps"])

    def failing_save() -> None:
        with trail.stamping(head=True):
            assert len(meta["audit_gaps"]) == 2
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        failing_save()
    assert meta["audit_gaps"] == before
    assert trail.unlogged == [("2026-01-02T00:00:00+00:00", "entry.changed")]


def test_a_save_that_lands_keeps_the_gap_in_the_vault_once() -> None:
    trail, meta = _trail()
    with trail.stamping(head=True):
        pass
    assert len(meta["audit_gaps"]) == 2
    assert trail.unlogged == []


def test_retired_keys_are_kept_oldest_first_and_events_wait_for_the_save() -> None:
    trail, _ = _trail()
    trail.retire_key(b"\x01" * 32)
    trail.retire_key(b"\x02" * 32)
    assert trail.old_keys() == [b"\x01" * 32, b"\x02" * 32]
    trail.later("entry.created", "u")
    assert trail.pending == [("entry.created", "u", None)]
    trail.flush()  # no log started: nothing is written, nothing stays pending
    assert trail.pending == []
