"""One vault, two machines' logs: a synced vault is saved on each machine, each with its own
audit log beside its copy, and each log must still verify against the vault the other saved
(``meta.audit_heads``, FORMAT.md §5 and §9)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core.audit import log_path


def _save_with(path: Path, title: str) -> None:
    with open_vault(path, writable=True) as vault:
        vault.add(title)
        vault.save()


def _problems(path: Path) -> list[str]:
    with open_vault(path) as vault:
        return vault.verify_log().problems


def test_each_machines_log_verifies_after_the_other_saved_and_merged(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "Passwords.vault", tmp_path / "b" / "Passwords.vault"
    a.parent.mkdir()
    b.parent.mkdir()
    with Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.save()
    _save_with(a, "First")
    shutil.copy2(a, b)  # the sync tool carries the vault, not the log
    _save_with(b, "On B")  # B's log starts; B's head joins A's in the vault
    _save_with(a, "On A, apart")
    conflict = a.with_name("Passwords.sync-conflict-20261130-010000-BBBBBBB.vault")
    shutil.copy2(b, conflict)  # Syncthing: B's version beside A's
    with open_vault(a, writable=True) as vault, vault.open_copy(conflict) as copy:
        vault.merge_from(copy)
        vault.save()
        heads = vault._body.meta["audit_heads"]  # what the file keeps
    assert len(heads) == 2  # A's log and B's, kept through the merge
    shutil.copy2(a, b)  # the merged vault reaches B
    assert log_path(a).exists()
    assert log_path(b).exists()
    assert _problems(a) == []
    assert _problems(b) == []
    _save_with(b, "On B, after")  # and both go on
    shutil.copy2(b, a)
    assert _problems(a) == []
    assert _problems(b) == []


def test_a_log_cut_short_is_still_caught_on_a_machine_that_saved_elsewhere_too(tmp_path: Path) -> None:
    """Keeping one head per log does not weaken the truncation check of each log."""
    a = tmp_path / "Passwords.vault"
    with Vault.create(a, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.save()
    for title in ("One", "Two", "Three"):
        _save_with(a, title)
    lines = log_path(a).read_text(encoding="utf-8").splitlines(keepends=True)
    log_path(a).write_text("".join(lines[:3]), encoding="utf-8")
    for state in Path.home().rglob("audit-heads.json"):
        state.unlink()  # this device's own anchor gone too: only the vault's head is left
    assert any("cut off the end" in p and "the vault" in p for p in _problems(a))
