"""Auto-type's one Qt module: ``ShortcutListener`` reads the X connection of ``hotkey.Watcher``
when its file descriptor has data (a ``QSocketNotifier``, no thread) and emits ``pressed``;
``Chooser`` is the small dialog that asks which entry to type when several match a window."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.autotype.hotkey import Shortcut, Watcher
from vaultapp.autotype.matching import Match
from vaultapp.autotype.x11 import AutoTypeUnavailableError


class ShortcutListener(QObject):
    """Holds the global shortcut while it lives; ``pressed`` on the GUI thread at each press.
    ``previous()`` is the last active window of another program (where the user was before
    coming to vaultapp). Raises ``UsageError`` (taken, unknown key) or
    ``AutoTypeUnavailableError`` (no X display) when it cannot start."""

    pressed = Signal()
    failed = Signal(str)

    def __init__(self, shortcut: Shortcut | None, display_name: str | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.watcher = Watcher(shortcut, display_name)
        self.notifier = QSocketNotifier(self.watcher.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._read)
        self._read()  # events that came with the replies at start-up

    @property
    def text(self) -> str | None:
        return None if self.watcher.shortcut is None else self.watcher.shortcut.text

    def previous(self) -> int | None:
        try:
            return self.watcher.previous_window()
        except AutoTypeUnavailableError as exc:
            self.close()
            self.failed.emit(str(exc))
            return None

    def _read(self) -> None:
        try:
            presses = self.watcher.read()
        except AutoTypeUnavailableError as exc:
            self.close()
            self.failed.emit(str(exc))
            return
        for _ in range(presses):
            self.pressed.emit()

    def close(self) -> None:
        self.notifier.setEnabled(False)
        self.watcher.close()


class Chooser(QDialog):
    """Which entry to type into ``window_title``: a filter, the matching entries (title and
    username, never a secret), Enter or a double click to type, Escape to cancel."""

    def __init__(self, matches: list[Match], window_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autotype_chooser")
        self.setWindowTitle("Auto-type: choose an entry")
        self.matches = matches
        label = QLabel(f"Several entries match the window “{window_title}”. Which one should be typed?")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.filter = QLineEdit(placeholderText="Filter")
        self.filter.setObjectName("autotype_chooser_filter")
        self.list = QListWidget()
        self.list.setObjectName("autotype_chooser_list")
        for match in matches:
            text = match.entry.title + (f" — {match.entry.username}" if match.entry.username else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, match.entry.uuid)
            item.setToolTip(f"Types {match.sequence}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.type_button = buttons.addButton("Type", QDialogButtonBox.ButtonRole.AcceptRole)
        self.type_button.setObjectName("autotype_chooser_type")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 280)

    def _filter(self, text: str) -> None:
        wanted = text.casefold()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = wanted not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        if first is not None:
            self.list.setCurrentRow(first)

    def chosen(self) -> Match | None:
        """The entry picked (after ``accept``), or None."""
        item = self.list.currentItem()
        if self.result() != QDialog.DialogCode.Accepted or item is None or item.isHidden():
            return None
        uuid = item.data(Qt.ItemDataRole.UserRole)
        return next((m for m in self.matches if m.entry.uuid == uuid), None)
