"""The window's import preview: what an import leaves out is listed before anything changes, and a
password-protected Bitwarden export is opened with its password."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton

from tests.gui.conftest import titles
from tests.helpers import open_vault
from tests.interop.bitwarden_fixtures import export, protect
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.transfer_dialogs import ImportPreviewDialog


def _wait_idle(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.transfers.busy, timeout=20_000)


def _run_preview(monkeypatch, win: MainWindow, seen: dict[str, object], *, button: str) -> None:
    """Replace only the modal loop: the real dialog is built, read, and its own button clicked."""

    def exec_(self: ImportPreviewDialog) -> int:
        self.show()
        seen["summary"] = self.findChild(QLabel, "import_summary").text()
        problems = self.findChild(QPlainTextEdit, "import_problems")
        seen["problems"] = problems.toPlainText() if problems.isVisible() else ""
        seen["titles_meanwhile"] = titles(win)
        seen["on_disk_meanwhile"] = win.vault.path.read_bytes()
        if button == "import":
            self.findChild(QPushButton, "import_confirm").click()
        else:
            self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
        return self.result()

    monkeypatch.setattr(ImportPreviewDialog, "exec", exec_)


def test_protected_export_asks_its_password_and_lists_what_stays_behind(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "bitwarden_export.json"
    src.write_text(json.dumps(protect(export(), "export pw")), encoding="utf-8")
    asked: list[str] = []
    monkeypatch.setattr(unlocked.transfers, "ask_format", lambda path: "bitwarden-json")
    monkeypatch.setattr(
        unlocked.transfers, "ask_export_password", lambda name: asked.append(name) or "export pw"
    )
    before, on_disk = titles(unlocked), unlocked.vault.path.read_bytes()
    seen: dict[str, object] = {}
    _run_preview(monkeypatch, unlocked, seen, button="import")
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert asked == ["bitwarden_export.json"]
    assert "Import bitwarden_export.json into this vault?" in str(seen["summary"])
    problems = str(seen["problems"]).splitlines()
    assert (
        "Note: item 1 ('Example'): 'archivedDate' not brought in (vaultapp has no place for it)" in problems
    )
    assert any("signature counter (7)" in line for line in problems)
    # shown before anything changed
    assert seen["titles_meanwhile"] == before
    assert seen["on_disk_meanwhile"] == on_disk
    # then applied and saved: the Trash item in the Trash, the rest live
    assert {"Example", "Visa", "Me", "Server key", "Safe"} <= set(titles(unlocked))
    assert "Old forum" not in titles(unlocked)
    with open_vault(unlocked.vault.path) as saved:
        assert [e.title for e in saved.trashed_entries] == ["Old forum"]
    assert "notes on fields not brought in" in unlocked.statusBar().currentMessage()


def test_cancel_in_the_preview_changes_nothing(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("title,password\nNew one,x\nbroken,row,extra\n", encoding="utf-8")
    on_disk = unlocked.vault.path.read_bytes()
    seen: dict[str, object] = {}
    _run_preview(monkeypatch, unlocked, seen, button="cancel")
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert "Skipped line 3" in str(seen["problems"])
    assert "New one" not in titles(unlocked)
    assert unlocked.vault.path.read_bytes() == on_disk
    assert "unchanged" in unlocked.statusBar().currentMessage()


def test_wrong_export_password_says_so_and_changes_nothing(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "bw.json"
    src.write_text(json.dumps(protect(export(), "export pw")), encoding="utf-8")
    on_disk = unlocked.vault.path.read_bytes()
    errors: list[str] = []
    monkeypatch.setattr(unlocked.transfers, "ask_format", lambda path: "bitwarden-json")
    monkeypatch.setattr(unlocked.transfers, "ask_export_password", lambda name: "not it")
    monkeypatch.setattr("vaultapp.gui.transfer.show_error", lambda p, exc, title: errors.append(str(exc)))
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    qtbot.waitUntil(lambda: bool(errors))
    assert "password for this Bitwarden export is wrong" in errors[0]
    assert unlocked.vault.path.read_bytes() == on_disk
