"""The window defects a new user hit (issue 16): wrong entry, lost keystrokes, missing features."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer

from tests.gui.conftest import select, titles
from vaultapp.core import TEST_POLICY
from vaultapp.gui.main_window import MainWindow


def _selected_uuid(win: MainWindow) -> str | None:
    entry = win.vault_view.current_entry()
    return None if entry is None else entry.uuid


def test_sorting_keeps_the_selected_entry(qtbot, unlocked: MainWindow) -> None:
    """Clicking a header re-sorts; the highlight and the detail pane stay on the same entry."""
    view = unlocked.vault_view
    select(unlocked, "Bank")
    qtbot.waitUntil(lambda: view.detail.entry is not None and view.detail.entry.title == "Bank")
    bank = _selected_uuid(unlocked)
    assert view.table.currentIndex().row() == 0
    header = view.table.horizontalHeader()
    click_at = QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click_at)  # "Title" again
    assert titles(unlocked) == ["Mail", "GitHub", "Bank"]
    assert _selected_uuid(unlocked) == bank
    assert view.table.currentIndex().row() == 2
    qtbot.waitUntil(lambda: view.detail.entry is not None and view.detail.entry.uuid == bank)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by username: GitHub, Bank, Mail
    assert titles(unlocked) == ["GitHub", "Bank", "Mail"]
    assert _selected_uuid(unlocked) == bank


def test_a_new_entry_lands_in_sorted_position(qtbot, unlocked: MainWindow) -> None:
    """Adding "Azure" to a title-sorted table puts it first, selected; renaming re-sorts."""
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Azure")
    editor.save()
    assert titles(unlocked) == ["Azure", "Bank", "GitHub", "Mail"]
    assert unlocked.vault_view.current_entry().title == "Azure"  # type: ignore[union-attr]
    select(unlocked, "Bank")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Zebra bank")
    editor.save()
    assert titles(unlocked) == ["Azure", "GitHub", "Mail", "Zebra bank"]
    assert unlocked.vault_view.current_entry().title == "Zebra bank"  # type: ignore[union-attr]


def test_create_dialog_focus_starts_in_the_passphrase(qtbot, tmp_path: Path, monkeypatch) -> None:
    """Typing at once goes into the masked passphrase, and an existing default file is said at once."""
    from vaultapp.gui import create

    taken = tmp_path / "Passwords.vault"
    taken.write_bytes(b"not empty")
    monkeypatch.setattr(create, "default_vault_path", lambda: taken)
    dialog = create.CreateVaultDialog(None, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.passphrase_edit
    assert dialog.location_note.isVisible()
    assert "Passwords.vault exists already" in dialog.location_warning.text()
    dialog.other_name_button.click()
    assert dialog.location_edit.text() == str(tmp_path / "Passwords-2.vault")
    assert not dialog.location_note.isVisible()
    assert dialog.focusWidget() is dialog.passphrase_edit


def test_launch_with_a_recent_vault_focuses_the_passphrase(qtbot, settings, demo_vault: Path) -> None:
    """Started with a remembered vault, the first keystrokes land in the passphrase field."""
    from PySide6.QtWidgets import QApplication

    settings.remember_vault(demo_vault)
    win = MainWindow(settings, policy=TEST_POLICY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    view = win.unlock_view
    assert view.path == demo_vault.absolute()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.passphrase_edit)
    qtbot.keyClicks(QApplication.focusWidget(), "typed")
    assert view.passphrase_edit.text() == "typed"


def test_enter_on_the_welcome_screen_presses_the_focused_button(qtbot, settings, monkeypatch) -> None:
    """No vault yet: Tab to "Create new vault…" and Enter asks for the create dialog."""
    monkeypatch.setattr("vaultapp.gui.unlock.QFileDialog.getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr("vaultapp.gui.create.CreateVaultDialog.ask", classmethod(lambda *a, **k: None))
    win = MainWindow(settings, policy=TEST_POLICY)
    qtbot.addWidget(win)
    win.show()
    view = win.unlock_view
    view.create_button.setFocus()
    with qtbot.waitSignal(view.create_requested, timeout=1000):
        qtbot.keyClick(view.create_button, Qt.Key.Key_Return)
    view.open_button.setFocus()
    opened: list[bool] = []
    view.open_button.clicked.connect(lambda: opened.append(True))
    qtbot.keyClick(view.open_button, Qt.Key.Key_Enter)
    assert opened == [True]


def test_change_passphrase_from_the_window(qtbot, unlocked: MainWindow) -> None:
    """File → Change passphrase…: a wrong current one is refused inline; then the vault and its
    backups open with the new passphrase only."""
    from tests.helpers import PASSPHRASE, open_vault
    from vaultapp.core import Vault, WrongPassphraseError

    vault = unlocked.vault
    assert vault is not None
    vault.add("Extra")
    unlocked.save()  # so that there is an automatic backup to re-key
    assert vault.backups()
    action = unlocked.actions_by_name["change_passphrase_action"]
    assert action in unlocked.menuBar().actions()[0].menu().actions()
    action.trigger()
    dialog = unlocked.passphrase_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.old_edit.setText("not the passphrase")
    dialog.new_edit.setText("a")
    assert dialog.weak_warning.isVisibleTo(dialog)
    assert dialog.strength.label.text()
    new = "violet anchor drifting seventeen lanterns"
    dialog.new_edit.setText(new)
    dialog.repeat_edit.setText(new)
    dialog.change_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog) and not dialog.busy, timeout=10_000)
    assert "current passphrase is wrong" in dialog.error_label.text()
    dialog.old_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.change_button.click()
    assert unlocked.passphrase_dialog is None
    assert "Passphrase changed" in unlocked.statusBar().currentMessage()
    unlocked.lock()
    for path in (vault.path, *vault.backups()):
        with pytest.raises(WrongPassphraseError):
            Vault.open(path, PASSPHRASE, policy=TEST_POLICY, audit=False)
        open_vault(path, new).close()
    with open_vault(vault.path, new) as reopened:
        assert "Extra" in [e.title for e in reopened.entries]


def _press_enter_in_generator(qtbot, seen: dict[str, object]) -> None:
    """When the generator opens (modal), note its state and press Enter where the focus is."""
    from PySide6.QtWidgets import QApplication

    from vaultapp.gui.generator import GeneratorDialog

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, GeneratorDialog)
        seen.update(kind=dialog.kind, rules=dialog.rules.text(), value=dialog.preview.toPlainText())
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, act)


def test_enter_in_the_generator_uses_the_value_in_the_editor(qtbot, unlocked: MainWindow) -> None:
    """Opened from the editor, Enter is Use: the shown password goes into the editor."""
    unlocked.settings.generator_options = {"kind": "pin", "rules": "minlength: 40"}  # last use elsewhere
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    seen: dict[str, object] = {}
    _press_enter_in_generator(qtbot, seen)
    editor._use_generated()
    assert seen["value"]
    assert editor.password_edit.text() == seen["value"]
    assert seen["rules"] == ""  # another site's rules are not carried over


def test_regenerate_from_health_opens_the_password_tab_with_site_rules(qtbot, unlocked: MainWindow) -> None:
    """Last used on the Token tab, the generator still opens on Password with the entry's rules."""
    from tests.gui.test_health_view import _run_health

    vault = unlocked.vault
    assert vault is not None
    bank = next(e for e in vault.entries if e.title == "Bank")
    vault.update(bank.uuid, custom=[("passwordrules", "minlength: 12; maxlength: 12; allowed: digit", False)])
    unlocked.save()
    unlocked.settings.generator_options = {"kind": "token", "token_format": "hex", "rules": "minlength: 40"}
    dialog = _run_health(qtbot, unlocked)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "Mail")
    dialog.table.selectRow(row)
    seen: dict[str, object] = {}
    _press_enter_in_generator(qtbot, seen)
    dialog.report = None
    dialog.regenerate_button.click()
    assert seen["kind"] == "password"  # no rules of its own: still a password, with no others' rules
    assert seen["rules"] == ""
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "Bank")
    dialog.table.selectRow(row)
    seen.clear()
    _press_enter_in_generator(qtbot, seen)
    dialog.report = None
    dialog.regenerate_button.click()
    assert seen["kind"] == "password"
    assert seen["rules"] == "minlength: 12; maxlength: 12; allowed: digit"
    value = str(seen["value"])
    assert len(value) == 12
    assert value.isdigit()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert vault.reveal(vault.get(bank.uuid).password) == value  # type: ignore[arg-type]


