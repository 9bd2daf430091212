"""The window defects a new user hit (issue 16): wrong entry, lost keystrokes, missing features."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.gui.conftest import select, titles
from vaultapp.gui.main_window import MainWindow


def _selected_uuid(win: MainWindow) -> str | None:
    entry = win.vault_view.current_entry()
    return None if entry is None else entry.uuid


def test_sorting_keeps_the_selected_entry(qtbot, unlocked: MainWindow) -> None:
    """Clicking a header re-sorts; the highlight and the detail pane stay on the same entry."""
    view = unlocked.vault_view
    select(unlocked, "Bank")
    qtbot.waitUntil(lambda: view.detail.entry is not None and view.detail.entry.title == "Bank")
    bank = _selected_uuid(unlocked)
    assert view.table.currentIndex().row() == 0
    header = view.table.horizontalHeader()
    click_at = QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click_at)  # "Title" again
    assert titles(unlocked) == ["Mail", "GitHub", "Bank"]
    assert _selected_uuid(unlocked) == bank
    assert view.table.currentIndex().row() == 2
    qtbot.waitUntil(lambda: view.detail.entry is not None and view.detail.entry.uuid == bank)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by username: GitHub, Bank, Mail
    assert titles(unlocked) == ["GitHub", "Bank", "Mail"]
    assert _selected_uuid(unlocked) == bank


def test_a_new_entry_lands_in_sorted_position(qtbot, unlocked: MainWindow) -> None:
    """Adding "Azure" to a title-sorted table puts it first, selected; renaming re-sorts."""
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Azure")
    editor.save()
    assert titles(unlocked) == ["Azure", "Bank", "GitHub", "Mail"]
    assert unlocked.vault_view.current_entry().title == "Azure"  # type: ignore[union-attr]
    select(unlocked, "Bank")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Zebra bank")
    editor.save()
    assert titles(unlocked) == ["Azure", "GitHub", "Mail", "Zebra bank"]
    assert unlocked.vault_view.current_entry().title == "Zebra bank"  # type: ignore[union-attr]
