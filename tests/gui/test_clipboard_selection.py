"""Secrets never go to the X11 PRIMARY selection, so none is left there when the user copies
something else before the timeout (security review). Offscreen (no PRIMARY: a spy records the
modes written) and on a real X server (Xvfb, read from outside with xclip)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QClipboard, QGuiApplication

from tests.xserver import xvfb
from vaultapp.gui.clipboard import SecureClipboard

SECRET = "canary-Primary-4711"
REQUIRE_X11 = os.environ.get("VAULTAPP_REQUIRE_X11") == "1"


def test_a_secret_is_written_to_the_clipboard_only_even_where_primary_exists(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With selection support (as on X11), a secret is set on CLIPBOARD alone; a username on both."""
    written: list[tuple[str, QClipboard.Mode]] = []
    real_mime, real_text = QClipboard.setMimeData, QClipboard.setText
    monkeypatch.setattr(QClipboard, "supportsSelection", lambda self: True)
    monkeypatch.setattr(
        QClipboard,
        "setMimeData",
        lambda self, mime, mode: written.append((mime.text(), mode)) or real_mime(self, mime, mode),
    )
    monkeypatch.setattr(
        QClipboard,
        "setText",
        lambda self, text, mode: written.append((text, mode)) or real_text(self, text, mode),
    )
    board = SecureClipboard(seconds=60)
    board.copy(SECRET, "Password")
    assert written == [(SECRET, QClipboard.Mode.Clipboard)]
    assert QGuiApplication.clipboard().text() == SECRET
    written.clear()
    board.copy("alice", "Username", sensitive=False)
    assert written == [("alice", QClipboard.Mode.Clipboard), ("alice", QClipboard.Mode.Selection)]


# ---- a real X server --------------------------------------------------------------------------

CHILD = r"""
import sys
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication
from vaultapp.gui.clipboard import SecureClipboard

app = QApplication([])
board = SecureClipboard(seconds=1)
board.countdown.connect(lambda left, what: print("countdown", left, flush=True))

def command() -> None:
    cmd, _, arg = sys.stdin.readline().strip().partition(" ")
    if cmd == "copy":
        board.copy(arg, "Password")
    elif cmd == "copy-plain":
        board.copy(arg, "Username", sensitive=False)
    elif cmd == "lock":
        board.clear_if_ours()
    elif cmd == "quit":
        board.clear_if_ours()
        app.quit()
    print("done", cmd, flush=True)

notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(command)
print("ready", flush=True)
app.exec()
"""


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb on the first free display of :60-:69 (other test runs use other numbers)."""
    missing = [tool for tool in ("Xvfb", "xclip") if shutil.which(tool) is None]
    if missing:
        if REQUIRE_X11:
            pytest.fail(f"VAULTAPP_REQUIRE_X11 is set but {', '.join(missing)} is not installed")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb xclip)")
    with xvfb(range(60, 70)) as display:
        yield display


def _xclip(display: str, *args: str, text: str | None = None) -> str:
    """Read (``-o``) or set (``-i``) a selection from another X client, as any program could.
    Setting leaves xclip serving the selection in the background until another client takes it
    or the X server ends."""
    command = [str(shutil.which("xclip")), "-display", display, *args]
    if text is not None:  # its background half keeps any pipe open: give it none
        subprocess.run(command, input=text.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30, check=True)  # fmt: skip
        return ""
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    return done.stdout if done.returncode == 0 else ""


class Child:
    """A SecureClipboard in its own Qt process on the X server, driven line by line."""

    def __init__(self, display: str) -> None:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONWARNINGS": "error"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        self.wait_for("ready")

    def wait_for(self, wanted: str) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.strip() == wanted:
                return
        raise AssertionError(f"the clipboard process ended before {wanted!r}")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        self.wait_for(f"done {line.partition(' ')[0]}")

    def close(self) -> None:
        try:
            self.send("quit")
            self.proc.wait(30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(30)
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()


def test_x11_primary_never_holds_a_secret_even_after_the_user_copies_other_text(x_display: str) -> None:
    """Copy a secret, then the user copies other text (so the timeout leaves the clipboard alone):
    another X client finds the secret in neither CLIPBOARD nor PRIMARY, before or after lock."""
    child = Child(x_display)
    try:
        child.send(f"copy {SECRET}")
        assert _xclip(x_display, "-o", "-selection", "clipboard") == SECRET
        targets = _xclip(x_display, "-o", "-selection", "clipboard", "-t", "TARGETS").split()
        assert "x-kde-passwordManagerHint" in targets
        assert _xclip(x_display, "-o", "-selection", "primary") != SECRET
        _xclip(x_display, "-i", "-selection", "clipboard", text="my own text")
        child.wait_for("countdown 0")  # the next tick saw the clipboard is no longer ours
        assert _xclip(x_display, "-o", "-selection", "primary") != SECRET
        child.send("lock")
        assert _xclip(x_display, "-o", "-selection", "clipboard") == "my own text"
        assert _xclip(x_display, "-o", "-selection", "primary") != SECRET
    finally:
        child.close()


def test_x11_lock_clears_a_secret_still_on_the_clipboard_and_usernames_reach_primary(x_display: str) -> None:
    """A secret still on CLIPBOARD is cleared at lock; a username goes to PRIMARY as well."""
    child = Child(x_display)
    try:
        child.send("copy-plain alice")
        assert _xclip(x_display, "-o", "-selection", "primary") == "alice"
        child.send(f"copy {SECRET}")
        assert _xclip(x_display, "-o", "-selection", "clipboard") == SECRET
        child.send("lock")
        assert _xclip(x_display, "-o", "-selection", "clipboard") != SECRET
        assert _xclip(x_display, "-o", "-selection", "primary") == "alice"
    finally:
        child.close()
