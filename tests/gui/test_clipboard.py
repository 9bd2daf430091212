"""Copying secrets: sensitive hint, countdown, clear after timeout, but only if still ours."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import select
from vaultapp.gui.main_window import MainWindow


def test_copy_password_marks_sensitive_and_clears_after_timeout(qtbot, unlocked: MainWindow) -> None:
    """Ctrl+C puts the password on the clipboard with the KDE hint and clears it after the timeout."""
    unlocked.clipboard.seconds = 1
    select(unlocked, "GitHub")
    unlocked.actions_by_name["copy_password_action"].trigger()
    board = QGuiApplication.clipboard()
    assert board.text() == "gh-s3cret"
    mime = board.mimeData()
    assert bytes(mime.data("x-kde-passwordManagerHint")) == b"secret"
    assert "clearing in 1 s" in unlocked.countdown_label.text()
    with qtbot.waitSignal(unlocked.clipboard.cleared, timeout=5_000):
        pass
    assert board.text() == ""
    assert unlocked.countdown_label.text() == ""


def test_not_cleared_when_user_copied_something_else(qtbot, unlocked: MainWindow) -> None:
    """If the user copies other text meanwhile, the timeout leaves the clipboard alone."""
    unlocked.clipboard.seconds = 1
    select(unlocked, "Bank")
    unlocked.entry_actions.copy_field("password")
    QGuiApplication.clipboard().setText("my own text")
    with qtbot.assertNotEmitted(unlocked.clipboard.cleared, wait=2_200):
        pass
    assert QGuiApplication.clipboard().text() == "my own text"
    assert not unlocked.clipboard.pending


def test_lock_clears_our_clipboard_value(qtbot, unlocked: MainWindow) -> None:
    """Locking wipes a copied secret at once."""
    unlocked.clipboard.seconds = 60
    select(unlocked, "Bank")
    unlocked.entry_actions.copy_field("password")
    assert QGuiApplication.clipboard().text() == "bank-pw"
    unlocked.lock()
    assert QGuiApplication.clipboard().text() == ""


def test_copy_username_and_totp(qtbot, unlocked: MainWindow) -> None:
    """Ctrl+B copies the username (not marked secret); Ctrl+T copies a 6-digit code."""
    select(unlocked, "GitHub")
    unlocked.actions_by_name["copy_username_action"].trigger()
    assert QGuiApplication.clipboard().text() == "alice"
    unlocked.actions_by_name["copy_totp_action"].trigger()
    code = QGuiApplication.clipboard().text()
    assert len(code) == 6
    assert code.isdigit()
    assert bytes(QGuiApplication.clipboard().mimeData().data("x-kde-passwordManagerHint")) == b"secret"
