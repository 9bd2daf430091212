"""The window's side of the desktop: the tray (``gui.tray``), minimizing and closing to it,
starting minimized, locking on the system's signals (``desktop.gui.LockSignalBridge``, from the
first paint while any of those switches is on), the single-instance server's requests
(``desktop.gui.InstanceServer``, started by ``gui.app``), and the recently used entries the tray
copies from: their ids, in memory while the vault is unlocked, never a value."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from vaultapp.core.errors import VaultError
from vaultapp.gui.desktop_settings import LOCK_FLAGS, DesktopOptions
from vaultapp.gui.tray import Tray

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from vaultapp.core.entry import Entry
    from vaultapp.desktop.gui import InstanceServer, LockSignalBridge
    from vaultapp.gui.main_window import MainWindow

RECENT_MAX = 5


class DesktopLink(QObject):
    """Owned by the window (``window.desktop``): ``update`` after every unlock, lock and settings
    change; ``close`` when the window closes for good. ``handled(source, locked)`` follows each
    system signal heard (``locked``: this one locked the vault)."""

    handled = Signal(str, bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.options = DesktopOptions(window.settings)
        self.tray = Tray(self)
        self.bridge: LockSignalBridge | None = None
        self.bus_addresses: tuple[str | None, str | None] = (None, None)  # system, session (tests)
        self.instance: InstanceServer | None = None
        self.recent: list[str] = []
        self.quitting = False

    # ---- settings, lock and unlock --------------------------------------------------------

    def update(self) -> None:
        if self.window.vault is None:
            self.recent.clear()
        self.update_tray()
        wanted = any(self.options.get(flag) for flag, *_rest in LOCK_FLAGS)
        if wanted and self.bridge is None:
            from vaultapp.desktop.gui import LockSignalBridge

            system, session = self.bus_addresses
            self.bridge = LockSignalBridge(self, system_address=system, session_address=session)
            self.bridge.heard.connect(self.system_signal)
            self.bridge.start()
        elif not wanted and self.bridge is not None:
            self.bridge.stop()
            self.bridge.deleteLater()
            self.bridge = None

    def update_tray(self) -> None:
        """The icon as the setting says, where there is a tray (also when one appears later)."""
        self.tray.show_icon(self.options.get("tray_icon"))
        app = QApplication.instance()
        if isinstance(app, QApplication):  # hidden in the tray is still running
            app.setQuitOnLastWindowClosed(not self.tray.visible)

    def lock_status(self) -> dict[str, str]:
        """Each lock source: "" (heard) or why not, for the settings page."""
        if self.bridge is None:
            return {}
        return {k: v for k, v in self.bridge.status.items() if v != "not started"}

    def system_signal(self, source: str) -> None:
        locked = False
        if self.options.get(source) and self.window.vault is not None:
            self.window.lock()
            locked = True
        self.handled.emit(source, locked)

    def close(self) -> None:
        """The window closed for good: stop listening, remove the icon, end the app."""
        if self.bridge is not None:
            self.bridge.stop()
            self.bridge = None
        had_tray = self.tray.visible
        self.tray.show_icon(False)
        if self.instance is not None:
            self.instance.close()
            self.instance = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
        if had_tray and not self.quitting:  # closed for good while in the tray: no app without it
            QApplication.quit()

    # ---- recently used entries ------------------------------------------------------------

    def used(self, uuid: str) -> None:
        self.recent = [uuid, *(u for u in self.recent if u != uuid)][:RECENT_MAX]

    def recent_entries(self) -> list[Entry]:
        vault = self.window.vault
        if vault is None:
            return []
        alive = {e.uuid: e for e in vault.entries}
        return [alive[u] for u in self.recent if u in alive]

    def copy(self, uuid: str, field: str) -> None:
        """Copy from the tray as from the window (the same clipboard clearing, the same audit)."""
        vault = self.window.vault
        if vault is None:
            return
        try:
            entry = vault.get(uuid)
        except VaultError:
            return
        if entry.trashed is None:  # the menu was built before it went to the Trash
            self.window.entry_actions.copy_field(field, entry)

    # ---- the window: showing, hiding, minimizing, closing ---------------------------------

    def show_window(self) -> None:
        w = self.window
        w.setWindowState((w.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        w.show()
        w.raise_()
        w.activateWindow()
        self.tray.refresh()

    def toggle_window(self) -> None:
        w = self.window
        if w.isVisible() and not w.isMinimized() and self.tray.visible:
            w.hide()
            self.tray.refresh()
        else:
            self.show_window()

    def show_at_start(self) -> None:
        """Show the window, or start minimized: hidden in the tray where there is one."""
        w = self.window
        self.update_tray()  # the listener starts after the first paint (window._finish_setup)
        if not self.options.get("start_minimized"):
            w.show()
        elif self.tray.visible:
            w.hide()
        else:
            w.showMinimized()
        self.tray.refresh()

    def window_state_changed(self, event: QEvent) -> None:
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.window.isMinimized()
            and self.options.get("minimize_to_tray")
            and self.tray.visible
        ):
            QTimer.singleShot(0, self.window.hide)

    def keep_running(self, event: QCloseEvent) -> bool:
        """On closing the window: with "close to tray" (and a tray) hide it and say True."""
        if self.quitting or not (self.options.get("close_to_tray") and self.tray.visible):
            return False
        event.ignore()
        self.window.hide()
        self.tray.refresh()
        return True

    def quit(self) -> None:
        """The tray's and the menu's Quit: close the window for good, and the app with it."""
        self.quitting = True
        if self.window.close():
            QApplication.quit()  # hidden in the tray, quitting on the last window is off
        self.quitting = False

    # ---- a second ``vaultapp`` --------------------------------------------------------------

    def serve(self, server: InstanceServer) -> None:
        self.instance = server
        server.setParent(self)
        server.state_provider = self.state
        server.activate_requested.connect(self.activate)

    def activate(self, path: str) -> None:
        """``vaultapp [PATH]`` started again: come to the front (and select PATH to unlock)."""
        w = self.window
        self.show_window()
        if not path:
            return
        vault = w.vault
        if vault is not None and vault.path.absolute() == Path(path).absolute():
            return
        if vault is not None:
            question = f"Lock {vault.path.name} and open {Path(path).name}?"
            if not w.confirm("Open another vault", question):
                return
            w.lock()
        w.unlock_view.select_vault(path)

    def state(self) -> dict[str, Any]:
        w = self.window
        selected = w.unlock_view.path
        return {
            "visible": w.isVisible(),
            "minimized": w.isMinimized(),
            "locked": w.vault is None,
            "selected": None if selected is None else str(Path(selected).absolute()),
            "pid": os.getpid(),
        }
