"""The create-vault dialog: location, passphrase twice with a strength meter, unlock time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.kdf import DEFAULT_POLICY, UNLOCK_MS_DEFAULT, UNLOCK_MS_MAX, UNLOCK_MS_MIN, KdfPolicy
from vaultapp.core.keys import same_secret
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.second_factors import FactorChoice
from vaultapp.gui.settings import Settings, default_vault_path
from vaultapp.gui.widgets import PassphraseEdit, StrengthBar, at_least_wide, grow_to_fit, hbox, notice_label
from vaultapp.gui.workers import run_in_background
from vaultapp.health.strength import WEAK_SCORE  # one rule for the window and the CLI


def free_name(path: Path) -> Path:
    """``Passwords-2.vault``, ``Passwords-3.vault``…: the first name beside ``path`` not taken."""
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path


class CreateVaultDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        policy: KdfPolicy | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings  # where the new vault's key file path is remembered
        self.setWindowTitle(tr("Create a new vault"))
        self.policy = policy or DEFAULT_POLICY
        self.vault: object | None = None

        self.location_edit = QLineEdit(str(default_vault_path()), objectName="location_edit")
        self.location_edit.setAccessibleName(tr("Location"))
        browse = QPushButton(tr("Browse…"), objectName="browse_button")
        browse.clicked.connect(self._browse)
        # A file already at the location is said at once, before anything is typed, with a free name.
        self.location_warning = QLabel(objectName="location_warning")
        self.location_warning.setWordWrap(True)
        self.location_warning.setStyleSheet("color: #b45309;")
        self.other_name_button = QPushButton(objectName="other_name_button")
        self.other_name_button.clicked.connect(self._use_free_name)
        self.location_edit.textChanged.connect(self._location_changed)
        self.passphrase_edit = PassphraseEdit(placeholder=tr("A long passphrase you can remember"))
        self.passphrase_edit.setObjectName("new_passphrase_edit")
        self.repeat_edit = PassphraseEdit(placeholder=tr("The same passphrase again"))
        self.repeat_edit.setObjectName("repeat_passphrase_edit")
        self.strength = StrengthBar(self)
        self.weak_warning = notice_label("weak_warning", "warning")
        self.error_label = notice_label("create_error", "error")
        self.caps_warning = QLabel(tr("⚠ Caps Lock is on"), objectName="caps_warning")
        self.caps_warning.hide()
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.caps_lock_changed.connect(self.caps_warning.setVisible)

        self.factors = FactorChoice(self)  # a key file, a YubiKey (gui/second_factors.py)
        self.factors.no_passphrase_check.toggled.connect(self._passphrase_needed)
        self.factors.changed.connect(lambda: grow_to_fit(self))
        # A disclosure button, not a checkable group box: collapsed, that was an empty grey bar.
        self.advanced = QToolButton(objectName="advanced_toggle")
        self.advanced.setText(tr("Advanced: unlock time, key derivation"))
        self.advanced.setCheckable(True)
        self.advanced.setChecked(False)
        self.advanced.setAutoRaise(True)
        self.advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced.toggled.connect(
            lambda on: self.advanced.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        )
        self.unlock_ms = QSpinBox(objectName="unlock_ms_spin")
        self.unlock_ms.setRange(UNLOCK_MS_MIN, UNLOCK_MS_MAX)
        self.unlock_ms.setSingleStep(100)
        self.unlock_ms.setValue(UNLOCK_MS_DEFAULT)
        self.unlock_ms.setSuffix(tr(" ms"))
        self.kdf_combo = QComboBox(objectName="kdf_combo")
        self.kdf_combo.addItem(tr("Argon2id (recommended)"), "argon2id")
        self.kdf_combo.addItem(tr("scrypt"), "scrypt")
        self.advanced_body = QWidget(objectName="advanced_body")
        advanced_form = QFormLayout(self.advanced_body)
        advanced_form.setContentsMargins(24, 0, 0, 0)
        advanced_form.addRow(tr("Unlock time"), self.unlock_ms)
        advanced_form.addRow(tr("Key derivation"), self.kdf_combo)
        hint = QLabel(tr("A longer unlock time makes every guess at your passphrase slower for an attacker."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: gray;")
        advanced_form.addRow(hint)
        self.advanced_body.setVisible(False)
        self.advanced.toggled.connect(self.advanced_body.setVisible)
        self.advanced.toggled.connect(lambda _on: self.adjustSize())

        self.busy_bar = QProgressBar(objectName="create_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(6)
        self.busy_bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            tr("Create vault"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("create_vault_button")
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("Location"), hbox(self.location_edit, browse))
        self.location_note = QWidget(objectName="location_note")
        note_layout = hbox(self.location_warning, self.other_name_button)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.setStretch(0, 1)
        self.location_note.setLayout(note_layout)
        form.addRow("", self.location_note)
        form.addRow(tr("Passphrase"), self.passphrase_edit)
        form.addRow("", self.strength)
        form.addRow(tr("Repeat"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.caps_warning, self.weak_warning, self.factors, self.advanced, self.advanced_body):
            layout.addWidget(widget)
        for widget in (self.error_label, self.busy_bar):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.passphrase_edit.textChanged.connect(self._passphrase_changed)
        self._location_changed(self.location_edit.text())
        # The passphrase is what the user types first: never into the (clear-text) file name.
        self.setTabOrder(self.passphrase_edit, self.repeat_edit)
        at_least_wide(self, 520)
        self.passphrase_edit.setFocus()

    def _location_changed(self, text: str) -> None:
        path = Path(text.strip()).expanduser() if text.strip() else None
        taken = path is not None and path.exists() and bool(path.name)  # "/" while typing a path
        self.location_note.setVisible(taken)
        if path is not None and taken:
            self.location_warning.setText(fill(tr("%1 exists already in %2."), path.name, path.parent))
            self.other_name_button.setText(fill(tr("Use “%1” instead"), free_name(path).name))

    def _use_free_name(self) -> None:
        path = Path(self.location_edit.text().strip()).expanduser()
        self.location_edit.setText(str(free_name(path)))
        self.passphrase_edit.setFocus()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("New vault"), self.location_edit.text(), tr("Vaults (*.vault)")
        )
        if name:
            self.location_edit.setText(name if name.endswith(".vault") else name + ".vault")

    def _passphrase_changed(self, text: str) -> None:
        score = self.strength.update_for(text)
        weak = bool(text) and score < WEAK_SCORE
        self.weak_warning.setVisible(weak)
        if weak:
            self.weak_warning.setText(
                tr(
                    "This passphrase is easy to guess. Use five or more random words, or let the "
                    "generator make one; you can still continue."
                )
            )
        grow_to_fit(self)

    def _passphrase_needed(self, without: bool) -> None:
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.setEnabled(not without)
            if without:
                edit.clear()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        grow_to_fit(self)

    def create(self) -> None:
        path = Path(self.location_edit.text().strip()).expanduser()
        passphrase = self.passphrase_edit.text()
        if not self.location_edit.text().strip():
            self._show_error(tr("Choose where to keep the vault file."))
            return
        if path.exists():
            self._show_error(
                fill(tr("%1 exists already. Choose another name, or open that vault instead."), path)
            )
            return
        without = self.factors.without_passphrase()
        if not passphrase and not without:
            self._show_error(tr("Type a passphrase."))
            return
        if not without and not same_secret(passphrase, self.repeat_edit.text()):
            self._show_error(tr("The two passphrases do not match."))
            self.repeat_edit.setFocus()
            self.repeat_edit.selectAll()
            return
        if (missing := self.factors.problem()) is not None:
            self._show_error(missing)
            return
        keyfile, slot = self.factors.keyfile(), self.factors.yubikey_slot()
        try:
            yubikey = self.factors.yubikey()
        except Exception as exc:  # noqa: BLE001 - no yubikey-manager: said here
            self._show_error(error_text(exc))
            return
        unlock_ms, kdf_name, policy = self.unlock_ms.value(), self.kdf_combo.currentData(), self.policy
        self.error_label.hide()
        self._set_busy(True)

        def work() -> object:
            from vaultapp.core.vault import Vault

            return Vault.create(
                path, None if without else passphrase, keyfile=keyfile, yubikey=yubikey, yubikey_slot=slot,
                kdf_name=kdf_name, unlock_ms=unlock_ms, policy=policy,
            )  # fmt: skip

        run_in_background(self, work, self._created, self._failed)

    def _created(self, vault: object) -> None:
        self.vault = vault
        keyfile = self.factors.keyfile()
        if keyfile is not None and self.settings is not None:
            self.settings.set_keyfile_for(Path(self.location_edit.text().strip()).expanduser(), keyfile)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(error_text(exc))

    def _set_busy(self, busy: bool) -> None:
        """While the KDF is measured and run: a busy bar, and the inputs locked."""
        self.busy_bar.setVisible(busy)
        self.create_button.setText(tr("Measuring this computer…") if busy else tr("Create vault"))
        for widget in (
            self.create_button,
            self.location_edit,
            self.passphrase_edit,
            self.repeat_edit,
            self.advanced,
            self.factors,
        ):
            widget.setEnabled(not busy)
        if not busy:
            self._passphrase_needed(self.factors.without_passphrase())

    @classmethod
    def ask(cls, parent: QWidget | None, *, policy: KdfPolicy | None = None) -> object | None:
        """Show the dialog; returns the new, open Vault or None. A key file chosen is remembered
        for the new vault in the parent window's settings (its path only)."""
        settings = getattr(parent, "settings", None)
        dialog = cls(parent, policy=policy, settings=settings if isinstance(settings, Settings) else None)
        return dialog.vault if dialog.exec() == QDialog.DialogCode.Accepted else None
