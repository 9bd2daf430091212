"""The tray menu (show/hide, lock, copy from recent entries, quit) and minimizing/closing to the
tray. Offscreen Qt reports no system tray, so these drive the menu's actions and the window's
events directly; tests/gui/test_tray_xvfb.py checks the real icon in a real tray."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import menu_action, select, unlock
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.tray import Tray


def recent_titles(win: MainWindow) -> list[str]:
    tray = win.desktop.tray
    tray.refresh()
    return [a.text() for a in tray.recent_menu.actions()]


def test_offscreen_has_no_tray_icon_but_the_menu_exists(unlocked: MainWindow) -> None:
    """Without a system tray no icon is made; the menu and its actions are there all the same."""
    tray = unlocked.desktop.tray
    assert not Tray.available()
    assert tray.icon is None
    assert not tray.visible
    names = [a.objectName() for a in tray.menu.actions() if a.objectName()]
    assert names == ["tray_toggle_action", "tray_lock_action", "tray_quit_action"]
    assert tray.recent_menu.menuAction() in tray.menu.actions()


def test_recent_entries_are_the_last_copied_newest_first_and_forgotten_at_lock(
    qtbot, unlocked: MainWindow
) -> None:
    """Copying from an entry puts it first in the tray's recent entries; a lock empties the list
    (ids in memory only: nothing about them is in the settings file)."""
    assert recent_titles(unlocked) == []
    assert not unlocked.desktop.tray.recent_menu.isEnabled()
    for title in ("Mail", "GitHub", "Mail"):
        select(unlocked, title)
        unlocked.entry_actions.copy_field("username")
    assert recent_titles(unlocked) == ["Mail", "GitHub"]
    unlocked.lock()
    assert unlocked.desktop.recent == []
    assert recent_titles(unlocked) == []
    unlocked.settings.sync()
    text = unlocked.settings.path.read_text(encoding="utf-8")
    assert "Mail" not in text
    assert "GitHub" not in text
    unlock(qtbot, unlocked)
    assert recent_titles(unlocked) == []


def test_tray_copy_uses_the_secure_clipboard_and_is_cleared(qtbot, unlocked: MainWindow) -> None:
    """Copy password from the tray: marked secret, counted down, cleared after the timeout, and
    audited like a copy in the window; Copy username copies the username."""
    unlocked.clipboard.seconds = 1
    select(unlocked, "GitHub")
    unlocked.entry_actions.copy_field("url")
    select(unlocked, "Bank")  # the tray copies GitHub's, whatever is selected
    unlocked.desktop.tray.refresh()
    submenu = unlocked.desktop.tray.recent_menu.actions()[0].menu()
    assert submenu.title() == "GitHub"
    menu_action(submenu, "tray_copy_username_0").trigger()
    assert QGuiApplication.clipboard().text() == "alice"
    menu_action(submenu, "tray_copy_password_0").trigger()
    board = QGuiApplication.clipboard()
    assert board.text() == "gh-s3cret"
    assert bytes(board.mimeData().data("x-kde-passwordManagerHint")) == b"secret"
    assert unlocked.clipboard.pending
    assert "clearing in 1 s" in unlocked.countdown_label.text()
    with qtbot.waitSignal(unlocked.clipboard.cleared, timeout=5_000):
        pass
    assert board.text() == ""
    vault = unlocked.vault
    assert vault is not None
    github = next(e for e in vault.entries if e.title == "GitHub")
    copied = [r for r in vault.verify_log().records if r.event == "entry.copied" and r.uuid == github.uuid]
    assert copied


def test_tray_copy_of_a_deleted_entry_does_nothing(unlocked: MainWindow) -> None:
    """An entry trashed since it was used leaves the recent list; a stale action copies nothing."""
    select(unlocked, "Mail")
    unlocked.entry_actions.copy_field("username")
    uuid = unlocked.desktop.recent[0]
    QGuiApplication.clipboard().setText("mine")
    assert unlocked.vault is not None
    unlocked.vault.trash(uuid)
    assert recent_titles(unlocked) == []
    unlocked.desktop.copy(uuid, "password")
    assert QGuiApplication.clipboard().text() == "mine"


def test_tray_lock_locks_and_clears_the_clipboard(qtbot, unlocked: MainWindow) -> None:
    """Lock in the tray locks the vault (clipboard secret wiped); it is disabled while locked."""
    unlocked.clipboard.seconds = 60
    select(unlocked, "Bank")
    unlocked.entry_actions.copy_field("password")
    tray = unlocked.desktop.tray
    tray.refresh()
    assert tray.lock_action.isEnabled()
    tray.lock_action.trigger()
    assert unlocked.vault is None
    assert QGuiApplication.clipboard().text() == ""
    tray.refresh()
    assert not tray.lock_action.isEnabled()


def test_show_hide_toggles_the_window_when_there_is_a_tray(
    qtbot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hide sends the window to the tray (only when an icon is there to bring it back); Show
    brings it back, unminimized."""
    tray = unlocked.desktop.tray
    tray.refresh()
    assert tray.toggle_action.text() == "Hide vaultapp"
    tray.toggle_action.trigger()  # no tray: hiding would lose the window, so it stays
    assert unlocked.isVisible()
    monkeypatch.setattr(Tray, "visible", property(lambda self: True))
    tray.toggle_action.trigger()
    assert not unlocked.isVisible()
    tray.refresh()
    assert tray.toggle_action.text() == "Show vaultapp"
    tray.toggle_action.trigger()
    assert unlocked.isVisible()
    unlocked.showMinimized()
    tray.refresh()
    assert tray.toggle_action.text() == "Show vaultapp"
    tray.toggle_action.trigger()
    assert not unlocked.isMinimized()


