"""Run slow work (key derivation, big saves) off the GUI thread; deliver the result on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Bridge(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self._fn = fn
        self._bridge = bridge

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self._bridge.failed.emit(exc)
        else:
            self._bridge.succeeded.emit(result)


def run_in_background(
    parent: QObject,
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """Run ``fn`` on the thread pool; call one of the callbacks on the GUI thread afterwards.

    The bridge is a child of ``parent``: if ``parent`` is destroyed first, no callback runs.
    """
    bridge = _Bridge(parent)

    def done(callback: Callable[[Any], None], value: Any) -> None:
        bridge.deleteLater()
        callback(value)

    bridge.succeeded.connect(lambda value: done(on_success, value))
    bridge.failed.connect(lambda exc: done(on_failure, exc))
    QThreadPool.globalInstance().start(_Job(fn, bridge))
