"""Entry → New SSH key…: makes a new Ed25519 key pair into a new entry (the private key in its
protected ``SSH private key`` field, the public key in ``SSH public key``, the agent settings in
``SSH agent``) and shows the public key for copying into ``authorized_keys``."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.gui.host import WindowHost


def default_comment() -> str:
    """``user@host``, as ssh-keygen writes it."""
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (OSError, KeyError):
        return ""


class SshKeygenDialog(QDialog):
    """Fill in, Create (the entry is added and saved), then copy the public key and Close."""

    def __init__(self, parent: QWidget | None, host: WindowHost, folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("ssh_keygen_dialog")
        self.setWindowTitle("New SSH key")
        self.host = host
        self.folder = folder
        self.entry: Entry | None = None
        self.on_created: Callable[[Entry], None] | None = None  # the agent link's add_new
        self.title_edit = QLineEdit("SSH key", objectName="ssh_title_edit")
        self.comment_edit = QLineEdit(default_comment(), objectName="ssh_comment_edit")
        self.add_check = QCheckBox("Add to the SSH agent at unlock", objectName="ssh_add_check")
        self.add_check.setChecked(True)
        self.confirm_check = QCheckBox("The agent asks before each use", objectName="ssh_confirm_check")
        self.lifetime_spin = QSpinBox(objectName="ssh_lifetime_spin")
        self.lifetime_spin.setRange(0, 7 * 24 * 60)
        self.lifetime_spin.setSuffix(" min")
        self.lifetime_spin.setSpecialValueText("until the vault locks")
        self.protect_check = QCheckBox(
            "Also encrypt the key with a generated passphrase (kept as the entry's password)",
            objectName="ssh_protect_check",
        )
        form = QFormLayout()
        form.addRow("Entry title", self.title_edit)
        form.addRow("Key comment", self.comment_edit)
        form.addRow("", self.add_check)
        form.addRow("", self.confirm_check)
        form.addRow("Lifetime in the agent", self.lifetime_spin)
        form.addRow("", self.protect_check)
        self.public_view = QPlainTextEdit(objectName="ssh_public_key_view")
        self.public_view.setReadOnly(True)
        self.public_view.setPlaceholderText("The public key appears here, for authorized_keys.")
        self.message = QLabel("", objectName="ssh_keygen_message")
        self.message.setWordWrap(True)
        self.create_button = QPushButton("Create", objectName="ssh_create_button")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        self.copy_button = QPushButton("Copy public key", objectName="ssh_copy_button")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_public)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.public_view)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def create(self) -> None:
        from vaultapp.generators.password import generate_password
        from vaultapp.sshagent.entries import KEY_FIELD, PUBLIC_FIELD, SETTINGS_FIELD, KeySettings
        from vaultapp.sshagent.keys import generate_ed25519

        vault = self.host.vault
        title = self.title_edit.text().strip()
        if vault is None or not title:
            self.message.setText("Give the entry a title." if vault is not None else "The vault is locked.")
            return
        minutes = self.lifetime_spin.value()
        settings = KeySettings(
            add_on_unlock=self.add_check.isChecked(),
            confirm=self.confirm_check.isChecked(),
            lifetime=minutes * 60 if minutes else None,
        )
        passphrase = generate_password().value if self.protect_check.isChecked() else None
        pair = generate_ed25519(self.comment_edit.text().strip() or title, passphrase)
        custom = [(KEY_FIELD, pair.private_openssh, True), (PUBLIC_FIELD, pair.public_line, False)]
        if settings.text():
            custom.append((SETTINGS_FIELD, settings.text(), False))
        try:
            self.entry = vault.add(title, password=passphrase, folder=self.folder, custom=custom)
        except VaultError as exc:
            self.message.setText(str(exc))
            return
        self.host.save()
        self.host.after_change(self.entry)
        if settings.add_on_unlock and self.on_created is not None:
            self.on_created(self.entry)
        self.public_view.setPlainText(pair.public_line)
        self.message.setText(f"Made entry “{title}” with the key {pair.fingerprint}.")
        self.create_button.setEnabled(False)
        self.copy_button.setEnabled(True)

    def copy_public(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.public_view.toPlainText())  # public: no clearing
        self.message.setText("The public key is on the clipboard.")
