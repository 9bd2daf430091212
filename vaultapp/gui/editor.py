"""The entry editor: every field of an entry, a strength bar, custom fields, attachments,
unsaved-change prompt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QDateTime, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.core.passkeys import is_passkey_field, passkey_of
from vaultapp.gui.detail import short_id
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.widgets import PassphraseEdit, StrengthBar, at_least_wide, hbox, size_within_screen

if TYPE_CHECKING:
    from vaultapp.gui.attachments import AttachmentActions, EditorAttachments

Values = dict[str, Any]
PASSKEY_TIP = QT_TR_NOOP("A passkey from KeePassXC or Bitwarden: kept as it is, not editable here")
DATE_FORMAT = "yyyy-MM-dd HH:mm"  # as everywhere in the window, whatever the locale
EMPTY: Values = {
    "title": "", "username": "", "password": None, "url": "", "notes": "", "tags": [], "folder": "",
    "totp": None, "custom": [], "expires": None, "favourite": False, "attachments": (),
}  # fmt: skip


class EntryEditor(QDialog):
    """Edit values; ``on_save(values)`` applies them (it raises VaultError to keep the dialog open)."""

    def __init__(
        self,
        parent: QWidget | None,
        values: Values,
        on_save: Callable[[Values], None],
        *,
        folders: list[str] = (),  # type: ignore[assignment]
        target: str | None = None,
        title: str = "",
        generate: Callable[[], str | None] | None = None,
        attachments: AttachmentActions | None = None,
    ) -> None:
        """With ``attachments``, an Attachments section (and files dropped on the editor are added)."""
        super().__init__(parent)
        self.setWindowTitle(title or tr("Edit entry"))
        self.target = target
        self._on_save = on_save
        self.title_edit = QLineEdit(objectName="title_edit")
        self.username_edit = QLineEdit(objectName="username_edit")
        self.password_edit = PassphraseEdit()
        self.password_edit.setObjectName("password_edit")
        self.strength = StrengthBar(self)
        self.url_edit = QLineEdit(objectName="url_edit")
        self.url_edit.setPlaceholderText(tr("https://"))
        self.tags_edit = QLineEdit(objectName="tags_edit")
        self.tags_edit.setPlaceholderText(tr("comma-separated, e.g. work, email"))
        self.folder_combo = QComboBox(objectName="folder_combo")
        self.folder_combo.setEditable(True)
        self.folder_combo.addItems(["", *folders])
        self.totp_edit = QLineEdit(objectName="totp_edit")
        self.totp_edit.setAccessibleName(tr("One-time codes"))
        self.totp_edit.setPlaceholderText(tr("otpauth://totp/… or the base32 secret"))
        self.totp_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.expires_check = QCheckBox(tr("Expires"), objectName="expires_check")
        self.expires_edit = QDateTimeEdit(objectName="expires_edit")
        self.expires_edit.setAccessibleName(tr("Expiry date"))
        self.expires_edit.setCalendarPopup(True)
        self.expires_edit.setDisplayFormat(DATE_FORMAT)  # ISO: the C locale's would read 29 11 2027
        self.expires_edit.setDateTime(QDateTime.currentDateTime().addDays(365))
        self.expires_check.toggled.connect(self.expires_edit.setEnabled)
        self.expires_edit.setEnabled(False)
        self.favourite_check = QCheckBox(tr("Favourite"), objectName="favourite_check")
        self.notes_edit = QPlainTextEdit(objectName="notes_edit")
        self.notes_edit.setTabChangesFocus(True)  # Tab goes on to the next field, as in every other one
        self.notes_edit.setMaximumHeight(110)
        # A KeePassXC passkey is shown as one read-only block; its fields go back out unchanged.
        self.passkey_label = QLabel(objectName="passkey_block")
        self.passkey_label.setWordWrap(True)
        self.passkey_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passkey_label.setToolTip(tr(PASSKEY_TIP))
        self._layout: list[tuple[str, str, bool] | None] = []  # a passkey field, or None for a table row
        self.custom_table = QTableWidget(0, 3, objectName="custom_table")
        self.custom_table.setTabKeyNavigation(False)  # Tab moves on; arrows move between cells
        self.custom_table.setHorizontalHeaderLabels([tr("Name"), tr("Value"), tr("Protected")])
        self.custom_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.custom_table.verticalHeader().hide()
        self.custom_table.setMaximumHeight(120)
        add_field = QPushButton(tr("Add field"), objectName="add_field_button")
        add_field.clicked.connect(lambda: self._add_custom("", "", False))
        remove_field = QPushButton(tr("Remove field"), objectName="remove_field_button")
        remove_field.clicked.connect(lambda: self.custom_table.removeRow(self.custom_table.currentRow()))
        self.error_label = QLabel(objectName="editor_error")
        self.error_label.setStyleSheet("color: #dc2626;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Username"), self.username_edit)
        self.generate_button = QPushButton(tr("Generate…"), objectName="generate_button")
        self.generate_button.setToolTip(tr("Open the generator (Ctrl+G) and use its value here"))
        self.generate_button.setVisible(generate is not None)
        self._generate = generate
        self.generate_button.clicked.connect(self._use_generated)
        form.addRow(tr("Password"), hbox(self.password_edit, self.generate_button))
        form.addRow("", self.strength)
        form.addRow(tr("URL"), self.url_edit)
        form.addRow(tr("Tags"), self.tags_edit)
        form.addRow(tr("Folder"), self.folder_combo)
        self.totp_button = QPushButton(tr("Set up…"), objectName="totp_setup_button")
        self.totp_button.setToolTip(
            tr("Paste a URI, read a QR code, enter the secret by hand, or show a QR code")
        )
        self.totp_button.clicked.connect(self._setup_totp)
        form.addRow(tr("One-time code"), hbox(self.totp_edit, self.totp_button))
        form.addRow(hbox(self.expires_check, self.expires_edit, self.favourite_check))
        form.addRow(tr("Notes"), self.notes_edit)
        form.addRow(tr("Passkey"), self.passkey_label)
        self.form = form
        form.addRow(tr("Custom fields"), self.custom_table)
        form.addRow("", hbox(add_field, remove_field))
        self.attachments: EditorAttachments | None = None
        self._kept_attachments: tuple[Any, ...] = ()  # without the section: passed through unchanged
        if attachments is not None:
            from vaultapp.gui.attachments import EditorAttachments

            self.attachments = EditorAttachments(attachments, target)
            form.addRow(tr("Attachments"), self.attachments)
            self.setAcceptDrops(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save_button")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # The fields scroll when the screen is too short for them (QT_SCALE_FACTOR=2 on a laptop);
        # the error line and Save/Cancel stay in view below them.
        fields = QWidget(objectName="editor_fields")
        fields.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(objectName="editor_scroll")
        self.scroll.setWidget(fields)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(
            Qt.FocusPolicy.NoFocus
        )  # Tab goes from field to field (it scrolls to them)
        self.scroll.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.password_edit.textChanged.connect(
            lambda text: self.strength.update_for(text, (self.title_edit.text(), self.username_edit.text()))
        )
        self.load(values)
        self._initial = self.values()
        self._sized = False
        at_least_wide(self, 560)
        self.title_edit.setFocus()  # typing starts with the title

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """First shown (styled, so sizes are final): tall enough for all the fields when the
        screen has room, the screen's height (less a margin) when not."""
        if not self._sized:
            self._sized = True
            fields = self.scroll.widget()
            self.layout().activate()
            below = self.height() - self.scroll.height()  # the error line, Save and Cancel, margins
            margins = self.layout().contentsMargins()
            bar = self.scroll.verticalScrollBar().sizeHint().width()  # room for it, in case it shows
            fields_width = fields.minimumSizeHint().width() + bar + margins.left() + margins.right()
            width = max(self.width(), self.sizeHint().width(), fields_width)  # no field cut off at the right
            size_within_screen(self, width, fields.sizeHint().height() + 2 * self.scroll.frameWidth() + below)
        super().showEvent(event)

    def _setup_totp(self) -> None:
        from vaultapp.gui.otp_dialog import OtpSetupDialog

        dialog = OtpSetupDialog(
            self, self.totp_edit.text(), account=self.username_edit.text(), issuer=self.title_edit.text()
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_text is not None:
            self.totp_edit.setText(dialog.result_text)

    def site_rules(self) -> str | None:
        """The entry's site password rules: a custom field named ``passwordrules``, if any."""
        for name, value, _protected in self.values()["custom"]:
            if name.strip().lower() == "passwordrules" and value.strip():
                return str(value)
        return None

    def _use_generated(self) -> None:
        value = self._generate() if self._generate is not None else None
        if value is not None:
            self.password_edit.setText(value)

    def _add_custom(self, name: str, value: str, protected: bool) -> None:
        row = self.custom_table.rowCount()
        self.custom_table.insertRow(row)
        self.custom_table.setItem(row, 0, QTableWidgetItem(name))
        self.custom_table.setItem(row, 1, QTableWidgetItem(value))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if protected else Qt.CheckState.Unchecked)
        self.custom_table.setItem(row, 2, check)

    def load(self, values: Values) -> None:
        values = {**EMPTY, **values}
        self.title_edit.setText(values["title"])
        self.username_edit.setText(values["username"])
        self.password_edit.setText(values["password"] or "")
        self.url_edit.setText(values["url"])
        self.tags_edit.setText(", ".join(values["tags"]))
        self.folder_combo.setCurrentText(values["folder"])
        self.totp_edit.setText(values["totp"] or "")
        self.notes_edit.setPlainText(values["notes"])
        self.favourite_check.setChecked(values["favourite"])
        self.expires_check.setChecked(values["expires"] is not None)
        if values["expires"] is not None:
            self.expires_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(values["expires"].timestamp())))
        self.custom_table.setRowCount(0)
        custom = values["custom"]
        passkey = passkey_of((name, None if protected else value) for name, value, protected in custom)
        self._layout = []
        for name, value, protected in custom:
            if passkey is not None and is_passkey_field(name):
                self._layout.append((name, value, protected))
            else:
                self._layout.append(None)
                self._add_custom(name, value, protected)
        self.form.setRowVisible(self.passkey_label, passkey is not None)
        if passkey is not None:
            # One line (the editor is tall already); the whole credential ID is in the tooltip.
            site, user = escape(passkey.relying_party) or tr("<i>no site</i>"), escape(passkey.username)
            ident = escape(short_id(passkey.credential_id))
            self.passkey_label.setText(
                fill(tr("<b>%1</b> · %2 · ID %3"), site, user or "<i>no username</i>", ident)
            )
            self.passkey_label.setToolTip(
                fill(tr("Credential ID: %1\n%2"), passkey.credential_id, tr(PASSKEY_TIP))
            )
        self._kept_attachments = tuple(values["attachments"])
        if self.attachments is not None:
            self.attachments.load(values["attachments"])

    def values(self) -> Values:
        custom = []
        for row in range(self.custom_table.rowCount()):
            name, value, check = (self.custom_table.item(row, c) for c in range(3))
            custom.append(
                (
                    name.text() if name else "",
                    value.text() if value else "",
                    bool(check and check.checkState() == Qt.CheckState.Checked),
                )
            )
        expires = None
        if self.expires_check.isChecked():
            expires = datetime.fromtimestamp(self.expires_edit.dateTime().toSecsSinceEpoch(), UTC)
        return {
            "title": self.title_edit.text(),
            "username": self.username_edit.text(),
            "password": self.password_edit.text() or None,
            "url": self.url_edit.text().strip(),
            "notes": self.notes_edit.toPlainText(),
            "tags": [t.strip() for t in self.tags_edit.text().split(",") if t.strip()],
            "folder": self.folder_combo.currentText().strip(),
            "totp": self.totp_edit.text().strip() or None,
            "custom": self._with_passkey([c for c in custom if c[0].strip() or c[1]]),
            "expires": expires,
            "favourite": self.favourite_check.isChecked(),
            "attachments": self.attachments.values() if self.attachments else self._kept_attachments,
        }

    def final_values(self) -> Values:
        """``values()`` with every attachment added here in the vault's blob store (for Save and
        for the draft kept at a lock).

        Raises:
            VaultError: an attachment cannot be stored (the vault's limit reached meanwhile).
        """
        values = self.values()
        if self.attachments is not None:
            values["attachments"] = self.attachments.sealed()
        return values

    def _with_passkey(self, rows: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
        """The table's fields with the passkey's read-only ones back where they were."""
        left = iter(rows)
        custom = [kept if kept is not None else next(left, None) for kept in self._layout]
        return [c for c in custom if c is not None] + list(left)

    def _dropped_files(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Any]:
        from vaultapp.gui.attachments import local_files

        return local_files(event.mimeData()) if self.attachments is not None else []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        """Files dragged onto the editor are attachments (a text field takes text as usual)."""
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = self._dropped_files(event)
        if files and self.attachments is not None:
            event.acceptProposedAction()
            self.attachments.add_files(files)
        else:
            super().dropEvent(event)

    @property
    def dirty(self) -> bool:
        return self.values() != self._initial

    def save(self) -> None:
        try:
            self._on_save(self.final_values())
        except VaultError as exc:
            self.error_label.setText(error_text(exc))
            self.error_label.show()
            return
        self._initial = self.values()
        self.accept()

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' for unsaved changes (a test seam: monkeypatch to answer)."""
        answer = QMessageBox.question(
            self,
            tr("Unsaved changes"),
            tr("This entry has changes that are not saved. Save them?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

    def _may_close(self) -> bool:
        """Closing with changes: Save (closes when it succeeds), Discard, or keep editing."""
        if not self.dirty:
            return True
        choice = self.ask_unsaved()
        if choice == "save":
            self.save()  # closes the editor itself; a refusal is shown inline and it stays open
            return False
        return choice == "discard"

    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def close_silently(self) -> None:
        """Close without asking (the vault is locking; the values were kept as a draft)."""
        self._initial = self.values()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)
