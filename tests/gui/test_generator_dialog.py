"""The generator dialog: live preview with entropy, options persist, Copy and Use."""

from __future__ import annotations

import math

from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import select
from vaultapp.gui.generator import GeneratorDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


def test_preview_regenerates_as_options_change(qtbot, settings: Settings) -> None:
    """Changing the length redraws the preview at once, with the exact entropy shown."""
    dialog = GeneratorDialog(None, settings)
    qtbot.addWidget(dialog)
    assert len(dialog.preview.toPlainText()) == 20
    dialog.length.setValue(32)
    assert len(dialog.preview.toPlainText()) == 32
    assert dialog.current is not None
    assert f"{dialog.current.entropy_bits:.1f} bits" in dialog.entropy_label.text()
    dialog.tabs.setCurrentIndex(1)  # passphrase
    assert len(dialog.preview.toPlainText().split(" ")) == 6
    assert math.isclose(dialog.current.entropy_bits, 6 * math.log2(7776))
    before = dialog.preview.toPlainText()
    dialog.regenerate_button.click()
    assert dialog.preview.toPlainText() != before


def test_impossible_options_show_an_error_not_a_value(qtbot, settings: Settings) -> None:
    """With every class off, the dialog says why and offers nothing to copy."""
    dialog = GeneratorDialog(None, settings)
    qtbot.addWidget(dialog)
    for box in (dialog.lower, dialog.upper, dialog.digits, dialog.symbols):
        box.setChecked(False)
    assert "No characters left" in dialog.error_label.text()
    assert not dialog.copy_button.isEnabled()


def test_options_persist_but_values_never_do(qtbot, settings: Settings) -> None:
    """Closing saves the options; reopening restores them; the settings file holds no value."""
    dialog = GeneratorDialog(None, settings)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.words.setValue(8)
    value = dialog.preview.toPlainText()
    dialog.reject()
    settings.sync()
    again = GeneratorDialog(None, Settings(settings.path))
    qtbot.addWidget(again)
    assert again.kind == "passphrase"
    assert again.words.value() == 8
    assert value.split(" ")[0] not in settings.path.read_text()


def test_copy_uses_the_secure_clipboard_and_use_fills_the_editor(
    qtbot, unlocked: MainWindow, monkeypatch
) -> None:
    """Copy puts the value on the clipboard as a secret; Use from the editor fills the password."""
    dialog = GeneratorDialog(unlocked, unlocked.settings)
    qtbot.addWidget(dialog)
    dialog.copy_requested.connect(lambda v: unlocked.clipboard.copy(v, "Generated secret"))
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.preview.toPlainText()
    assert bytes(QGuiApplication.clipboard().mimeData().data("x-kde-passwordManagerHint")) == b"secret"

    monkeypatch.setattr(unlocked.tools, "open_generator", lambda **kwargs: "generated-Value-123!")
    select(unlocked, "GitHub")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.generate_button.click()
    assert editor.password_edit.text() == "generated-Value-123!"


def test_ctrl_g_opens_the_generator(qtbot, window: MainWindow, monkeypatch) -> None:
    """The Ctrl+G action opens the dialog even while locked (no vault is needed)."""
    opened: list[bool] = []
    monkeypatch.setattr(GeneratorDialog, "exec", lambda self: opened.append(True) or 0)
    action = window.actions_by_name["generator_action"] if window.actions_by_name else None
    if action is None:
        window._finish_setup()
        action = window.actions_by_name["generator_action"]
    assert action.shortcut().toString() == "Ctrl+G"
    action.trigger()
    assert opened == [True]


def test_entry_rules_prefill_the_generator(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """An entry's 'passwordrules' custom field is what the editor's Generate button honours."""
    seen: list[str | None] = []
    monkeypatch.setattr(
        unlocked.tools, "open_generator", lambda **kwargs: seen.append(kwargs.get("rules")) or None
    )
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor._add_custom("passwordrules", "minlength: 8; maxlength: 8; required: digit; allowed: [ab]", False)
    editor.generate_button.click()
    assert seen == ["minlength: 8; maxlength: 8; required: digit; allowed: [ab]"]
    dialog = GeneratorDialog(None, unlocked.settings, for_editor=True, rules=seen[0])
    qtbot.addWidget(dialog)
    value = dialog.preview.toPlainText()
    assert len(value) == 8
    assert set(value) <= set("ab0123456789")
