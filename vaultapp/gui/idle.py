"""Lock after a period without keyboard or mouse input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Install on the QApplication; emits ``idle`` after ``seconds`` without input (0 = never)."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, seconds: int = 300) -> None:
        super().__init__(parent)
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
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
