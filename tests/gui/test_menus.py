"""Menus: shortcuts, right-click menus, icons and the Help menu."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.gui.conftest import select, sidebar_item
from tests.helpers import open_vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.models import Scope


def test_keyboard_shortcuts_are_keepassxc_like(qtbot, unlocked: MainWindow) -> None:
    """The actions carry the shortcuts KeePassXC users expect."""
    expected = {
        "copy_username_action": "Ctrl+B", "copy_password_action": "Ctrl+C", "copy_url_action": "Ctrl+U",
        "copy_totp_action": "Ctrl+T", "new_entry_action": "Ctrl+N", "edit_entry_action": "Ctrl+E",
        "delete_action": "Del", "search_action": "Ctrl+F", "lock_action": "Ctrl+L", "quit_action": "Ctrl+Q",
    }  # fmt: skip
    for name, keys in expected.items():
        assert unlocked.actions_by_name[name].shortcut().toString() == keys, name
    QApplication.processEvents()


def test_table_context_menu_acts_on_the_clicked_entry(qtbot, unlocked: MainWindow) -> None:
    """Copy, edit, duplicate, move to folder and delete; in the Trash: restore and delete for good."""

    select(unlocked, "Bank")
    menu = unlocked.menus.table_menu()
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == [
        "copy_username_action", "copy_password_action", "copy_url_action", "copy_totp_action",
        "edit_entry_action", "duplicate_action", "delete_action",
    ]  # fmt: skip
    assert not unlocked.actions_by_name["copy_totp_action"].isEnabled()  # Bank has no TOTP
    move = menu.findChild(type(menu), "move_menu")
    assert [a.text() for a in move.actions() if a.text()] == ["Personal", "Work", "New folder…"]
    next(a for a in move.actions() if a.text() == "Work").trigger()
    vault = unlocked.vault
    assert vault is not None
    assert next(e for e in vault.entries if e.title == "Bank").folder == "Work"
    assert unlocked.vault_view.current_entry().title == "Bank"  # type: ignore[union-attr]
    with open_vault(vault.path) as saved:
        assert next(e for e in saved.entries if e.title == "Bank").folder == "Work"

    unlocked.confirm = lambda *_a: True  # type: ignore[method-assign]
    select(unlocked, "Mail")
    unlocked.actions_by_name["delete_action"].trigger()

    unlocked.vault_view._select_scope(Scope("trash"))
    select(unlocked, "Mail")
    menu = unlocked.menus.table_menu()
    assert [a.objectName() for a in menu.actions()] == ["restore_action", "delete_action"]
    assert menu.actions()[1].text() == "Delete for good"
    menu.actions()[0].trigger()
    assert "Mail" in [e.title for e in vault.entries]


def test_distinct_icons_for_look_alike_actions(qtbot, unlocked: MainWindow) -> None:
    """Copy password and Generator, Password health and Favourites no longer share a picture."""
    a = unlocked.actions_by_name
    assert _image(a["copy_password_action"].icon()) != _image(a["generator_action"].icon())
    favourites = sidebar_item(unlocked, "Favourites")
    assert _image(a["health_action"].icon()) != _image(favourites.icon(0))
    assert not a["health_action"].icon().isNull()
    assert not a["generator_action"].icon().isNull()


def test_help_about_and_user_guide(qtbot, unlocked: MainWindow) -> None:
    """Help → About names the version, the licence and the wordlist; Help → User guide links the docs."""
    from vaultapp import __version__

    help_menu = unlocked.menuBar().actions()[-1].menu()
    names = [a.objectName() for a in help_menu.actions()]
    assert names == ["docs_action", "about_action"]
    text = unlocked.tools.about_text()
    assert __version__ in text
    assert "MIT" in text
    assert "EFF Large Wordlist" in text
    assert "CC BY 3.0" in text
    assert "User guide" in text
    assert unlocked.actions_by_name["docs_action"].isEnabled()


def _image(qicon):
    return qicon.pixmap(32, 32).toImage()
