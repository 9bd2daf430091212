"""The backup settings kept in the vault's meta (core.backups.Backups), without a vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vaultapp.core.backups import Backups
from vaultapp.core.errors import UsageError


def _backups(path: Path) -> tuple[Backups, dict[str, Any], list[str]]:
    meta: dict[str, Any] = {}
    events: list[str] = []
    backups = Backups(path, lambda: meta, lambda event, uuid=None, detail=None: events.append(event))
    return backups, meta, events


def test_count_is_checked_stored_in_meta_and_logged_once_changed(tmp_path: Path) -> None:
    backups, meta, events = _backups(tmp_path / "v.vault")
    assert backups.count == 5
    backups.count = 5
    assert events == []
    backups.count = 2
    assert meta["backups"] == 2
    assert events == ["settings.changed"]
    with pytest.raises(UsageError, match="0 to 100"):
        backups.count = 101
    assert backups.count == 2


def test_a_folder_under_home_is_stored_as_tilde_and_a_missing_one_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "bk").mkdir()
    backups, meta, _ = _backups(tmp_path / "v.vault")
    assert backups.folder_or_none() is None
    backups.folder_setting = tmp_path / "bk"
    assert meta["backup_dir"] == "~/bk"
    assert backups.folder == tmp_path / "bk"
    (tmp_path / "bk").rmdir()
    assert backups.folder == tmp_path
    with pytest.raises(UsageError, match="not a folder"):
        backups.folder_setting = tmp_path / "missing"
