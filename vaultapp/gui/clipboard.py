"""Copy secrets so that clipboard managers skip them, and clear them after a while.

A copied secret is marked sensitive (KDE/Klipper ``x-kde-passwordManagerHint: secret``, the
Windows clipboard-history and cloud-clipboard exclusions, macOS ``org.nspasteboard.ConcealedType``),
and is cleared after the timeout, on lock and on quit, but only if the clipboard still holds the
value we put there.

Secrets go to the clipboard only, never to the X11/Wayland PRIMARY selection (as in KeePassXC):
PRIMARY changes with every text selection, is pasted by a middle click anywhere, and a secret
left there after the user copied something else would never be cleared. Usernames and URLs go
to both, for middle-click pasting.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from vaultapp.gui.i18n import tr

SENSITIVE_FORMATS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
    "org.nspasteboard.ConcealedType": b"",
}


def sensitive_mime(text: str) -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    for name, value in SENSITIVE_FORMATS.items():
        mime.setData(name, QByteArray(value))
    return mime


class SecureClipboard(QObject):
    """Emits ``countdown(seconds_left, what)`` every second while a copied secret is pending,
    and ``cleared()`` once it has been wiped."""

    countdown = Signal(int, str)
    cleared = Signal()

    def __init__(self, parent: QObject | None = None, *, seconds: int = 15) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self._value: str | None = None
        self._what = ""
        self._left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)

    @property
    def pending(self) -> bool:
        return self._value is not None

    def _modes(self, *, sensitive: bool) -> list[QClipboard.Mode]:
        """Where ``copy`` puts text: a secret only on the clipboard, other text on PRIMARY too."""
        modes = [QClipboard.Mode.Clipboard]
        if not sensitive and QGuiApplication.clipboard().supportsSelection():
            modes.append(QClipboard.Mode.Selection)
        return modes

    def copy(self, text: str, what: str = "", *, sensitive: bool = True) -> None:
        """Put ``text`` on the clipboard; secrets are marked and cleared after ``seconds``.
        ``what`` names it in the countdown ("Password" when not given)."""
        what = what or tr("Password")
        board = QGuiApplication.clipboard()
        for mode in self._modes(sensitive=sensitive):
            if sensitive:
                board.setMimeData(sensitive_mime(text), mode)
            else:
                board.setText(text, mode)
        if not sensitive:
            return
        self._value, self._what = text, what
        if self.seconds > 0:
            self._left = self.seconds
            self._tick.start()
            self.countdown.emit(self._left, what)

    def _on_tick(self) -> None:
        self._left -= 1
        if self._value is not None and QGuiApplication.clipboard().text() != self._value:
            self._forget()  # the user copied something else: leave it alone
            return
        if self._left <= 0:
            self.clear_if_ours()
        else:
            self.countdown.emit(self._left, self._what)

    def _forget(self) -> None:
        self._tick.stop()
        self._value = None
        self.countdown.emit(0, "")

    def clear_if_ours(self) -> None:
        """Wipe the clipboard if it still holds the secret we put there (lock, quit, timeout)."""
        if self._value is None:
            return
        board = QGuiApplication.clipboard()
        if board.text(QClipboard.Mode.Clipboard) == self._value:
            board.clear(QClipboard.Mode.Clipboard)
        self._forget()
        self.cleared.emit()