def test_close_to_tray_hides_and_quit_really_quits(
    qtbot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With "close to tray" and a tray, closing hides the window and keeps the vault unlocked;
    Quit in the tray closes it for good (locked) and ends the app."""
    monkeypatch.setattr(Tray, "visible", property(lambda self: True))
    quits: list[bool] = []
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.quit", lambda: quits.append(True))
    unlocked.desktop.options.set("close_to_tray", True)
    assert not unlocked.close()
    assert not unlocked.isVisible()
    assert unlocked.vault is not None
    unlocked.desktop.tray.quit_action.trigger()
    assert unlocked.vault is None
    assert quits == [True]


def test_closing_while_in_a_tray_without_close_to_tray_ends_the_app(
    qtbot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tray icon the app does not quit on its last window; closing the window for good
    (close to tray off) ends it all the same, and puts that Qt switch back."""
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(Tray, "visible", property(lambda self: True))
    quits: list[bool] = []
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.quit", lambda: quits.append(True))
    unlocked.desktop.update()
    assert not QApplication.instance().quitOnLastWindowClosed()
    assert unlocked.close()
    assert quits == [True]
    assert QApplication.instance().quitOnLastWindowClosed()


def test_close_without_a_tray_closes(qtbot, unlocked: MainWindow) -> None:
    """ "Close to tray" without a tray (nothing to bring the window back): closing closes and locks."""
    unlocked.desktop.options.set("close_to_tray", True)
    assert unlocked.close()
    assert unlocked.vault is None


def test_minimize_to_tray_hides_the_window(
    qtbot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With "minimize to tray", minimizing hides the window (no taskbar button); off, it stays
    a minimized window."""
    monkeypatch.setattr(Tray, "visible", property(lambda self: True))
    unlocked.showMinimized()
    qtbot.waitUntil(unlocked.isMinimized)
    assert unlocked.isVisible()
    unlocked.desktop.show_window()
    unlocked.desktop.options.set("minimize_to_tray", True)
    unlocked.showMinimized()
    qtbot.waitUntil(lambda: not unlocked.isVisible())
    assert unlocked.vault is not None  # hidden, not locked (that is "lock on minimize")


def test_start_minimized(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Start minimized" starts a minimized window, or a hidden one when a tray holds the icon."""
    window.hide()
    window.desktop.options.set("start_minimized", True)
    window.desktop.show_at_start()
    assert window.isMinimized()
    window.hide()
    monkeypatch.setattr(Tray, "visible", property(lambda self: True))
    window.desktop.show_at_start()
    assert not window.isVisible()
    window.desktop.options.set("start_minimized", False)
    window.desktop.show_at_start()
    assert window.isVisible()


def test_settings_page_switches_are_saved(qtbot, unlocked: MainWindow) -> None:
    """Settings → Desktop: every switch shows its default and is saved with OK."""
    from vaultapp.gui.dialogs import SettingsDialog

    dialog = SettingsDialog(unlocked, unlocked.settings, unlocked.vault)
    qtbot.addWidget(dialog)
    page = dialog.desktop_page
    defaults = {flag: check.isChecked() for flag, check in page.checks.items()}
    assert defaults == {"tray_icon": True, "minimize_to_tray": False, "close_to_tray": False,
                        "start_minimized": False, "sleep": True, "screensaver": True,
                        "session-lock": True}  # fmt: skip
    assert "no system tray" in page.notes["tray"].text()
    page.checks["minimize_to_tray"].setChecked(True)
    page.checks["sleep"].setChecked(False)
    dialog.apply()
    assert unlocked.desktop.options.get("minimize_to_tray")
    assert not unlocked.desktop.options.get("sleep")


def test_a_tray_that_appears_later_gets_the_icon(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At login the panel may start after the app: with no tray at first the app looks again
    (every 2 s for a minute) and shows the icon once one is there; then it stops looking."""
    from PySide6.QtWidgets import QSystemTrayIcon

    tray = window.desktop.tray
    window.desktop.update_tray()
    assert tray.icon is None
    assert tray.retry.isActive()
    tray.retry.timeout.emit()  # the next look: still none
    assert tray.icon is None
    assert tray.retry.isActive()
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    tray.retry.timeout.emit()
    assert tray.icon is not None
    assert not tray.retry.isActive()
    window.desktop.options.set("tray_icon", False)
    window.desktop.update_tray()
    assert tray.icon is None


def test_looking_for_a_tray_gives_up(qtbot, window: MainWindow) -> None:
    """With no tray ever, the looking ends after its tries (no timer left running)."""
    from vaultapp.gui.tray import RETRIES

    tray = window.desktop.tray
    window.desktop.update_tray()
    for _ in range(RETRIES):
        tray.retry.timeout.emit()
    assert not tray.retry.isActive()
    window.desktop.update_tray()
    assert not tray.retry.isActive()
