"""The window itself on the test's X server (Qt's xcb platform, not offscreen), run by
tests/gui/test_autotype.py in its own process: vaultapp's window is the active one, so Perform
auto-type must find the previous window itself, minimise vaultapp and bring that one back; then
the global shortcut, and the chooser (a window of its own that takes the focus) with the target
brought back before typing. Prints one JSON object a line: what each step saw."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.autotype.session import Target
from tests.gui.conftest import select
from tests.gui.test_autotype import press_shortcut
from tests.helpers import PASSPHRASE
from vaultapp.autotype.x11 import active_window, connect, window_title
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


def main() -> int:
    display_name = os.environ["DISPLAY"]
    app = QApplication(sys.argv[:1])

    def until(check: Callable[[], bool], seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while not check() and time.monotonic() < deadline:
            QTest.qWait(20)  # runs the event loop while polling the condition
        return check()

    def say(**line: object) -> None:
        print(json.dumps(line), flush=True)

    folder = Path(tempfile.mkdtemp())
    path = folder / "logins.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Example Login", username="user-é", password="pw€{|}")
        vault.add("Other", username="other", password="other-pw")
        vault.save()
    display = connect(display_name)
    first = Target(display_name, "Some program")
    win = MainWindow(Settings(folder / "settings.ini"), policy=TEST_POLICY, vault_path=path)
    win.show()
    until(lambda: win.autotype.listener is not None)
    win.unlock_view.passphrase_edit.setText(PASSPHRASE)
    win.unlock_view.unlock()
    until(lambda: win.vault is not None)
    until(lambda: window_title(display, active_window(display) or 0).endswith("vaultapp"))
    say(step="start", platform=app.platformName(), active=window_title(display, active_window(display) or 0))
    select(win, "Other")
    win.actions_by_name["autotype_action"].trigger()
    until(lambda: first.last("submit") is not None and not win.autotype.busy)
    say(step="perform", typed=first.last("submit"), minimised=win.isMinimized())
    first.close()

    win.showNormal()
    second = Target(display_name)
    press_shortcut(display_name)
    until(lambda: second.last("submit") is not None and not win.autotype.busy)
    say(step="shortcut", typed=second.last("submit"))
    second.close()

    assert win.vault is not None
    win.vault.add("Example Login", username="second", password="second-pw")
    third = Target(display_name)
    press_shortcut(display_name)
    until(lambda: win.autotype.chooser is not None)
    chooser = win.autotype.chooser
    assert chooser is not None
    until(lambda: window_title(display, active_window(display) or 0) == chooser.windowTitle())
    say(step="chooser", active=window_title(display, active_window(display) or 0))
    chooser.list.setCurrentRow(1)
    chooser.accept()
    until(lambda: third.last("submit") is not None and not win.autotype.busy)
    say(step="chosen", typed=third.last("submit"))
    third.close()
    win.lock()
    win.autotype.close()
    win.close()
    display.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
