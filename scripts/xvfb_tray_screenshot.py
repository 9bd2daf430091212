#!/usr/bin/env python3
"""Photograph the tray menu in a real system tray: Xvfb, openbox and trayer, the app on xcb.

python scripts/xvfb_tray_screenshot.py [--out docs/screenshots]

Needs Xvfb, openbox and trayer (``apt-get install xvfb openbox trayer``). Writes tray-menu.png:
the tray icon's menu opened on *Recent entries* and one entry's copy actions, with the demo vault
of scripts/screenshots.py unlocked and three of its entries copied from (usernames only).
Settings and the vault live in a temporary folder; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PASSPHRASE = "orbit gravy lantern tidal spoon ember"
RECENT = ("Bank of Example", "Company mail", "GitHub")  # copied from in this order: GitHub ends up first


def exe(name: str) -> str:
    """The full path of a tool (checked to exist in main)."""
    return shutil.which(name) or name


def photograph(vault_path: Path, settings_path: Path, out: Path) -> None:
    """Run on the X display: unlock, copy from RECENT, open the tray menu, grab the screen."""
    from PySide6.QtCore import QElapsedTimer, QPoint, QRect
    from PySide6.QtGui import QCursor, QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMenu

    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings
    from vaultapp.gui.tray import Tray

    app = QApplication([sys.argv[0]])
    timer = QElapsedTimer()
    timer.start()
    while not Tray.available():
        if timer.elapsed() > 20_000:
            raise SystemExit("no system tray appeared (is trayer running?)")
        QTest.qWait(100)
    window = MainWindow(Settings(settings_path), vault_path=vault_path)
    window.desktop.show_at_start()
    window.unlock_view.passphrase_edit.setText(PASSPHRASE)
    window.unlock_view.unlock_button.click()
    while window.vault is None:
        if timer.elapsed() > 60_000:
            raise SystemExit("the demo vault did not unlock")
        QTest.qWait(100)
    by_title = {e.title: e for e in window.vault.entries} if window.vault else {}
    for title in RECENT:
        window.entry_actions.copy_field("username", by_title[title])
    tray = window.desktop.tray
    assert tray.icon is not None
    QTest.qWait(1500)  # trayer embeds the icon
    icon_rect = tray.icon.geometry()
    size = tray.menu.sizeHint()  # above the icon, as a panel at the bottom opens it
    tray.menu.popup(QPoint(icon_rect.right() - size.width(), icon_rect.top() - size.height() - 2))
    QTest.qWait(400)

    def hover(menu: QMenu, index: int) -> QMenu | None:
        action = [a for a in menu.actions() if not a.isSeparator()][index]
        QCursor.setPos(menu.mapToGlobal(menu.actionGeometry(action).center()))
        menu.setActiveAction(action)
        QTest.qWait(700)  # the submenu opens after the hover delay
        return action.menu()

    recent = hover(tray.menu, 2)
    assert recent is not None
    entry_menu = hover(recent, 0)
    assert entry_menu is not None
    hover(entry_menu, 1)  # "Copy password" highlighted
    area = QRect(icon_rect)
    for menu in (tray.menu, recent, entry_menu):
        area = area.united(menu.geometry())
    area = area.adjusted(-60, -40, 20, 10)
    screen = QGuiApplication.primaryScreen()
    area = area.intersected(screen.geometry())
    shot = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
    shot.save(str(out))
    QCursor.setPos(QPoint(0, 0))
    window.lock()
    app.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--child", nargs=3, metavar=("VAULT", "SETTINGS", "PNG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        photograph(*(Path(p) for p in args.child))
        return 0
    for tool in ("Xvfb", "openbox", "trayer"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb openbox trayer")
    from screenshots import build_demo

    args.out.mkdir(parents=True, exist_ok=True)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        try:
            read_fd, write_fd = os.pipe()
            xvfb = [
                exe("Xvfb"),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                "-displayfd",
                str(write_fd),
            ]
            procs.append(subprocess.Popen(xvfb, pass_fds=(write_fd,)))
            os.close(write_fd)
            with os.fdopen(read_fd) as ready:
                display = f":{ready.readline().strip()}"
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "XDG_CONFIG_HOME": str(tmp)}
            procs.append(subprocess.Popen([exe("openbox")], env=env, stderr=subprocess.DEVNULL))
            time.sleep(1.0)  # the window manager takes the screen
            tray = [
                exe("trayer"),
                "--edge",
                "bottom",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "28",
            ]
            procs.append(subprocess.Popen(tray, env=env))
            vault = tmp / "Passwords.vault"
            build_demo(vault, PASSPHRASE)
            out = args.out / "tray-menu.png"
            child = [sys.executable, __file__, "--child", str(vault), str(tmp / "settings.ini"), str(out)]
            subprocess.run(child, env=env, check=True)
            print(out)
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
