"""The main window: the unlock view, then sidebar + entry table + detail pane."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, QEvent, QPoint, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QTreeWidgetItem,
)

from vaultapp.core.errors import ConflictError, VaultError
from vaultapp.gui.clipboard import SecureClipboard
from vaultapp.gui.idle import IdleWatcher
from vaultapp.gui.messages import error_text, show_error
from vaultapp.gui.settings import Settings
from vaultapp.gui.unlock import UnlockView
from vaultapp.gui.widgets import icon

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from vaultapp.core.entry import Entry, Sealed
    from vaultapp.core.kdf import KdfPolicy
    from vaultapp.core.vault import Vault
    from vaultapp.gui.change_passphrase import ChangePassphraseDialog
    from vaultapp.gui.editor import EntryEditor, Values
    from vaultapp.gui.health import HealthDialog, LogDialog
    from vaultapp.gui.transfer import Transfers
    from vaultapp.gui.vault_view import VaultView

ToolDialog = TypeVar("ToolDialog", bound="QDialog")

# Start-up imports only what the unlock window needs; the vault view, the editor, the dialogs
# and the crypto core load on first use (benchmarks/gui.py measures launch against KeePassXC).


class MainWindow(QMainWindow):
    def __init__(
        self, settings: Settings, *, policy: KdfPolicy | None = None, vault_path: Path | str | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.policy = policy  # None: the core's default policy
        self.vault: Vault | None = None
        self.editor: EntryEditor | None = None
        self.health_dialog: HealthDialog | None = None
        self.passphrase_dialog: ChangePassphraseDialog | None = None
        self.log_dialog: LogDialog | None = None
        self.generator: Any = None
        self._transfers: Transfers | None = None
        self.setWindowTitle("vaultapp")
        saved = settings.layout_state("window")
        if saved is None or not self.restoreGeometry(QByteArray(saved)):
            self._fit_to_screen()
        self.clipboard = SecureClipboard(self, seconds=settings.clipboard_seconds)
        self.idle = IdleWatcher(self, seconds=0)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clipboard.clear_if_ours)

        self.unlock_view = UnlockView(settings, policy=policy)
        self.unlock_view.unlocked.connect(self.show_vault)
        self.unlock_view.create_requested.connect(self.create_vault)
        self._vault_view: VaultView | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_view)
        self.setCentralWidget(self.stack)
        self.countdown_label = QLabel(objectName="clipboard_countdown")
        self.statusBar().addPermanentWidget(self.countdown_label)
        self.clipboard.countdown.connect(self._countdown)
        self.clipboard.cleared.connect(lambda: self.statusBar().showMessage("Clipboard cleared.", 3000))

        # Coalesce detail-pane updates while the selection moves fast (typing a search).
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(50)
        self._detail_timer.timeout.connect(self._selection_changed)
        self.actions_by_name: dict[str, QAction] = {}
        # Menus, toolbar and shortcuts are built right after the first paint: the unlock window
        # appears sooner, and nothing in them is usable before a vault is unlocked anyway.
        QTimer.singleShot(0, self._finish_setup)
        if vault_path is not None:
            self.unlock_view.select_vault(vault_path)

    def _fit_to_screen(self) -> None:
        """1280 by 780, or nine tenths of the screen where that is smaller (HiDPI, small laptops)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 780)
            return
        room = screen.availableGeometry()
        size = QSize(min(1280, room.width() * 9 // 10), min(780, room.height() * 9 // 10))
        self.resize(size)
        self.move(room.center() - QPoint(size.width() // 2, size.height() // 2))

    def _save_layout(self) -> None:
        """Window geometry, splitter sizes, columns and sort order, for the next run (no secret)."""
        self.settings.set_layout_state("window", bytes(self.saveGeometry().data()))
        if self._vault_view is not None and self._vault_view.isVisible():
            for name, state in self._vault_view.save_layout().items():
                self.settings.set_layout_state(name, state)
        self.settings.sync()

    @property
    def vault_view(self) -> VaultView:
        """The sidebar/table/detail view, built on first use."""
        if self._vault_view is None:
            from vaultapp.gui.vault_view import VaultView

            self._finish_setup()
            view = VaultView()
            self._vault_view = view
            self.stack.addWidget(view)
            saved = {name: self.settings.layout_state(name) for name in ("splitter", "columns")}
            if not view.restore_layout(saved):
                view.fit_layout(self.width())
            view.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_soon())
            view.proxy.layoutChanged.connect(self._selection_soon)
            view.proxy.modelReset.connect(self._selection_soon)
            view.table.activated.connect(lambda _index: self.edit_entry())
            view.detail.copy_requested.connect(self.copy_field)
            view.copy_requested.connect(self.copy_field)
            view.table.customContextMenuRequested.connect(self._table_menu_at)
            view.sidebar.customContextMenuRequested.connect(self._sidebar_menu_at)
            view.sidebar.entries_dropped.connect(self.move_entries)
            # Ctrl+C and Delete act on the table only, so they still copy/delete text in text fields.
            for name in ("copy_password_action", "delete_action"):
                action = self.actions_by_name[name]
                self.removeAction(action)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                view.table.addAction(action)
        return self._vault_view

    # ---- actions ---------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot: Any, shortcut: Any = None, icon_name: str = "") -> QAction:
        action = QAction(icon(icon_name) if icon_name else QAction().icon(), text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _finish_setup(self) -> None:
        if not self.actions_by_name:
            self._build_actions()
            self._update_actions()

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.actions_by_name = {
            a.objectName(): a
            for a in (
                self._action("new_vault_action", "New vault…", self.create_vault, None, "add"),
                self._action("open_vault_action", "Open vault…", self.lock, None, "folder"),
                self._action("lock_action", "Lock", self.lock, "Ctrl+L", "lock"),
                self._action("settings_action", "Settings…", self.open_settings, None, "settings"),
                self._action(
                    "change_passphrase_action", "Change passphrase…", self.change_passphrase, None, "lock"
                ),
                self._action("merge_action", "Merge from file…", self.merge_from_file, None, "duplicate"),
                self._action(
                    "export_backup_action",
                    "Export encrypted backup…",
                    lambda: self.transfers.export("backup"),
                ),
                self._action("export_csv_action", "Export CSV…", lambda: self.transfers.export("csv")),
                self._action("export_kdbx_action", "Export KDBX…", lambda: self.transfers.export("kdbx")),
                self._action("import_action", "Import…", lambda: self.transfers.import_file()),
                self._action(
                    "restore_backup_action",
                    "Restore from automatic backup…",
                    self.restore_from_backup,
                    None,
                    "restore",
                ),
                self._action("quit_action", "Quit", self.close, "Ctrl+Q"),
                self._action("new_entry_action", "New entry", self.new_entry, "Ctrl+N", "add"),
                self._action("edit_entry_action", "Edit entry", self.edit_entry, "Ctrl+E", "edit"),
                self._action(
                    "duplicate_action", "Duplicate entry", self.duplicate_entry, "Ctrl+D", "duplicate"
                ),
                self._action("delete_action", "Delete entry", self.delete_entry, key.Delete, "delete"),
                self._action("restore_action", "Restore from Trash", self.restore_entry, None, "restore"),
                self._action("history_action", "History…", self.show_history, "Ctrl+H", "clock"),
                self._action(
                    "copy_username_action",
                    "Copy username",
                    lambda: self.copy_field("username"),
                    "Ctrl+B",
                    "user",
                ),
                self._action(
                    "copy_password_action",
                    "Copy password",
                    lambda: self.copy_field("password"),
                    key.Copy,
                    "key",
                ),
                self._action("copy_url_action", "Copy URL", lambda: self.copy_field("url"), "Ctrl+U", "link"),
                self._action(
                    "copy_totp_action",
                    "Copy one-time code",
                    lambda: self.copy_field("totp"),
                    "Ctrl+T",
                    "clock",
                ),
                self._action("search_action", "Search", self.focus_search, key.Find),
                self._action("generator_action", "Generator…", self.open_generator, "Ctrl+G", "dice"),
                self._action("health_action", "Password health…", self.open_health, "Ctrl+Shift+H", "health"),
                self._action("log_action", "Audit log…", self.open_log, None, "list"),
                self._action(
                    "docs_action", "User guide", self.open_docs, QKeySequence.StandardKey.HelpContents
                ),
                self._action("about_action", "About vaultapp", self.show_about),
            )
        }
        a = self.actions_by_name
        menu = self.menuBar()
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
            "copy_totp_action",
        )  # fmt: skip
        for name in entry_items:
            entry_menu.addSeparator() if name is None else entry_menu.addAction(a[name])
        tools_menu = menu.addMenu("&Tools")
        for name in ("generator_action", "health_action", "log_action"):
            tools_menu.addAction(a[name])
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(a["docs_action"])
        help_menu.addAction(a["about_action"])
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
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _update_actions(self) -> None:
        if not self.actions_by_name:
            return
        unlocked = self.vault is not None
        entry = self.vault_view.current_entry() if unlocked and self._vault_view is not None else None
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
            "edit_entry_action": entry is not None and not in_trash,
            "duplicate_action": entry is not None and not in_trash,
            "delete_action": entry is not None,
            "restore_action": in_trash,
            "history_action": entry is not None and not in_trash,
            "copy_username_action": entry is not None and bool(entry.username),
            "copy_password_action": entry is not None and entry.password is not None,
            "copy_url_action": entry is not None and bool(entry.url),
            "copy_totp_action": entry is not None and entry.totp is not None,
            "search_action": unlocked,
            "health_action": unlocked,
            "log_action": unlocked,
        }
        if unlocked and self.vault is not None and not self.vault.writable:  # a read-only file
            changing = (
                "merge_action", "import_action", "restore_backup_action", "new_entry_action",
                "edit_entry_action", "duplicate_action", "delete_action", "restore_action",
            )  # fmt: skip
            enabled.update(dict.fromkeys(changing, False))
        for name, on in enabled.items():
            self.actions_by_name[name].setEnabled(on)
        self.toolbar.setVisible(unlocked)
        self.actions_by_name["delete_action"].setText("Delete for good" if in_trash else "Delete entry")

    def _selection_soon(self) -> None:
        self._update_actions()  # cheap, and shortcuts must act on the new selection at once
        self._detail_timer.start()

    def _selection_changed(self) -> None:
        self._detail_timer.stop()
        if self._vault_view is not None:
            self._vault_view.detail.set_entry(self._vault_view.current_entry())
        self._update_actions()

    # ---- unlocking and locking -------------------------------------------------------------

    def show_vault(self, vault: Vault) -> None:
        from vaultapp.gui.detail import totp_now

        self.vault = vault
        view = self.vault_view

        def show_password(sealed: Sealed) -> str:
            shown = view.detail.entry
            vault.note("entry.revealed", None if shown is None else shown.uuid, {"field": "password"})
            return vault.reveal(sealed)

        view.detail.set_helpers(show_password, lambda entry: totp_now(vault.reveal, entry))
        self.apply_settings()
        self._reload_model()
        view.search_edit.clear()
        self.stack.setCurrentWidget(view)
        self.setWindowTitle(f"{vault.path.name} — vaultapp")
        self.idle.set_seconds(self.settings.idle_lock_seconds)
        self.statusBar().showMessage(f"Unlocked {vault.path.name} ({len(vault.entries)} entries).", 5000)
        self._show_read_only_banner(vault)
        view.table.setFocus()
        if vault.rollback_warning is not None:
            question = vault.rollback_warning + "\n\nKeep this older copy and save changes over it?"
            if not self.confirm("Older copy of the vault", question):
                self.lock()
                return
            vault.accept_rollback()
        if vault.swept_notice is not None:
            self.statusBar().showMessage(vault.swept_notice, 10_000)
        self.show_audit_warning()
        self._offer_drafts()
        self._offer_conflict_copies()

    def _show_read_only_banner(self, vault: Vault) -> None:
        """A vault file the user made read-only is shown, not changed: say so above the table."""
        view = self.vault_view
        banner = view.findChild(QLabel, "read_only_banner")
        if banner is None:
            banner = QLabel(objectName="read_only_banner")
            banner.setWordWrap(True)
            banner.setStyleSheet("background: palette(alternate-base); padding: 6px;")
            banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            view.layout().insertWidget(0, banner)
        banner.setText(
            f"{vault.path.name} is read-only: you can look and copy, but not change it. To change "
            "it, make the file writable (its permissions), then lock and unlock it again."
        )
        banner.setVisible(not vault.writable)

    def _reload_model(self) -> None:
        assert self.vault is not None
        entries = self.vault.entries + self.vault.trashed_entries
        self.vault_view.model.set_entries(entries)
        self.vault_view.rebuild_sidebar(entries, self.vault.folders)
        self.vault_view.update_empty_state()
        self._selection_changed()

    def lock(self) -> None:
        """Drop the key and decrypted data, clear our clipboard value, keep any edit as a draft."""
        vault = self.vault
        if vault is None:
            self.stack.setCurrentWidget(self.unlock_view)
            return
        for dialog in (self.health_dialog, self.log_dialog, self.passphrase_dialog):
            if dialog is not None:
                dialog.reject()
        self.health_dialog = self.log_dialog = self.passphrase_dialog = None
        if self.editor is not None:
            editor, self.editor = self.editor, None
            if editor.dirty:
                try:
                    vault.save_draft(editor.target, **editor.values())
                except VaultError as exc:
                    self.statusBar().showMessage(f"Could not keep the unsaved edit: {error_text(exc)}")
            editor.close_silently()
        self.idle.stop()
        self.clipboard.clear_if_ours()
        self._save_layout()
        self.vault = None
        view = self.vault_view
        view.detail.set_helpers(None, None)
        view.model.set_reveal(None)
        view.model.set_entries([])
        view.detail.clear()
        view.search_edit.clear()
        vault.close()
        self.unlock_view.refresh_recent()
        self.unlock_view.select_vault(vault.path)
        self.stack.setCurrentWidget(self.unlock_view)
        self.setWindowTitle("vaultapp")
        self._update_actions()
        self.statusBar().showMessage("Locked.", 3000)

    def create_vault(self) -> None:
        from vaultapp.core.vault import Vault
        from vaultapp.gui.create import CreateVaultDialog

        vault = CreateVaultDialog.ask(self, policy=self.policy)
        if vault is None:
            return
        if self.vault is not None:
            self.lock()
        assert isinstance(vault, Vault)
        self.settings.remember_vault(vault.path)
        self.unlock_view.refresh_recent()
        self.unlock_view.select_vault(vault.path)
        self.show_vault(vault)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.isMinimized()
            and self.settings.lock_on_minimize
            and self.vault is not None
        ):
            self.lock()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._save_layout()
        if self.vault is not None:
            self.lock()
        self.clipboard.clear_if_ours()
        super().closeEvent(event)

    # ---- generator -------------------------------------------------------------------------

    def open_generator(
        self,
        *,
        for_editor: bool = False,
        parent: Any = None,
        rules: str | None = None,
        kind: str | None = None,
    ) -> str | None:
        """The generator dialog; Copy uses the secure clipboard. Returns the value to use, if any."""
        from vaultapp.gui.generator import GeneratorDialog

        dialog = GeneratorDialog(parent or self, self.settings, for_editor=for_editor, rules=rules, kind=kind)
        dialog.setObjectName("generator_dialog")
        dialog.copy_requested.connect(lambda value: self.clipboard.copy(value, "Generated secret"))
        self.generator = dialog
        dialog.exec()
        self.generator = None
        return dialog.use_value

    def change_passphrase(self) -> None:
        """File → Change passphrase…: re-encrypts the vault and its backups in a worker."""
        from vaultapp.gui.change_passphrase import ChangePassphraseDialog

        vault = self.vault
        if vault is None:
            return
        self.idle.stop()  # no lock half-way through re-encrypting

        def finished(result: int) -> None:
            self.passphrase_dialog = None
            if self.vault is not vault:
                return
            self.idle.set_seconds(self.settings.idle_lock_seconds)
            if result == ChangePassphraseDialog.DialogCode.Accepted:
                message = "Passphrase changed; the automatic backups use the new one too."
                if vault.audit_warning:
                    message += f" {vault.audit_warning}"
                self.statusBar().showMessage(message, 10_000)

        self.passphrase_dialog = self._open_tool(ChangePassphraseDialog(self, vault), "passphrase_dialog")
        self.passphrase_dialog.finished.connect(finished)

    def open_health(self) -> None:
        """Tools → Password health: the report runs in a worker; findings are sortable."""
        from vaultapp.gui.health import HealthDialog

        if self.vault is not None:
            self.health_dialog = self._open_tool(HealthDialog(self), "health_dialog")
            self.health_dialog.start()

    def open_log(self) -> None:
        """Tools → Audit log: the events, newest first, and whether the chain verifies."""
        from vaultapp.gui.health import LogDialog

        if self.vault is not None:
            self.log_dialog = self._open_tool(LogDialog(self), "log_dialog")

    def _open_tool(self, dialog: ToolDialog, name: str) -> ToolDialog:
        """Open a non-blocking Tools dialog kept in the attribute ``name`` until it closes."""
        dialog.setObjectName(name)
        dialog.finished.connect(lambda _r: setattr(self, name, None))
        dialog.open()
        return dialog

    # ---- help ------------------------------------------------------------------------------

    def about_text(self) -> str:
        from vaultapp import __version__

        url = docs_url()
        guide = f"<p><a href='{url.toString()}'>User guide</a></p>" if url is not None else ""
        return (
            f"<h3>vaultapp {__version__}</h3>"
            "<p>A password manager that keeps your logins in one encrypted file on this computer.</p>"
            "<p>Licence: MIT.</p>"
            "<p>Passphrase words: the EFF Large Wordlist by the Electronic Frontier Foundation, "
            "CC BY 3.0 US.</p>" + guide
        )

    def show_about(self) -> None:
        QMessageBox.about(self, "About vaultapp", self.about_text())

    def open_docs(self) -> None:
        from PySide6.QtGui import QDesktopServices

        url = docs_url()
        if url is not None:
            QDesktopServices.openUrl(url)

    # ---- settings --------------------------------------------------------------------------

    def _app_settings(self) -> tuple[object, ...]:
        s = self.settings
        return (s.clipboard_seconds, s.idle_lock_seconds, s.lock_on_minimize, s.show_passwords_in_table,
                s.theme)  # fmt: skip

    def open_settings(self) -> None:
        from vaultapp.gui import dialogs

        vault = self.vault
        before = None if vault is None else (vault.backup_count, vault.backup_folder_setting)
        app_before = self._app_settings()
        if dialogs.SettingsDialog.ask(self, self.settings, vault):
            if vault is not None and self._app_settings() != app_before:
                vault.note("settings.changed", None, {"setting": "app"})
            self.apply_settings()
            if vault is not None and (vault.backup_count, vault.backup_folder_setting) != before:
                self.save()

    def apply_settings(self) -> None:
        from vaultapp.gui.models import PASSWORD_COLUMN

        self.clipboard.seconds = self.settings.clipboard_seconds
        show = self.settings.show_passwords_in_table and self.vault is not None
        self.vault_view.table.setColumnHidden(PASSWORD_COLUMN, not show)
        model = self.vault_view.model
        if show and self.vault is not None and not model.revealing:
            # Every password is on screen at once: one record, not one per painted cell.
            self.vault.note("entry.revealed", None, {"field": "password", "where": "table"})
        model.set_reveal(self.vault.reveal if show and self.vault else None)
        if self.vault is not None:
            self.idle.set_seconds(self.settings.idle_lock_seconds)
        from vaultapp.gui.app import apply_theme

        apply_theme(self.settings.theme)

    # ---- entries ---------------------------------------------------------------------------

    @property
    def transfers(self) -> Transfers:
        """File → Export…/Import… (built on first use)."""
        if self._transfers is None:
            from vaultapp.gui.transfer import Transfers

            self._transfers = Transfers(self)
        return self._transfers

    def focus_search(self) -> None:
        self.vault_view.search_edit.setFocus()
        self.vault_view.search_edit.selectAll()

    def confirm(self, title: str, text: str) -> bool:
        """Yes/No question (a test seam)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_conflict(self) -> str:
        """'merge', 'reload', 'overwrite' or 'cancel' (a test seam)."""
        from vaultapp.gui import dialogs

        assert self.vault is not None
        return dialogs.ask_conflict(self, self.vault.path.name)

    def save(self) -> bool:
        """Save now; a changed-on-disk file is a choice for the user, never a silent overwrite."""
        vault = self.vault
        if vault is None:
            return False
        try:
            vault.save()
        except ConflictError:
            choice = self.ask_conflict()
            try:
                if choice == "merge":
                    result = vault.merge_disk()
                    vault.save(merge=True)  # and whatever another process saved since
                    self._reload_model()
                    self.statusBar().showMessage(f"Merged the version on disk: {result.summary()}.", 8000)
                    return True
                if choice == "overwrite":
                    vault.save(overwrite=True)
                    self.statusBar().showMessage("Saved; the other version is in the .bak file.", 6000)
                    return True
                if choice == "reload":
                    vault.reload()
                    self._reload_model()
                    self.statusBar().showMessage(
                        "Reloaded the version on disk; your last change was dropped.", 8000
                    )
                    return False
            except VaultError as exc:
                show_error(self, exc)
                return False
            self.statusBar().showMessage(
                "Not saved: the file on disk changed. Your change is kept until you lock."
            )
            return False
        except VaultError as exc:
            show_error(self, exc, "Could not save")
            return False
        self.show_audit_warning()
        return True

    def show_audit_warning(self) -> None:
        """Events the audit log refused (busy, disk full) are said at once, in the status bar."""
        vault = self.vault
        if vault is not None and vault.audit_warning is not None:
            self.statusBar().showMessage(vault.audit_warning, 15_000)
            vault.audit_warning = None

    def _after_change(self, entry: Entry | None, *, select: bool = True) -> None:
        """Show a change in the table, as the vault now holds it (a reload may have dropped it)."""
        view = self.vault_view
        assert self.vault is not None
        if entry is not None:
            try:
                entry = self.vault.get(entry.uuid)
            except VaultError:
                entry = None
            else:
                view.model.replace_entry(entry)
        view.rebuild_sidebar(self.vault.entries + self.vault.trashed_entries, self.vault.folders)
        if entry is not None and select:
            view.select_uuid(entry.uuid)
        self._selection_changed()

    def values_of(self, entry: Entry) -> Values:
        assert self.vault is not None
        reveal = self.vault.reveal
        return {
            "title": entry.title, "username": entry.username,
            "password": None if entry.password is None else reveal(entry.password),
            "url": entry.url, "notes": entry.notes, "tags": list(entry.tags), "folder": entry.folder,
            "totp": None if entry.totp is None else reveal(entry.totp),
            "custom": [(c.name, reveal(c.value) if not isinstance(c.value, str) else c.value, c.protected)
                       for c in entry.custom],
            "expires": entry.expires, "favourite": entry.favourite,
        }  # fmt: skip

    def open_editor(self, values: Values, target: str | None, *, draft_key: str | None = None) -> EntryEditor:
        """Open the (window-modal, non-blocking) editor; saving applies and writes at once."""
        from vaultapp.gui.editor import EntryEditor

        assert self.vault is not None
        folders = sorted({e.folder for e in self.vault.entries if e.folder}, key=str.casefold)

        def on_save(new_values: Values) -> None:
            vault = self.vault
            assert vault is not None
            entry = vault.add(**new_values) if target is None else vault.update(target, **new_values)
            if draft_key is not None:
                vault.discard_draft(draft_key)
            self.save()
            self._after_change(entry)

        title = "New entry" if target is None else f"Edit {values.get('title') or 'entry'}"
        editor = EntryEditor(
            self, values, on_save, folders=folders, target=target, title=title,
            generate=lambda: self.open_generator(for_editor=True, parent=editor, rules=editor.site_rules()),
        )  # fmt: skip
        editor.setObjectName("entry_editor")
        # The editor is window-modal, so the window's Ctrl+L would not reach it: lock from here too
        # (the unsaved values are kept as an encrypted draft, as on an idle lock).
        lock = QAction("Lock", editor, objectName="editor_lock_action")
        lock.setShortcut(self.actions_by_name["lock_action"].shortcut())
        lock.triggered.connect(lambda _checked=False: self.lock())
        editor.addAction(lock)
        self.editor = editor
        if target is not None:
            logged = False

            def revealed(shown: bool) -> None:
                nonlocal logged
                if shown and not logged and self.vault is not None:
                    logged = True  # once per editor, however often the eye is toggled
                    self.vault.note("entry.revealed", target, {"field": "password", "where": "editor"})

            editor.password_edit.toggle_action.toggled.connect(revealed)

        def finished(_result: int) -> None:
            if self.editor is editor:
                self.editor = None
            if (
                draft_key is not None
                and self.vault is not None
                and any(d.entry.uuid == draft_key for d in self.vault.drafts)
            ):
                self.vault.discard_draft(draft_key)
                self.save()

        editor.finished.connect(finished)
        editor.open()
        return editor

    def new_entry(self) -> None:
        from vaultapp.gui.editor import EMPTY

        if self.vault is None:
            return
        values = dict(EMPTY)
        scope = self.vault_view.proxy.scope
        if scope.kind == "folder":
            values["folder"] = scope.value
        elif scope.kind == "tag":
            values["tags"] = [scope.value]
        elif scope.kind == "favourites":
            values["favourite"] = True
        self.open_editor(values, None)

    def edit_entry(self) -> None:
        entry = self.vault_view.current_entry()
        if self.vault is None or entry is None or entry.trashed is not None:
            return
        self.open_editor(self.values_of(entry), entry.uuid)

    def duplicate_entry(self) -> None:
        entry = self.vault_view.current_entry()
        if self.vault is None or entry is None:
            return
        copy = self.vault.duplicate(entry.uuid)
        self.save()
        self._after_change(copy)

    def delete_entry(self) -> None:
        entry = self.vault_view.current_entry()
        vault = self.vault
        if vault is None or entry is None:
            return
        if entry.trashed is not None:
            if not self.confirm(
                "Delete for good?", f"Delete “{entry.title}” for good? This cannot be undone."
            ):
                return
            vault.purge(entry.uuid)
            self.vault_view.model.remove_entry(entry.uuid)
            self.save()
            self._after_change(None)
            return
        if not self.confirm(
            "Move to Trash?", f"Move “{entry.title}” to the Trash? You can restore it from there."
        ):
            return
        trashed = vault.trash(entry.uuid)
        self.save()
        self._after_change(trashed, select=False)
        self.statusBar().showMessage(f"Moved “{entry.title}” to the Trash.", 5000)

    def restore_entry(self) -> None:
        entry = self.vault_view.current_entry()
        if self.vault is None or entry is None or entry.trashed is None:
            return
        restored = self.vault.restore(entry.uuid)
        self.save()
        self._after_change(restored, select=False)
        self.statusBar().showMessage(f"Restored “{entry.title}”.", 5000)

    # ---- context menus and folders ---------------------------------------------------------

    def table_menu(self) -> QMenu:
        """The table's right-click menu for the selected entry (its own Trash menu in the Trash)."""
        a = self.actions_by_name
        menu = QMenu(self, objectName="table_menu")
        entry = self.vault_view.current_entry()
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
        assert self.vault is not None
        for folder in ["", *self.vault.folders]:
            if folder != entry.folder:
                action = move.addAction("(No folder)" if not folder else folder.replace("/", " / "))
                action.triggered.connect(lambda _c=False, f=folder, u=entry.uuid: self.move_entries([u], f))
        move.addSeparator()
        new_folder = move.addAction("New folder…")
        new_folder.setObjectName("move_to_new_folder_action")
        new_folder.triggered.connect(lambda _c=False, u=entry.uuid: self._move_to_new_folder(u))
        menu.addSeparator()
        menu.addAction(a["delete_action"])
        return menu

    def _table_menu_at(self, pos: QPoint) -> None:
        view = self.vault_view
        index = view.table.indexAt(pos)
        if index.isValid():
            view.table.selectRow(index.row())
            self._update_actions()
        if self.vault is not None:
            self.table_menu().exec(view.table.viewport().mapToGlobal(pos))

    def sidebar_menu(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The sidebar's right-click menu: folders on a folder or the Folders heading; the Trash's."""
        from vaultapp.gui.models import Scope
        from vaultapp.gui.vault_view import FOLDERS_ROOT, SCOPE_ROLE

        vault = self.vault
        if vault is None or item is None:
            return None
        scope = item.data(0, SCOPE_ROLE)
        menu = QMenu(self, objectName="sidebar_menu")

        def add(text: str, name: str, slot: Any, enabled: bool = True, icon_name: str = "") -> None:
            action = menu.addAction(icon(icon_name), text) if icon_name else menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False: slot())

        if isinstance(scope, Scope) and scope.kind == "trash":
            add("Empty Trash…", "empty_trash_action", self.empty_trash, bool(vault.trashed_entries), "trash")
        elif isinstance(scope, Scope) and scope.kind == "folder":
            path = scope.value
            inside = any(e.folder == path or e.folder.startswith(path + "/") for e in vault.entries)
            add("New subfolder…", "new_subfolder_action", lambda: self.new_folder(path), True, "add")
            add("Rename folder…", "rename_folder_action", lambda: self.rename_folder(path), True, "edit")
            delete = "Delete folder (move its entries out first)" if inside else "Delete folder"
            add(delete, "delete_folder_action", lambda: self.delete_folder(path), not inside, "delete")
        elif scope == FOLDERS_ROOT or (isinstance(scope, Scope) and scope.kind == "all"):
            add("New folder…", "new_folder_action", self.new_folder, True, "add")
        else:
            return None
        return menu

    def _sidebar_menu_at(self, pos: QPoint) -> None:
        sidebar = self.vault_view.sidebar
        menu = self.sidebar_menu(sidebar.itemAt(pos))
        if menu is not None:
            menu.exec(sidebar.viewport().mapToGlobal(pos))

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """One line of text from the user (a test seam)."""
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok and value.strip() else None

    def _folder_change(self, change: Any, done: str) -> bool:
        """Apply a folder change from the core, save, refresh; a refusal is one status line."""
        try:
            change()
        except VaultError as exc:
            self.statusBar().showMessage(error_text(exc), 8000)
            return False
        self.save()
        self._reload_model()
        self.statusBar().showMessage(done, 5000)
        return True

    def new_folder(self, parent: str = "") -> str | None:
        vault = self.vault
        if vault is None:
            return None
        name = self.ask_text(
            "New folder", f"Name of the new folder in “{parent}”:" if parent else "Folder name:"
        )
        if name is None:
            return None
        path = f"{parent}/{name}" if parent else name
        made: list[str] = []
        if self._folder_change(lambda: made.append(vault.add_folder(path)), f"Folder “{path.strip()}” made."):
            from vaultapp.gui.models import Scope

            self.vault_view._select_scope(Scope("folder", made[0]))
            return made[0]
        return None

    def rename_folder(self, path: str) -> None:
        vault = self.vault
        if vault is None:
            return
        parent, _, name = path.rpartition("/")
        new = self.ask_text("Rename folder", f"New name for “{name}”:", name)
        if new is None:
            return
        target = f"{parent}/{new}" if parent else new
        if self._folder_change(lambda: vault.rename_folder(path, target), f"Folder renamed to “{target}”."):
            from vaultapp.core.entry import normalize_folder
            from vaultapp.gui.models import Scope

            self.vault_view._select_scope(Scope("folder", normalize_folder(target)))

    def delete_folder(self, path: str) -> None:
        vault = self.vault
        if vault is not None:
            self._folder_change(lambda: vault.remove_folder(path), f"Folder “{path}” deleted.")

    def empty_trash(self) -> None:
        vault = self.vault
        if vault is None or not vault.trashed_entries:
            return
        count = _entries(len(vault.trashed_entries))
        if self.confirm("Empty Trash?", f"Delete {count} in the Trash for good? This cannot be undone."):
            self._folder_change(vault.empty_trash, f"Deleted {count} for good.")

    def move_entries(self, uuids: list[str], folder: str) -> None:
        """Move entries (dragged onto a folder, or from the menu) into ``folder``."""
        vault = self.vault
        if vault is None:
            return
        moved: list[Entry] = []

        def move() -> None:
            for uuid in uuids:
                if vault.get(uuid).folder != folder:
                    moved.append(vault.update(uuid, folder=folder))

        where = f"“{folder}”" if folder else "no folder"
        if self._folder_change(move, f"Moved {_entries(len(uuids))} to {where}.") and len(moved) == 1:
            self.vault_view.select_uuid(moved[0].uuid)

    def _move_to_new_folder(self, uuid: str) -> None:
        folder = self.new_folder()
        if folder is not None:
            self.move_entries([uuid], folder)

    def show_history(self) -> None:
        from vaultapp.gui import dialogs

        entry = self.vault_view.current_entry()
        if self.vault is None or entry is None:
            return
        index = dialogs.HistoryDialog.ask(self, entry)
        if index is None:
            return
        restored = self.vault.restore_version(entry.uuid, index)
        self.save()
        self._after_change(restored)

    def _merge_with_preview(self, other: Vault, name: str) -> bool:
        """Show what merging ``other`` would change; merge and save if the user agrees."""
        vault = self.vault
        assert vault is not None
        preview = vault.plan_merge(other)
        if not preview.changes:
            self.statusBar().showMessage(f"{name} holds nothing new.", 5000)
            return True
        lines = [f"{label}: {', '.join(titles[:8])}{' …' if len(titles) > 8 else ''}"
                 for label, titles in (("Added", preview.added), ("Updated", preview.updated),
                                       ("Deleted", preview.deleted)) if titles]  # fmt: skip
        text = f"Merge {name} into this vault?\n\n" + "\n".join(lines)
        text += "\n\nLater edits win (by the order of edits, not clocks); the others go into history."
        if (future := preview.future_warning()) is not None:
            text += f"\n\n{future}"
        if not self.confirm("Merge copies", text):
            return False
        result = vault.merge_from(other)
        self.save()
        self._reload_model()
        self.statusBar().showMessage(f"Merged {name}: {result.summary()}.", 8000)
        return True

    def _offer_conflict_copies(self) -> None:
        """Sync tools leave conflicted copies beside the vault; offer to merge each one."""
        from vaultapp.core.storage import find_conflict_copies, set_aside

        vault = self.vault
        if vault is None:
            return
        for copy_path in find_conflict_copies(vault.path):
            try:
                copy = vault.open_copy(copy_path)
            except VaultError as exc:
                self.statusBar().showMessage(f"{copy_path.name}: {error_text(exc)}", 10_000)
                continue
            with copy:
                merged = self._merge_with_preview(copy, copy_path.name)
            if merged:
                try:
                    set_aside(copy_path)
                except OSError as exc:
                    self.statusBar().showMessage(
                        f"Merged, but could not set {copy_path.name} aside: {exc}", 8000
                    )

    def choose_backup(self, backups: list[Path]) -> Path | None:
        """Pick one automatic backup (a test seam)."""
        import datetime

        from PySide6.QtWidgets import QInputDialog

        labels = [
            f"{p.name}  —  saved {datetime.datetime.fromtimestamp(p.stat().st_mtime):%Y-%m-%d %H:%M:%S}"
            for p in backups
        ]
        label, ok = QInputDialog.getItem(self, "Restore from automatic backup", "Backup (newest first):",
                                         labels, 0, False)  # fmt: skip
        return backups[labels.index(label)] if ok else None

    def restore_from_backup(self) -> None:
        """File → Restore from automatic backup…: today's version becomes a backup itself."""
        vault = self.vault
        if vault is None:
            return
        backups = vault.backups()
        if not backups:
            self.statusBar().showMessage("There are no automatic backups of this vault yet.", 5000)
            return
        chosen = self.choose_backup(backups)
        if chosen is None:
            return
        question = (
            f"Replace the current entries with {chosen.name}? "
            "The current version is kept as the newest backup, so this can be undone."
        )
        if not self.confirm("Restore backup?", question):
            return
        try:
            vault.restore_backup(chosen)
        except VaultError as exc:
            show_error(self, exc, "Could not restore")
            return
        self.save()
        self._reload_model()
        self.statusBar().showMessage(f"Restored {chosen.name}.", 8000)

    def ask_passphrase(self, name: str) -> str | None:
        """The passphrase of another vault file (a test seam)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(
            self, "Passphrase", f"Passphrase for {name}:", QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    def merge_from_file(self, path: Path | str | None = None) -> None:
        """File → Merge from file…: another copy of this vault, with a preview."""
        from PySide6.QtWidgets import QFileDialog

        from vaultapp.core.vault import Vault

        if self.vault is None:
            return
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Merge from file", str(self.vault.path.parent),
                                                  "Vaults (*.vault*);;All files (*)")  # fmt: skip
            if not name:
                return
            path = name
        path = Path(path)
        passphrase = self.ask_passphrase(path.name)
        if passphrase is None:
            return
        from vaultapp.core.errors import SlowKdfError

        policy = self.policy or self.vault.policy
        try:
            try:
                other = Vault.open(path, passphrase, policy=policy, audit=False)
            except SlowKdfError as exc:  # nothing was derived yet: ask, as the unlock view does
                if not self.confirm("Slow to open", f"{exc}\n\nOpen it anyway? The window waits meanwhile."):
                    return
                other = Vault.open(path, passphrase, policy=policy, audit=False, allow_slow_kdf=True)
            with other:
                self._merge_with_preview(other, path.name)
        except VaultError as exc:
            show_error(self, exc, "Could not merge")

    def _offer_drafts(self) -> None:
        vault = self.vault
        if vault is None:
            return
        for draft in vault.drafts:
            target = (
                draft.target
                if draft.target is not None and draft.target in {e.uuid for e in vault.entries}
                else None
            )
            name = draft.entry.title or "a new entry"
            if self.confirm(
                "Unsaved edit", f"You were editing “{name}” when the vault locked. Continue editing?"
            ):
                values = self.values_of(draft.entry)
                self.open_editor(values, target, draft_key=draft.entry.uuid)
                return  # one editor at a time; other drafts are offered at the next unlock
            vault.discard_draft(draft.entry.uuid)
            self.save()

    # ---- clipboard -------------------------------------------------------------------------

    def copy_field(self, field: str) -> None:
        from vaultapp.gui.detail import HOTP_HINT, totp_now

        entry = self.vault_view.current_entry()
        vault = self.vault
        if vault is None or entry is None:
            return
        if field == "username" and entry.username:
            self.clipboard.copy(entry.username, "Username", sensitive=False)
            self.statusBar().showMessage("Username copied.", 3000)
        elif field == "url" and entry.url:
            self.clipboard.copy(entry.url, "URL", sensitive=False)
            self.statusBar().showMessage("URL copied.", 3000)
        elif field == "password" and entry.password is not None:
            self.clipboard.copy(vault.reveal(entry.password), "Password")
            vault.note("entry.copied", entry.uuid, {"field": "password"})
        elif field == "totp" and entry.totp is not None:
            code = totp_now(vault.reveal, entry)
            if code is not None and code[0] == HOTP_HINT:  # counter-based: each copy uses one up
                from vaultapp.generators.otp import hotp

                try:
                    code = (hotp(vault.next_hotp(entry.uuid)), 0)
                except VaultError as exc:
                    show_error(self, exc, "Could not use the next one-time code")
                    return
                self._after_change(entry)
            if code is None:
                self.statusBar().showMessage("This entry's one-time code secret is not usable.", 5000)
            else:
                self.clipboard.copy(code[0], "One-time code")
                vault.note("entry.copied", entry.uuid, {"field": "totp"})

    def _countdown(self, left: int, what: str) -> None:
        self.countdown_label.setText(f"{what} on the clipboard; clearing in {left} s" if left > 0 else "")


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def docs_url() -> QUrl | None:
    """The user guide: the README of a source checkout, or the project page of an installed copy."""
    readme = Path(__file__).resolve().parent.parent.parent / "README.md"
    if readme.is_file():
        return QUrl.fromLocalFile(str(readme))
    try:
        from importlib.metadata import metadata

        for entry in metadata("vaultapp").get_all("Project-URL") or []:
            _label, _, url = entry.partition(", ")
            if url.startswith("https://"):
                return QUrl(url)
    except Exception:  # noqa: BLE001 - no metadata: no link
        return None
    return None
