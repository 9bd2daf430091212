"""Clipped text: a shown label, button or tab narrower (or shorter) than its text needs.

The rule, per visible widget with text:
- a QLabel that does not wrap needs its minimumSizeHint (the whole text on one line);
- a QLabel that wraps needs heightForWidth(its width) rows of height;
- a button (push, tool with text, check box, radio) needs its sizeHint's width; height is the style's;
- a QTabBar tab needs its tabSizeHint's width (Qt elides it otherwise).
A label whose horizontal size policy is Ignored elides on purpose (the detail pane's URL shows the
whole address in its tooltip) and is left out.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QSizePolicy,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # rounding of fractional font metrics


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__} {widget.objectName() or '(unnamed)'} {text[:60]!r}"


def clipped(root: QWidget) -> list[str]:
    """What is clipped under ``root`` (visible widgets only), one line each."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text().strip():
            if widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored:
                continue
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + SLACK:
                    found.append(f"{_name(widget)}: needs {need} px of height, has {widget.height()}")
                continue
            hint = widget.minimumSizeHint()
            if hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK:
                has = f"{widget.width()}x{widget.height()}"
                found.append(f"{_name(widget)}: needs {hint.width()}x{hint.height()}, has {has}")
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            if (
                isinstance(widget, QToolButton)
                and widget.toolButtonStyle() == widget.toolButtonStyle().ToolButtonIconOnly
            ):
                continue
            hint = widget.sizeHint()
            if hint.width() > widget.width() + SLACK:
                found.append(f"{_name(widget)}: needs {hint.width()} px of width, has {widget.width()}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                need, has = widget.tabSizeHint(index).width(), widget.tabRect(index).width()
                if need > has + SLACK:
                    found.append(f"tab {widget.tabText(index)!r}: needs {need} px, has {has}")
    return found
