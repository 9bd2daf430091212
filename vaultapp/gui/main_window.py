"""The main window: the unlock view, then the vault view; locking, saving, what the window shows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
)

from vaultapp.core.errors import ConflictError, VaultError
from vaultapp.gui.autotype_link import AutoTypeLink
from vaultapp.gui.browser_link import BrowserLink
from vaultapp.gui.clipboard import SecureClipboard
from vaultapp.gui.desktop_link import DesktopLink
from vaultapp.gui.entry_actions import EntryActions
from vaultapp.gui.folder_actions import FolderActions
from vaultapp.gui.idle import IdleWatcher
from vaultapp.gui.menus import Menus
from vaultapp.gui.merging import Merging
from vaultapp.gui.messages import error_text, show_error
from vaultapp.gui.settings import Settings
from vaultapp.gui.ssh_link import SshAgentLink
from vaultapp.gui.tools import Tools
from vaultapp.gui.unlock import UnlockView

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry, Sealed
    from vaultapp.core.kdf import KdfPolicy
    from vaultapp.core.vault import Vault
    from vaultapp.gui.attachments import AttachmentActions
    from vaultapp.gui.change_passphrase import ChangePassphraseDialog
    from vaultapp.gui.editor import EntryEditor
    from vaultapp.gui.health import HealthDialog, LogDialog
    from vaultapp.gui.transfer import Transfers
    from vaultapp.gui.vault_view import VaultView

# Start-up imports only what the unlock window needs; the vault view, the editor, the dialogs
# and the crypto core load on first use (benchmarks/gui.py measures launch against KeePassXC).


class MainWindow(QMainWindow):
    """Holds the open vault and what is on screen; its parts do the commands: ``menus`` (actions,
    shortcuts, menus), ``entry_actions``, ``folder_actions``, ``merging``, ``tools`` and
    ``transfers``. The health, audit-log and transfer windows see only ``gui.host.WindowHost``."""

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
        self._attachment_actions: AttachmentActions | None = None
        self.desktop = DesktopLink(self)  # tray, lock with the system, a second vaultapp
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
            app.aboutToQuit.connect(self._remove_plain_copies)

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
        self.menus = Menus(self)
        self.entry_actions = EntryActions(self)
        self.folder_actions = FolderActions(self)
        self.merging = Merging(self)
        self.tools = Tools(self)
        self.browser = BrowserLink(self)
        self.ssh_agent = SshAgentLink(self)
        self.autotype = AutoTypeLink(self)
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
            view.table.activated.connect(lambda _index: self.entry_actions.edit_entry())
            view.detail.copy_requested.connect(self.entry_actions.copy_field)
            view.detail.attachments.actions = self.attachment_actions
            view.copy_requested.connect(self.entry_actions.copy_field)
            view.table.customContextMenuRequested.connect(self.menus.table_menu_at)
            view.sidebar.customContextMenuRequested.connect(self.menus.sidebar_menu_at)
            view.sidebar.entries_dropped.connect(self.folder_actions.move_entries)
            # Ctrl+C and Delete act on the table only, so they still copy/delete text in text fields.
            for name in ("copy_password_action", "delete_action"):
                action = self.actions_by_name[name]
                self.removeAction(action)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                view.table.addAction(action)
        return self._vault_view

    @property
    def attachment_actions(self) -> AttachmentActions:
        """Saving, opening and dragging out attachments; their plaintext copies (built on first use)."""
        if self._attachment_actions is None:
            from vaultapp.gui.attachments import AttachmentActions

            self._attachment_actions = AttachmentActions(self, self.settings)
        return self._attachment_actions

    def _remove_plain_copies(self) -> None:
        if self._attachment_actions is not None:
            self._attachment_actions.remove_copies()

    # ---- actions and the selection --------------------------------------------------------------

    def _finish_setup(self) -> None:
        if not self.actions_by_name:
            self.menus.build()
            self.menus.update()
            self.browser.update()
            self.desktop.update()
            self.autotype.update()

    def _selection_soon(self) -> None:
        self.menus.update()  # cheap, and shortcuts must act on the new selection at once
        self._detail_timer.start()

    def _selection_changed(self) -> None:
        self._detail_timer.stop()
        if self._vault_view is not None:
            self._vault_view.detail.set_entry(self._vault_view.current_entry())
        self.menus.update()

    # ---- unlocking and locking ------------------------------------------------------------------

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
        self.reload_model()
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
        self.entry_actions.offer_drafts()
        self.merging.offer_conflict_copies()

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

    def reload_model(self) -> None:
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
                    vault.save_draft(editor.target, **editor.final_values())
                except VaultError as exc:
                    self.statusBar().showMessage(f"Could not keep the unsaved edit: {error_text(exc)}")
            editor.close_silently()
        self.idle.stop()
        self.clipboard.clear_if_ours()
        self._remove_plain_copies()  # opened or dragged-out attachments: plaintext on disk
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
        self.menus.update()
        self.browser.update()
        self.desktop.update()
        self.autotype.update()
        self.statusBar().showMessage("Locked.", 3000)
        self.ssh_agent.update()  # removes the keys it added (its message replaces "Locked.")

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
        self.desktop.window_state_changed(event)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.desktop.keep_running(event):  # "close to tray": hidden, still running
            return
        self._save_layout()
        if self.vault is not None:
            self.lock()
        self.browser.close()
        self.desktop.close()
        self.ssh_agent.close()
        self.autotype.close()
        self.clipboard.clear_if_ours()
        self._remove_plain_copies()
        super().closeEvent(event)

    # ---- settings -------------------------------------------------------------------------------

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
        from vaultapp.gui.theme import apply_theme

        apply_theme(self.settings.theme)
        self.browser.update()
        self.desktop.update()
        self.ssh_agent.update()
        self.autotype.update()

    # ---- saving and showing changes -------------------------------------------------------------

    @property
    def transfers(self) -> Transfers:
        """File → Export…/Import… (built on first use)."""
        if self._transfers is None:
            from vaultapp.gui.transfer import Transfers

            self._transfers = Transfers(self, self)
        return self._transfers

    def focus_search(self) -> None:
        self.vault_view.search_edit.setFocus()
        self.vault_view.search_edit.selectAll()

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
                    self.reload_model()
                    self.statusBar().showMessage(f"Merged the version on disk: {result.summary()}.", 8000)
                    return True
                if choice == "overwrite":
                    vault.save(overwrite=True)
                    self.statusBar().showMessage("Saved; the other version is in the .bak file.", 6000)
                    return True
                if choice == "reload":
                    vault.reload()
                    self.reload_model()
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

    def after_change(self, entry: Entry | None, *, select: bool = True) -> None:
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

    # ---- questions and the status line ----------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        """Yes/No question (a test seam)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_conflict(self) -> str:
        """'merge', 'reload', 'overwrite' or 'cancel' (a test seam)."""
        from vaultapp.gui import dialogs

        assert self.vault is not None
        return dialogs.ask_conflict(self, self.vault.path.name)

    def ask_passphrase(self, name: str) -> str | None:
        """The passphrase of another vault file (a test seam)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(
            self, "Passphrase", f"Passphrase for {name}:", QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    def _countdown(self, left: int, what: str) -> None:
        self.countdown_label.setText(f"{what} on the clipboard; clearing in {left} s" if left > 0 else "")
