"""Small widgets used across the window: icons, the passphrase field, the strength bar."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from vaultapp.gui.i18n import fill, tr
from vaultapp.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons (SVG)."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


class PassphraseEdit(QLineEdit):
    """A masked field with a show/hide toggle that reports a likely Caps Lock.

    Qt has no portable Caps Lock query, so it is inferred from typing: a letter whose case
    disagrees with the Shift key means Caps Lock is on (KeePassXC and browsers do the same).
    """

    caps_lock_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder or tr("Passphrase"))  # a form's label names it more closely
        self.toggle_action = QAction(icon("eye"), tr("Show"), self)
        self.toggle_action.setObjectName("show_hide_action")
        self.toggle_action.setCheckable(True)
        self.toggle_action.toggled.connect(self.set_revealed)
        self.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        self._caps = False

    def set_revealed(self, revealed: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        self.toggle_action.setIcon(icon("eye-off" if revealed else "eye"))
        self.toggle_action.setText(tr("Hide") if revealed else tr("Show"))
        if self.toggle_action.isChecked() != revealed:
            self.toggle_action.setChecked(revealed)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        text = event.text()
        if event.key() == Qt.Key.Key_CapsLock:
            self._set_caps(not self._caps)
        elif len(text) == 1 and text.isalpha() and text.lower() != text.upper():
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._set_caps(text.isupper() != shift)
        super().keyPressEvent(event)

    def _set_caps(self, on: bool) -> None:
        if on != self._caps:
            self._caps = on
            self.caps_lock_changed.emit(on)


class StrengthBar(QWidget):
    """A zxcvbn score bar with a label: 'Strong: about 3 centuries to crack offline'."""

    COLORS = ("#dc2626", "#ea580c", "#ca8a04", "#16a34a", "#15803d")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("strength_bar")
        self.bar.setAccessibleName(tr("Strength"))
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel(self)
        self.label.setObjectName("strength_label")
        self.label.setWordWrap(True)
        # Room for two lines from the start: the dialog is laid out before anything is typed, and
        # a longer verdict with zxcvbn's warning was squeezed into a sliver of one line.
        self.label.setMinimumHeight(2 * self.label.fontMetrics().lineSpacing() + 2)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.score = 0

    def update_for(self, password: str, user_inputs: tuple[str, ...] = ()) -> int:
        from vaultapp.health.strength import estimate

        if not password:
            self.score = 0
            self.bar.setValue(0)
            self.label.setText("")
            self.bar.setAccessibleDescription("")
            return 0
        strength = estimate(password, user_inputs)
        self.score = strength.score
        self.bar.setValue(max(strength.score, 1) if password else 0)
        color = self.COLORS[strength.score]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; border-radius: 3px; }}")
        text = fill(tr("%1: %2 to crack offline"), strength.label, strength.crack_time)
        if strength.warning:
            text += f". {strength.warning}"
        self.label.setText(text)
        self.label.setToolTip(text)
        self.bar.setAccessibleDescription(text)
        self._fit_label()
        return strength.score

    def _fit_label(self) -> None:
        """Grow to the lines the verdict needs (a dialog grows with its layout's minimum)."""
        width = self.label.width()
        if width > 0:
            two_lines = 2 * self.label.fontMetrics().lineSpacing() + 2
            self.label.setMinimumHeight(max(two_lines, self.label.heightForWidth(width)))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        # Sized by the label's minimum height (set in _fit_label), not by a form's height-for-width
        # pass, which ignored that minimum and cut the second line off.
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_label()


def size_within_screen(window: QWidget, width: int, height: int) -> None:
    """Open at ``width`` x ``height``, or smaller where the screen is smaller (HiDPI scaling,
    small laptops): a window is never larger than the screen, so its buttons stay reachable."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() * 9 // 10), min(height, room.height() * 9 // 10)
    window.resize(width, height)


def at_least_wide(dialog: QWidget, width: int) -> None:
    """Make ``dialog`` at least ``width`` px wide, and never narrower than its layout needs: a plain
    setMinimumWidth replaces the layout's minimum, so a longer translation was clipped. Call it
    once the layout is built."""
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
        width = max(width, layout.totalMinimumSize().width())
    dialog.setMinimumWidth(width)


def grow_to_fit(window: QWidget) -> None:
    """Make a dialog tall enough for its word-wrapped labels at its width: Qt sizes a top-level
    window from its layout's minimum, not from height-for-width, so new lines were cut off."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalMinimumSize().height()
    if needed > window.height():
        window.resize(window.width(), needed)


NOTICE_COLORS = {"warning": "#b45309", "error": "#dc2626"}


def notice_label(object_name: str, kind: str) -> QLabel:
    """A hidden, word-wrapped line for an inline warning (amber) or error (red) in a dialog."""
    label = QLabel(objectName=object_name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {NOTICE_COLORS[kind]};")
    label.hide()
    return label


def hbox(*widgets: QWidget, spacing: int = 6) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return layout
