"""Smaller dialogs: entry history, settings, and the save-conflict choice."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.entry import Entry
from vaultapp.core.errors import VaultError
from vaultapp.core.vault import Vault
from vaultapp.gui.settings import Settings
from vaultapp.gui.widgets import size_within_screen


class HistoryDialog(QDialog):
    """Lists earlier versions of an entry; ``restore_index`` is set when one is restored."""

    def __init__(self, parent: QWidget | None, entry: Entry) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of {entry.title}")
        size_within_screen(self, 560, 300)
        self.restore_index: int | None = None
        self.table = QTableWidget(len(entry.history), 5, objectName="history_table")
        self.table.setHorizontalHeaderLabels(["Saved", "Title", "Username", "URL", "Attachments"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        newest_first = list(enumerate(entry.history))[::-1]
        for row, (index, old) in enumerate(newest_first):
            files = ", ".join(a.name for a in old.attachments)  # restored with the version
            cells = (f"{old.modified.astimezone():%Y-%m-%d %H:%M}", old.title, old.username, old.url, files)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(256, index)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)  # long file lists elided, not scrolled
        self.table.setColumnWidth(4, 120)
        empty = QLabel("No earlier versions yet: every save of an edit keeps the previous one here.")
        empty.setVisible(not entry.history)
        self.restore_button = QPushButton("Restore this version", objectName="restore_version_button")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectedItems()))
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _restore(self) -> None:
        items = self.table.selectedItems()
        if items:
            self.restore_index = int(items[0].data(256))
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, entry: Entry) -> int | None:
        dialog = cls(parent, entry)
        dialog.exec()
        return dialog.restore_index


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, settings: Settings, vault: Vault | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.vault = vault
        self.clipboard_spin = QSpinBox(objectName="clipboard_spin")
        self.clipboard_spin.setRange(0, 600)
        self.clipboard_spin.setSuffix(" s")
        self.clipboard_spin.setSpecialValueText("never")
        self.clipboard_spin.setValue(settings.clipboard_seconds)
        self.idle_spin = QSpinBox(objectName="idle_spin")
        self.idle_spin.setRange(0, 24 * 60)
        self.idle_spin.setSuffix(" min")
        self.idle_spin.setSpecialValueText("never")
        self.idle_spin.setValue(settings.idle_lock_seconds // 60)
        self.minimize_check = QCheckBox("Lock when the window is minimized", objectName="minimize_check")
        self.minimize_check.setChecked(settings.lock_on_minimize)
        self.passwords_check = QCheckBox("Show passwords in the entry table", objectName="passwords_check")
        self.passwords_check.setChecked(settings.show_passwords_in_table)
        self.theme_combo = QComboBox(objectName="theme_combo")
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme_combo.addItem(label, value)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(settings.theme)))
        form = QFormLayout()
        form.addRow("Clear the clipboard after", self.clipboard_spin)
        form.addRow("Lock after no activity for", self.idle_spin)
        form.addRow("", self.minimize_check)
        form.addRow("", self.passwords_check)
        form.addRow("Theme", self.theme_combo)
        if vault is not None:
            self.backups_spin = QSpinBox(objectName="backups_spin")
            self.backups_spin.setRange(0, 100)
            self.backups_spin.setSpecialValueText("none")
            self.backups_spin.setValue(vault.backup_count)
            self.backup_folder_edit = QLineEdit(vault.backup_folder_setting, objectName="backup_folder_edit")
            self.backup_folder_edit.setPlaceholderText("beside the vault")
            choose = QPushButton("Choose…")
            choose.clicked.connect(self._choose_folder)
            row = QHBoxLayout()
            row.addWidget(self.backup_folder_edit, 1)
            row.addWidget(choose)
            form.addRow(QLabel(f"<b>This vault</b> ({vault.path.name})"))
            form.addRow("Automatic backups to keep", self.backups_spin)
            form.addRow("Backup folder", row)
            self.backup_message = QLabel("", objectName="backup_message")
            self.backup_message.setStyleSheet("color: #b00020;")
            form.addRow("", self.backup_message)
        note = QLabel("Settings never contain a password or passphrase.")
        note.setStyleSheet("color: gray;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        from vaultapp.gui.browser_settings import BrowserSettingsPage

        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addStretch(1)
        general_layout.addWidget(note)
        self.browser_page = BrowserSettingsPage(settings, vault)
        self.tabs = QTabWidget(objectName="settings_tabs")
        self.tabs.addTab(general, "General")
        self.tabs.addTab(self.browser_page, "Browser integration")
        self.desktop_page = desktop_page(self, settings)
        self.tabs.addTab(self.desktop_page, "Desktop")
        from vaultapp.gui.ssh_settings import SshAgentSettingsPage

        self.ssh_agent_page = SshAgentSettingsPage(settings, vault)
        self.tabs.addTab(self.ssh_agent_page, "SSH agent")
        from vaultapp.gui.autotype_settings import AutoTypeSettingsPage

        self.autotype_page = AutoTypeSettingsPage(settings)
        self.tabs.addTab(self.autotype_page, "Auto-type")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        assert self.vault is not None
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for automatic backups", str(self.vault.backup_folder)
        )
        if folder:
            self.backup_folder_edit.setText(folder)

    def _accept(self) -> None:
        """The vault's part is checked first: a folder that does not exist keeps the dialog open."""
        if self.autotype_page.problem() is not None:  # a sequence or shortcut that does not parse
            self.tabs.setCurrentWidget(self.autotype_page)
            return
        if self.vault is not None:
            try:
                self.vault.backup_folder_setting = self.backup_folder_edit.text()
                self.vault.backup_count = self.backups_spin.value()
            except VaultError as exc:
                self.backup_message.setText(str(exc))
                return
        self.accept()

    def apply(self) -> None:
        self.settings.clipboard_seconds = self.clipboard_spin.value()
        self.settings.idle_lock_seconds = self.idle_spin.value() * 60
        self.settings.lock_on_minimize = self.minimize_check.isChecked()
        self.settings.show_passwords_in_table = self.passwords_check.isChecked()
        self.settings.theme = self.theme_combo.currentData()
        self.browser_page.apply()
        self.desktop_page.apply()
        self.ssh_agent_page.apply()
        self.autotype_page.apply()
        self.settings.sync()

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings, vault: Vault | None = None) -> bool:
        dialog = cls(parent, settings, vault)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            dialog.apply()
            return True
        return False


