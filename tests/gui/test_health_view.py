"""The Health view and the audit-log view in the real window (offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import select
from tests.helpers import open_vault
from vaultapp.gui.health import HealthDialog, LogDialog
from vaultapp.gui.main_window import MainWindow


def _run_health(qtbot, win: MainWindow) -> HealthDialog:
    win.actions_by_name["health_action"].trigger()
    dialog = win.health_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    return dialog


def _rows(dialog: HealthDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [
        (table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    ]


def test_health_view_lists_sortable_findings(qtbot, unlocked: MainWindow, demo_vault: Path) -> None:
    """The demo's short passwords are reported with a severity; clicking a header sorts."""
    vault = unlocked.vault
    assert vault is not None
    vault.add("Mail copy", password="mail-pw")
    unlocked.save()
    dialog = _run_health(qtbot, unlocked)
    rows = _rows(dialog)
    assert ("Medium", "Mail", "Reused") in rows
    assert ("Medium", "Mail copy", "Reused") in rows
    assert "Health " in dialog.summary.text()
    assert not dialog.progress.isVisible()
    dialog.table.sortItems(1, Qt.SortOrder.AscendingOrder)
    titles = [r[1] for r in _rows(dialog)]
    assert titles == sorted(titles, key=str.casefold)
    dialog.table.sortItems(0, Qt.SortOrder.DescendingOrder)
    severities = [r[0] for r in _rows(dialog)]
    order = {"High": 3, "Medium": 2, "Low": 1}
    assert [order[s] for s in severities] == sorted((order[s] for s in severities), reverse=True)
    # the strength cache was kept in the vault (saved without a backup)
    with open_vault(demo_vault) as reopened:
        assert len(reopened.strength_cache) > 1


def test_open_entry_from_health_opens_its_editor(qtbot, unlocked: MainWindow) -> None:
    """One click: the report closes, the entry is selected and its editor opens."""
    dialog = _run_health(qtbot, unlocked)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "Bank")
    dialog.table.selectRow(row)
    dialog.open_button.click()
    assert unlocked.health_dialog is None or not dialog.isVisible()
    assert unlocked.editor is not None
    assert unlocked.editor.title_edit.text() == "Bank"


def test_regenerate_from_health_replaces_the_password(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """Regenerate uses the generator's value, saves it (old one into history) and rechecks."""
    new = "Fresh-Generated-Pa55word!xyz"
    monkeypatch.setattr(unlocked.tools, "open_generator", lambda **kwargs: new)
    dialog = _run_health(qtbot, unlocked)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "Bank")
    dialog.table.selectRow(row)
    dialog.report = None
    dialog.regenerate_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    vault = unlocked.vault
    assert vault is not None
    bank = next(e for e in vault.entries if e.title == "Bank")
    assert bank.password is not None
    assert vault.reveal(bank.password) == new
    assert len(bank.history) == 1
    assert not any(f.title == "Bank" for f in dialog.report.findings)


def test_health_dialog_closes_when_the_window_locks(qtbot, unlocked: MainWindow) -> None:
    """Locking drops the vault; the report goes with it."""
    dialog = _run_health(qtbot, unlocked)
    unlocked.lock()
    assert not dialog.isVisible()
    assert unlocked.health_dialog is None


def test_log_view_shows_events_and_verification(qtbot, unlocked: MainWindow) -> None:
    """Copying a password is logged; the log view shows it with the title and says Verified."""
    select(unlocked, "Bank")
    unlocked.entry_actions.copy_field("password")
    unlocked.actions_by_name["log_action"].trigger()
    dialog = unlocked.log_dialog
    assert isinstance(dialog, LogDialog)
    assert "Verified" in dialog.status.text()
    newest = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert newest[2] == "Copied to the clipboard"
    assert newest[3] == "Bank"
    assert newest[4] == "field: password"
    events = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert {"Vault created", "Unlocked"} <= events


