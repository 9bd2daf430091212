"""Settings → Desktop: the tray icon, minimizing and closing to it, starting minimized, and
locking when the machine sleeps, the screen locks or the session is locked (each with what this
desktop offers: a source whose bus or service is missing says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from vaultapp.gui.settings import Settings

# key, default, label; the lock switches are keyed by their source in desktop.signals
WINDOW_FLAGS = (
    ("tray_icon", "desktop/tray_icon", True, "Show an icon in the system tray"),
    ("minimize_to_tray", "desktop/minimize_to_tray", False, "Minimize to the tray instead of the taskbar"),
    ("close_to_tray", "desktop/close_to_tray", False, "Closing the window keeps vaultapp in the tray"),
    ("start_minimized", "desktop/start_minimized", False, "Start minimized (to the tray where there is one)"),
)
LOCK_FLAGS = (
    ("sleep", "lock/on_sleep", True, "Lock when the computer goes to sleep"),
    ("screensaver", "lock/on_screensaver", True, "Lock when the screensaver starts or the screen locks"),
    ("session-lock", "lock/on_session_lock", True, "Lock when the session is locked (loginctl lock-session)"),
)


class DesktopOptions:
    """Typed access to this page's switches in the app's settings (never a secret)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, name: str) -> bool:
        for flag, key, default, _label in WINDOW_FLAGS + LOCK_FLAGS:
            if flag == name:
                return self.settings.flag(key, default)
        raise KeyError(name)

    def set(self, name: str, value: bool) -> None:
        for flag, key, _default, _label in WINDOW_FLAGS + LOCK_FLAGS:
            if flag == name:
                self.settings.set_flag(key, value)
                return
        raise KeyError(name)

    def values(self) -> tuple[bool, ...]:
        return tuple(self.get(flag) for flag, *_rest in WINDOW_FLAGS + LOCK_FLAGS)


class DesktopSettingsPage(QWidget):
    """The page; its switches are applied with the dialog's OK (``apply``). ``tray_available``
    and ``lock_status`` (source → "" or why it is unavailable) say what this desktop offers."""

    def __init__(
        self,
        settings: Settings,
        *,
        tray_available: bool,
        lock_status: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("desktop_settings_page")
        self.options = DesktopOptions(settings)
        self.checks: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        window_box = QGroupBox("Window and tray")
        window_layout = QVBoxLayout(window_box)
        for flag, _key, _default, label in WINDOW_FLAGS:
            window_layout.addWidget(self._check(flag, label))
        if not tray_available:
            window_layout.addWidget(
                self._note("tray", "This desktop shows no system tray now: the tray switches wait for one.")
            )
        lock_box = QGroupBox("Lock with the system")
        lock_layout = QVBoxLayout(lock_box)
        for flag, _key, _default, label in LOCK_FLAGS:
            lock_layout.addWidget(self._check(flag, label))
            status = lock_status.get(flag, "")
            if status:
                lock_layout.addWidget(self._note(flag, f"Not available here: {status}."))
        layout.addWidget(window_box)
        layout.addWidget(lock_box)
        layout.addStretch(1)

    def _check(self, flag: str, label: str) -> QCheckBox:
        check = QCheckBox(label, objectName=f"desktop_{flag.replace('-', '_')}_check")
        check.setChecked(self.options.get(flag))
        self.checks[flag] = check
        return check

    def _note(self, flag: str, text: str) -> QLabel:
        note = QLabel(text, objectName=f"desktop_{flag.replace('-', '_')}_note")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setStyleSheet("color: gray; margin-left: 22px;")
        self.notes[flag] = note
        return note

    def apply(self) -> None:
        for flag, check in self.checks.items():
            self.options.set(flag, check.isChecked())
