"""Attachments in the window: the detail pane's list (Save…, Open, drag out), the editor's section
(Add…, a dropped file, Rename…, Replace…, Remove), the private plaintext copies, History, Health."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QWidget

from tests.gui.conftest import select
from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_POLICY, Vault
from vaultapp.gui import attachments as gui_attachments
from vaultapp.gui.editor import EntryEditor
from vaultapp.gui.main_window import MainWindow

SCAN = b"%PDF-1.4 recovery codes\n" + bytes(range(256)) * 40


@pytest.fixture
def demo_vault(demo_vault: Path) -> Path:
    """The window's demo vault, with GitHub holding one attachment (``scan.pdf``)."""
    path = demo_vault
    with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY, audit=False) as vault:
        vault.attach(vault.find("GitHub").uuid, "scan.pdf", SCAN)
        vault.save()
    return path


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    """The message boxes the attachments code shows (each one line of text)."""
    shown: list[str] = []
    monkeypatch.setattr(gui_attachments, "show_error", lambda parent, exc, title="": shown.append(str(exc)))
    return shown


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Files handed to the default application (QDesktopServices.openUrl), checked as they open."""
    urls: list[Path] = []

    def open_url(url: QUrl) -> bool:
        path = Path(url.toLocalFile())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        urls.append(path)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


def edit(win: MainWindow, title: str) -> EntryEditor:
    select(win, title)
    win.actions_by_name["edit_entry_action"].trigger()
    assert win.editor is not None
    return win.editor


def names(win: MainWindow, title: str) -> list[str]:
    assert win.vault is not None
    return [a.name for a in win.vault.find(title).attachments]


def on_disk(path: Path, title: str) -> dict[str, bytes]:
    """What the saved vault file holds (opened again from disk): name -> content."""
    with Vault.open(path, PASSPHRASE, policy=TEST_POLICY, audit=False) as vault:
        entry = vault.find(title)
        return {a.name: vault.attachment_content(a) for a in entry.attachments}


def file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / "files" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def drop(widget: QWidget, mime: QMimeData) -> QDropEvent:
    """Drag ``mime`` onto ``widget`` and drop it there, as a file manager's drag does."""
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, QDragEnterEvent(QPoint(5, 5), *args))
    event = QDropEvent(QPointF(5, 5), *args)
    QApplication.sendEvent(widget, event)
    return event


def file_urls(*paths: Path, also: tuple[str, ...] = ()) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths] + [QUrl(u) for u in also])
    return mime


def test_detail_pane_lists_attachments(qtbot, unlocked: MainWindow) -> None:
    detail = unlocked.vault_view.detail
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    assert detail.attachments.isVisibleTo(detail)
    assert detail.attachments.list.count() == 1
    assert detail.attachments.list.item(0).text().startswith("scan.pdf")
    assert "10.0 KiB" in detail.attachments.list.item(0).text()
    select(unlocked, "Bank")
    unlocked._selection_changed()
    assert not detail.attachments.isVisibleTo(detail)  # the row is hidden for an entry without any


def test_add_via_dialog_applies_at_save(qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch) -> None:
    one, two = file(tmp_path, "a.txt", b"first"), file(tmp_path, "b.bin", os.urandom(3000))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(one), str(two)], ""))
    editor = edit(unlocked, "Bank")
    editor.attachments.buttons["add"].click()  # type: ignore[union-attr]
    assert names(unlocked, "Bank") == []  # nothing changes before the editor's Save
    assert editor.dirty
    versions = len(unlocked.vault.find("Bank").history)  # type: ignore[union-attr]
    editor.save()
    assert names(unlocked, "Bank") == ["a.txt", "b.bin"]
    assert len(unlocked.vault.find("Bank").history) == versions + 1  # type: ignore[union-attr]
    assert on_disk(unlocked.vault.path, "Bank") == {"a.txt": b"first", "b.bin": two.read_bytes()}  # type: ignore[union-attr]


def test_cancel_discards_added_files(qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch) -> None:
    editor = edit(unlocked, "Bank")
    editor.attachments.add_files([file(tmp_path, "a.txt", b"a")])  # type: ignore[union-attr]
    monkeypatch.setattr(editor, "ask_unsaved", lambda: "discard")
    editor.reject()
    assert names(unlocked, "Bank") == []
    assert on_disk(unlocked.vault.path, "Bank") == {}  # type: ignore[union-attr]


