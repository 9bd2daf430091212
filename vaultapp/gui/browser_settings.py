"""Settings → Browser integration: the on/off switch (stored in the app's settings), a switch per
browser that writes or removes its native-messaging manifest (another host's manifest, such as
KeePassXC's, is replaced only after the user agrees and is put back when switched off), and the
browsers connected to the open vault, each with a Forget button."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.browser import manifests
from vaultapp.core.errors import VaultError
from vaultapp.gui.i18n import fill, tr

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault
    from vaultapp.gui.settings import Settings

LABELS = {
    "chromium": "Chromium",
    "chrome": "Google Chrome",
    "brave": "Brave",
    "vivaldi": "Vivaldi",
    "edge": "Microsoft Edge",
    "firefox": "Firefox",
}


def _ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class BrowserSettingsPage(QWidget):
    """The page; ``enabled_check`` is applied with the dialog's OK (``apply``), the browser
    switches and Forget act at once (they change files, not settings)."""

    def __init__(self, settings: Settings, vault: Vault | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browser_settings_page")
        self.settings = settings
        self.vault = vault
        self.confirm: Callable[[str, str], bool] = lambda title, text: _ask(self, title, text)
        self.enabled_check = QCheckBox(
            tr("Let the KeePassXC-Browser extension fill logins from the unlocked vault"),
            objectName="browser_enabled_check",
        )
        self.enabled_check.setChecked(settings.browser_enabled)
        intro = QLabel(
            tr(
                "Install the KeePassXC-Browser extension in your browser, turn the browser on below, "
                "then click Connect in the extension. vaultapp asks before a site gets a login."
            )
        )
        intro.setWordWrap(True)
        self.message = QLabel("", objectName="browser_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        browsers = QGroupBox(tr("Browsers"))
        grid = QGridLayout(browsers)
        self.switches: dict[str, QCheckBox] = {}
        self.states: dict[str, QLabel] = {}
        for row, browser in enumerate(manifests.BROWSERS):
            switch = QCheckBox(LABELS.get(browser, browser), objectName=f"browser_switch_{browser}")
            state = QLabel(objectName=f"browser_state_{browser}")
            state.setStyleSheet("color: gray;")
            state.setTextFormat(Qt.TextFormat.PlainText)  # another host's path, from its file
            state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            switch.toggled.connect(lambda on, b=browser: self._switch(b, on))
            grid.addWidget(switch, row, 0)
            grid.addWidget(state, row, 1)
            self.switches[browser], self.states[browser] = switch, state
        grid.setColumnStretch(1, 1)

        self.clients_box = QGroupBox(tr("Connected browsers"))
        self.clients_layout = QVBoxLayout(self.clients_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addWidget(intro)
        layout.addWidget(browsers)
        layout.addWidget(self.clients_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.refresh()

    # ---- the browsers' manifests ------------------------------------------------------------

    def refresh(self) -> None:
        for browser, switch in self.switches.items():
            status = manifests.status(browser)
            switch.blockSignals(True)
            switch.setChecked(status.state == "vaultapp")
            switch.blockSignals(False)
            self.states[browser].setText(self._describe(status))
        self._fill_clients()

    @staticmethod
    def _describe(status: manifests.Status) -> str:
        if status.state == "vaultapp":
            if status.backup:
                return tr("uses vaultapp (the other host's file is kept aside)")
            return tr("uses vaultapp")
        if status.state == "foreign":
            return fill(tr("uses another program: %1"), status.host or tr("unknown"))
        return tr("not set up") if status.installed else tr("not installed for you")

    def _switch(self, browser: str, on: bool) -> None:
        self.message.clear()
        try:
            if on:
                status = manifests.status(browser)
                replace = False
                if status.state == "foreign":
                    replace = self.confirm(
                        tr("Another program serves this browser"),
                        fill(
                            tr(
                                "%1 already sends KeePassXC-Browser to %2 (its file is %3).\n\nUse vaultapp "
                                "instead? That file is kept and put back when you turn this browser off here."
                            ),
                            LABELS.get(browser, browser),
                            status.host or tr("another program"),
                            status.path,
                        ),
                    )
                    if not replace:
                        self.refresh()
                        return
                manifests.install(browser, replace=replace)
            else:
                manifests.uninstall(browser)
        except (OSError, VaultError) as exc:
            self.message.setText(f"{LABELS.get(browser, browser)}: {exc}")
        self.refresh()

    # ---- the connected browsers -------------------------------------------------------------

    def _fill_clients(self) -> None:
        while self.clients_layout.count():
            item = self.clients_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if self.vault is None:
            self.clients_layout.addWidget(QLabel(tr("Unlock a vault to see the browsers connected to it.")))
            return
        from vaultapp.browser.stored import clients

        known = clients(self.vault)
        if not known:
            self.clients_layout.addWidget(QLabel(tr("No browser is connected to this vault yet.")))
        for name, created in sorted(known.items()):
            row = QWidget(objectName="browser_client_row")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(name, objectName="browser_client_name")
            label.setTextFormat(Qt.TextFormat.PlainText)  # the name the user typed
            line.addWidget(label, 1)
            line.addWidget(QLabel(created.replace("T", " ")[:16]))
            forget = QPushButton(tr("Forget"), objectName="browser_forget_button")
            forget.setToolTip(fill(tr("%1 must connect again (and be named again) to fill logins."), name))
            forget.clicked.connect(lambda _c=False, n=name: self._forget(n))
            line.addWidget(forget)
            self.clients_layout.addWidget(row)

    def _forget(self, name: str) -> None:
        from vaultapp.browser.stored import forget_client

        assert self.vault is not None
        self.message.clear()
        try:
            forget_client(self.vault, name)
        except VaultError as exc:
            self.message.setText(fill(tr("Could not forget %1: %2"), name, exc))
        self._fill_clients()

    def apply(self) -> None:
        self.settings.browser_enabled = self.enabled_check.isChecked()