def test_a_wrong_file_is_recognised_before_the_passphrase(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A KeePass file, a folder, a missing path or a text file: said at once, no passphrase asked."""
    from pykeepass import create_database

    kdbx = tmp_path / "old.kdbx"
    create_database(str(kdbx), password="keepass pw").save()
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    view = window.unlock_view
    cases = (
        (kdbx, "This is a KeePass database: use File → Import"),
        (tmp_path, "is a folder"),
        (tmp_path / "gone.vault", "is not in"),
        (text, "is not a vaultapp vault"),
    )
    for path, words in cases:
        view.select_vault(path)
        assert view.error_label.isVisibleTo(window), path
        assert words in view.error_label.text(), path
        assert "vaultapp-cli" not in view.error_label.text()
        assert not view.passphrase_edit.isVisibleTo(window), path
        assert not view.unlock_button.isEnabled(), path
    view.select_vault(tmp_path / "demo.vault")
    assert not view.error_label.isVisibleTo(window)
    assert view.passphrase_edit.isVisibleTo(window)
    assert view.unlock_button.isEnabled()


def test_search_flow_like_keepassxc(qtbot, unlocked: MainWindow) -> None:
    """Ctrl+F, type, Ctrl+C / Ctrl+B copy from the first result, Down moves into it, Escape clears."""
    from PySide6.QtWidgets import QApplication

    view = unlocked.vault_view
    select(unlocked, "Mail")
    unlocked.activateWindow()
    qtbot.waitUntil(unlocked.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.search_edit
    qtbot.keyClicks(view.search_edit, "a")  # Bank, GitHub (alice), Mail: all match
    assert titles(unlocked) == ["Bank", "GitHub", "Mail"]
    assert view.current_entry().title == "Bank"  # type: ignore[union-attr]
    qtbot.keyClick(view.search_edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "bank-pw"
    qtbot.keyClick(view.search_edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "alice.b"
    qtbot.keyClicks(view.search_edit, "lice@")
    assert view.current_entry().title == "Mail"  # type: ignore[union-attr]
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is view.table
    assert view.current_entry().title == "Bank"  # type: ignore[union-attr]
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.current_entry().title == "GitHub"  # type: ignore[union-attr]
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)  # in the results: ends the search, keeps GitHub
    assert view.search_edit.text() == ""
    assert view.current_entry().title == "GitHub"  # type: ignore[union-attr]
    view.search_edit.setFocus()
    qtbot.keyClicks(view.search_edit, "mail")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Escape)
    assert view.search_edit.text() == ""
    assert titles(unlocked) == ["Bank", "GitHub", "Mail"]


def test_window_fits_the_screen_and_title_gets_a_fair_share(qtbot, settings, demo_vault: Path) -> None:
    """A fresh window is never larger than the available screen; Title is the widest column."""
    from tests.gui.conftest import unlock

    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    qtbot.addWidget(win)
    win.show()
    room = win.screen().availableGeometry()
    assert win.width() <= room.width()
    assert win.height() <= room.height()
    assert room.contains(win.geometry())
    unlock(qtbot, win)
    table = win.vault_view.table
    widths = [table.columnWidth(c) for c in range(5)]
    assert widths[0] == max(widths)
    assert widths[0] >= table.viewport().width() // 4
    win.lock()


def test_layout_is_remembered_between_runs(qtbot, settings, demo_vault: Path) -> None:
    """Geometry, splitter sizes, column widths and sort order come back; no secret is stored."""
    from tests.gui.conftest import unlock

    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    win.resize(700, 460)
    view = win.vault_view
    view.splitter.setSizes([150, 350, 200])
    view.table.setColumnWidth(1, 123)
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    sizes = view.splitter.sizes()
    win.close()
    text = settings.path.read_bytes()
    assert b"gh-s3cret" not in text
    assert b"alice" not in text

    again = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (700, 460)
    unlock(qtbot, again)
    view = again.vault_view
    assert view.splitter.sizes() == sizes
    assert view.table.columnWidth(1) == 123
    header = view.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (1, Qt.SortOrder.DescendingOrder)
    assert titles(again) == ["Mail", "Bank", "GitHub"]
    again.lock()


def test_ctrl_l_in_the_open_editor_locks_and_keeps_the_draft(qtbot, unlocked: MainWindow) -> None:
    """The editor is modal; Ctrl+L typed in it still locks, and the draft is offered again."""
    select(unlocked, "GitHub")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    qtbot.waitExposed(editor)
    editor.notes_edit.setPlainText("half-typed note")
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.title_edit.setFocus()
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert unlocked.vault is None
    assert not editor.isVisible()
    unlocked.confirm = lambda *_a: True  # type: ignore[method-assign]  # "Continue editing?"
    from tests.gui.conftest import unlock

    unlock(qtbot, unlocked)
    assert unlocked.editor is not None
    assert unlocked.editor.notes_edit.toPlainText() == "half-typed note"


def test_closing_a_changed_editor_offers_save(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """The unsaved-changes prompt has Save, which saves and closes; Discard and Cancel as before."""
    from PySide6.QtWidgets import QMessageBox

    select(unlocked, "Mail")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.notes_edit.setPlainText("kept by Save")
    offered: list[object] = []

    def question(_parent, _title, _text, buttons, default):
        offered.append(buttons)
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", question)
    editor.reject()
    assert offered
    assert offered[0] & QMessageBox.StandardButton.Save
    assert not editor.isVisible()
    assert unlocked.vault.find("Mail").notes == "kept by Save"  # type: ignore[union-attr]


def test_dates_are_iso_under_the_c_locale(qtbot, unlocked: MainWindow) -> None:
    """The expiry field shows 2027-11-29 17:25, not the C locale's "29 11 2027 17:25"."""
    import re

    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale.c())
    try:
        select(unlocked, "Mail")
        unlocked.actions_by_name["edit_entry_action"].trigger()
        editor = unlocked.editor
        assert editor is not None
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", editor.expires_edit.text())
        editor.close_silently()
    finally:
        QLocale.setDefault(QLocale.system())