def test_a_vault_save_while_editing_keeps_added_files(
    qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """A save meanwhile (a health run saving its cache, a merge) drops content no entry refers
    to yet; the editor's Save puts it back."""
    from vaultapp.gui import main_window

    refused: list[str] = []
    monkeypatch.setattr(main_window, "show_error", lambda parent, exc, title="": refused.append(str(exc)))
    editor = edit(unlocked, "Bank")
    editor.attachments.add_files([file(tmp_path, "a.txt", b"still here")])  # type: ignore[union-attr]
    vault = unlocked.vault
    assert vault is not None
    vault.update(vault.find("Mail").uuid, notes="changed elsewhere")
    vault.save()
    editor.save()
    assert not editor.error_label.isVisibleTo(editor), editor.error_label.text()
    assert refused == []
    assert on_disk(unlocked.vault.path, "Bank") == {"a.txt": b"still here"}  # type: ignore[union-attr]


def test_new_entry_with_attachment(qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch) -> None:
    one = file(tmp_path, "key.pem", b"-----BEGIN-----")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(one)], ""))
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Server")
    editor.attachments.buttons["add"].click()  # type: ignore[union-attr]
    editor.save()
    assert on_disk(unlocked.vault.path, "Server") == {"key.pem": b"-----BEGIN-----"}  # type: ignore[union-attr]


def test_drop_a_file_on_the_editor(qtbot, unlocked: MainWindow, tmp_path: Path) -> None:
    dropped = file(tmp_path, "photo.jpg", b"\xff\xd8jpeg")
    editor = edit(unlocked, "Mail")
    assert drop(editor, file_urls(dropped)).isAccepted()
    assert [a.name for a in editor.values()["attachments"]] == ["photo.jpg"]
    editor.save()
    assert on_disk(unlocked.vault.path, "Mail") == {"photo.jpg": b"\xff\xd8jpeg"}  # type: ignore[union-attr]


def test_drop_on_the_list_and_text_drops_are_not_files(qtbot, unlocked: MainWindow, tmp_path: Path) -> None:
    dropped = file(tmp_path, "notes.txt", b"n")
    editor = edit(unlocked, "Mail")
    section = editor.attachments
    assert section is not None
    text = QMimeData()
    text.setText("just text")
    assert not drop(section.list.viewport(), text).isAccepted()
    assert section.values() == ()
    assert drop(section.list.viewport(), file_urls(dropped, also=("https://example.com/x",))).isAccepted()
    assert [a.name for a in section.values()] == ["notes.txt"]


def test_rename_replace_remove(qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch, errors) -> None:
    path = unlocked.vault.path  # type: ignore[union-attr]
    editor = edit(unlocked, "GitHub")
    section = editor.attachments
    assert section is not None
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("codes.pdf", True))
    section.buttons["rename"].click()
    editor.save()
    assert on_disk(path, "GitHub") == {"codes.pdf": SCAN}

    new = file(tmp_path, "whatever.pdf", b"new codes")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(new), ""))
    editor = edit(unlocked, "GitHub")
    editor.attachments.buttons["replace"].click()  # type: ignore[union-attr]
    editor.save()
    assert on_disk(path, "GitHub") == {"codes.pdf": b"new codes"}  # the name is kept

    editor = edit(unlocked, "GitHub")
    editor.attachments.buttons["remove"].click()  # type: ignore[union-attr]
    editor.save()
    assert on_disk(path, "GitHub") == {}
    history = unlocked.vault.find("GitHub").history  # type: ignore[union-attr]
    assert [[a.name for a in old.attachments] for old in history[-3:]] == [
        ["scan.pdf"],
        ["codes.pdf"],
        ["codes.pdf"],
    ]
    assert errors == []


def test_name_taken_and_bad_name_change_nothing(
    qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch, errors
) -> None:
    editor = edit(unlocked, "GitHub")
    section = editor.attachments
    assert section is not None
    section.add_files([file(tmp_path, "scan.pdf", b"other")])
    assert errors
    assert "named 'scan.pdf' already" in errors[-1]
    section.add_files([file(tmp_path, "b.txt", b"b")])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("scan.pdf", True))
    section.list.setCurrentRow(1)
    section.rename()
    assert "already" in errors[-1]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("a/b", True))
    section.rename()
    assert "not a usable attachment name" in errors[-1]
    assert [a.name for a in section.values()] == ["scan.pdf", "b.txt"]
    assert all("\n" not in message for message in errors)


def test_too_large_file_is_refused_and_nothing_changes(
    qtbot, unlocked: MainWindow, tmp_path: Path, errors
) -> None:
    big = tmp_path / "disk.img"
    with big.open("wb") as handle:
        handle.truncate((64 << 20) + 1)  # sparse: refused from its size, unread
    small = file(tmp_path, "ok.txt", b"ok")
    editor = edit(unlocked, "Mail")
    section = editor.attachments
    assert section is not None
    section.add_files([small, big])  # all or nothing
    assert section.values() == ()
    assert len(errors) == 1
    assert "64 MiB" in errors[0]
    assert not editor.dirty


