"""Settings → Secret Service: the on/off switch, the folder served as the default collection, the
question before a program reads a secret, the notification, the programs always allowed (each
with a Forget button), and what serves ``org.freedesktop.secrets`` now (vaultapp, another
provider such as gnome-keyring or KeePassXC, or nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.gui.i18n import fill, tr
from vaultapp.secretservice.store import DEFAULT_FOLDER

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault
    from vaultapp.gui.secret_link import SecretLink
    from vaultapp.gui.settings import Settings


class SecretSettingsPage(QWidget):
    """The page; the switches and the folder are applied with the dialog's OK (``apply``),
    Forget acts at once."""

    def __init__(
        self, settings: Settings, vault: Vault | None, link: SecretLink | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("secret_settings_page")
        self.settings = settings
        self.link = link
        self.enabled_check = QCheckBox(
            tr("Be the desktop's Secret Service (secret-tool, keyring, GNOME and KDE apps, git's helper)"),
            objectName="secret_enabled_check",
        )
        self.enabled_check.setChecked(settings.secret_service_enabled)
        self.folder_combo = QComboBox(objectName="secret_folder_combo")
        self.folder_combo.setEditable(True)
        folders = list(vault.folders) if vault is not None else []
        current = settings.secret_service_folder or DEFAULT_FOLDER
        for folder in sorted({*folders, current, DEFAULT_FOLDER}, key=str.casefold):
            self.folder_combo.addItem(folder)
        self.folder_combo.setCurrentText(current)
        self.confirm_check = QCheckBox(
            tr("Ask before a program reads a secret (Allow once, Allow always, Deny)"),
            objectName="secret_confirm_check",
        )
        self.confirm_check.setChecked(settings.secret_service_confirm)
        self.notify_check = QCheckBox(tr("Say in the status bar when a program reads a secret"))
        self.notify_check.setObjectName("secret_notify_check")
        self.notify_check.setChecked(settings.secret_service_notify)
        intro = QLabel(
            tr(
                "Programs store and read their secrets as entries of the folder below, while the vault is "
                "unlocked; nothing is served while it is locked. Check it with:\n"
                "secret-tool store --label=Test service demo   then   secret-tool lookup service demo"
            )
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel("", objectName="secret_state")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)  # another program's path
        form = QFormLayout()
        form.addRow(tr("Folder"), self.folder_combo)
        self.allowed_box = QGroupBox(tr("Programs always allowed"))
        self.allowed_layout = QVBoxLayout(self.allowed_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.confirm_check)
        layout.addWidget(self.notify_check)
        layout.addWidget(self.allowed_box)
        layout.addWidget(self.state)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.state.setText(self.describe())
        while self.allowed_layout.count():
            item = self.allowed_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        allowed = self.settings.secret_service_programs("allow")
        if not allowed:
            self.allowed_layout.addWidget(QLabel(tr("None yet.")))
        for program in allowed:
            row = QWidget(objectName="secret_allowed_row")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(program)
            label.setTextFormat(Qt.TextFormat.PlainText)
            line.addWidget(label, 1)
            forget = QPushButton(tr("Forget"), objectName="secret_forget_button")
            forget.clicked.connect(lambda _c=False, p=program: self._forget(p))
            line.addWidget(forget)
            self.allowed_layout.addWidget(row)

    def describe(self) -> str:
        """Who serves org.freedesktop.secrets now, in one line."""
        if self.link is not None and self.link.server is not None:
            return tr("vaultapp is the Secret Service now.")
        if self.link is not None and self.link.error:
            return self.link.error
        from vaultapp.secretservice.bus import provider

        try:
            other = provider()
        except OSError as exc:
            return fill(tr("No session bus here (%1)."), exc)
        if other:
            return fill(
                tr("%1 is the Secret Service now; quit it (or switch its provider off) first."), other
            )
        return tr("Nothing is the Secret Service now.")

    def _forget(self, program: str) -> None:
        allowed = [p for p in self.settings.secret_service_programs("allow") if p != program]
        self.settings.set_secret_service_programs("allow", allowed)
        self.refresh()

    def apply(self) -> None:
        self.settings.secret_service_enabled = self.enabled_check.isChecked()
        self.settings.secret_service_folder = self.folder_combo.currentText().strip() or DEFAULT_FOLDER
        self.settings.secret_service_confirm = self.confirm_check.isChecked()
        self.settings.secret_service_notify = self.notify_check.isChecked()