def test_earlier_versions_are_counted_in_words(qtbot, unlocked: MainWindow) -> None:
    """'1 earlier version', '2 earlier versions': no 'version(s)'."""
    vault = unlocked.vault
    assert vault is not None
    mail = vault.find("Mail")
    vault.update(mail.uuid, notes="one")
    unlocked.reload_model()
    select(unlocked, "Mail")
    detail = unlocked.vault_view.detail
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.title == "Mail")
    assert "1 earlier version</span>" in detail.times.text()
    vault.update(mail.uuid, notes="two")
    unlocked.reload_model()
    select(unlocked, "Mail")
    qtbot.waitUntil(lambda: "2 earlier versions</span>" in detail.times.text())


def test_collapsed_advanced_section_is_a_labelled_disclosure(qtbot, tmp_path: Path) -> None:
    """Collapsed, Advanced is a one-line button with its title (not an empty grey box); it opens."""
    from PySide6.QtWidgets import QGroupBox

    from vaultapp.gui.create import CreateVaultDialog

    dialog = CreateVaultDialog(None, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.findChildren(QGroupBox) == []
    assert "Advanced" in dialog.advanced.text()
    assert dialog.advanced.isVisible()
    assert not dialog.unlock_ms.isVisible()
    assert dialog.advanced.arrowType() == Qt.ArrowType.RightArrow
    dialog.advanced.click()
    assert dialog.unlock_ms.isVisible()
    assert dialog.advanced.arrowType() == Qt.ArrowType.DownArrow


def _bluest(image) -> tuple[int, int, int]:
    """The bluest pixel of a one-line label's middle rows (blue high, red and green low)."""
    best = (0, 0, 0)
    middle = image.height() // 2
    for y in range(max(0, middle - 5), min(image.height(), middle + 5)):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            rgb = (colour.red(), colour.green(), colour.blue())
            if rgb[2] - max(rgb[0], rgb[1]) > best[2] - max(best[0], best[1]):
                best = rgb
    return best


def test_dark_theme_at_run_time_recolours_the_url_link(qtbot, unlocked: MainWindow) -> None:
    """Switched to dark while an entry shows, its link takes the dark palette's link colour."""
    from vaultapp.gui.theme import apply_theme

    select(unlocked, "GitHub")
    detail = unlocked.vault_view.detail
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.title == "GitHub")
    apply_theme("light")
    try:
        light = _bluest(detail.url.grab().toImage())
        assert light[2] > 150  # a blue link on a light base, to compare with
        unlocked.settings.theme = "dark"
        unlocked.apply_settings()
        qtbot.waitUntil(lambda: _bluest(detail.url.grab().toImage()) != light, timeout=2000)
        dark = _bluest(detail.url.grab().toImage())
        assert min(dark) > 60  # the dark palette's light blue (#6ea8fe), not a pure blue
    finally:
        apply_theme("system")


