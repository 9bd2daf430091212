"""Second factors in the window: the key file and YubiKey choice of the create and change
dialogs (``FactorChoice``) and the unlock view's key file chooser (``UnlockFactors``).

The rules (which factors a vault takes, what a key file's key is, making one) are the core's
(``core.factors``, ``core.keyfile``); this module only asks. The YubiKey is reached through
``yubikey_driver`` (yubikey-manager; the tests replace it with a software stand-in).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.widgets import hbox, notice_label

if TYPE_CHECKING:
    from vaultapp.core.factors import ChallengeResponse, Factors
    from vaultapp.gui.settings import Settings

KEYFILE_LOSS = QT_TR_NOOP(
    "Keep a copy of the key file somewhere safe and apart from the vault (another USB stick, or "
    "its text printed): without it the vault cannot be opened, not even with the passphrase, and "
    "nobody can recover it."
)
YUBIKEY_LOSS = QT_TR_NOOP(
    "The slot must be set up for HMAC-SHA1 challenge-response (ykman otp chalresp --generate 2). "
    "Program a spare YubiKey with the same secret before you rely on one: without a key that "
    "answers, the vault cannot be opened."
)


def yubikey_driver() -> ChallengeResponse:
    """The YubiKey (yubikey-manager); the tests put a software stand-in here."""
    from vaultapp import yubikey

    return yubikey.default_driver()


def yubikey_offered() -> bool:
    """Offer the YubiKey only where yubikey-manager is installed (the tests say yes)."""
    from vaultapp import yubikey

    return yubikey.available()


def _muted(text: str, name: str) -> QLabel:
    label = QLabel(text, objectName=name)
    label.setWordWrap(True)
    label.setStyleSheet("color: gray;")
    return label


class FactorChoice(QWidget):
    """What the vault will need besides (or instead of) its passphrase: a key file, made here or
    any existing file, and a YubiKey slot. ``current`` presets the vault's present choice."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, current: Factors | None = None, keyfile: str = ""
    ) -> None:
        super().__init__(parent)
        self.keyfile_check = QCheckBox(tr("Also require a key file"), objectName="keyfile_check")
        self.keyfile_edit = QLineEdit(keyfile, objectName="keyfile_edit")
        self.keyfile_edit.setPlaceholderText(tr("The key file: create a new one or choose any file"))
        self.create_keyfile_button = QPushButton(tr("Create key file…"), objectName="create_keyfile_button")
        self.choose_keyfile_button = QPushButton(tr("Choose file…"), objectName="choose_keyfile_button")
        self.create_keyfile_button.clicked.connect(self._create_key_file)
        self.choose_keyfile_button.clicked.connect(self._choose_key_file)
        self.keyfile_body = QWidget(objectName="keyfile_body")
        body = QVBoxLayout(self.keyfile_body)
        body.setContentsMargins(24, 0, 0, 0)
        body.addLayout(hbox(self.keyfile_edit, self.create_keyfile_button, self.choose_keyfile_button))
        self.keyfile_status = notice_label("keyfile_status", "warning")
        body.addWidget(self.keyfile_status)
        body.addWidget(_muted(tr(KEYFILE_LOSS), "keyfile_loss_note"))

        self.yubikey_check = QCheckBox(
            tr("Also require a YubiKey (HMAC-SHA1 challenge-response)"), objectName="yubikey_check"
        )
        self.slot_combo = QComboBox(objectName="yubikey_slot_combo")
        self.slot_combo.addItem(tr("Slot 2 (long touch)"), 2)
        self.slot_combo.addItem(tr("Slot 1 (short touch)"), 1)
        self.yubikey_body = QWidget(objectName="yubikey_body")
        yk = QVBoxLayout(self.yubikey_body)
        yk.setContentsMargins(24, 0, 0, 0)
        yk.addWidget(self.slot_combo)
        yk.addWidget(_muted(tr(YUBIKEY_LOSS), "yubikey_loss_note"))
        offered = yubikey_offered() or (current is not None and current.yubikey_slot is not None)
        self.yubikey_check.setVisible(offered)

        self.no_passphrase_check = QCheckBox(
            tr("No passphrase: the key file (or YubiKey) alone unlocks the vault"),
            objectName="no_passphrase_check",
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.keyfile_check, self.keyfile_body, self.yubikey_check, self.yubikey_body,
            self.no_passphrase_check,
        ):  # fmt: skip
            layout.addWidget(widget)
        if current is not None:
            self.keyfile_check.setChecked(current.keyfile)
            if current.yubikey_slot is not None:
                self.yubikey_check.setChecked(True)
                self.slot_combo.setCurrentIndex(self.slot_combo.findData(current.yubikey_slot))
            self.no_passphrase_check.setChecked(not current.passphrase)
        for check in (self.keyfile_check, self.yubikey_check, self.no_passphrase_check):
            check.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.keyfile_body.setVisible(self.keyfile_check.isChecked())
        self.yubikey_body.setVisible(self.yubikey_check.isChecked())
        second = self.keyfile_check.isChecked() or self.yubikey_check.isChecked()
        self.no_passphrase_check.setEnabled(second)
        if not second:
            self.no_passphrase_check.setChecked(False)
        self.changed.emit()

    def ask_new_path(self) -> str:
        """Where to write a new key file (a test seam)."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Create key file"),
            str(Path.home() / "vault.keyx"),
            tr("Key files (*.keyx *.key);;All files (*)"),
        )
        return name

    def ask_existing_path(self) -> str:
        """Which existing file to use as the key file (a test seam)."""
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Choose key file"), str(Path.home()), tr("All files (*)")
        )
        return name

    def _create_key_file(self) -> None:
        from vaultapp.core.keyfile import create_key_file

        name = self.ask_new_path()
        if not name:
            return
        try:
            create_key_file(name)
        except Exception as exc:  # noqa: BLE001 - said in the dialog, nothing made
            self._status(error_text(exc), ok=False)
            return
        self.keyfile_edit.setText(name)
        self.keyfile_edit.setCursorPosition(0)
        self._status(
            fill(tr("✓ Created %1: 32 random bytes, in KeePassXC's key file format."), Path(name).name)
        )

    def _choose_key_file(self) -> None:
        name = self.ask_existing_path()
        if name:
            self.keyfile_edit.setText(name)
            self.keyfile_edit.setCursorPosition(0)
            self.keyfile_status.hide()

    def _status(self, text: str, *, ok: bool = True) -> None:
        self.keyfile_status.setStyleSheet(f"color: {'#15803d' if ok else '#b45309'};")
        self.keyfile_status.setText(text)
        self.keyfile_status.show()

    def keyfile(self) -> str | None:
        text = self.keyfile_edit.text().strip()
        return str(Path(text).expanduser()) if self.keyfile_check.isChecked() and text else None

    def yubikey_slot(self) -> int | None:
        return int(self.slot_combo.currentData()) if self.yubikey_check.isChecked() else None

    def without_passphrase(self) -> bool:
        return self.no_passphrase_check.isChecked() and self.no_passphrase_check.isEnabled()

    def problem(self) -> str | None:
        """What is missing before the vault can be made or changed (None: nothing)."""
        if self.keyfile_check.isChecked():
            path = self.keyfile()
            if path is None:
                return tr("Create a key file or choose one (or untick “Also require a key file”).")
            if not Path(path).is_file():
                return fill(tr("There is no key file at %1. Create one, or choose an existing file."), path)
        return None

    def yubikey(self) -> ChallengeResponse | None:
        return yubikey_driver() if self.yubikey_check.isChecked() else None


class UnlockFactors(QWidget):
    """The unlock view's part for a vault that needs a key file or a YubiKey (its header says
    so): a key file chooser, its path remembered per vault in the settings (never its content),
    and the YubiKey's slot."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.factors: Factors | None = None
        self.path: Path | None = None
        self.keyfile_edit = QLineEdit(objectName="unlock_keyfile_edit")
        self.keyfile_edit.setPlaceholderText(tr("Key file"))
        self.browse_button = QPushButton(tr("Key file…"), objectName="unlock_keyfile_button")
        self.browse_button.clicked.connect(self._browse)
        self.keyfile_row = QWidget(objectName="unlock_keyfile_row")
        row = hbox(QLabel(tr("Key file:")), self.keyfile_edit, self.browse_button)
        row.setContentsMargins(0, 0, 0, 0)
        self.keyfile_row.setLayout(row)
        self.yubikey_label = QLabel(objectName="unlock_yubikey_label")
        self.yubikey_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.keyfile_row)
        layout.addWidget(self.yubikey_label)
        self.set_vault(None)

    def set_vault(self, path: Path | None) -> None:
        """Read what ``path`` needs from its header (no passphrase needed for that)."""
        from vaultapp.core.errors import VaultError
        from vaultapp.core.vault import Vault

        self.path, self.factors = path, None
        if path is not None:
            try:
                self.factors = Vault.read_header(path).factors
            except (VaultError, OSError):
                self.factors = None  # the unlock says why, in its own words
        keyfile = self.factors is not None and self.factors.keyfile
        slot = self.factors.yubikey_slot if self.factors is not None else None
        self.keyfile_row.setVisible(keyfile)
        self.keyfile_edit.setText(self.settings.keyfile_for(path) if keyfile and path is not None else "")
        self.yubikey_label.setVisible(slot is not None)
        self.yubikey_label.setText(
            fill(tr("Touch your YubiKey (slot %1) when it blinks."), slot) if slot else ""
        )
        self.setVisible(keyfile or slot is not None)

    @property
    def needs_passphrase(self) -> bool:
        return self.factors is None or self.factors.passphrase

    @property
    def second(self) -> bool:
        return self.factors is not None and self.factors.second

    def ask_key_file(self) -> str:
        """Which file is the key file (a test seam)."""
        start = self.keyfile_edit.text() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Choose the vault's key file"), start, tr("All files (*)")
        )
        return name

    def _browse(self) -> None:
        name = self.ask_key_file()
        if name:
            self.keyfile_edit.setText(name)

    def problem(self) -> str | None:
        if self.factors is not None and self.factors.keyfile and not self.keyfile_edit.text().strip():
            return tr("This vault needs its key file too: choose it with “Key file…”.")
        return None

    def keyfile(self) -> str | None:
        if self.factors is None or not self.factors.keyfile:
            return None
        return str(Path(self.keyfile_edit.text().strip()).expanduser())

    def yubikey(self) -> ChallengeResponse | None:
        return yubikey_driver() if self.factors is not None and self.factors.yubikey_slot else None

    def remember(self) -> None:
        """After a successful unlock: keep the key file's path (not its content) for this vault."""
        if self.path is not None and self.factors is not None and self.factors.keyfile:
            self.settings.set_keyfile_for(self.path, self.keyfile() or "")
