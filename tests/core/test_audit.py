"""The audit log: events logged without secrets or titles; tampering of every kind detected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault, WrongPassphraseError, audit_records
from vaultapp.core import audit as audit_module
from vaultapp.core.audit import AuditLog, archive_path, log_path

SECRET = "canary-Secret-4711"


@pytest.fixture
def logged(vault_path: Path) -> Path:
    """A vault whose log holds create, unlock, entry events, a failed unlock and a copy."""
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        entry = vault.add("Private Title", password=SECRET)
        vault.save()
        vault.update(entry.uuid, password=SECRET + "2")
        vault.save()
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_path, "wrong")
    with open_vault(vault_path, writable=True) as vault:
        vault.note("entry.copied", entry.uuid, {"field": "password"})
        vault.trash(entry.uuid)
        vault.save()
    return vault_path


def _events(path: Path) -> list[str]:
    with open_vault(path) as vault:
        return [r.event for r in vault.verify_log().records]


def _verify(path: Path) -> list[str]:
    with open_vault(path) as vault:
        return vault.verify_log().problems


def _lines(path: Path) -> list[str]:
    return log_path(path).read_text(encoding="utf-8").splitlines(keepends=True)


def _write(path: Path, lines: list[str]) -> None:
    log_path(path).write_text("".join(lines), encoding="utf-8")


def test_events_are_logged_in_order(logged: Path) -> None:
    """The vault logs its own events; the failed unlock is there, unauthenticated (the read-only
    opens, this one included, are not)."""
    with open_vault(logged) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    assert [r.event for r in result.records] == [
        "vault.created", "entry.created", "entry.changed", "unlock.failed", "vault.unlocked",
        "entry.copied", "entry.trashed",
    ]  # fmt: skip
    assert [r.authenticated for r in result.records].count(False) == 1
    assert not result.records[3].authenticated
    assert result.records[2].detail == {"fields": ["password"]}


def test_log_holds_no_secret_and_no_title(logged: Path) -> None:
    """Records carry event, time and UUID only: neither the password nor the title appears."""
    text = log_path(logged).read_text(encoding="utf-8")
    assert SECRET not in text
    assert "Private Title" not in text
    for line in text.splitlines():
        assert set(json.loads(line)) <= {"seq", "time", "event", "uuid", "detail", "k", "mac", "hash"}


def test_modification_is_detected(logged: Path) -> None:
    """Changing any field of a record (here: its event type) breaks its MAC."""
    lines = _lines(logged)
    lines[5] = lines[5].replace('"entry.copied"', '"vault.unlocked"')
    _write(logged, lines)
    problems = _verify(logged)
    assert len(problems) == 1
    assert "Record 5" in problems[0]
    assert "altered" in problems[0]


def test_deletion_is_detected(logged: Path) -> None:
    """Removing a record from the middle leaves a gap and a MAC that no longer verifies."""
    lines = _lines(logged)
    del lines[2]
    _write(logged, lines)
    problems = _verify(logged)
    assert any("missing before record 3" in p for p in problems)


def test_reordering_is_detected(logged: Path) -> None:
    """Swapping two records is caught by the sequence numbers and the chain."""
    lines = _lines(logged)
    lines[1], lines[2] = lines[2], lines[1]
    _write(logged, lines)
    problems = _verify(logged)
    assert any("out of order" in p for p in problems)


def test_truncation_is_detected_by_the_device_anchor(logged: Path) -> None:
    """Cutting the last records off is caught: this device knows the last record it wrote."""
    lines = _lines(logged)
    _write(logged, lines[:-3])
    problems = _verify(logged)
    assert any("cut off the end" in p and "this device" in p for p in problems)


def test_truncation_is_detected_by_the_vault_on_another_device(logged: Path, tmp_path: Path) -> None:
    """Without this device's memory, the head stored in the vault at its last save still
    catches records cut off before that save."""
    lines = _lines(logged)
    _write(logged, lines[:4])
    for state in Path.home().rglob("audit-heads.json"):
        state.unlink()
    problems = _verify(logged)
    assert any("cut off the end" in p and "the vault" in p for p in problems)


def test_deleting_the_whole_log_is_detected(logged: Path) -> None:
    """A deleted log starts again at record 0 on the next unlock; the anchors notice."""
    log_path(logged).unlink()
    problems = _verify(logged)
    assert problems


def test_inserting_a_forged_record_is_detected(logged: Path) -> None:
    """Without the key, a new authenticated record cannot be made."""
    lines = _lines(logged)
    fake = json.loads(lines[4])
    fake["event"] = "entry.deleted"
    lines.insert(5, json.dumps(fake) + "\n")
    _write(logged, lines)
    assert _verify(logged)


def test_unauthenticated_records_inside_the_chain_cannot_be_removed(logged: Path) -> None:
    """The failed unlock has no MAC, but the next authenticated record covers it."""
    lines = _lines(logged)
    del lines[3]
    _write(logged, lines)
    assert _verify(logged)


def test_wrong_passphrase_does_not_verify_anything(logged: Path) -> None:
    """Verifying with another key fails every authenticated record."""
    log = AuditLog(logged, b"\x00" * 32)
    result = log.verify()
    assert not result.ok


def test_passphrase_change_keeps_the_log_verifiable(logged: Path) -> None:
    """After a passphrase change the whole log verifies with the new passphrase and says so
    (the vault keeps the old audit key; the log is not rewritten)."""
    before = log_path(logged).read_bytes()
    with open_vault(logged, writable=True) as vault:
        vault.change_passphrase("a new passphrase")
    with Vault.open(logged, "a new passphrase", policy=TEST_POLICY) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    assert result.records[-1].event == "passphrase.changed"
    assert len(result.records) == 9
    assert log_path(logged).read_bytes().startswith(before)


def test_passphrase_change_with_a_tampered_log_does_not_launder_it(logged: Path) -> None:
    """A log that does not verify stays reported after a passphrase change: the change never
    re-tags old records under the new key."""
    lines = _lines(logged)
    lines[1] = lines[1].replace("entry.created", "entry.deleted")
    _write(logged, lines)
    with open_vault(logged, writable=True) as vault:
        vault.change_passphrase("a new passphrase")
    with Vault.open(logged, "a new passphrase", policy=TEST_POLICY) as vault:
        result = vault.verify_log()
    assert any("Record 1" in p and "altered" in p for p in result.problems), result.problems
    assert result.records[-1].event == "passphrase.changed"  # the read-only open logs no unlock


def test_rotation_bounds_the_log_and_stays_verifiable(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_RECORDS the file rotates to .log.1; both verify, and once the older file is
    rotated away too, the log still verifies from its rotation record."""
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 5)
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for n in range(8):
            vault.note("entry.copied", None, {"n": n})
        result = vault.verify_log()
        assert result.ok, result.problems
        assert archive_path(vault_path).exists()
        assert len(_lines(vault_path)) <= 5
        for n in range(8):
            vault.note("entry.copied", None, {"n": n})
        result = vault.verify_log()
        assert result.ok, result.problems
        assert result.rotated_out
        assert result.records[0].event == "log.rotated"


