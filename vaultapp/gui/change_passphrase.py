"""File → Change passphrase…: the current passphrase, the new one twice, the key file and YubiKey
(gui/second_factors.py), the KDF off the GUI thread."""

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
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.second_factors import FactorChoice
from vaultapp.gui.widgets import PassphraseEdit, StrengthBar, at_least_wide, grow_to_fit, notice_label
from vaultapp.gui.workers import run_in_background
from vaultapp.health.strength import WEAK_SCORE

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault


class ChangePassphraseDialog(QDialog):
    """Checks the current passphrase, then ``Vault.change_passphrase`` (backups re-keyed too)."""

    def __init__(self, parent: QWidget | None, vault: Vault, *, keyfile: str = "") -> None:
        super().__init__(parent)
        current = vault.header.factors
        self.current_keyfile = keyfile  # the key file the vault was unlocked with (its path)
        self.setWindowTitle(tr("Change master passphrase"))
        self.vault = vault
        self.busy = False
        self.old_edit = PassphraseEdit(placeholder=tr("The passphrase you unlocked with"))
        self.old_edit.setObjectName("old_passphrase_edit")
        self.new_edit = PassphraseEdit(placeholder=tr("A long passphrase you can remember"))
        self.new_edit.setObjectName("new_passphrase_edit")
        self.repeat_edit = PassphraseEdit(placeholder=tr("The same passphrase again"))
        self.repeat_edit.setObjectName("repeat_passphrase_edit")
        self.strength = StrengthBar(self)
        self.weak_warning = notice_label("weak_warning", "warning")
        self.error_label = notice_label("change_error", "error")
        self.factors = FactorChoice(self, current=current, keyfile=keyfile if current.keyfile else "")
        self.factors.no_passphrase_check.toggled.connect(self._passphrase_needed)
        self.factors.changed.connect(lambda: grow_to_fit(self))
        self.new_keyfile: str | None = None  # after a change: the key file the vault now needs
        note = QLabel(
            tr(
                "Everything is re-encrypted under the new passphrase, the automatic backups too. "
                "Other copies (exports, synced copies on other devices) keep their old passphrase."
            )
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
        self.change_button = self.buttons.addButton(tr("Change passphrase"), accept)
        self.change_button.setObjectName("change_passphrase_button")
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Current"), self.old_edit)
        self.old_edit.setVisible(current.passphrase)
        form.labelForField(self.old_edit).setVisible(current.passphrase)
        form.addRow(tr("New"), self.new_edit)
        form.addRow("", self.strength)
        form.addRow(tr("Repeat new"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.weak_warning, self.factors, note, self.error_label, self.busy_bar, self.buttons):
            layout.addWidget(widget)
        self.new_edit.textChanged.connect(self._new_changed)
        self._passphrase_needed(self.factors.without_passphrase())
        at_least_wide(self, 480)
        self.old_edit.setFocus()

    def _passphrase_needed(self, without: bool) -> None:
        for edit in (self.new_edit, self.repeat_edit):
            edit.setEnabled(not without)
            if without:
                edit.clear()

    def _new_changed(self, text: str) -> None:
        score = self.strength.update_for(text)
        weak = bool(text) and score < WEAK_SCORE
        self.weak_warning.setVisible(weak)
        self.weak_warning.setText(
            tr("This passphrase is easy to guess. Use five or more random words; you can still continue.")
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
        current = self.vault.header.factors
        old: str | None = self.old_edit.text() if current.passphrase else None
        without = self.factors.without_passphrase()
        new: str | None = None if without else self.new_edit.text()
        if old == "":
            self._show_error(tr("Type the current passphrase."), self.old_edit)
            return
        if new == "":
            self._show_error(tr("Type a new passphrase."), self.new_edit)
            return
        if new is not None and not same_secret(new, self.repeat_edit.text()):
            self._show_error(tr("The two new passphrases do not match."), self.repeat_edit)
            return
        if (missing := self.factors.problem()) is not None:
            self._show_error(missing)
            return
        if current.keyfile and not self.current_keyfile:
            self._show_error(
                tr("The key file this vault was unlocked with is not known; lock and unlock again.")
            )
            return
        old_keyfile = self.current_keyfile if current.keyfile else None
        keyfile, slot = self.factors.keyfile(), self.factors.yubikey_slot()
        try:
            from vaultapp.gui.second_factors import yubikey_driver

            old_yubikey = yubikey_driver() if current.yubikey_slot is not None else None
            yubikey = self.factors.yubikey()
        except Exception as exc:  # noqa: BLE001 - no yubikey-manager: said here
            self._show_error(error_text(exc))
            return
        vault = self.vault
        self._set_busy(True)

        def work() -> None:
            vault.check_passphrase(old, keyfile=old_keyfile, yubikey=old_yubikey)
            vault.change_passphrase(new, keyfile=keyfile, yubikey=yubikey, yubikey_slot=slot)

        run_in_background(self, work, self._changed, self._failed)

    def _changed(self, _result: object) -> None:
        self.new_keyfile = self.factors.keyfile()
        self._set_busy(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphraseError):
            what = self.vault.header.factors.describe().replace(" and ", " or ")
            self._show_error(fill(tr("The current %1 is wrong. Nothing was changed."), what), self.old_edit)
        else:
            self._show_error(error_text(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.change_button.setText(tr("Re-encrypting…") if busy else tr("Change passphrase"))
        for widget in (self.change_button, self.old_edit, self.new_edit, self.repeat_edit, self.factors):
            widget.setEnabled(not busy)
        if not busy:
            self._passphrase_needed(self.factors.without_passphrase())
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        if busy:
            self.error_label.hide()

    def reject(self) -> None:
        if not self.busy:  # the file is being rewritten: Escape and the close button wait
            super().reject()
