"""The Secret Service's one Qt module: ``AppThread`` runs the service's vault work on the Qt
thread (a queued signal from the service's thread) and hands the result back in a future."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


class AppThread(QObject):
    """Made on the Qt thread; call it from any thread with a function to run there."""

    _job = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def __call__(self, fn: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._job.emit((fn, future))
        return future

    def _run(self, job: tuple[Callable[[], Any], concurrent.futures.Future[Any]]) -> None:
        fn, future = job
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the waiting D-Bus call
            future.set_exception(exc)
