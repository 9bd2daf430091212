"""Saving never loses data: injected failures, stray files, backups, permissions, the lock."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import DamagedFileError, SaveFailedError, Vault, VaultLockedError, storage
from vaultapp.core.storage import atomic_write, backup_path, lock_path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def two_saves(new_vault: Vault) -> Vault:
    new_vault.add("first", password="1")
    new_vault.save()
    return new_vault


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EACCES])
@pytest.mark.parametrize("target", ["write", "fsync", "replace", "read_back", "folder_fsync"])
def test_failure_anywhere_in_save_leaves_old_vault_and_no_stray_file(
    two_saves: Vault, monkeypatch: pytest.MonkeyPatch, code: int, target: str
) -> None:
    """An OSError in write, fsync, replace, read-back or the folder fsync keeps the old vault intact."""
    path = two_saves.path
    before = path.read_bytes()
    files_before = _files(path.parent)
    error = OSError(code, os.strerror(code))

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    if target == "write":
        real_fdopen = os.fdopen

        class FailingFile:
            def __init__(self, handle: object) -> None:
                self._h = handle

            def __enter__(self) -> FailingFile:
                return self

            def __exit__(self, *exc: object) -> None:
                self._h.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> None:
                self._h.write(data[: len(data) // 2])  # type: ignore[attr-defined]
                raise error

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: FailingFile(real_fdopen(fd, mode)))
    elif target == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif target == "replace":
        monkeypatch.setattr(os, "replace", fail)
    elif target == "read_back":
        real_read = Path.read_bytes

        def fail_on_temp(self: Path) -> bytes:
            if storage.TEMP_MARK in self.name:
                raise error
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", fail_on_temp)
    else:
        monkeypatch.setattr(storage, "_fsync_folder", fail)

    two_saves.add("second", password="2")
    with pytest.raises(SaveFailedError) as info:
        two_saves.save()
    monkeypatch.undo()
    message = str(info.value)
    assert "\n" not in message
    assert os.strerror(code) in message
    assert "unchanged" in message
    assert path.read_bytes() == before
    assert _files(path.parent) == files_before
    with open_vault(path) as vault:
        assert [e.title for e in vault.entries] == ["first"]


def test_folder_sync_refused_after_replace_is_not_a_failure(
    two_saves: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network file systems refuse to fsync a folder: once the new file is in place, the save
    stands (the previous version is in NAME.bak) and the next save is not a false conflict."""
    calls: list[Path] = []
    real = storage._fsync_folder

    def second_call_fails(folder: Path) -> None:
        calls.append(folder)
        if len(calls) % 2 == 0:
            raise OSError(errno.EINVAL, "Invalid argument")
        real(folder)

    monkeypatch.setattr(storage, "_fsync_folder", second_call_fails)
    two_saves.add("second")
    two_saves.save()
    two_saves.add("third")
    two_saves.save()
    assert len(calls) == 4
    with open_vault(two_saves.path) as vault:
        assert {e.title for e in vault.entries} == {"first", "second", "third"}


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


def test_failed_save_can_be_retried(two_saves: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a disk-full error, the next save succeeds with everything in memory."""
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    two_saves.add("second")
    with pytest.raises(SaveFailedError, match="Free some disk space"):
        two_saves.save()
    monkeypatch.undo()
    two_saves.save()
    with open_vault(two_saves.path) as vault:
        assert {e.title for e in vault.entries} == {"first", "second"}


def test_verify_failure_replaces_nothing(tmp_path: Path) -> None:
    """If the read-back does not verify, the old file stays and the temp file is removed."""
    path = tmp_path / "f"
    path.write_bytes(b"old")

    def reject(data: bytes) -> None:
        raise DamagedFileError("does not read back")

    with pytest.raises(DamagedFileError):
        atomic_write(path, b"new", verify=reject)
    assert path.read_bytes() == b"old"
    assert _files(tmp_path) == {"f"}


def test_previous_version_kept_as_backup(two_saves: Vault) -> None:
    """Each save keeps the version it replaces as NAME.bak, and that backup opens."""
    before = two_saves.path.read_bytes()
    two_saves.add("second")
    two_saves.save()
    assert backup_path(two_saves.path).read_bytes() == before
    with open_vault(backup_path(two_saves.path)) as vault:
        assert [e.title for e in vault.entries] == ["first"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_vault_backup_and_lock_are_private(two_saves: Vault) -> None:
    """Vault, backup and lock file are created with mode 0600, even with a permissive umask."""
    old_umask = os.umask(0)
    try:
        two_saves.add("x")
        two_saves.save()
    finally:
        os.umask(old_umask)
    for path in (two_saves.path, backup_path(two_saves.path), lock_path(two_saves.path)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_second_writer_in_same_process_is_refused(two_saves: Vault) -> None:
    """Opening for writing while another writer holds the lock names the lock file."""
    with pytest.raises(VaultLockedError, match=r"\.lock") as info:
        open_vault(two_saves.path, writable=True)
    assert info.value.exit_code == 6
    open_vault(two_saves.path).close()  # readers are never blocked


def test_lock_held_by_another_process_and_released_when_it_dies(two_saves: Vault) -> None:
    """A writer in another process blocks ours; once that process is killed the lock is free."""
    two_saves.close()
    script = textwrap.dedent(
        f"""
        import sys
        from vaultapp.core import TEST_POLICY, Vault
        v = Vault.open({str(two_saves.path)!r}, {PASSPHRASE!r}, writable=True, policy=TEST_POLICY)
        print("locked", flush=True)
        sys.stdin.readline()
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"locked"
            with pytest.raises(VaultLockedError, match="another process"):
                open_vault(two_saves.path, writable=True)
        finally:
            child.kill()
    open_vault(two_saves.path, writable=True).close()
