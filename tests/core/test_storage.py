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
        real_read = storage.read_limited

        def fail_on_temp(path: Path, max_size: int, **kwargs: object) -> bytes:
            if storage.TEMP_MARK in path.name:
                raise error
            return real_read(path, max_size, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(storage, "read_limited", fail_on_temp)
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
        with storage.WriteLock(two_saves.path) as lock:
            assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    for path in (two_saves.path, backup_path(two_saves.path)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_no_lock_file_is_left_beside_the_vault(two_saves: Vault) -> None:
    """The lock is held for each save only and its file removed when released: none stays
    beside an open vault, after saves, or after an encrypted export."""
    other = open_vault(two_saves.path, writable=True)
    other.close()
    two_saves.add("y")
    two_saves.save()
    two_saves.export_backup(two_saves.path.with_name("copy.vault"), "export passphrase")
    assert not lock_path(two_saves.path).exists()
    locks = [name for name in _files(two_saves.path.parent) if name.endswith(".lock")]
    assert [name for name in locks if not name.endswith(".log.lock")] == []  # the log's: audit.py


def test_two_writers_work_in_turn_and_lose_nothing(two_saves: Vault) -> None:
    """Opening for writing no longer blocks other writers. A save that finds another's save on
    disk raises ConflictError (the window then offers the choice), or merges it in under the lock
    with ``merge`` (``merge_on_conflict`` for the CLI): both sides' changes are kept."""
    from vaultapp.core import ConflictError

    with (
        open_vault(two_saves.path, writable=True) as window,
        open_vault(two_saves.path, writable=True) as cli,
    ):
        cli.merge_on_conflict = True
        window.add("from the window")
        window.save()
        cli.add("from the command line")
        merged = cli.save()
        assert merged is not None
        assert merged.added == ["from the window"]
        window.add("again from the window")
        with pytest.raises(ConflictError):
            window.save()
        window.save(merge=True)
    with open_vault(two_saves.path) as vault:
        assert {e.title for e in vault.entries} == {
            "first",
            "from the window",
            "from the command line",
            "again from the window",
        }


def test_a_save_waits_for_the_lock_and_names_it(two_saves: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds the lock (it is saving), a save fails after LOCK_WAIT with
    VaultLockedError naming the lock file; once that process is gone, the save goes through and
    removes the lock file the dead process left behind."""
    import vaultapp.core.vault_file

    monkeypatch.setattr(vaultapp.core.vault_file, "LOCK_WAIT", 0)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from vaultapp.core.storage import WriteLock
        WriteLock(Path({str(two_saves.path)!r})).acquire()
        print("locked", flush=True)
        sys.stdin.readline()
        """
    )
    two_saves.add("waiting")
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"locked"
            with pytest.raises(VaultLockedError, match=r"another process.*\.lock") as info:
                two_saves.save()
            assert info.value.exit_code == 6
            open_vault(two_saves.path).close()  # readers are never blocked
        finally:
            child.kill()
    assert lock_path(two_saves.path).exists()  # left by the killed process
    two_saves.save()
    assert not lock_path(two_saves.path).exists()
    with open_vault(two_saves.path) as vault:
        assert "waiting" in {e.title for e in vault.entries}


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_a_lock_on_a_removed_lock_file_does_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that opened NAME.lock just before its holder removed it gets a flock on the
    removed file, which nobody else sees: it must lock the file now at the path instead (held
    here by the next writer, so it times out rather than both writing at once)."""
    path = tmp_path / "v.vault.lock"
    path.touch()
    next_writer = storage.ExclusiveLock(path, remove=True)
    real_open = os.open
    raced: list[int] = []

    def racing_open(name: Path, flags: int, mode: int = 0o777) -> int:
        fd = real_open(name, flags, mode)
        if not raced:  # between our open and our flock: the holder removes the file on release
            raced.append(fd)  # and the next writer creates and locks a new one
            path.unlink()
            next_writer.acquire()
        return fd

    monkeypatch.setattr(storage.os, "open", racing_open)
    with pytest.raises(storage.LockTimeoutError):
        storage.ExclusiveLock(path, remove=True).acquire()
    monkeypatch.undo()
    next_writer.release()
    assert not path.exists()
    with storage.ExclusiveLock(path, remove=True):
        assert path.exists()
    assert not path.exists()
