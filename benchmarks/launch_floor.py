#!/usr/bin/env python3
"""Issue 23's launch floor: a minimal PySide6 window with one line edit and one shortcut (Ctrl+Q
quits), started the way ``benchmarks/gui.py`` starts vaultapp and timed the same way."""

import sys

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("PySide6 floor")
window.setCentralWidget(QLineEdit())
QShortcut(QKeySequence("Ctrl+Q"), window, app.quit)
window.show()
sys.exit(app.exec())
