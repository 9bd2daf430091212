"""Pseudo-localised layout: with every string 40% longer and bracketed, no view clips a label,
a button or a tab (tests/gui/layout_check.py has the rule; tests/gui/views.py the views)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from tests.gui.layout_check import clipped
from tests.gui.views import VIEWS, pages, settle
from vaultapp.core import TEST_POLICY
from vaultapp.gui.i18n import install_translators, tr
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


@pytest.fixture
def pseudo_window(
    qtbot, qapp, settings: Settings, demo_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("VAULTAPP_PSEUDO", "1")
    install_translators(qapp, QLocale(QLocale.Language.English))
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.lock()
    install_translators(qapp, QLocale(QLocale.Language.English), pseudo=False)


@pytest.mark.parametrize("name", list(VIEWS))
def test_no_text_is_clipped_in_pseudo_translation(qtbot, pseudo_window: MainWindow, name: str) -> None:
    """Each view (and each of its tabs), shown at the size it opens with, fits its longer text."""
    assert tr("Cancel").startswith("[")  # the pseudo-translation is on
    view = VIEWS[name](qtbot, pseudo_window)
    problems: list[str] = []
    shots = os.environ.get("VAULTAPP_PSEUDO_SHOTS")  # scripts/pseudo_screenshots.py sets it
    for index, (page, show) in enumerate(pages(view)):
        show()
        settle(view)
        if shots and (index or len(pages(view)) == 1):
            view.grab().save(str(Path(shots) / f"pseudo-{name}{'-' + str(index) if index > 1 else ''}.png"))
        problems += [f"{name}{' ' + page if page else ''}: {problem}" for problem in clipped(view)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_clipped_text(qtbot) -> None:
    """A label, a wrapped label, a check box and a button squeezed below their text's size are
    all reported; the same widgets with room are not."""
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    words = "[Lock when the screensaver starts or the screen locks ŀőŕéḿ ĩƥšũḿ ďőŀőŕ]"
    squeezed = [QLabel(words, objectName="label"), QCheckBox(words, objectName="check"),
                QPushButton(words, objectName="button")]  # fmt: skip
    wrapped = QLabel(words * 4, objectName="wrapped")
    wrapped.setWordWrap(True)
    for widget in squeezed:
        widget.setFixedWidth(80)
        layout.addWidget(widget)
    wrapped.setFixedSize(200, 20)
    layout.addWidget(wrapped)
    settle(host)
    found = clipped(host)
    assert [line.split()[1] for line in found] == ["label", "check", "button", "wrapped"]
    for widget in [*squeezed, wrapped]:
        widget.setMinimumSize(0, 0)
        widget.setMaximumSize(16_777_215, 16_777_215)
    wrapped.setWordWrap(False)
    host.resize(host.sizeHint().expandedTo(host.minimumSizeHint()))
    settle(host)
    assert clipped(host) == []


def test_the_check_catches_text_cut_off_by_a_scroll_area(qtbot) -> None:
    """A button wider than the scroll area it sits in (no horizontal scroll bar) is reported."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea()
    qtbot.addWidget(area)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidgetResizable(True)
    inner = QWidget()
    QVBoxLayout(inner).addWidget(QPushButton("[Remove field ŀőŕéḿ ĩƥšũḿ ďőŀőŕ]", objectName="wide"))
    area.setWidget(inner)
    area.resize(120, 200)
    settle(area)
    assert [line.split()[1] for line in clipped(area)] == ["wide"]
    area.resize(area.widget().minimumSizeHint().width() + 40, 200)
    settle(area)
    assert clipped(area) == []
