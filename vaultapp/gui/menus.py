"""The window's actions, their shortcuts, menus, toolbar and right-click menus, and which are enabled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QTreeWidgetItem

from vaultapp.gui.widgets import icon

if TYPE_CHECKING:
    from vaultapp.gui.main_window import MainWindow


class Menus:
    """Builds every action once (each with an objectName and its shortcut) into the window's
    ``actions_by_name``, lays them out in the menu bar and toolbar, and enables them for the
    selection; the table's and sidebar's right-click menus reuse them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.toolbar: QToolBar | None = None

    def _action(self, name: str, text: str, slot: Any, shortcut: Any = None, icon_name: str = "") -> QAction:
        w = self.window
        action = QAction(icon(icon_name) if icon_name else QAction().icon(), text, w)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        w.addAction(action)
        return action

    def build(self) -> None:
        w = self.window
        e, t = w.entry_actions, w.tools
        key = QKeySequence.StandardKey
        w.actions_by_name = {
            a.objectName(): a
            for a in (
                self._action("new_vault_action", "New vault…", w.create_vault, None, "add"),
                self._action("open_vault_action", "Open vault…", w.lock, None, "folder"),
                self._action("lock_action", "Lock", w.lock, "Ctrl+L", "lock"),
                self._action("settings_action", "Settings…", t.open_settings, None, "settings"),
                self._action(
                    "change_passphrase_action",
                    "Change passphrase…",
                    t.change_passphrase,
                    None,
                    "lock",
                ),
                self._action(
                    "merge_action", "Merge from file…", w.merging.merge_from_file, None, "duplicate"
                ),
                self._action(
                    "export_backup_action",
                    "Export encrypted backup…",
                    lambda: w.transfers.export("backup"),
                ),
                self._action("export_csv_action", "Export CSV…", lambda: w.transfers.export("csv")),
                self._action("export_kdbx_action", "Export KDBX…", lambda: w.transfers.export("kdbx")),
                self._action("import_action", "Import…", lambda: w.transfers.import_file()),
                self._action(
                    "restore_backup_action",
                    "Restore from automatic backup…",
                    w.merging.restore_from_backup,
                    None,
                    "restore",
                ),
                self._action("quit_action", "Quit", w.desktop.quit, "Ctrl+Q"),
                self._action("new_entry_action", "New entry", e.new_entry, "Ctrl+N", "add"),
                self._action("edit_entry_action", "Edit entry", e.edit_entry, "Ctrl+E", "edit"),
                self._action("ssh_keygen_action", "New SSH key…", t.new_ssh_key),
                self._action("duplicate_action", "Duplicate entry", e.duplicate_entry, "Ctrl+D", "duplicate"),
                self._action("delete_action", "Delete entry", e.delete_entry, key.Delete, "delete"),
                self._action("restore_action", "Restore from Trash", e.restore_entry, None, "restore"),
                self._action("history_action", "History…", e.show_history, "Ctrl+H", "clock"),
                self._action(
                    "copy_username_action",
                    "Copy username",
                    lambda: e.copy_field("username"),
                    "Ctrl+B",
                    "user",
                ),
                self._action(
                    "copy_password_action",
                    "Copy password",
                    lambda: e.copy_field("password"),
                    key.Copy,
                    "key",
                ),
                self._action("copy_url_action", "Copy URL", lambda: e.copy_field("url"), "Ctrl+U", "link"),
                self._action(
                    "copy_totp_action",
                    "Copy one-time code",
                    lambda: e.copy_field("totp"),
                    "Ctrl+T",
                    "clock",
                ),
                self._action(
                    "autotype_action", "Perform auto-type", w.autotype.perform_selected, "Ctrl+Shift+V"
                ),
                self._action("search_action", "Search", w.focus_search, key.Find),
                self._action("generator_action", "Generator…", t.open_generator, "Ctrl+G", "dice"),
                self._action("health_action", "Password health…", t.open_health, "Ctrl+Shift+H", "health"),
                self._action("log_action", "Audit log…", t.open_log, None, "list"),
                self._action("docs_action", "User guide", t.open_docs, QKeySequence.StandardKey.HelpContents),
                self._action("about_action", "About vaultapp", t.show_about),
            )
        }
        a = w.actions_by_name
        menu = w.menuBar()
        file_menu = menu.addMenu("&File")
        for name in (
            "new_vault_action",
            "open_vault_action",
            "lock_action",
            None,
            "export_backup_action",
            "export_csv_action",
            "export_kdbx_action",
            "import_action",
            "merge_action",
            "restore_backup_action",
            None,
            "change_passphrase_action",
            "settings_action",
        ):
            file_menu.addSeparator() if name is None else file_menu.addAction(a[name])
        file_menu.addSeparator()
        file_menu.addAction(a["quit_action"])
        entry_menu = menu.addMenu("&Entry")
        entry_items = (
            "new_entry_action", "edit_entry_action", "duplicate_action", "delete_action", "restore_action",
            "history_action", None, "copy_username_action", "copy_password_action", "copy_url_action",
            "copy_totp_action", "autotype_action",
        )  # fmt: skip
        for name in entry_items:
            entry_menu.addSeparator() if name is None else entry_menu.addAction(a[name])
        entry_menu.insertAction(a["edit_entry_action"], a["ssh_keygen_action"])  # after New entry
        tools_menu = menu.addMenu("&Tools")
        for name in ("generator_action", "health_action", "log_action"):
            tools_menu.addAction(a[name])
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(a["docs_action"])
        help_menu.addAction(a["about_action"])
        from vaultapp.gui.tools import docs_url

        a["docs_action"].setEnabled(docs_url() is not None)
        toolbar = QToolBar("Main", objectName="main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar_items = (
            "new_entry_action", "edit_entry_action", "delete_action", None, "copy_username_action",
            "copy_password_action", "copy_url_action", None, "generator_action", "health_action",
            "lock_action",
        )  # fmt: skip
        for name in toolbar_items:
            toolbar.addSeparator() if name is None else toolbar.addAction(a[name])
        w.addToolBar(toolbar)
        self.toolbar = toolbar

    def update(self) -> None:
        w = self.window
        if not w.actions_by_name:
            return
        unlocked = w.vault is not None
        entry = w.vault_view.current_entry() if unlocked and w._vault_view is not None else None
        in_trash = entry is not None and entry.trashed is not None
        enabled = {
            "lock_action": unlocked,
            "merge_action": unlocked,
            "export_backup_action": unlocked,
            "export_csv_action": unlocked,
            "export_kdbx_action": unlocked,
            "import_action": unlocked,
            "restore_backup_action": unlocked,
            "change_passphrase_action": unlocked,
            "new_entry_action": unlocked,
            "ssh_keygen_action": unlocked,
            "edit_entry_action": entry is not None and not in_trash,
            "duplicate_action": entry is not None and not in_trash,
            "delete_action": entry is not None,
            "restore_action": in_trash,
            "history_action": entry is not None and not in_trash,
            "copy_username_action": entry is not None and bool(entry.username),
            "copy_password_action": entry is not None and entry.password is not None,
            "copy_url_action": entry is not None and bool(entry.url),
            "copy_totp_action": entry is not None and entry.totp is not None,
            "autotype_action": entry is not None and not in_trash,
            "search_action": unlocked,
            "health_action": unlocked,
            "log_action": unlocked,
        }
        if unlocked and w.vault is not None and not w.vault.writable:  # a read-only file
            changing = (
                "merge_action", "import_action", "restore_backup_action", "new_entry_action",
                "ssh_keygen_action",
                "edit_entry_action", "duplicate_action", "delete_action", "restore_action",
            )  # fmt: skip
            enabled.update(dict.fromkeys(changing, False))
        for name, on in enabled.items():
            w.actions_by_name[name].setEnabled(on)
        if self.toolbar is not None:
            self.toolbar.setVisible(unlocked)
        w.actions_by_name["delete_action"].setText("Delete for good" if in_trash else "Delete entry")

    def table_menu(self) -> QMenu:
        """The table's right-click menu for the selected entry (its own Trash menu in the Trash)."""
        w = self.window
        folders = w.folder_actions
        a = w.actions_by_name
        menu = QMenu(w, objectName="table_menu")
        entry = w.vault_view.current_entry()
        if entry is None:
            menu.addAction(a["new_entry_action"])
            return menu
        if entry.trashed is not None:
            menu.addAction(a["restore_action"])
            menu.addAction(a["delete_action"])  # "Delete for good" here
            return menu
        for name in ("copy_username_action", "copy_password_action", "copy_url_action", "copy_totp_action"):
            menu.addAction(a[name])
        menu.addSeparator()
        menu.addAction(a["edit_entry_action"])
        menu.addAction(a["duplicate_action"])
        move = menu.addMenu(icon("folder"), "Move to folder")
        move.setObjectName("move_menu")
        assert w.vault is not None
        for folder in ["", *w.vault.folders]:
            if folder != entry.folder:
                action = move.addAction("(No folder)" if not folder else folder.replace("/", " / "))
                action.triggered.connect(
                    lambda _c=False, f=folder, u=entry.uuid: folders.move_entries([u], f)
                )
        move.addSeparator()
        new_folder = move.addAction("New folder…")
        new_folder.setObjectName("move_to_new_folder_action")
        new_folder.triggered.connect(lambda _c=False, u=entry.uuid: folders.move_to_new_folder(u))
        menu.addSeparator()
        menu.addAction(a["delete_action"])
        return menu

    def table_menu_at(self, pos: QPoint) -> None:
        w = self.window
        view = w.vault_view
        index = view.table.indexAt(pos)
        if index.isValid():
            view.table.selectRow(index.row())
            self.update()
        if w.vault is not None:
            self.table_menu().exec(view.table.viewport().mapToGlobal(pos))

    def sidebar_menu(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The sidebar's right-click menu: folders on a folder or the Folders heading; the Trash's."""
        from vaultapp.gui.models import Scope
        from vaultapp.gui.vault_view import FOLDERS_ROOT, SCOPE_ROLE

        w = self.window
        folders = w.folder_actions
        vault = w.vault
        if vault is None or item is None:
            return None
        scope = item.data(0, SCOPE_ROLE)
        menu = QMenu(w, objectName="sidebar_menu")

        def add(text: str, name: str, slot: Any, enabled: bool = True, icon_name: str = "") -> None:
            action = menu.addAction(icon(icon_name), text) if icon_name else menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False: slot())

        if isinstance(scope, Scope) and scope.kind == "trash":
            add(
                "Empty Trash…",
                "empty_trash_action",
                folders.empty_trash,
                bool(vault.trashed_entries),
                "trash",
            )
        elif isinstance(scope, Scope) and scope.kind == "folder":
            path = scope.value
            inside = any(e.folder == path or e.folder.startswith(path + "/") for e in vault.entries)
            add("New subfolder…", "new_subfolder_action", lambda: folders.new_folder(path), True, "add")
            add("Rename folder…", "rename_folder_action", lambda: folders.rename_folder(path), True, "edit")
            delete = "Delete folder (move its entries out first)" if inside else "Delete folder"
            add(delete, "delete_folder_action", lambda: folders.delete_folder(path), not inside, "delete")
        elif scope == FOLDERS_ROOT or (isinstance(scope, Scope) and scope.kind == "all"):
            add("New folder…", "new_folder_action", folders.new_folder, True, "add")
        else:
            return None
        return menu

    def sidebar_menu_at(self, pos: QPoint) -> None:
        w = self.window
        sidebar = w.vault_view.sidebar
        menu = self.sidebar_menu(sidebar.itemAt(pos))
        if menu is not None:
            menu.exec(sidebar.viewport().mapToGlobal(pos))
