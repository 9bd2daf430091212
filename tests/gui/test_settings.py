"""Settings dialog, lock on minimize, and creating a vault from the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import unlock
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.dialogs import SettingsDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.models import PASSWORD_COLUMN
from vaultapp.gui.settings import Settings


def test_settings_dialog_persists_values_and_never_a_secret(qtbot, settings: Settings) -> None:
    """OK writes every option to the INI file; no password ever appears there."""
    dialog = SettingsDialog(None, settings)
    qtbot.addWidget(dialog)
    dialog.clipboard_spin.setValue(30)
    dialog.idle_spin.setValue(2)
    dialog.minimize_check.setChecked(True)
    dialog.passwords_check.setChecked(True)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.apply()
    again = Settings(settings.path)
    assert (again.clipboard_seconds, again.idle_lock_seconds) == (30, 120)
    assert again.lock_on_minimize
    assert again.show_passwords_in_table
    assert again.theme == "dark"
    assert "pw" not in settings.path.read_text()


def test_show_passwords_setting_reveals_column(qtbot, unlocked: MainWindow) -> None:
    """With 'show passwords in table' on, the Password column shows the real value."""
    unlocked.settings.show_passwords_in_table = True
    unlocked.apply_settings()
    view = unlocked.vault_view
    assert not view.table.isColumnHidden(PASSWORD_COLUMN)
    values = {view.proxy.index(r, PASSWORD_COLUMN).data() for r in range(view.proxy.rowCount())}
    assert "gh-s3cret" in values
    unlocked.settings.show_passwords_in_table = False
    unlocked.apply_settings()
    assert view.table.isColumnHidden(PASSWORD_COLUMN)


def test_lock_on_minimize(qtbot, unlocked: MainWindow) -> None:
    """With the option on, minimizing the window locks the vault."""
    unlocked.settings.lock_on_minimize = True
    unlocked.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: unlocked.vault is None, timeout=5_000)


def test_create_vault_from_window_opens_it(qtbot, window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    """'Create new vault…' shows the new, empty vault with its empty state."""
    from vaultapp.gui import create

    path = tmp_path / "fresh.vault"
    monkeypatch.setattr(
        create.CreateVaultDialog,
        "ask",
        classmethod(
            lambda cls, parent, policy=None: Vault.create(path, "pw", kdf=TEST_PARAMS, policy=TEST_POLICY)
        ),
    )
    window.unlock_view.create_button.click()
    assert window.vault is not None
    assert window.vault.path == path
    assert window.vault_view.showing_empty_state
    assert "No entries yet" in window.vault_view.empty_label.text()
    assert window.settings.recent_vaults[0] == str(path)
    window.lock()
    unlock(qtbot, window, "pw")
    assert window.vault is not None


def test_vault_backup_settings_in_the_dialog(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """The vault's part: how many backups and where; a missing folder keeps the dialog open with
    a message; OK saves the vault, and the next save puts its backup in the chosen folder."""
    vault = unlocked.vault
    dialog = SettingsDialog(unlocked, unlocked.settings, vault)
    qtbot.addWidget(dialog)
    assert dialog.backups_spin.value() == 5
    dialog.backup_folder_edit.setText(str(tmp_path / "nope"))
    dialog._accept()
    assert "is not a folder" in dialog.backup_message.text()
    assert dialog.result() == 0
    assert vault.backup_folder_setting == ""
    folder = tmp_path / "backups"
    folder.mkdir()

    def fill_and_accept(parent, settings, vault) -> bool:
        d = SettingsDialog(parent, settings, vault)
        d.backups_spin.setValue(2)
        d.backup_folder_edit.setText(str(folder))
        d._accept()
        d.apply()
        return d.result() == 1

    monkeypatch.setattr(SettingsDialog, "ask", staticmethod(fill_and_accept))
    unlocked.tools.open_settings()
    with Vault.open(vault.path, "correct horse battery staple", policy=TEST_POLICY) as on_disk:
        assert (on_disk.backup_count, on_disk.backup_folder_setting) == (2, str(folder))
    assert vault.backups()[0].parent == folder
