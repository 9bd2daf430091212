"""The window's side of the Secret Service: runs the service (``secretservice.server``) while it
is switched on, tells it when the vault locks and unlocks, and answers its callbacks with the
window's vault, its unlock window, the per-program question and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from vaultapp.gui.i18n import fill, tr
from vaultapp.secretservice.callbacks import Callbacks

if TYPE_CHECKING:
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.secretservice.gui import AppThread
    from vaultapp.secretservice.server import Server


class AccessDialog(QDialog):
    """ "May PROGRAM read these secrets?": Allow once, Allow always, Deny (``answer``)."""

    def __init__(self, parent: QWidget | None, program: str, labels: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("secret_access_dialog")
        self.setWindowTitle(tr("A program asks for secrets"))
        self.answer = "deny"
        shown = ", ".join(labels[:5]) + (fill(tr(" and %1 more"), len(labels) - 5) if len(labels) > 5 else "")
        text = QLabel(fill(tr("%1 asks for the secret of %2 (through the Secret Service)."), program, shown))
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)  # labels come from other programs
        buttons = QDialogButtonBox()
        for name, role, answer in (
            (tr("Allow once"), QDialogButtonBox.ButtonRole.AcceptRole, "once"),
            (tr("Allow always"), QDialogButtonBox.ButtonRole.AcceptRole, "always"),
            (tr("Deny"), QDialogButtonBox.ButtonRole.RejectRole, "deny"),
        ):
            button = QPushButton(name, objectName=f"secret_access_{answer}")
            button.clicked.connect(lambda _c=False, a=answer: self._answer(a))
            buttons.addButton(button, role)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def _answer(self, answer: str) -> None:
        self.answer = answer
        (self.reject if answer == "deny" else self.accept)()


class SecretLink:
    """Owned by the window (``window.secrets``); ``update`` after every unlock, lock and settings
    change, ``close`` when the window closes."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.server: Server | None = None
        self.bridge: AppThread | None = None
        self.prompt: AccessDialog | None = None
        self.error = ""  # why the service is not running, for the settings page

    def update(self) -> None:
        if not self.window.settings.secret_service_enabled:
            self.close()
            return
        if self.server is None:
            self._start()
        if self.server is not None:
            self.server.state_changed()
        if self.window.vault is None and self.prompt is not None:
            self.prompt.reject()

    def _start(self) -> None:
        from vaultapp.secretservice.bus import NameTakenError
        from vaultapp.secretservice.gui import AppThread
        from vaultapp.secretservice.server import Server

        bridge = AppThread(self.window)
        server = Server(self.callbacks(), bridge)
        try:
            server.start()
        except (OSError, NameTakenError) as exc:
            self.error = fill(tr("The Secret Service is off: %1"), exc)
            self.window.statusBar().showMessage(self.error, 10_000)
            bridge.deleteLater()
            return
        self.error = ""
        self.server, self.bridge = server, bridge

    def close(self) -> None:
        if self.prompt is not None:
            self.prompt.reject()
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.bridge is not None:
            self.bridge.deleteLater()
            self.bridge = None
        self.error = ""

    # ---- the callbacks ----------------------------------------------------------------------

    def callbacks(self) -> Callbacks:
        w = self.window
        return Callbacks(
            vault=lambda: w.vault,
            folder=lambda: w.settings.secret_service_folder,
            request_unlock=self._request_unlock,
            lock=w.lock,
            allow=self.allow,
            notify=self._notify,
            changed=self._changed,
        )

    def _request_unlock(self) -> None:
        w = self.window
        w.showNormal()
        w.raise_()
        w.activateWindow()
        w.statusBar().showMessage(tr("A program asks for the vault's secrets: unlock it to let it."), 10_000)

    def _notify(self, text: str) -> None:
        if self.window.settings.secret_service_notify:
            self.window.statusBar().showMessage(text, 8000)

    def _changed(self) -> None:
        if self.window.vault is not None:
            self.window.reload_model()

    def allow(self, program: str, labels: list[str]) -> bool:
        """The user's answer (asked only with Settings → Secret Service → Ask before…)."""
        settings = self.window.settings
        if not settings.secret_service_confirm or program in settings.secret_service_programs("allow"):
            return True
        if self.prompt is not None or self.window.vault is None:
            return False  # one question at a time; a second caller is refused, not stacked
        vault = self.window.vault
        dialog = AccessDialog(self.window, program, labels)
        self.prompt = dialog
        try:
            self.window.idle.stop()  # no idle lock while the user reads the question
            dialog.exec()
        finally:
            self.prompt = None
            dialog.deleteLater()
            if self.window.vault is not None:
                self.window.idle.set_seconds(settings.idle_lock_seconds)
        if self.window.vault is not vault:
            return False
        if dialog.answer == "always":
            allowed = settings.secret_service_programs("allow")
            settings.set_secret_service_programs("allow", [*allowed, program])
            settings.sync()
        return dialog.answer in ("once", "always")
