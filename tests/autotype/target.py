"""The program auto-type types into in the tests: a window titled like a login page with two
line edits, run in its own process on the test's X server. It reports on stdout, one JSON
object a line: ``ready`` (with its X window id) once it is the active window with the username
field focused, ``text`` after every change, ``submit`` when Enter is pressed in the password."""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QWidget


def main() -> int:
    app = QApplication(sys.argv)
    window = QWidget()
    window.setWindowTitle(sys.argv[1] if len(sys.argv) > 1 else "Example Login - Test")
    username, password = QLineEdit(objectName="username"), QLineEdit(objectName="password")
    form = QFormLayout(window)
    form.addRow("Username", username)
    form.addRow("Password", password)
    said_ready = False

    def say(event: str) -> None:
        line = {"event": event, "username": username.text(), "password": password.text(),
                "window": int(window.winId())}  # fmt: skip
        print(json.dumps(line), flush=True)

    def focus_changed(_old: object, new: object) -> None:
        nonlocal said_ready
        if not said_ready and new is username and window.isActiveWindow():
            said_ready = True
            say("ready")

    app.focusChanged.connect(focus_changed)
    username.textChanged.connect(lambda _t: say("text"))
    password.textChanged.connect(lambda _t: say("text"))
    password.returnPressed.connect(lambda: say("submit"))
    window.show()
    window.activateWindow()
    username.setFocus()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
