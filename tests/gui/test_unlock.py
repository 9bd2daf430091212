"""Create, unlock, wrong passphrase, and the KDF running off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from tests.gui.conftest import titles, unlock
from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_POLICY, Argon2idParams, Vault
from vaultapp.gui.create import CreateVaultDialog
from vaultapp.gui.main_window import MainWindow


def test_unlock_shows_entries_sorted_by_title(qtbot, window: MainWindow) -> None:
    """The right passphrase opens the vault view with every entry in the table."""
    assert window.stack.currentWidget() is window.unlock_view
    unlock(qtbot, window)
    assert window.stack.currentWidget() is window.vault_view
    assert titles(window) == ["Bank", "GitHub", "Mail"]
    assert window.windowTitle().startswith("demo.vault")
    assert window.settings.recent_vaults[0].endswith("demo.vault")


def test_wrong_passphrase_is_inline_and_keeps_focus(qtbot, window: MainWindow) -> None:
    """A wrong passphrase shows an inline message; the field keeps focus with its text selected."""
    view = window.unlock_view
    view.passphrase_edit.setText("not it")
    window.activateWindow()
    with qtbot.waitSignal(view.unlock_button.clicked):
        view.unlock_button.click()
    qtbot.waitUntil(lambda: view.error_label.isVisible() and not view.busy, timeout=10_000)
    assert "Wrong passphrase" in view.error_label.text()
    assert view.passphrase_edit.selectedText() == "not it"
    assert view.passphrase_edit.hasFocus() or not window.isActiveWindow()
    assert window.stack.currentWidget() is view


def test_kdf_runs_off_the_gui_thread(qtbot, settings, tmp_path: Path) -> None:
    """While a real (64 MiB) key derivation runs, the event loop keeps processing timer ticks."""
    path = tmp_path / "slow.vault"
    params = Argon2idParams(time_cost=3, memory_kib=64 * 1024, parallelism=1)
    Vault.create(path, PASSPHRASE, kdf=params, policy=TEST_POLICY).close()
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    win.unlock_view.passphrase_edit.setText(PASSPHRASE)
    timer.start()
    with qtbot.waitSignal(win.unlock_view.unlocked, timeout=20_000):
        win.unlock_view.unlock_button.click()
        assert win.unlock_view.busy_bar.isVisible() or win.unlock_view.busy
    timer.stop()
    assert win.vault is not None
    assert win.vault.kdf_ms > 20
    assert len(ticks) >= 3  # a frozen loop would deliver none until the KDF finished
    win.lock()


def test_caps_lock_warning_from_typing(qtbot, window: MainWindow) -> None:
    """Typing an upper-case letter without Shift shows the Caps Lock warning."""
    view = window.unlock_view
    qtbot.keyClicks(view.passphrase_edit, "A")
    assert view.caps_warning.isVisibleTo(window)
    qtbot.keyClicks(view.passphrase_edit, "a")
    assert not view.caps_warning.isVisibleTo(window)


def test_show_hide_toggle(qtbot, window: MainWindow) -> None:
    """The eye action switches the passphrase between masked and plain."""
    edit = window.unlock_view.passphrase_edit
    assert edit.echoMode() == edit.EchoMode.Password
    edit.toggle_action.trigger()
    assert edit.echoMode() == edit.EchoMode.Normal
    edit.toggle_action.trigger()
    assert edit.echoMode() == edit.EchoMode.Password


def test_create_vault_dialog_makes_a_vault(qtbot, tmp_path: Path) -> None:
    """Location, passphrase twice and a 50 ms unlock target create a vault that opens."""
    dialog = CreateVaultDialog(None, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    path = tmp_path / "new.vault"
    dialog.location_edit.setText(str(path))
    dialog.passphrase_edit.setText("pw")
    assert dialog.weak_warning.isVisibleTo(dialog)
    dialog.passphrase_edit.setText("gravy lunar tidal orbit spoon ember")
    assert not dialog.weak_warning.isVisibleTo(dialog)
    assert dialog.strength.score == 4
    dialog.repeat_edit.setText("gravy lunar tidal orbit spoon ember")
    dialog.advanced.setChecked(True)
    dialog.unlock_ms.setValue(50)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.create_button.click()
    vault = dialog.vault
    assert isinstance(vault, Vault)
    assert vault.path == path
    vault.close()
    Vault.open(path, "gravy lunar tidal orbit spoon ember").close()


def test_create_vault_dialog_refuses_mismatch_and_existing_file(qtbot, tmp_path: Path) -> None:
    """Mismatched passphrases and an existing file give inline errors; nothing is written."""
    dialog = CreateVaultDialog(None, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    existing = tmp_path / "exists.vault"
    existing.write_bytes(b"keep")
    dialog.location_edit.setText(str(existing))
    dialog.passphrase_edit.setText("a")
    dialog.repeat_edit.setText("a")
    dialog.create_button.click()
    assert "exists already" in dialog.error_label.text()
    dialog.location_edit.setText(str(tmp_path / "x.vault"))
    dialog.repeat_edit.setText("b")
    dialog.create_button.click()
    assert "do not match" in dialog.error_label.text()
    assert existing.read_bytes() == b"keep"
    assert not (tmp_path / "x.vault").exists()
