"""Files as vaultapp finds and makes them: a symlinked vault stays a link; vault, backup and
lock are private (0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import Vault, locks
from vaultapp.core.storage import backup_path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinked_vault_stays_a_symlink(tmp_path: Path) -> None:
    """A vault reached through a symlink is saved into the real file; the link survives."""
    from vaultapp.core import TEST_PARAMS, TEST_POLICY

    real = tmp_path / "synced" / "real.vault"
    real.parent.mkdir()
    Vault.create(real, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    link = tmp_path / "link.vault"
    link.symlink_to(real)
    with open_vault(link, writable=True) as vault:
        vault.add("via link")
        vault.save()
    assert link.is_symlink()
    with open_vault(real) as vault:
        assert [e.title for e in vault.entries] == ["via link"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_vault_backup_and_lock_are_private(two_saves: Vault) -> None:
    """Vault, backup and lock file are created with mode 0600, even with a permissive umask."""
    old_umask = os.umask(0)
    try:
        two_saves.add("x")
        two_saves.save()
        with locks.WriteLock(two_saves.path) as lock:
            assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    for path in (two_saves.path, backup_path(two_saves.path)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
