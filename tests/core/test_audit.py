"""The audit log: events logged without secrets or titles; tampering of every kind detected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault, WrongPassphraseError
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
        assert set(json.loads(line)) <= {"seq", "time", "event", "uuid", "detail", "mac", "hash"}


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


def test_passphrase_change_re_keys_the_log(logged: Path) -> None:
    """After a passphrase change the whole log verifies under the new key and says so."""
    with open_vault(logged, writable=True) as vault:
        vault.change_passphrase("a new passphrase")
    with Vault.open(logged, "a new passphrase", policy=TEST_POLICY) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    assert result.records[-1].event == "passphrase.changed"
    assert len(result.records) == 9


def test_passphrase_change_with_a_tampered_log_keeps_it_aside(logged: Path) -> None:
    """A log that does not verify is not laundered into the new key: it is kept aside and a
    new log starts with log.restarted."""
    lines = _lines(logged)
    lines[1] = lines[1].replace("entry.created", "entry.deleted")
    _write(logged, lines)
    with open_vault(logged, writable=True) as vault:
        vault.change_passphrase("a new passphrase")
    aside = logged.with_name(logged.name + ".log.before-rekey")
    assert aside.exists()
    assert "entry.deleted" in aside.read_text(encoding="utf-8")
    with Vault.open(logged, "a new passphrase", policy=TEST_POLICY) as vault:
        result = vault.verify_log()
    assert result.ok, result.problems
    assert [r.event for r in result.records][:2] == ["log.restarted", "passphrase.changed"]


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
    monkeypatch.setattr(audit_module, "MAX_RECORDS", 3)
    monkeypatch.setattr(audit_module, "UNAUTHENTICATED_SLACK", 2)
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    for _ in range(10):
        AuditLog(vault_path, None).append("unlock.failed")
    assert len(_lines(vault_path)) == 5


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