def test_unauthenticated_noise_is_bounded(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed unlocks cannot grow a full log without end."""
    monkeypatch.setattr(audit_module, "MAX_UNAUTHENTICATED", 3)
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    for _ in range(10):
        AuditLog(vault_path, None).append("unlock.failed")
    assert len(_lines(vault_path)) == 1 + 3  # vault.created, then three failed unlocks


def test_half_written_last_record_is_cut_before_appending(logged: Path) -> None:
    """A crash in the middle of an append leaves a partial line; the next append removes it and
    the log verifies."""
    with log_path(logged).open("a", encoding="utf-8") as handle:
        handle.write('{"seq":99,"time":"2026-')
    with open_vault(logged) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems


def test_backups_and_other_copies_get_no_log(logged: Path, tmp_path: Path) -> None:
    """Exporting a backup and reading it back writes no log beside the backup."""
    backup = tmp_path / "backup.vault"
    with open_vault(logged) as vault:
        vault.export_backup(backup, "backup pass")
        assert vault.verify_log().records[-1].detail == {"format": "backup", "entries": 1}
    assert not log_path(backup).exists()


def test_a_new_vault_keeps_an_old_log_aside(logged: Path) -> None:
    """Creating a vault where a deleted one left its log does not mix the two."""
    logged.unlink()
    Vault.create(logged, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    assert logged.with_name(logged.name + ".log.orphaned").exists()
    assert _events(logged) == ["vault.created"]


def test_front_ends_cannot_log_vault_events(logged: Path) -> None:
    """note() takes only the events a front end witnesses."""
    with open_vault(logged) as vault, pytest.raises(ValueError, match="logged by the vault"):
        vault.note("entry.deleted")


def test_an_unwritable_log_never_blocks_the_vault(logged: Path) -> None:
    """When the log cannot be written, the vault still opens and says why in audit_warning."""
    log = log_path(logged)
    log.unlink()
    log.mkdir()  # a folder where the file should be
    with open_vault(logged, writable=True) as vault:
        assert vault.audit_warning is not None
        assert "audit log" in vault.audit_warning


# ---- issue 17 item 1: rotation driven by authenticated records; the chain across files -------


def test_a_flood_of_failed_unlocks_cannot_rotate_history_out(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed unlocks (anyone can cause them) never count toward rotation: after floods of
    them and ordinary unlocks, vault.created and the entry records are still there."""
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 5)
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("one", password=SECRET)
        vault.save()
    for _ in range(2):
        for _ in range(12):
            AuditLog(vault_path, None).append("unlock.failed")
        open_vault(vault_path).close()
    with open_vault(vault_path) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    events = [r.event for r in result.records]
    assert events[:2] == ["vault.created", "entry.created"]
    assert events.count("unlock.failed") == 24


