"""The entry model and proxy pass Qt's model tester."""

from __future__ import annotations

from tests.gui.conftest import unlock
from vaultapp.gui.main_window import MainWindow


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, window: MainWindow) -> None:
    """EntryTableModel and EntryFilterProxy satisfy QAbstractItemModelTester."""
    unlock(qtbot, window)
    qtmodeltester.check(window.vault_view.model)
    window.vault_view.search_edit.setText("git")
    qtmodeltester.check(window.vault_view.proxy)
