"""The whole create → unlock → add → copy → lock flow with the keyboard alone: every step is a key
event sent to the widget that has the focus (no slot called, no mouse click)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from vaultapp.core import TEST_POLICY
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

PASS = "correct horse battery staple orbit"
SECRET = "kb-Only-s3cret!"
CTRL = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def tab_to(object_name: str, limit: int = 40) -> None:
    """Press Tab until the widget named ``object_name`` has the focus (as a user would)."""
    seen = []
    for _ in range(limit):
        if focused().objectName() == object_name:
            return
        seen.append(focused().objectName() or type(focused()).__name__)
        press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {object_name}: {seen}")


def when_modal(qtbot, run: Callable[[QWidget], None]) -> list[BaseException]:
    """Run ``run(dialog)`` once a modal dialog is up (a dialog's exec() blocks the key press that
    opened it); failures are collected for the test to raise."""
    errors: list[BaseException] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or QApplication.activeWindow() is not dialog:
            QTimer.singleShot(20, poll)
            return
        try:
            run(dialog)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
            dialog.close()

    QTimer.singleShot(0, poll)
    return errors


def back_to(qtbot, win: QWidget) -> None:
    """What the window manager does when a dialog closes: the window under it is active again
    (the offscreen platform the tests run on has no window manager to do it)."""
    if not win.isActiveWindow():
        win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)


def test_create_unlock_add_copy_lock_with_the_keyboard_only(
    qtbot, settings: Settings, isolated_home: Path
) -> None:
    """Create a vault, lock, unlock, add an entry, copy its password and lock again, by keys only:
    the clipboard holds the password after the copy, and the vault is locked (and the clipboard
    cleared) at the end."""
    win = MainWindow(settings, policy=TEST_POLICY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is not None and bool(getattr(win, "actions_by_name", None))
    )
    location = isolated_home / "keyboard.vault"

    # create: Tab to "Create new vault…", Space; in the dialog type the place and the passphrase twice
    tab_to("create_button")

    def create(dialog: QWidget) -> None:
        tab_to("location_edit")
        press(Qt.Key.Key_A, CTRL)
        type_text(str(location))  # typed from "/" on: a path being typed is never refused half-way
        tab_to("new_passphrase_edit")
        type_text(PASS)
        tab_to("repeat_passphrase_edit")
        type_text(PASS)
        press(Qt.Key.Key_Return)

    with qtbot.captureExceptions() as raised:  # a slot failing while the path is typed is a bug too
        errors = when_modal(qtbot, create)
        press(Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: win.vault is not None or bool(errors), timeout=20_000)
    assert not errors, errors
    assert not raised, raised
    assert location.is_file()
    back_to(qtbot, win)

    # lock, then unlock: the passphrase field has the focus; Enter unlocks
    press(Qt.Key.Key_L, CTRL)
    assert win.vault is None
    qtbot.waitUntil(lambda: focused() is win.unlock_view.passphrase_edit)
    type_text(PASS)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.vault is not None, timeout=20_000)

    # add: Ctrl+N opens the editor on the title; Tab to the password; Enter saves
    back_to(qtbot, win)
    press(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: win.editor is not None and win.editor.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win.editor)
    assert focused().objectName() == "title_edit"  # typing starts with the title
    type_text("Keyboard site")
    tab_to("username_edit")
    type_text("kb-user")
    tab_to("password_edit")
    type_text(SECRET)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.editor is None)
    assert win.vault is not None
    assert [e.title for e in win.vault.entries] == ["Keyboard site"]

    # copy: the new entry is selected; Ctrl+C copies its password
    back_to(qtbot, win)
    press(Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == SECRET

    # lock: Ctrl+L; the vault is closed and our clipboard value gone
    press(Qt.Key.Key_L, CTRL)
    assert win.vault is None
    assert win.stack.currentWidget() is win.unlock_view
    assert QGuiApplication.clipboard().text() == ""
