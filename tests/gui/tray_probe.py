"""Run by test_tray_xvfb.py under a real X server with a system tray (trayer):
``python tray_probe.py SETTINGS_INI``. Starts the window as the app does ("start minimized" set),
uses the tray's actions and prints what happened as one JSON line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from vaultapp.core import TEST_POLICY
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


def wait_for_tray(limit_ms: int) -> bool:
    """Until trayer holds the tray selection (polled as qtbot.waitUntil does)."""
    timer = QElapsedTimer()
    timer.start()
    while not QSystemTrayIcon.isSystemTrayAvailable():
        if timer.elapsed() > limit_ms:
            return False
        QTest.qWait(50)
    return True


def main() -> None:
    app = QApplication(sys.argv[:1])
    report: dict[str, object] = {"platform": app.platformName()}
    report["tray"] = wait_for_tray(20_000)  # trayer starting
    window = MainWindow(Settings(Path(sys.argv[1])), policy=TEST_POLICY)
    link = window.desktop
    link.show_at_start()
    report["icon"] = link.tray.visible
    report["hidden_at_start"] = not window.isVisible()
    report["quit_on_last_window"] = app.quitOnLastWindowClosed()
    link.tray.toggle_action.trigger()
    report["shown_by_tray"] = window.isVisible()
    link.options.set("close_to_tray", True)
    report["closed"] = window.close()
    report["hidden_on_close"] = not window.isVisible()
    QTimer.singleShot(0, link.tray.quit_action.trigger)
    report["exit"] = app.exec()
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
