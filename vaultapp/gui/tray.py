"""The system tray icon and its menu: show/hide the window, lock, copy the username or password
of a recently used entry, quit. The menu exists without a tray too (the window's tests use it);
the icon only where ``QSystemTrayIcon.isSystemTrayAvailable()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

if TYPE_CHECKING:
    from vaultapp.gui.desktop_link import DesktopLink

# A desktop session starts its panel and this app in no fixed order: look for the tray again
# every 2 s for a minute when there is none at first.
RETRY_MS = 2000
RETRIES = 30


class Tray(QObject):
    """Owned by ``DesktopLink``; ``refresh`` before the menu shows and after a lock or unlock."""

    def __init__(self, link: DesktopLink) -> None:
        super().__init__(link)
        self.link = link
        self.menu = QMenu(objectName="tray_menu")
        self.toggle_action = QAction("Hide vaultapp", self.menu, objectName="tray_toggle_action")
        self.toggle_action.triggered.connect(lambda _c=False: link.toggle_window())
        self.lock_action = QAction("Lock", self.menu, objectName="tray_lock_action")
        self.lock_action.triggered.connect(lambda _c=False: link.window.lock())
        self.recent_menu = QMenu("Recent entries", self.menu, objectName="tray_recent_menu")
        self.quit_action = QAction("Quit vaultapp", self.menu, objectName="tray_quit_action")
        self.quit_action.triggered.connect(lambda _c=False: link.quit())
        self.menu.addAction(self.toggle_action)
        self.menu.addAction(self.lock_action)
        self.menu.addSeparator()
        self.menu.addMenu(self.recent_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.menu.aboutToShow.connect(self.refresh)
        self.icon: QSystemTrayIcon | None = None
        self.retries = 0
        self.retry = QTimer(self, objectName="tray_retry_timer")
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self._look_again)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    @property
    def visible(self) -> bool:
        """Whether the icon is in a tray now (the window can be hidden to it)."""
        return self.icon is not None and self.icon.isVisible()

    def show_icon(self, on: bool) -> None:
        if on and self.icon is None and not self.available():
            if not self.retry.isActive() and self.retries < RETRIES:
                self.retry.start()
        elif not on:
            self.retry.stop()
        if on and self.icon is None and self.available():
            image = QGuiApplication.windowIcon()
            if image.isNull():  # an app not started by gui.app (tests, scripts)
                from vaultapp.resources import resource_path

                image = QIcon(str(resource_path("icons", "vaultapp.svg")))
            icon = QSystemTrayIcon(image, self)
            icon.setObjectName("tray_icon")
            icon.setToolTip("vaultapp")
            icon.setContextMenu(self.menu)
            icon.activated.connect(self._activated)
            icon.show()
            self.icon = icon
        elif not on and self.icon is not None:
            self.icon.hide()
            self.icon.deleteLater()
            self.icon = None
        self.refresh()

    def _look_again(self) -> None:
        self.retries += 1
        if self.available() or self.retries >= RETRIES:
            self.retry.stop()
        self.link.update_tray()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.link.toggle_window()

    def refresh(self) -> None:
        link = self.link
        window = link.window
        shown = window.isVisible() and not window.isMinimized()
        self.toggle_action.setText("Hide vaultapp" if shown else "Show vaultapp")
        vault = window.vault
        self.lock_action.setEnabled(vault is not None)
        if self.icon is not None:
            name = "" if vault is None else f" — {vault.path.name}"
            self.icon.setToolTip(f"vaultapp{name} ({'unlocked' if vault is not None else 'locked'})")
        self.recent_menu.clear()
        entries = link.recent_entries()
        self.recent_menu.setEnabled(bool(entries))
        for index, entry in enumerate(entries):
            sub = self.recent_menu.addMenu(entry.title or "(untitled)")
            sub.setObjectName(f"tray_recent_{index}")
            for field, text in (("username", "Copy username"), ("password", "Copy password")):
                action = sub.addAction(text)
                action.setObjectName(f"tray_copy_{field}_{index}")
                action.setEnabled(bool(entry.username) if field == "username" else entry.password is not None)
                action.triggered.connect(lambda _c=False, u=entry.uuid, f=field: link.copy(u, f))
            if entry.totp is not None:
                action = sub.addAction("Copy one-time code")
                action.setObjectName(f"tray_copy_totp_{index}")
                action.triggered.connect(lambda _c=False, u=entry.uuid: link.copy(u, "totp"))
