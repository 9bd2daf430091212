"""The detail pane's layout: a narrow pane wraps its rows instead of scrolling sideways."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout

from tests.gui.conftest import select
from tests.gui.test_passkeys import PASSKEY
from vaultapp.gui.main_window import MainWindow


def test_a_narrow_detail_pane_wraps_rows_instead_of_scrolling_sideways(qtbot, unlocked: MainWindow) -> None:
    """At the logical size of QT_SCALE_FACTOR=2 on a 1600x1000 screen (the window 720x450) each
    value goes under its name and nothing needs a horizontal scroll bar; a wide pane keeps
    names beside values."""
    vault = unlocked.vault
    assert vault is not None
    github = next(e for e in vault.entries if e.title == "GitHub")
    vault.update(github.uuid, custom=[*PASSKEY, ("Recovery email", "alice@example.com", False)])
    unlocked.reload_model()
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    view = unlocked.vault_view
    scroll = view.detail_scroll.horizontalScrollBar()

    unlocked.resize(720, 450)
    view.fit_layout(720)
    qtbot.waitUntil(lambda: view.detail_scroll.viewport().width() < 260)
    qtbot.waitUntil(lambda: view.detail.form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows)
    qtbot.waitUntil(lambda: view.detail.width() <= view.detail_scroll.viewport().width())
    assert scroll.maximum() == 0
    assert view.detail.minimumSizeHint().width() <= view.detail_scroll.viewport().width()

    unlocked.resize(1400, 800)
    view.fit_layout(1400)
    qtbot.waitUntil(lambda: view.detail.form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.DontWrapRows)
    assert scroll.maximum() == 0
