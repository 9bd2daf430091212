"""File → Change passphrase…: the current passphrase, the new one twice, the KDF off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import WrongPassphraseError
from vaultapp.core.keys import same_secret
from vaultapp.gui.messages import error_text
from vaultapp.gui.widgets import PassphraseEdit, StrengthBar, grow_to_fit, notice_label
from vaultapp.gui.workers import run_in_background
from vaultapp.health.strength import WEAK_SCORE

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault


class ChangePassphraseDialog(QDialog):
    """Checks the current passphrase, then ``Vault.change_passphrase`` (backups re-keyed too)."""

    def __init__(self, parent: QWidget | None, vault: Vault) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change master passphrase")
        self.setMinimumWidth(480)
        self.vault = vault
        self.busy = False
        self.old_edit = PassphraseEdit(placeholder="The passphrase you unlocked with")
        self.old_edit.setObjectName("old_passphrase_edit")
        self.new_edit = PassphraseEdit(placeholder="A long passphrase you can remember")
        self.new_edit.setObjectName("new_passphrase_edit")
        self.repeat_edit = PassphraseEdit(placeholder="The same passphrase again")
        self.repeat_edit.setObjectName("repeat_passphrase_edit")
        self.strength = StrengthBar(self)
        self.weak_warning = notice_label("weak_warning", "warning")
        self.error_label = notice_label("change_error", "error")
        note = QLabel(
            "Everything is re-encrypted under the new passphrase, the automatic backups too. "
            "Other copies (exports, synced copies on other devices) keep their old passphrase."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: gray;")
        self.busy_bar = QProgressBar(objectName="change_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(6)
        self.busy_bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        accept = QDialogButtonBox.ButtonRole.AcceptRole
        self.change_button = self.buttons.addButton("Change passphrase", accept)
        self.change_button.setObjectName("change_passphrase_button")
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Current", self.old_edit)
        form.addRow("New", self.new_edit)
        form.addRow("", self.strength)
        form.addRow("Repeat new", self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.weak_warning, note, self.error_label, self.busy_bar, self.buttons):
            layout.addWidget(widget)
        self.new_edit.textChanged.connect(self._new_changed)
        self.old_edit.setFocus()

    def _new_changed(self, text: str) -> None:
        score = self.strength.update_for(text)
        weak = bool(text) and score < WEAK_SCORE
        self.weak_warning.setVisible(weak)
        self.weak_warning.setText(
            "This passphrase is easy to guess. Use five or more random words; you can still continue."
        )
        grow_to_fit(self)

    def _show_error(self, text: str, focus: PassphraseEdit | None = None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        grow_to_fit(self)
        if focus is not None:
            focus.setFocus()
            focus.selectAll()

    def change(self) -> None:
        if self.busy:
            return
        old, new = self.old_edit.text(), self.new_edit.text()
        if not old:
            self._show_error("Type the current passphrase.", self.old_edit)
            return
        if not new:
            self._show_error("Type a new passphrase.", self.new_edit)
            return
        if not same_secret(new, self.repeat_edit.text()):
            self._show_error("The two new passphrases do not match.", self.repeat_edit)
            return
        vault = self.vault
        self._set_busy(True)

        def work() -> None:
            vault.check_passphrase(old)
            vault.change_passphrase(new)

        run_in_background(self, work, self._changed, self._failed)

    def _changed(self, _result: object) -> None:
        self._set_busy(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphraseError):
            self._show_error("The current passphrase is wrong. Nothing was changed.", self.old_edit)
        else:
            self._show_error(error_text(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.change_button.setText("Re-encrypting…" if busy else "Change passphrase")
        for widget in (self.change_button, self.old_edit, self.new_edit, self.repeat_edit):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        if busy:
            self.error_label.hide()

    def reject(self) -> None:
        if not self.busy:  # the file is being rewritten: Escape and the close button wait
            super().reject()
