"""Entry actions: the editor (new, edit, history), Trash, duplicate, drafts kept over a lock."""

from __future__ import annotations

from tests.gui.conftest import select, titles, unlock
from tests.helpers import open_vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.models import Scope


def test_add_entry_through_editor_saves_at_once(qtbot, unlocked: MainWindow) -> None:
    """Ctrl+N opens the editor; Save adds the entry and writes the vault immediately."""
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.title_edit.setText("Forum")
    editor.username_edit.setText("bob")
    editor.password_edit.setText("forum-pw")
    editor.tags_edit.setText("social, fun")
    editor._add_custom("PIN", "2468", True)
    editor.save()
    assert unlocked.editor is None
    assert "Forum" in titles(unlocked)
    assert unlocked.vault_view.current_entry().title == "Forum"  # type: ignore[union-attr]
    with open_vault(unlocked.vault.path) as vault:  # type: ignore[union-attr]
        forum = vault.find("Forum")
        assert vault.reveal(forum.password) == "forum-pw"  # type: ignore[arg-type]
        assert forum.tags == ("social", "fun")
        assert forum.custom[0].protected


def test_edit_keeps_history_and_history_restores(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """Editing pushes the old version into history; restoring it from the dialog brings it back."""
    select(unlocked, "Bank")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    assert editor.password_edit.text() == "bank-pw"
    editor.password_edit.setText("new-bank-pw")
    editor.save()
    bank = unlocked.vault.find("Bank")  # type: ignore[union-attr]
    assert len(bank.history) == 1
    from vaultapp.gui import dialogs

    monkeypatch.setattr(dialogs.HistoryDialog, "ask", classmethod(lambda cls, parent, entry: 0))
    select(unlocked, "Bank")
    unlocked.actions_by_name["history_action"].trigger()
    bank = unlocked.vault.find("Bank")  # type: ignore[union-attr]
    assert unlocked.vault.reveal(bank.password) == "bank-pw"  # type: ignore[union-attr, arg-type]


def test_editor_asks_before_discarding_changes(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """Cancel on a changed editor asks; answering 'keep editing' leaves it open."""
    select(unlocked, "Mail")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.notes_edit.setPlainText("changed")
    asked: list[bool] = []
    monkeypatch.setattr(editor, "ask_unsaved", lambda: asked.append(True) or "cancel")
    editor.reject()
    assert asked == [True]
    assert editor.isVisible()
    monkeypatch.setattr(editor, "ask_unsaved", lambda: "discard")
    editor.reject()
    assert not editor.isVisible()
    assert unlocked.vault.find("Mail").notes == ""  # type: ignore[union-attr]


def test_editor_shows_core_validation_inline(qtbot, unlocked: MainWindow) -> None:
    """An empty title or a bad TOTP secret is reported in the editor, which stays open."""
    unlocked.actions_by_name["new_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.save()
    assert "title" in editor.error_label.text()
    editor.title_edit.setText("X")
    editor.totp_edit.setText("not base32!")
    editor.save()
    assert "base32" in editor.error_label.text()
    assert editor.isVisible()


def test_delete_goes_to_trash_then_restore_and_purge(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """Delete (confirmed) moves to the Trash; Restore brings it back; delete in Trash purges."""
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: True)
    select(unlocked, "Mail")
    unlocked.actions_by_name["delete_action"].trigger()
    assert "Mail" not in titles(unlocked)
    unlocked.vault_view._select_scope(Scope("trash"))
    assert titles(unlocked) == ["Mail"]
    select(unlocked, "Mail")
    unlocked.actions_by_name["restore_action"].trigger()
    assert titles(unlocked) == []
    unlocked.vault_view._select_scope(Scope("all"))
    assert "Mail" in titles(unlocked)
    select(unlocked, "Mail")
    unlocked.actions_by_name["delete_action"].trigger()
    unlocked.vault_view._select_scope(Scope("trash"))
    select(unlocked, "Mail")
    unlocked.actions_by_name["delete_action"].trigger()
    assert titles(unlocked) == []
    assert [t.uuid for t in unlocked.vault.tombstones]  # type: ignore[union-attr]


def test_delete_declined_changes_nothing(qtbot, unlocked: MainWindow, monkeypatch) -> None:
    """Answering No to the confirmation keeps the entry."""
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: False)
    select(unlocked, "Mail")
    unlocked.actions_by_name["delete_action"].trigger()
    assert "Mail" in titles(unlocked)


def test_duplicate(qtbot, unlocked: MainWindow) -> None:
    """Duplicate adds '(copy)' and selects it."""
    select(unlocked, "GitHub")
    unlocked.actions_by_name["duplicate_action"].trigger()
    assert "GitHub (copy)" in titles(unlocked)
    assert unlocked.vault_view.current_entry().title == "GitHub (copy)"  # type: ignore[union-attr]


def test_lock_during_edit_keeps_a_draft_offered_after_unlock(
    qtbot, unlocked: MainWindow, monkeypatch
) -> None:
    """Ctrl+L while editing keeps the unsaved values as an encrypted draft and offers them again."""
    select(unlocked, "GitHub")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    editor.password_edit.setText("typed but not saved")
    path = unlocked.vault.path  # type: ignore[union-attr]
    unlocked.actions_by_name["lock_action"].trigger()
    assert unlocked.vault is None
    assert not editor.isVisible()
    assert b"typed but not saved" not in path.read_bytes()
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: "GitHub" in text)
    unlock(qtbot, unlocked)
    resumed = unlocked.editor
    assert resumed is not None
    assert resumed.password_edit.text() == "typed but not saved"
    resumed.save()
    github = unlocked.vault.find("GitHub")  # type: ignore[union-attr]
    assert unlocked.vault.reveal(github.password) == "typed but not saved"  # type: ignore[union-attr, arg-type]
    assert unlocked.vault.drafts == []  # type: ignore[union-attr]
