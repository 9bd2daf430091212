"""Saving never loses data: injected failures anywhere on the save path, stray files, backups."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.helpers import open_vault
from vaultapp.core import DamagedFileError, SaveFailedError, Vault, saving, storage
from vaultapp.core.saving import atomic_write
from vaultapp.core.storage import backup_path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


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
        real_read = saving.read_limited

        def fail_on_temp(path: Path, max_size: int, **kwargs: object) -> bytes:
            if storage.TEMP_MARK in path.name:
                raise error
            return real_read(path, max_size, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(saving, "read_limited", fail_on_temp)
    else:
        monkeypatch.setattr(saving, "fsync_folder", fail)

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
    real = saving.fsync_folder

    def second_call_fails(folder: Path) -> None:
        calls.append(folder)
        if len(calls) % 2 == 0:
            raise OSError(errno.EINVAL, "Invalid argument")
        real(folder)

    monkeypatch.setattr(saving, "fsync_folder", second_call_fails)
    two_saves.add("second")
    two_saves.save()
    two_saves.add("third")
    two_saves.save()
    assert len(calls) == 4
    with open_vault(two_saves.path) as vault:
        assert {e.title for e in vault.entries} == {"first", "second", "third"}


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
