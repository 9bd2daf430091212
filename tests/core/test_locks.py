"""The write lock: held for each save only, waited for and named, never left behind; two
writers work in turn; a lock on a removed lock file does not count."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import open_vault
from vaultapp.core import Vault, VaultLockedError, locks
from vaultapp.core.storage import lock_path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_no_lock_file_is_left_beside_the_vault(two_saves: Vault) -> None:
    """The lock is held for each save only and its file removed when released: none stays
    beside an open vault, after saves, or after an encrypted export."""
    other = open_vault(two_saves.path, writable=True)
    other.close()
    two_saves.add("y")
    two_saves.save()
    two_saves.export_backup(two_saves.path.with_name("copy.vault"), "export passphrase")
    assert not lock_path(two_saves.path).exists()
    lock_files = [name for name in _files(two_saves.path.parent) if name.endswith(".lock")]
    assert [name for name in lock_files if not name.endswith(".log.lock")] == []  # the log's: audit.py


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
        from vaultapp.core.locks import WriteLock
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
    next_writer = locks.ExclusiveLock(path, remove=True)
    real_open = os.open
    raced: list[int] = []

    def racing_open(name: Path, flags: int, mode: int = 0o777) -> int:
        fd = real_open(name, flags, mode)
        if not raced:  # between our open and our flock: the holder removes the file on release
            raced.append(fd)  # and the next writer creates and locks a new one
            path.unlink()
            next_writer.acquire()
        return fd

    monkeypatch.setattr(locks.os, "open", racing_open)
    with pytest.raises(locks.LockTimeoutError):
        locks.ExclusiveLock(path, remove=True).acquire()
    monkeypatch.undo()
    next_writer.release()
    assert not path.exists()
    with locks.ExclusiveLock(path, remove=True):
        assert path.exists()
    assert not path.exists()
