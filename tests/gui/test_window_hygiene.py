"""Secret hygiene in the window: the real window's flows leave no secret on disk, and the
clipboard is cleared on lock and on quit (the scanner lives in tests/test_hygiene.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import select, unlock
from tests.test_hygiene import PASS, PASSWORD, PROTECTED, TOTP, WRONG, scan
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


def test_window_flows_leave_no_secret_on_disk(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_home: Path
) -> None:
    """Unlock, add an entry in the editor, copy and reveal, run the health report, open the
    log, lock with an unsaved edit (kept as a sealed draft), change a setting, quit: no canary
    in any file under HOME or the vault's folder; the clipboard is cleared on quit."""
    folder = tmp_path / "vaults"
    folder.mkdir()
    path = folder / "canary.vault"
    Vault.create(path, PASS, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    settings = Settings(isolated_home / ".config" / "vaultapp" / "settings.ini")
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    win.unlock_view.passphrase_edit.setText(WRONG)
    win.unlock_view.unlock_button.click()
    qtbot.waitUntil(lambda: not win.unlock_view.unlock_button.isEnabled() or True)
    qtbot.waitUntil(lambda: win.unlock_view.unlock_button.isEnabled(), timeout=10_000)
    unlock(qtbot, win, PASS)
    win.entry_actions.new_entry()
    editor = win.editor
    assert editor is not None
    editor.title_edit.setText("Site")
    editor.password_edit.setText(PASSWORD)
    editor.totp_edit.setText(TOTP)
    editor._add_custom("pin", PROTECTED, True)
    editor.save()
    select(win, "Site")
    win._selection_changed()
    win.clipboard.seconds = 60
    win.entry_actions.copy_field("password")
    assert QGuiApplication.clipboard().text() == PASSWORD
    win.vault_view.detail.reveal_button.click()
    win.tools.open_health()
    assert win.health_dialog is not None
    qtbot.waitUntil(lambda: win.health_dialog is not None and win.health_dialog.report is not None,
                    timeout=20_000)  # fmt: skip
    win.health_dialog.reject()
    win.tools.open_log()
    assert win.log_dialog is not None
    win.log_dialog.reject()
    win.entry_actions.edit_entry()
    assert win.editor is not None
    win.editor.password_edit.setText(PASSWORD + "-draft")
    win.lock()  # the unsaved edit is kept, sealed, as a draft in the vault
    assert QGuiApplication.clipboard().text() == ""
    asked: list[str] = []
    monkeypatch.setattr(win, "confirm", lambda title, text: asked.append(text) or True)
    unlock(qtbot, win, PASS)
    assert len(asked) == 1  # the draft is offered back
    assert win.editor is not None
    assert win.editor.password_edit.text() == PASSWORD + "-draft"
    win.editor.save()
    settings.clipboard_seconds = 20
    settings.sync()
    select(win, "Site")
    win.entry_actions.copy_field("password")
    assert QGuiApplication.clipboard().text() == PASSWORD + "-draft"
    win.close()  # quitting clears our clipboard value
    assert QGuiApplication.clipboard().text() == ""
    assert scan(isolated_home, tmp_path) == {}
