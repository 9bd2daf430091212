"""Clipped text: a shown label, button or tab narrower (or shorter) than its text needs.

The rule, per visible widget with text:
- a QLabel that does not wrap needs its minimumSizeHint (the whole text on one line);
- a QLabel that wraps needs heightForWidth(its width) rows of height;
- a button (push, tool with text, check box, radio) needs its sizeHint's width; height is the style's;
- a QTabBar tab needs its tabSizeHint's width (Qt elides it otherwise).
- and what a widget needs must be in view: a part cut off by a parent (a scroll area without a
  horizontal scroll bar, a window narrower than its contents) counts as clipped.
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


def _sticks_out(widget: QWidget) -> bool:
    """Cut off by an ancestor's edge (not merely covered, or scrolled out of a vertical list)."""
    rect = widget.rect()
    parent = widget
    offset = widget.mapTo(widget.window(), rect.topLeft())
    while parent.parentWidget() is not None:
        parent = parent.parentWidget()
        origin = parent.mapTo(widget.window(), parent.rect().topLeft())
        if offset.x() + rect.width() > origin.x() + parent.width() + SLACK or offset.x() < origin.x() - SLACK:
            return True
    return False


def clipped(root: QWidget) -> list[str]:
    """What is clipped under ``root`` (visible widgets only), one line each."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            shown = widget.visibleRegion().boundingRect()
            if shown.width() < widget.width() - SLACK and _sticks_out(widget):
                found.append(f"{_name(widget)}: {shown.width()} of its {widget.width()} px are in view")
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
