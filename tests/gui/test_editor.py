"""The entry editor's size: never taller than the screen, Save and Cancel always in view."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPushButton

from tests.gui.conftest import select
from vaultapp.gui.main_window import MainWindow


def test_editor_fits_a_short_screen_and_scrolls_its_fields(qtbot, unlocked: MainWindow) -> None:
    """With text twice as large (as at QT_SCALE_FACTOR=2) the fields scroll inside the editor,
    which stays within the screen with Save in view."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    big = QFont(font)
    big.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(big)
    try:
        select(unlocked, "GitHub")
        unlocked.actions_by_name["edit_entry_action"].trigger()
        editor = unlocked.editor
        assert editor is not None
        qtbot.waitExposed(editor)
        room = editor.screen().availableGeometry()
        assert editor.height() <= room.height()
        save = editor.findChild(QPushButton, "save_button")
        assert save is not None
        bottom = save.mapTo(editor, QPoint(0, save.height())).y()
        assert bottom <= editor.height()
        assert editor.scroll.verticalScrollBar().maximum() > 0  # the fields scroll instead
        editor.close_silently()
    finally:
        app.setFont(font)