def test_deleting_the_rotated_file_is_reported(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a rotation the current file's log.rotated record links to .log.1: deleting that
    file is reported, not taken for records rotated out long ago."""
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 5)
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for n in range(7):
            vault.note("entry.copied", None, {"n": n})
        assert vault.verify_log().ok
        archive_path(vault_path).unlink()
        problems = vault.verify_log().problems
    assert any(".log.1" in p and "missing" in p for p in problems), problems


def test_a_shortened_rotated_file_is_reported(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cutting records off the end of .log.1 breaks the link the current file carries."""
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 5)
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for n in range(7):
            vault.note("entry.copied", None, {"n": n})
        archive = archive_path(vault_path)
        archive.write_text("".join(archive.read_text(encoding="utf-8").splitlines(keepends=True)[:-2]))
        problems = vault.verify_log().problems
    assert any("does not continue" in p for p in problems), problems


# ---- issue 17 item 5: only failed unlocks may be unauthenticated ------------------------------


def _forge(path: Path, event: str, **extra: object) -> None:
    """Append a record the way anyone without the key can: chained with the unkeyed hash."""
    lines = _lines(path)
    last = json.loads(lines[-1])
    prev = audit_records.unb64(last.get("mac") or last.get("hash"))
    assert prev is not None
    content = {"seq": last["seq"] + 1, "time": "2026-11-29T10:00:00+00:00", "event": event, **extra}
    digest = audit_records.tag_of(prev, audit_records.canonical(content), None)
    lines.append(json.dumps(dict(content, hash=audit_records.b64(digest))) + "\n")
    _write(path, lines)


@pytest.mark.parametrize("event", ["vault.exported", "entry.deleted", "passphrase.changed"])
def test_forged_unauthenticated_records_are_reported(logged: Path, event: str) -> None:
    """Anyone can chain a record with the unkeyed hash; any event but unlock.failed without a
    MAC is reported as forged."""
    _forge(logged, event)
    with open_vault(logged) as vault:
        result = vault.verify_log()
    assert any("forged" in p and event in p for p in result.problems), result.problems
    assert result.records[-1].forged  # (a read-only open logs no unlock after it)
    assert result.unauthenticated == 1  # the genuine failed unlock only


def test_a_failed_unlock_with_extra_fields_is_forged(logged: Path) -> None:
    """vaultapp writes failed unlocks with no entry and no detail; one carrying them is forged."""
    _forge(logged, "unlock.failed", detail={"note": "the owner exported everything"})
    assert any("forged" in p for p in _verify(logged))


# ---- issue 15 item 8: passphrase changes, torn records and full disks never corrupt the log --


def test_a_reader_with_the_old_passphrase_logs_after_a_change(vault_path: Path) -> None:
    """A process that unlocked before the passphrase changed and logs after it (passwd racing
    a reader) leaves a log that verifies, with a note saying which record that was."""
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuid = vault.add("one", password=SECRET).uuid
        vault.save()
    reader = open_vault(vault_path)
    with open_vault(vault_path, writable=True) as writer:
        writer.change_passphrase("a new passphrase")
    reader.note("entry.copied", uuid, {"field": "password"})
    reader.close()
    with Vault.open(vault_path, "a new passphrase", policy=TEST_POLICY) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    assert any("earlier passphrase" in n for n in result.notes), result.notes
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_path)


def test_records_of_a_superseded_key_that_change_the_vault_are_reported(vault_path: Path) -> None:
    """Only a reader can still hold the old key after a change; an entry change made with it
    (someone who knows the old passphrase) is reported."""
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        old_key = vault._require_keys().audit_key
    with open_vault(vault_path, writable=True) as writer:
        writer.change_passphrase("a new passphrase")
    AuditLog(vault_path, old_key).append("entry.deleted", uuid="x")
    with Vault.open(vault_path, "a new passphrase", policy=TEST_POLICY) as vault:
        problems = vault.verify_log().problems
    assert any("already been changed" in p for p in problems), problems


