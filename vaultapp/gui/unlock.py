"""The welcome/unlock view: recent vaults, open other, create new, and the passphrase field."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import SlowKdfError, VaultError, WrongPassphraseError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.second_factors import UnlockFactors
from vaultapp.gui.settings import Settings
from vaultapp.gui.widgets import PassphraseEdit, hbox, icon, notice_label
from vaultapp.gui.workers import run_in_background

if TYPE_CHECKING:
    from vaultapp.core.kdf import KdfPolicy


class UnlockView(QWidget):
    """Emits ``unlocked(vault)`` after a successful unlock and ``create_requested()``."""

    unlocked = Signal(object)
    create_requested = Signal()

    def __init__(self, settings: Settings, *, policy: KdfPolicy | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.policy = policy
        self.path: Path | None = None
        self.problem: str | None = None  # why the chosen path cannot be unlocked, said at once
        self.busy = False

        logo = QLabel()
        logo.setPixmap(icon("vaultapp").pixmap(56, 56))
        self.title_label = QLabel(tr("<h2>Unlock a vault</h2>"), objectName="unlock_title")
        self.welcome_label = QLabel(
            tr(
                "Welcome to vaultapp. Your logins will live in one encrypted file on this computer.<br>"
                "<b>Create a new vault</b> to start, or open one you already have."
            ),
            objectName="welcome_label",
        )
        self.welcome_label.setWordWrap(True)
        self.recent_title = QLabel(tr("Recent vaults"))
        self.recent_list = QListWidget(objectName="recent_list")
        self.recent_list.setMaximumHeight(150)
        self.recent_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent_list.currentItemChanged.connect(self._recent_chosen)
        self.recent_list.itemActivated.connect(lambda _item: self.passphrase_edit.setFocus())
        self.open_button = QPushButton(icon("folder"), tr("Open other…"), objectName="open_button")
        self.open_button.clicked.connect(self._browse)
        self.create_button = QPushButton(icon("add"), tr("Create new vault…"), objectName="create_button")
        self.create_button.clicked.connect(self.create_requested)

        self.path_label = QLabel(objectName="vault_path_label")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase_edit = PassphraseEdit(placeholder=tr("Master passphrase"))
        self.passphrase_edit.setObjectName("passphrase_edit")
        self.passphrase_edit.returnPressed.connect(self.unlock)
        self.factors_box = UnlockFactors(settings)  # a key file chooser, when the vault needs one
        self.factors_box.keyfile_edit.returnPressed.connect(self.unlock)
        self.caps_warning = QLabel(tr("⚠ Caps Lock is on"), objectName="caps_warning")
        self.caps_warning.setStyleSheet("color: #b45309;")
        self.caps_warning.hide()
        self.passphrase_edit.caps_lock_changed.connect(self.caps_warning.setVisible)
        self.error_label = notice_label("unlock_error", "error")
        self.forget_button = QPushButton(tr("Remove from the recent list"), objectName="forget_button")
        self.forget_button.clicked.connect(self._forget)
        self.forget_button.hide()
        self.busy_bar = QProgressBar(objectName="unlock_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(6)
        self.busy_bar.hide()
        self.unlock_button = QPushButton(icon("lock"), tr("Unlock"), objectName="unlock_button")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        # A key derivation cannot be interrupted: "Stop waiting" lets the window go on and throws
        # the result away when the worker finishes (a vault it opened is closed at once).
        self.cancel_button = QPushButton(tr("Stop waiting"), objectName="unlock_cancel_button")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self._attempt = 0

        card = QFrame(objectName="unlock_card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        # One fixed width: a word-wrapped label is measured and laid out at the same width, so the
        # welcome sentence is never cut off (the layout used to size it for a narrower card).
        card.setFixedWidth(480)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(8)
        header = hbox(logo, self.title_label, spacing=12)
        header.addStretch(1)
        inner.addLayout(header)
        inner.addWidget(self.welcome_label)
        inner.addWidget(self.recent_title)
        inner.addWidget(self.recent_list)
        inner.addLayout(hbox(self.open_button, self.create_button))
        inner.addSpacing(12)
        inner.addWidget(self.path_label)
        inner.addWidget(self.passphrase_edit)
        inner.addWidget(self.factors_box)
        inner.addWidget(self.caps_warning)
        inner.addWidget(self.error_label)
        inner.addWidget(self.forget_button)
        inner.addWidget(self.busy_bar)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.cancel_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.refresh_recent()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Shown with a vault chosen (at launch, after a lock): the first keystroke is the passphrase."""
        super().showEvent(event)
        if self.path is not None:
            QTimer.singleShot(0, self._focus_passphrase)

    def _focus_passphrase(self) -> None:
        if self.passphrase_edit.isVisible() and self.passphrase_edit.isEnabled():
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter presses the focused button (outside a dialog Qt buttons answer Space only)."""
        focused = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focused, QPushButton):
            if focused.isEnabled():
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def refresh_recent(self) -> None:
        self.recent_list.blockSignals(True)
        self.recent_list.clear()
        for path in self.settings.recent_vaults:
            item = QListWidgetItem(icon("key"), f"{Path(path).name}  —  {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        self.recent_list.blockSignals(False)
        has_recent = self.recent_list.count() > 0
        self.recent_list.setVisible(has_recent)
        self.recent_title.setVisible(has_recent)
        self.welcome_label.setVisible(not has_recent and self.path is None)
        self.title_label.setText(
            tr("<h2>Unlock a vault</h2>") if has_recent or self.path else tr("<h2>vaultapp</h2>")
        )
        if self.path is None and has_recent:
            self.recent_list.setCurrentRow(0)
        self._update_state()

    def select_vault(self, path: Path | str) -> None:
        """Preselect a vault (from the command line, a lock, or the create dialog)."""
        self.path = Path(path)
        self.path_label.setText(f"<b>{self.path.name}</b> <span style='color:gray'>{self.path.parent}</span>")
        for row in range(self.recent_list.count()):
            item = self.recent_list.item(row)
            if Path(item.data(Qt.ItemDataRole.UserRole)) == self.path.absolute():
                self.recent_list.blockSignals(True)
                self.recent_list.setCurrentRow(row)
                self.recent_list.blockSignals(False)
        self.error_label.hide()
        self.welcome_label.hide()
        self.title_label.setText(tr("<h2>Unlock a vault</h2>"))
        self.problem = path_problem(self.path)
        self.factors_box.set_vault(self.path if self.problem is None else None)
        if self.problem is not None:
            self.error_label.setText(self.problem)
            self.error_label.show()
        # A remembered vault that is not a vault (any more) can be dropped from the list here.
        remembered = str(self.path.absolute()) in self.settings.recent_vaults
        self.forget_button.setVisible(self.problem is not None and remembered)
        self._update_state()
        self._focus_passphrase()

    def _forget(self) -> None:
        if self.path is not None:
            self.settings.forget_vault(str(self.path.absolute()))
        self.path = self.problem = None
        self.error_label.hide()
        self.forget_button.hide()
        self.refresh_recent()
        if self.path is None:
            self._update_state()

    def _recent_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.select_vault(current.data(Qt.ItemDataRole.UserRole))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Open vault"), str(Path.home()), tr("Vaults (*.vault);;All files (*)")
        )
        if name:
            self.select_vault(name)

    def _update_state(self) -> None:
        ready = self.path is not None and not self.busy and self.problem is None
        self.passphrase_edit.setEnabled(ready)
        self.unlock_button.setEnabled(ready)
        self.open_button.setEnabled(not self.busy)
        self.create_button.setEnabled(not self.busy)
        self.recent_list.setEnabled(not self.busy)
        self.path_label.setVisible(self.path is not None)
        askable = self.path is not None and self.problem is None  # no passphrase for a wrong file
        self.passphrase_edit.setVisible(askable and self.factors_box.needs_passphrase)
        self.factors_box.setEnabled(ready)
        self.unlock_button.setVisible(askable)

    def unlock(self, *, allow_slow_kdf: bool = False) -> None:
        """Derive the key in the background; the window stays responsive. A file whose KDF would
        take minutes (SlowKdfError, nothing derived yet) is asked about first."""
        if self.path is None or self.busy:
            return
        self.problem = path_problem(self.path)  # it may have gone or changed since it was chosen
        if self.problem is not None:
            self._update_state()
            self.error_label.setText(self.problem)
            self.error_label.show()
            return
        factors = self.factors_box
        passphrase: str | None = self.passphrase_edit.text() if factors.needs_passphrase else None
        if passphrase == "":
            self._show_error(tr("Type the vault's passphrase."))
            return
        if (missing := factors.problem()) is not None:
            self._show_error(missing)
            return
        keyfile, yubikey = factors.keyfile(), factors.yubikey()
        path, policy = self.path, self.policy
        self.busy = True
        self._attempt += 1
        attempt = self._attempt
        self.error_label.hide()
        self.busy_bar.show()
        self.cancel_button.setVisible(allow_slow_kdf)
        self.unlock_button.setText(tr("Unlocking…"))
        self._update_state()

        def work() -> object:
            from vaultapp.core.kdf import DEFAULT_POLICY
            from vaultapp.core.rollback import SeenVaults
            from vaultapp.core.vault import Vault

            seen = SeenVaults.default()
            writable = not Vault.is_read_only(path)  # a read-only file opens read-only, with a banner
            return Vault.open(
                path, passphrase, keyfile=keyfile, yubikey=yubikey, writable=writable,
                policy=policy or DEFAULT_POLICY, seen=seen, allow_slow_kdf=allow_slow_kdf,
            )  # fmt: skip

        def succeeded(vault: Any) -> None:
            if attempt == self._attempt:
                self._unlocked(vault)
            else:  # the user stopped waiting: drop it
                vault.close()

        def failed(exc: BaseException) -> None:
            if attempt == self._attempt:
                self._failed(exc)

        run_in_background(self, work, succeeded, failed)

    def cancel(self) -> None:
        """Stop waiting for the key derivation. It cannot be interrupted: it goes on using the
        processor and memory until it ends, and its result is then discarded."""
        if not self.busy:
            return
        self._attempt += 1
        self._finish()
        self._show_error(
            tr(
                "Stopped waiting. The key derivation cannot be interrupted: it keeps the processor busy "
                "until it ends, then its result is thrown away."
            )
        )

    def ask_slow_kdf(self, message: str) -> bool:
        """Whether to derive a costly key anyway (a test seam)."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            tr("Slow to unlock"),
            fill(tr("%1\n\nUnlock anyway? You can stop waiting at any time."), message),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _finish(self) -> None:
        self.busy = False
        self.busy_bar.hide()
        self.cancel_button.hide()
        self.unlock_button.setText(tr("Unlock"))
        self._update_state()

    def _unlocked(self, vault: object) -> None:
        self._finish()
        self.passphrase_edit.clear()
        self.passphrase_edit.set_revealed(False)
        assert self.path is not None
        self.settings.remember_vault(self.path)
        self.factors_box.remember()
        self.refresh_recent()
        self.unlocked.emit(vault)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, SlowKdfError):
            if self.ask_slow_kdf(str(exc)):
                self.unlock(allow_slow_kdf=True)
            else:
                self._show_error(fill(tr("Not unlocked: %1"), exc))
        elif isinstance(exc, WrongPassphraseError) and self.factors_box.second:
            self._show_error(str(exc))  # which factor was wrong cannot be told
        elif isinstance(exc, WrongPassphraseError):
            self._show_error(tr("Wrong passphrase. Check Caps Lock and the keyboard layout."))
        elif isinstance(exc, VaultError):
            self._show_error(error_text(exc))
        else:
            self._show_error(error_text(exc))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.passphrase_edit.setFocus()
        self.passphrase_edit.selectAll()


def path_problem(path: Path) -> str | None:
    """Why ``path`` cannot be unlocked, in the window's words (None: it looks like a vault)."""
    from vaultapp.core.detect import PathKind, classify_path

    kind = classify_path(path)
    if kind is PathKind.VAULT:
        return None
    if kind is PathKind.KEEPASS:
        return tr(
            "This is a KeePass database: use File → Import to bring its entries into a vault "
            "(open or create the vault first)."
        )
    if kind is PathKind.FOLDER:
        return fill(tr("%1 is a folder. Choose the vault file inside it with “Open other…”."), path)
    if kind is PathKind.MISSING:
        return fill(
            tr("%1 is not in %2 any more. Was it moved? Choose it with “Open other…”."),
            path.name,
            path.parent,
        )
    if kind is PathKind.UNREADABLE:
        return fill(tr("You may not read %1. Check the file's permissions."), path.name)
    return fill(tr("%1 is not a vaultapp vault. Choose a .vault file."), path.name)