def test_save_to_disk(qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch, errors) -> None:
    target = tmp_path / "out" / "saved.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    unlocked.vault_view.detail.attachments.save_button.click()
    assert target.read_bytes() == SCAN
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_bytes(b"mine")
    unlocked.vault_view.detail.attachments.save_button.click()  # never over an existing file
    assert target.read_bytes() == b"mine"
    assert len(errors) == 1
    assert "exists already" in errors[0]


def test_open_warns_once_and_copies_go_at_lock(qtbot, unlocked: MainWindow, monkeypatch, opened) -> None:
    asked: list[str] = []

    def ask(self, parent, name: str) -> tuple[bool, bool]:
        asked.append(name)
        return True, False

    monkeypatch.setattr(gui_attachments.AttachmentActions, "ask_plaintext", ask)
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    detail = unlocked.vault_view.detail.attachments
    detail.open_button.click()
    detail.open_button.click()
    assert asked == ["scan.pdf"]  # warned the first time only
    assert len(opened) == 2
    assert all(p.read_bytes() == SCAN and p.name == "scan.pdf" for p in opened)
    unlocked.lock()
    assert not any(p.exists() or p.parent.exists() for p in opened)


def test_open_declined_or_never_again(qtbot, unlocked: MainWindow, monkeypatch, opened) -> None:
    answers = iter([(False, False), (True, True)])
    monkeypatch.setattr(gui_attachments.AttachmentActions, "ask_plaintext", lambda self, p, n: next(answers))
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    detail = unlocked.vault_view.detail.attachments
    detail.open_button.click()
    assert opened == []  # Cancel: no copy written
    assert unlocked.attachment_actions.copies.paths == []
    detail.open_button.click()
    assert len(opened) == 1
    assert unlocked.settings.warn_open_attachment is False


def test_drag_out_offers_a_private_copy_removed_at_quit(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    from PySide6.QtGui import QDrag

    offered: list[list[QUrl]] = []
    monkeypatch.setattr(
        QDrag, "exec", lambda self, *a: offered.append(self.mimeData().urls()) or Qt.DropAction.CopyAction
    )
    select(unlocked, "GitHub")
    unlocked._selection_changed()
    unlocked.vault_view.detail.attachments.list.startDrag(Qt.DropAction.CopyAction)
    [[url]] = offered
    path = Path(url.toLocalFile())
    assert path.read_bytes() == SCAN
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    unlocked.close()
    assert not path.parent.exists()


def test_lock_with_editor_keeps_attachments_in_the_draft(
    qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    editor = edit(unlocked, "Mail")
    editor.attachments.add_files([file(tmp_path, "draft.txt", b"kept")])  # type: ignore[union-attr]
    path = unlocked.vault.path  # type: ignore[union-attr]
    unlocked.lock()
    with Vault.open(path, PASSPHRASE, policy=TEST_POLICY, audit=False) as vault:
        [draft] = vault.drafts
        assert [vault.attachment_content(a) for a in draft.entry.attachments] == [b"kept"]


def test_history_shows_and_restores_attachments(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    from vaultapp.gui import dialogs

    vault = unlocked.vault
    assert vault is not None
    github = vault.find("GitHub")
    vault.detach(github.uuid, "scan.pdf")
    vault.save()
    dialog = dialogs.HistoryDialog(unlocked, vault.find("GitHub"))
    assert dialog.table.horizontalHeaderItem(4).text() == "Attachments"
    assert dialog.table.item(0, 4).text() == "scan.pdf"  # newest first: the version before detach
    index = int(dialog.table.item(0, 0).data(256))
    monkeypatch.setattr(dialogs.HistoryDialog, "ask", classmethod(lambda cls, parent, entry: index))
    select(unlocked, "GitHub")
    unlocked.actions_by_name["history_action"].trigger()
    assert names(unlocked, "GitHub") == ["scan.pdf"]
    assert on_disk(vault.path, "GitHub") == {"scan.pdf": SCAN}


def test_health_names_the_largest_attachments(qtbot, unlocked: MainWindow) -> None:
    from vaultapp.gui.health import HealthDialog
    from vaultapp.health.report import check

    vault = unlocked.vault
    assert vault is not None
    dialog = HealthDialog(unlocked, unlocked, open_entry=lambda uuid: None, generate=lambda p, r: None)
    dialog._show(check(vault))
    assert dialog.attachments.isVisibleTo(dialog)
    assert "GitHub: scan.pdf" in dialog.attachments.text()
    assert "10.0 KiB" in dialog.attachments.text()
