"""Issue 23: the audit events of one save are written in one batch (one lock, one write and one
fsync of the log), with the same records, order and chain as one append per event."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core import audit as audit_module
from vaultapp.core.audit import AuditLog, archive_path, log_path


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of records in each write the log makes."""
    seen: list[int] = []
    real = AuditLog._write_out

    def counting(self: AuditLog, path: Path, data: bytes) -> None:
        seen.append(data.count(b"\n"))
        real(self, path, data)

    monkeypatch.setattr(AuditLog, "_write_out", counting)
    return seen


def test_many_changes_then_one_save_log_every_event_in_order_in_one_write(
    vault_path: Path, writes: list[int]
) -> None:
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuids = [vault.add(f"entry {n}", password=f"pw{n}").uuid for n in range(300)]
        vault.trash(uuids[7])
        writes.clear()
        vault.save()
        assert writes == [301]  # one write for the whole save
    with open_vault(vault_path) as again:
        result = again.verify_log()
    assert result.ok, result.problems
    records = result.records
    assert [r.event for r in records] == ["vault.created"] + ["entry.created"] * 300 + ["entry.trashed"]
    assert [r.uuid for r in records[1:]] == [*uuids, uuids[7]]
    assert [r.seq for r in records] == list(range(len(records)))
    assert all(r.authenticated for r in records)


def test_a_batch_that_crosses_a_rotation_matches_one_append_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_RECORDS in the middle of a save the log rotates as single appends would: the
    same events, seqs and files, and both files verify."""
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 7)
    logs = []
    for name, batched in (("batched.vault", True), ("single.vault", False)):
        path = tmp_path / name
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
            for n in range(10):
                vault.add(f"entry {n}", password="pw")
            if batched:
                vault.save()
            else:
                pending, vault._trail.pending = vault._trail.pending, []
                vault.save()
                for event, uuid, detail in pending:
                    vault._trail.log(event, uuid, detail)
            result = vault.verify_log()
        assert result.ok, result.problems
        assert archive_path(path).exists()
        logs.append(
            [(r.seq, r.event) for r in result.records]
            + [("lines", len(log_path(path).read_bytes().splitlines()))]
        )
    assert logs[0] == logs[1]
    assert ("lines", 5) in logs[0]  # the rotation record, then four events


def test_a_full_disk_during_a_batch_leaves_no_record_of_it_and_a_gap_of_every_event(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for n in range(5):
            vault.add(f"entry {n}", password="pw")
        log = log_path(vault_path).stat()
        real_write = os.write

        def half_then_full(fd: int, data: bytes) -> int:
            info = os.fstat(fd)
            if not os.path.samestat(info, log):
                return real_write(fd, data)
            if info.st_size == log.st_size:
                return real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(audit_module.os, "write", half_then_full)
        vault.save()
        monkeypatch.setattr(audit_module.os, "write", real_write)
        assert log_path(vault_path).stat().st_size == log.st_size
        assert vault.audit_warning is not None
        assert "5 events were not logged" in vault.audit_warning
        vault.save()  # keeps the gap inside the vault
    with open_vault(vault_path) as again:
        result = again.verify_log()
    assert result.ok, result.problems
    assert [r.event for r in result.records] == ["vault.created"]
    assert any("5 events (entry.created) could not be logged" in n for n in result.notes), result.notes
