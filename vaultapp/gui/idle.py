"""Lock after a period without keyboard or mouse input."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``seconds`` without keyboard or mouse input (0 = never).

    It watches the application's input only while its timer runs (a vault is unlocked). An
    application-wide Python event filter makes PySide wrap every object that receives an event,
    and wrapping Qt's private classes makes it build hundreds of enum types: installed at start-up
    it cost the unlock window about 30 ms of its launch time (benchmarks/gui.py).
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, seconds: int = 300) -> None:
        super().__init__(parent)
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.restart()

    def set_interval_ms(self, ms: int) -> None:
        """For tests and settings that need sub-second precision."""
        self._seconds = max(ms, 1) / 1000
        self.restart()

    def restart(self) -> None:
        if self._seconds > 0:
            self._timer.start(int(self._seconds * 1000))
            self._watch(True)
        else:
            self.stop()

    def stop(self) -> None:
        self._timer.stop()
        self._watch(False)

    def _watch(self, on: bool) -> None:
        app = QCoreApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
