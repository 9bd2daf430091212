"""The browser prompts: naming a browser that asks to connect (with its key's fingerprint), and
Allow/Deny of entries for a site (Remember keeps the answer in the vault)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.browser.callbacks import Access
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.widgets import at_least_wide

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry


def fingerprint(id_key: str) -> str:
    """The first 80 bits of SHA-256 of the browser's identification key, in groups of four: tells
    one connection request from another (the key itself is never shown)."""
    try:
        raw = base64.b64decode(id_key, validate=True)
    except (binascii.Error, ValueError):
        raw = id_key.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()[:20]
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


class AssociateDialog(QDialog):
    """A browser asks to connect: the user names it (the name is shown in Settings), or cancels."""

    def __init__(self, parent: QWidget | None, id_key: str, vault_name: str) -> None:
        super().__init__(parent)
        self.setObjectName("browser_associate_dialog")
        self.setWindowTitle(tr("Connect a browser"))
        text = QLabel(
            fill(
                tr(
                    "A browser with the KeePassXC-Browser extension asks to use <b>%1</b>. Connect it only "
                    "if you just clicked Connect in the extension. Give it a name you will recognise in "
                    "Settings → Browser integration."
                ),
                html.escape(vault_name),
            )
        )
        text.setWordWrap(True)
        self.fingerprint_label = QLabel(
            fill(tr("Key fingerprint: <tt>%1</tt>"), fingerprint(id_key)), objectName="browser_fingerprint"
        )
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = QLineEdit(objectName="browser_name_edit")
        self.name_edit.setPlaceholderText(tr("for example: Firefox at home"))
        self.name_edit.setAccessibleName(tr("Name of this browser"))
        self.connect_button = QPushButton(tr("Connect"), objectName="browser_connect_button")
        self.connect_button.setDefault(True)
        self.connect_button.setEnabled(False)
        self.name_edit.textChanged.connect(lambda t: self.connect_button.setEnabled(bool(t.strip())))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(QLabel(tr("Name of this browser:")))
        layout.addWidget(self.name_edit)
        layout.addWidget(buttons)
        at_least_wide(self, 460)

    def name(self) -> str | None:
        """The name given, once accepted."""
        text = self.name_edit.text().strip()
        return text if self.result() == QDialog.DialogCode.Accepted and text else None


class AccessDialog(QDialog):
    """A site asks for logins: each entry can be unticked; Allow hands out the ticked ones."""

    def __init__(self, parent: QWidget | None, entries: list[Entry], host: str, client: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("browser_access_dialog")
        self.setWindowTitle(tr("A site asks for logins"))
        who = fill(tr("The browser <b>%1</b>"), html.escape(client)) if client else tr("A connected browser")
        text = QLabel(
            fill(tr("%1 asks for logins on <b>%2</b>:"), who, html.escape(host) if host else tr("this page"))
        )
        text.setObjectName("browser_access_text")
        text.setWordWrap(True)
        self.list = QListWidget(objectName="browser_access_list")
        self.list.setAccessibleName(tr("Logins for this site"))
        for entry in entries:
            label = entry.title + (f" ({entry.username})" if entry.username else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, entry.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        rows = max(1, min(len(entries), 8))  # as tall as the entries, up to eight rows
        self.list.setMaximumHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4)
        text.setTextFormat(Qt.TextFormat.RichText)  # the host is escaped: it comes from the page
        self.remember_check = QCheckBox(
            fill(tr("Remember this for %1"), host or tr("this site")), objectName="browser_remember_check"
        )
        self.allow_button = QPushButton(tr("Allow"), objectName="browser_allow_button")
        self.deny_button = QPushButton(tr("Deny"), objectName="browser_deny_button")
        self.allow_button.setDefault(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.allow_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.deny_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(self.remember_check)
        layout.addWidget(buttons)
        at_least_wide(self, 460)
        self.denied_by_user = False
        self.deny_button.clicked.connect(lambda: setattr(self, "denied_by_user", True))

    def access(self) -> Access:
        """Allow: the ticked entries; Deny: none. Remember only when the user answered (a dialog
        closed by a lock or Escape is not remembered)."""
        if self.result() != QDialog.DialogCode.Accepted:
            return Access(frozenset(), remember=self.denied_by_user and self.remember_check.isChecked())
        allowed = frozenset(
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )
        return Access(allowed, remember=self.remember_check.isChecked())
