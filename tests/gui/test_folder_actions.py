"""Folder actions: new, rename, delete folders, empty the Trash, move entries by drag and drop."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.gui.conftest import menu_action, select, sidebar_item
from vaultapp.gui.main_window import MainWindow


def test_sidebar_folders_new_rename_delete_and_empty_trash(qtbot, unlocked: MainWindow) -> None:
    """Right-click the Folders heading → New folder…; on a folder: rename, delete when empty;
    on the Trash: Empty Trash. Every change is saved."""
    from tests.helpers import open_vault

    answers = iter(["Archive", "Old stuff"])
    unlocked.folder_actions.ask_text = lambda *_a, **_k: next(answers)  # type: ignore[method-assign]
    unlocked.confirm = lambda *_a: True  # type: ignore[method-assign]
    menu = unlocked.menus.sidebar_menu(sidebar_item(unlocked, "Folders"))
    assert menu is not None
    menu_action(menu, "new_folder_action").trigger()
    assert sidebar_item(unlocked, "Archive")  # an empty folder shows
    menu = unlocked.menus.sidebar_menu(sidebar_item(unlocked, "Archive"))
    assert menu is not None
    assert menu_action(menu, "delete_folder_action").isEnabled()
    menu_action(menu, "rename_folder_action").trigger()
    assert sidebar_item(unlocked, "Old stuff")
    work = unlocked.menus.sidebar_menu(sidebar_item(unlocked, "Work"))
    assert work is not None
    assert not menu_action(work, "delete_folder_action").isEnabled()  # GitHub is in it
    vault = unlocked.vault
    assert vault is not None
    assert vault.folders == ["Old stuff", "Personal", "Work"]
    menu = unlocked.menus.sidebar_menu(sidebar_item(unlocked, "Old stuff"))
    assert menu is not None
    menu_action(menu, "delete_folder_action").trigger()
    assert vault.folders == ["Personal", "Work"]

    select(unlocked, "Bank")
    unlocked.actions_by_name["delete_action"].trigger()
    menu = unlocked.menus.sidebar_menu(sidebar_item(unlocked, "Trash"))
    assert menu is not None
    menu_action(menu, "empty_trash_action").trigger()
    assert vault.trashed_entries == []
    with open_vault(vault.path) as saved:
        assert saved.trashed_entries == []
        assert saved.folders == ["Personal", "Work"]


def test_drag_an_entry_onto_a_folder(qtbot, unlocked: MainWindow) -> None:
    """Rows dragged from the table and dropped on a sidebar folder move into it."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    view = unlocked.vault_view
    select(unlocked, "Bank")
    mime = view.proxy.mimeData([view.table.currentIndex()])
    assert "gh-s3cret" not in bytes(mime.data(mime.formats()[0]).data()).decode()
    sidebar = view.sidebar
    buttons, keys, move = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.MoveAction
    enter = QDragEnterEvent(QPoint(5, 5), move, mime, buttons, keys)
    QApplication.sendEvent(sidebar.viewport(), enter)
    assert enter.isAccepted()
    over_all = sidebar.visualItemRect(sidebar_item(unlocked, "All entries")).center()
    hover = QDragMoveEvent(over_all, move, mime, buttons, keys)
    QApplication.sendEvent(sidebar.viewport(), hover)
    assert not hover.isAccepted()  # only a folder takes entries
    where = sidebar.visualItemRect(sidebar_item(unlocked, "Personal")).center()
    hover = QDragMoveEvent(where, move, mime, buttons, keys)
    QApplication.sendEvent(sidebar.viewport(), hover)
    assert hover.isAccepted()
    QApplication.sendEvent(sidebar.viewport(), QDropEvent(QPointF(where), move, mime, buttons, keys))
    vault = unlocked.vault
    assert vault is not None
    assert next(e for e in vault.entries if e.title == "Bank").folder == "Personal"