def desktop_page(dialog: QWidget, settings: Settings):
    """Settings → Desktop, saying what the parent window's desktop offers (tray, lock signals)."""
    from vaultapp.gui.desktop_settings import DesktopSettingsPage
    from vaultapp.gui.tray import Tray

    link = getattr(dialog.parent(), "desktop", None)
    status = link.lock_status() if link is not None else {}
    return DesktopSettingsPage(settings, tray_available=Tray.available(), lock_status=status)


def ask_conflict(parent: QWidget | None, name: str) -> str:
    """'merge', 'reload', 'overwrite' or 'cancel' after the vault file changed on disk."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The vault changed on disk")
    box.setText(
        f"{name} was changed by another program (a sync tool or another vaultapp) since you opened it."
    )
    box.setInformativeText(
        "Merge keeps both: entries changed on either side are combined; where both changed one "
        "entry, the later edit (by the order of edits, not clocks) wins and the other goes into "
        "its history. Or reload theirs (your last change is "
        "dropped), or overwrite with yours (theirs is kept as a .bak file next to the vault)."
    )
    merge_button = box.addButton("Merge both", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(merge_button)
    reload_button = box.addButton("Reload from disk", QMessageBox.ButtonRole.ActionRole)
    overwrite_button = box.addButton("Overwrite with mine", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is merge_button:
        return "merge"
    if clicked is reload_button:
        return "reload"
    if clicked is overwrite_button:
        return "overwrite"
    return "cancel"
