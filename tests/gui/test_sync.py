"""Sync-tool reality in the window: conflict copies beside the vault, and Merge from file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.gui.conftest import select, titles, unlock
from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_POLICY, Vault
from vaultapp.core.storage import find_conflict_copies
from vaultapp.gui.main_window import MainWindow


def _edited_copy(source: Path, target: Path, title: str, passphrase: str = PASSPHRASE) -> None:
    shutil.copy(source, target)
    with Vault.open(target, passphrase, writable=True, policy=TEST_POLICY) as copy:
        copy.add(title)
        copy.save()


def test_conflict_copy_is_offered_merged_and_set_aside(
    qtbot, window: MainWindow, monkeypatch, demo_vault: Path
) -> None:
    """A Syncthing conflict copy beside the vault: after unlock the user sees a preview, agrees,
    and its new entry is merged; the copy is renamed so it is not offered again."""
    copy = demo_vault.with_name("demo.sync-conflict-20261123-101010-ABCDEFG.vault")
    _edited_copy(demo_vault, copy, "From the other laptop")
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or True)
    unlock(qtbot, window)
    assert any("Added: From the other laptop" in text for text in asked)
    assert "From the other laptop" in titles(window)
    assert find_conflict_copies(demo_vault) == []
    assert copy.with_name(copy.name + ".merged").exists()


def test_declined_conflict_copy_stays(qtbot, window: MainWindow, monkeypatch, demo_vault: Path) -> None:
    """Declining the merge changes nothing and keeps the copy for later."""
    copy = demo_vault.with_name("demo (conflicted copy).vault")
    _edited_copy(demo_vault, copy, "Not now")
    monkeypatch.setattr(window, "confirm", lambda title, text: False)
    unlock(qtbot, window)
    assert "Not now" not in titles(window)
    assert find_conflict_copies(demo_vault) == [copy]


def test_merge_from_file_with_its_own_passphrase(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """File → Merge from file: another passphrase is asked, the preview shown, the entries merged."""
    other = tmp_path / "elsewhere.vault"
    from vaultapp.core import TEST_PARAMS

    with Vault.create(other, "other pass", kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Imported by merge", password="pw")
        vault.save()
    monkeypatch.setattr(unlocked, "ask_passphrase", lambda name: "other pass")
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: "Imported by merge" in text)
    unlocked.merging.merge_from_file(other)
    assert "Imported by merge" in titles(unlocked)


def test_rollback_asks_after_unlock(qtbot, window: MainWindow, monkeypatch, demo_vault: Path) -> None:
    """An older copy than this device has seen: the window asks; 'no' locks again."""
    old = demo_vault.with_name("old.bin")
    shutil.copy(demo_vault, old)
    with Vault.open(demo_vault, PASSPHRASE, writable=True, policy=TEST_POLICY, seen=_seen()) as vault:
        vault.add("Newer")
        vault.save()
    shutil.copy(old, demo_vault)
    questions: list[str] = []
    monkeypatch.setattr(window, "confirm", lambda title, text: questions.append(text) or False)
    window.unlock_view.passphrase_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlock_view.unlocked, timeout=10_000):
        window.unlock_view.unlock_button.click()
    assert any("older than one this device has seen" in q for q in questions)
    assert window.vault is None


def _seen():  # the same per-device memory the window uses (HOME is a temp folder in tests)
    from vaultapp.core.rollback import SeenVaults

    return SeenVaults.default()


def test_restore_from_automatic_backup(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """File → Restore from automatic backup: the chosen version returns; the current one is kept."""
    vault = unlocked.vault
    assert vault is not None
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Added after the backup")
    editor.save()
    assert "Added after the backup" in titles(unlocked)
    monkeypatch.setattr(unlocked.merging, "choose_backup", lambda backups: backups[0])
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: True)
    unlocked.actions_by_name["restore_backup_action"].trigger()
    assert "Added after the backup" not in titles(unlocked)
    with vault.open_copy(vault.backups()[0]) as previous:
        assert "Added after the backup" in {e.title for e in previous.entries}


def test_the_cli_and_the_window_work_on_one_vault_in_turn(
    qtbot, settings, monkeypatch, tmp_path: Path
) -> None:
    """With the vault open in the window, a CLI write goes through (it used to exit 6 on the
    window's lock); the window's next save finds it on disk and, with Merge (the default choice),
    keeps both sides."""
    from tests.cli.test_contract import cli

    path = tmp_path / "shared.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    cli("add", str(path), "--title", "GitHub", stdin=f"{PASSPHRASE}\n\n")
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    cli("add", str(path), "--title", "From the CLI", stdin=f"{PASSPHRASE}\n\n")
    choices: list[str] = []
    monkeypatch.setattr(win, "ask_conflict", lambda: choices.append("asked") or "merge")
    select(win, "GitHub")
    win.actions_by_name["duplicate_action"].trigger()
    assert choices == ["asked"]
    assert {"GitHub", "GitHub (copy)", "From the CLI"} <= set(titles(win))
    listing = cli("ls", str(path), "--json", stdin=f"{PASSPHRASE}\n").stdout
    assert {"GitHub", "GitHub (copy)", "From the CLI"} <= {e["title"] for e in json.loads(listing)}
    win.lock()


def test_a_read_only_vault_opens_read_only_with_a_banner(qtbot, window: MainWindow, demo_vault: Path) -> None:
    """A vault file the user made read-only (chmod 400; decided on the mode, so as root too) opens
    read-only: a banner says so, the changing actions are off, and a save is refused; the file
    keeps its bytes and its mode."""
    from PySide6.QtWidgets import QLabel

    from vaultapp.core.errors import ReadOnlyVaultError

    before = demo_vault.read_bytes()
    demo_vault.chmod(0o400)
    unlock(qtbot, window)
    vault = window.vault
    assert vault is not None
    assert not vault.writable
    banner = window.vault_view.findChild(QLabel, "read_only_banner")
    assert banner is not None
    assert banner.isVisible()
    assert "read-only" in banner.text()
    select(window, "GitHub")
    for name in ("new_entry_action", "edit_entry_action", "delete_action", "import_action"):
        assert not window.actions_by_name[name].isEnabled(), name
    assert window.actions_by_name["copy_password_action"].isEnabled()
    vault.add("Sneaked in")
    with pytest.raises(ReadOnlyVaultError, match="read-only"):
        vault.save()
    assert demo_vault.read_bytes() == before
    assert demo_vault.stat().st_mode & 0o777 == 0o400
    window.lock()
    demo_vault.chmod(0o600)  # made writable again: the next unlock can change it, no banner
    unlock(qtbot, window)
    assert window.vault is not None
    assert window.vault.writable
    assert not banner.isVisible()
    assert window.actions_by_name["new_entry_action"].isEnabled()


def test_merge_preview_reports_times_in_the_future(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """A copy edited under a clock ten years ahead: the preview says so (issue 15)."""
    from datetime import timedelta

    from vaultapp.core import TEST_PARAMS
    from vaultapp.core.entry import utc_now

    other = tmp_path / "ahead.vault"
    with Vault.create(other, "other pass", kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("From the future", now=utc_now() + timedelta(days=3653))
        vault.save()
    asked: list[str] = []
    monkeypatch.setattr(unlocked, "ask_passphrase", lambda name: "other pass")
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: asked.append(text) or True)
    unlocked.merging.merge_from_file(other)
    assert "1 entry carries times more than a day in the future ('From the future')" in asked[0]
    assert "From the future" in titles(unlocked)
