"""Guard against a Qt binding that mishandles None's reference count.

PySide6 6.12.0 under Python 3.11 (where None is not immortal) returned None from every void
method without a new reference; after a few thousand Qt calls Python aborted with
"deallocating None". pyproject.toml excludes it; this test fails if such a build is installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def test_void_qt_calls_keep_none_alive(qapp: QApplication) -> None:
    """800 void calls leave None's reference count where it was (give or take a few)."""
    label, timer = QLabel(), QTimer()
    before = sys.getrefcount(None)
    for _ in range(200):
        qapp.processEvents()
        label.setText("x")
        timer.start(1000)
        timer.stop()
    assert abs(sys.getrefcount(None) - before) < 100
