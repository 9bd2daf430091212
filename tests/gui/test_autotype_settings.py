"""Settings → Auto-type (offscreen): the defaults, applying, a sequence or shortcut that does not
parse keeps the dialog open, and a Wayland session says auto-type is not available."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from tests.gui.conftest import select
from vaultapp.gui.autotype_settings import AutoTypeOptions, AutoTypeSettingsPage
from vaultapp.gui.dialogs import SettingsDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


def test_defaults_are_keepassxcs(settings: Settings) -> None:
    options = AutoTypeOptions(settings)
    assert (options.enabled, options.shortcut, options.sequence) == (
        True, "Ctrl+Alt+A", "{USERNAME}{TAB}{PASSWORD}{ENTER}",
    )  # fmt: skip
    assert (options.match_title, options.match_url) == (True, True)


def test_the_page_applies_with_ok(qtbot, settings: Settings) -> None:
    dialog = SettingsDialog(None, settings)
    qtbot.addWidget(dialog)
    page = dialog.autotype_page
    page.shortcut_edit.setKeySequence(QKeySequence("Ctrl+Alt+K"))
    page.sequence_edit.setText("{USERNAME}{TAB}{TAB}{PASSWORD}{ENTER}")
    page.url_check.setChecked(False)
    page.enabled_check.setChecked(False)
    dialog._accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    dialog.apply()
    options = AutoTypeOptions(Settings(settings.path))  # read back from the file
    assert options.shortcut == "Ctrl+Alt+K"
    assert options.sequence == "{USERNAME}{TAB}{TAB}{PASSWORD}{ENTER}"
    assert (options.enabled, options.match_url, options.match_title) == (False, False, True)


@pytest.mark.parametrize(
    ("sequence", "shortcut", "says"),
    [
        ("{USERNAME}{TAB", "Ctrl+Alt+A", "a '{' is never closed"),
        ("{USERNAME}", "A", "needs Ctrl, Alt or Meta"),
    ],
)
def test_a_bad_sequence_or_shortcut_keeps_the_dialog_open(
    qtbot, settings: Settings, sequence: str, shortcut: str, says: str
) -> None:
    dialog = SettingsDialog(None, settings)
    qtbot.addWidget(dialog)
    page = dialog.autotype_page
    page.sequence_edit.setText(sequence)
    page.shortcut_edit.setKeySequence(QKeySequence(shortcut))
    dialog._accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is page
    assert says in page.message.text()
    assert AutoTypeOptions(settings).sequence == "{USERNAME}{TAB}{PASSWORD}{ENTER}"  # nothing saved


def test_wayland_says_auto_type_is_not_available(
    qtbot, unlocked: MainWindow, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.delenv("DISPLAY", raising=False)
    expected = "Auto-type is not available on this session (Wayland); it works in an X11 session."
    page = AutoTypeSettingsPage(settings)
    qtbot.addWidget(page)
    assert page.session.text() == expected
    unlocked.apply_settings()
    assert unlocked.autotype.listener is None
    assert unlocked.autotype.error == expected
    select(unlocked, "GitHub")
    unlocked.actions_by_name["autotype_action"].trigger()
    assert unlocked.statusBar().currentMessage() == expected


def test_offscreen_has_no_x_session_to_type_into(unlocked: MainWindow) -> None:
    """The tests' window is offscreen: no global grab is taken on any display."""
    assert unlocked.autotype.listener is None
    select(unlocked, "GitHub")
    unlocked.actions_by_name["autotype_action"].trigger()
    assert "Auto-type is not available on this session" in unlocked.statusBar().currentMessage()