def test_log_view_reports_tampering(qtbot, unlocked: MainWindow) -> None:
    """An edited log file is shown as not verifying, with the record named."""
    vault = unlocked.vault
    assert vault is not None
    lines = vault.audit_path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace('"entry.created"', '"entry.deleted"')
    vault.audit_path.write_text("".join(lines), encoding="utf-8")
    unlocked.tools.open_log()
    assert unlocked.log_dialog is not None
    text = unlocked.log_dialog.status.text()
    assert "does not verify" in text
    assert "Record 1" in text


def test_revealing_the_password_is_logged(qtbot, unlocked: MainWindow) -> None:
    """The eye button in the detail pane writes entry.revealed for that entry."""
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    unlocked.vault_view.detail.reveal_button.click()
    vault = unlocked.vault
    assert vault is not None
    last = vault.verify_log().records[-1]
    assert last.event == "entry.revealed"
    assert last.uuid == next(e.uuid for e in vault.entries if e.title == "GitHub")


def test_revealing_in_the_editor_and_the_table_is_logged_once(qtbot, unlocked: MainWindow) -> None:
    """The editor's eye logs one entry.revealed per editor; showing passwords in the table, one."""
    vault = unlocked.vault
    assert vault is not None
    github = next(e.uuid for e in vault.entries if e.title == "GitHub")

    def reveals() -> list[tuple[str | None, dict[str, object]]]:
        return [(r.uuid, r.detail) for r in vault.verify_log().records if r.event == "entry.revealed"]

    before = reveals()
    select(unlocked, "GitHub")
    unlocked.entry_actions.edit_entry()
    editor = unlocked.editor
    assert editor is not None
    for shown in (True, False, True):
        editor.password_edit.toggle_action.setChecked(shown)
    editor.reject()
    assert reveals() == [*before, (github, {"field": "password", "where": "editor"})]
    unlocked.settings.show_passwords_in_table = True
    unlocked.apply_settings()
    unlocked.apply_settings()
    assert reveals()[len(before) + 1 :] == [(None, {"field": "password", "where": "table"})]


def test_log_view_shows_a_forged_record_as_forged(qtbot, unlocked: MainWindow) -> None:
    """A record appended without the key that is not a failed unlock is shown as forged, and
    the banner says the log does not verify."""
    import base64
    import hashlib
    import json

    vault = unlocked.vault
    assert vault is not None
    last = json.loads(vault.audit_path.read_text(encoding="utf-8").splitlines()[-1])
    prev = base64.b64decode(last.get("mac") or last["hash"])
    content = {"seq": last["seq"] + 1, "time": "2026-11-29T10:00:00+00:00", "event": "entry.deleted"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(b"vaultapp audit unauthenticated v1" + prev + canonical).digest()
    with vault.audit_path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(content, hash=base64.b64encode(digest).decode())) + "\n")
    unlocked.tools.open_log()
    dialog = unlocked.log_dialog
    assert dialog is not None
    assert "does not verify" in dialog.status.text()
    assert "forged" in dialog.status.text()
    rows = [[dialog.table.item(r, c).text() for c in range(6)] for r in range(dialog.table.rowCount())]
    forged = [row for row in rows if row[2] == "Entry deleted"]
    assert len(forged) == 1
    assert forged[0][5].startswith("NO: forged")


def test_a_busy_audit_log_is_said_in_the_status_bar(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """When another process holds the log's lock, a save still works and the status bar says
    at once that its events were not logged."""
    from vaultapp.core import audit
    from vaultapp.core.locks import ExclusiveLock

    vault = unlocked.vault
    assert vault is not None
    monkeypatch.setattr(audit, "LOCK_TIMEOUT", 0)
    holder = ExclusiveLock(vault.audit_path.with_name(vault.audit_path.name + ".lock"))
    holder.acquire()
    try:
        vault.add("During the lock", password="x")
        assert unlocked.save()
    finally:
        holder.release()
    message = unlocked.statusBar().currentMessage()
    assert "busy" in message
    assert "not logged" in message
