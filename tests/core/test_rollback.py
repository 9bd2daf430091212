"""Rollback detection: an older copy brought back by a sync tool is noticed before saving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_POLICY, RollbackError, Vault
from vaultapp.core.rollback import SeenVaults


def _open(path: Path, seen: SeenVaults, *, writable: bool = True) -> Vault:
    return Vault.open(path, PASSPHRASE, writable=writable, policy=TEST_POLICY, seen=seen)


def test_older_copy_is_flagged_and_not_saved_over(new_vault: Vault, tmp_path: Path) -> None:
    """After seeing save 3, a restored save-2 copy warns, refuses to save, and can be accepted."""
    seen = SeenVaults(tmp_path / "state" / "seen.json")
    new_vault.save()
    old = tmp_path / "old.vault"
    shutil.copy(new_vault.path, old)  # what a sync tool might bring back later
    new_vault.close()
    with _open(new_vault.path, seen) as vault:
        vault.add("newer work")
        vault.save()
        assert vault.rollback_warning is None
    shutil.copy(old, new_vault.path)
    with _open(new_vault.path, seen) as vault:
        assert vault.rollback_warning is not None
        assert "older than one this device has seen" in vault.rollback_warning
        vault.add("would overwrite newer history")
        with pytest.raises(RollbackError, match="Nothing was saved") as info:
            vault.save()
        assert info.value.exit_code == 6
        vault.accept_rollback()
        vault.save()


def test_state_file_holds_no_secret_and_is_private(new_vault: Vault, tmp_path: Path) -> None:
    """The device's memory is vault ids, counters and file hashes only, mode 0600."""
    import os
    import stat

    seen = SeenVaults(tmp_path / "seen.json")
    new_vault.add("Bank", password="hunter2")
    new_vault.save()
    new_vault.close()
    _open(new_vault.path, seen, writable=False).close()
    text = seen.path.read_text()
    assert "hunter2" not in text
    assert "Bank" not in text
    if os.name == "posix":
        assert stat.S_IMODE(seen.path.stat().st_mode) == 0o600


def test_unreadable_state_is_ignored(new_vault: Vault, tmp_path: Path) -> None:
    """A damaged state file never blocks opening or saving."""
    seen = SeenVaults(tmp_path / "seen.json")
    seen.path.write_text("{not json")
    new_vault.close()
    with _open(new_vault.path, seen) as vault:
        assert vault.rollback_warning is None
        vault.save()