def test_a_torn_last_record_is_a_crash_note_and_is_repaired(logged: Path) -> None:
    """A record cut by a crash is reported as such (a note, never tampering); the next append
    removes it and records the repair, and the log verifies."""
    with log_path(logged).open("a", encoding="utf-8") as handle:
        handle.write('{"seq":9,"time":"2026-')
    with open_vault(logged, writable=True) as vault:  # this unlock's append repairs it
        result = vault.verify_log()
    assert result.ok, result.problems
    assert any("cut by a crash" in n for n in result.notes), result.notes
    assert [r.event for r in result.records][-2:] == ["log.repaired", "vault.unlocked"]
    assert not log_path(logged).read_text(encoding="utf-8").count('"seq":9,"time":"2026-"')


def test_a_whole_record_missing_its_newline_is_kept(logged: Path) -> None:
    """A last line that is a complete record (its newline cut off) is not a torn record: it is
    completed, not removed (removing it would erase a record)."""
    data = log_path(logged).read_bytes()
    last = json.loads(data.splitlines()[-1])
    log_path(logged).write_bytes(data[:-1])
    with open_vault(logged) as vault:
        result = vault.verify_log()  # a read-only open appends nothing: verify itself takes it whole
    assert result.ok, result.problems
    assert not result.notes, result.notes
    assert (result.records[-1].seq, result.records[-1].event) == (last["seq"], last["event"])
    with open_vault(logged, writable=True) as vault:  # the next append completes the line
        result = vault.verify_log()
    assert result.ok, result.problems
    assert log_path(logged).read_bytes().startswith(data)


def test_a_full_disk_during_an_append_leaves_no_partial_record(
    logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that stops half-way (the disk filled up) is taken back: no torn line stays,
    this device's anchor does not move, and later the log verifies (the lost event is a gap)."""
    import errno
    import os

    real_write = os.write
    calls = {"n": 0}

    def half_then_full(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    vault = open_vault(logged, writable=True)
    size = log_path(logged).stat().st_size
    monkeypatch.setattr(audit_module.os, "write", half_then_full)
    vault.note("entry.copied", None, {"field": "password"})
    monkeypatch.setattr(audit_module.os, "write", real_write)
    assert log_path(logged).stat().st_size == size
    assert vault.audit_warning is not None
    assert "not logged" in vault.audit_warning
    vault.close()
    with open_vault(logged) as again:
        result = again.verify_log()
    assert result.ok, result.problems
    assert any("1 event (entry.copied) could not be logged" in n for n in result.notes), result.notes


# ---- issue 15 item 9: events the log refused are a recorded gap, never silently dropped -------


def test_a_busy_log_leaves_a_gap_the_vault_keeps(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds the log's lock, the events are not written; the next save
    keeps the gap inside the vault (authenticated), and verify reports it."""
    from vaultapp.core.locks import ExclusiveLock

    monkeypatch.setattr(audit_module, "LOCK_TIMEOUT", 0)
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.save()
    holder = ExclusiveLock(log_path(vault_path).with_name(vault_path.name + ".log.lock"))
    holder.acquire()
    try:
        vault = open_vault(vault_path, writable=True)
        assert vault.audit_warning is not None
        assert "busy" in vault.audit_warning
        vault.add("two", password=SECRET)
        vault.save()  # vault.unlocked was refused: the save keeps that gap
    finally:
        holder.release()
    vault.close()
    with open_vault(vault_path) as again:
        result = again.verify_log()
        gaps = again._body.meta["audit_gaps"]
    assert result.ok, result.problems
    assert any(
        "could not be logged" in n and "vault.unlocked" in n and "the vault" in n for n in result.notes
    )
    assert gaps[0][1:] == [1, ["vault.unlocked"]]


def test_a_busy_log_on_a_read_only_open_is_kept_by_this_device(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only open cannot save: this device keeps the gap, and verify reports it."""
    from vaultapp.core.locks import ExclusiveLock

    monkeypatch.setattr(audit_module, "LOCK_TIMEOUT", 0)
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    holder = ExclusiveLock(log_path(vault_path).with_name(vault_path.name + ".log.lock"))
    holder.acquire()
    try:
        with open_vault(vault_path) as vault:
            vault.note("entry.revealed", None, {"field": "password", "where": "table"})
    finally:
        holder.release()
    with open_vault(vault_path) as again:
        result = again.verify_log()
    assert result.ok, result.problems
    assert any("1 event" in n and "this device" in n for n in result.notes), result.notes
