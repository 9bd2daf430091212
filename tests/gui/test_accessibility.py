"""Every control a keyboard reaches has a name for a screen reader, in every view: icon buttons,
the search field, the strength bar, the one-time code countdown, tables and lists."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.gui.views import VIEWS, pages, settle
from vaultapp.gui.main_window import MainWindow


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces as the widget's name (Qt's accessibility interface:
    accessibleName, else the text, else a buddy label such as a form row's)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed(root: QWidget) -> list[str]:
    """Visible widgets that take keyboard focus but have no accessible name."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.isWindow() or isinstance(widget, QLabel):
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy() is not None:
            continue
        if not accessible_name(widget):
            parent = widget.parentWidget()
            where = parent.objectName() if parent is not None else ""
            found.append(f"{type(widget).__name__} {widget.objectName() or '(unnamed)'} in {where or '?'}")
    return found


# Views of files other helpers were still changing: named in the second pass (strict: they must fail now).
PENDING: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="not named yet")) if n in PENDING else n
     for n in VIEWS],
)  # fmt: skip
def test_every_focusable_control_has_an_accessible_name(qtbot, window: MainWindow, name: str) -> None:
    """Walk each view (each tab too): a control the Tab key reaches is named for screen readers."""
    QAccessible.setActive(True)
    view = VIEWS[name](qtbot, window)
    problems: list[str] = []
    for page, show in pages(view):
        show()
        settle(view)
        problems += [f"{name}{' ' + page if page else ''}: {p}" for p in unnamed(view)]
    QApplication.processEvents()
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_walk_catches_an_unnamed_icon_button(qtbot) -> None:
    """An icon-only tool button without a name is reported; named, it is not."""
    from PySide6.QtWidgets import QHBoxLayout, QToolButton

    host = QWidget()
    qtbot.addWidget(host)
    button = QToolButton(objectName="icon_only")
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    QHBoxLayout(host).addWidget(button)
    settle(host)
    assert unnamed(host) == ["QToolButton icon_only in ?"]
    button.setAccessibleName("Copy password")
    assert unnamed(host) == []


def tab_chain(qtbot, view: QWidget) -> set[QWidget]:
    """The widgets Tab reaches in ``view``, pressing Tab (key events) until it comes round."""
    from PySide6.QtTest import QTest

    if not view.isActiveWindow():
        view.activateWindow()  # the window manager's part (offscreen has none)
    qtbot.waitUntil(view.isActiveWindow)
    if QApplication.focusWidget() is None:
        view.focusNextChild()
    first = QApplication.focusWidget()
    reached: set[QWidget] = set()
    for _ in range(200):  # round to the first control again (a label with links takes two presses)
        widget = QApplication.focusWidget()
        assert widget is not None, "the focus left the window"
        if widget is first and reached:
            break
        reached.add(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return reached


def unreachable(qtbot, view: QWidget) -> list[str]:
    """Visible, enabled controls that take the Tab focus but that Tab never reaches."""
    reached = tab_chain(qtbot, view)
    wanted = [
        w
        for w in view.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None and not isinstance(w, QLabel) and w.window() is view
    ]  # fmt: skip
    return [f"{type(w).__name__} {w.objectName() or '(unnamed)'}" for w in wanted if w not in reached]


TAB_PENDING: set[str] = set()  # a table or the notes kept the Tab key: second pass


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="Tab is kept")) if n in TAB_PENDING else n
     for n in VIEWS],
)  # fmt: skip
def test_every_control_is_reached_with_tab(qtbot, window: MainWindow, name: str) -> None:
    """From the focused control, Tab visits every enabled control of the view (each tab page too)."""
    view = VIEWS[name](qtbot, window)
    problems: list[str] = []
    for page, show in pages(view):
        show()
        settle(view)
        problems += [f"{name}{' ' + page if page else ''}: {p}" for p in unreachable(qtbot, view)]
    assert not problems, "\n".join(problems)
