"""Helpers for the browser tests of the window: run a blocking client call while the Qt loop
serves it, and answer a modal browser prompt from inside its own loop."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from vaultapp.gui.browser_dialogs import AssociateDialog

T = TypeVar("T")


def via(qtbot: Any, fn: Callable[..., T], *args: Any) -> T:
    """Run the client's blocking call in a thread while the Qt loop serves it."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(fn, *args)
    try:
        qtbot.waitUntil(future.done, timeout=20_000)
    finally:
        pool.shutdown(wait=False)  # a hung call fails the test instead of hanging it
    return future.result()


class Answer:
    """Answers the first visible dialog called ``name`` from inside its own modal loop (the
    callbacks are synchronous, so the test cannot act on it from outside)."""

    def __init__(self, name: str, act: Callable[[Any], None]) -> None:
        self.name, self.act = name, act
        self.seen: list[QDialog] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == self.name and widget.isVisible() and widget not in self.seen:
                self.seen.append(widget)  # type: ignore[arg-type]
                self.timer.stop()
                self.act(widget)
                return


SHOWN: list[str] = []  # what the last association dialog showed (it is deleted after)


def name_it(name: str) -> Callable[[AssociateDialog], None]:
    def act(dialog: AssociateDialog) -> None:
        SHOWN[:] = [dialog.fingerprint_label.text()]
        dialog.name_edit.setText(name)
        dialog.connect_button.click()

    return act