def _cut_off(label) -> bool:
    """A word-wrapped label shorter than its text needs."""
    return label.height() < label.heightForWidth(label.width())


def test_no_clipped_text(qtbot, tmp_path: Path, unlocked: MainWindow) -> None:
    """The welcome sentence and the strength verdict get the lines they need; the health report's
    Suggested action and the audit log's Details carry their full text as a tooltip."""
    from PySide6.QtWidgets import QApplication

    from tests.gui.test_health_view import _run_health
    from vaultapp.gui.create import CreateVaultDialog
    from vaultapp.gui.settings import Settings

    fresh = MainWindow(Settings(tmp_path / "first-run.ini"), policy=TEST_POLICY)  # no vault yet
    qtbot.addWidget(fresh)
    fresh.show()
    qtbot.waitExposed(fresh)
    QApplication.processEvents()
    assert fresh.unlock_view.welcome_label.isVisible()
    assert not _cut_off(fresh.unlock_view.welcome_label)

    dialog = CreateVaultDialog(None, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.passphrase_edit.setText("password1")
    QApplication.processEvents()
    label = dialog.strength.label
    assert "common password" in label.text()
    assert not _cut_off(label)
    assert label.toolTip() == label.text()
    from vaultapp.gui.change_passphrase import ChangePassphraseDialog

    change = ChangePassphraseDialog(None, unlocked.vault)  # type: ignore[arg-type]
    qtbot.addWidget(change)
    change.show()
    qtbot.waitExposed(change)
    change.new_edit.setText("abc")  # a two-line verdict and a weak-passphrase warning appear
    QApplication.processEvents()
    assert change.strength.height() >= change.strength.minimumSizeHint().height()
    assert change.strength.label.height() >= change.strength.label.heightForWidth(
        change.strength.label.width()
    )
    assert not _cut_off(change.weak_warning)
    change.reject()

    health = _run_health(qtbot, unlocked)
    column = [health.table.horizontalHeaderItem(c).text() for c in range(5)].index("Suggested action")
    for row in range(health.table.rowCount()):
        item = health.table.item(row, column)
        assert item.toolTip() == item.text()
    health.reject()
    select(unlocked, "Bank")
    unlocked.entry_actions.copy_field("password")  # a record with details
    unlocked.actions_by_name["log_action"].trigger()
    log = unlocked.log_dialog
    assert log is not None
    details = [log.table.horizontalHeaderItem(c).text() for c in range(6)].index("Details")
    texts = [log.table.item(row, details) for row in range(log.table.rowCount())]
    assert any(item.text() for item in texts)
    assert all(item.toolTip() == item.text() for item in texts)


def test_tool_dialogs_fit_the_screen(qtbot, unlocked: MainWindow) -> None:
    """Password health and the audit log open no larger than the screen (their Close reachable)."""
    from tests.gui.test_health_view import _run_health

    room = unlocked.screen().availableGeometry()
    health = _run_health(qtbot, unlocked)
    unlocked.actions_by_name["log_action"].trigger()
    log = unlocked.log_dialog
    assert log is not None
    for dialog in (health, log):
        assert dialog.width() <= room.width()
        assert dialog.height() <= room.height()
        assert dialog.minimumWidth() <= room.width()


def test_a_missing_recent_vault_can_be_removed_from_the_list(qtbot, tmp_path: Path, demo_vault: Path) -> None:
    """A remembered vault that was moved away is said at launch, with a button that forgets it."""
    from vaultapp.gui.settings import Settings

    settings = Settings(tmp_path / "recent.ini")
    gone = tmp_path / "moved-away.vault"
    settings.remember_vault(demo_vault)
    settings.remember_vault(gone)  # the newest, so it is the one chosen at launch
    win = MainWindow(settings, policy=TEST_POLICY)
    qtbot.addWidget(win)
    win.show()
    view = win.unlock_view
    assert view.path == gone.absolute()
    assert "is not in" in view.error_label.text()
    assert view.forget_button.isVisibleTo(win)
    view.forget_button.click()
    assert settings.recent_vaults == [str(demo_vault.absolute())]
    assert view.path == demo_vault.absolute()  # the next remembered vault is chosen
    assert not view.error_label.isVisibleTo(win)
    assert view.passphrase_edit.isVisibleTo(win)
