"""Browsing, searching, editing, deleting, restoring, history, drafts and save conflicts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import select, titles
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.models import Scope


def test_search_filters_on_every_visible_field(qtbot, unlocked: MainWindow) -> None:
    """Search matches title, username, URL, tags and notes, case-insensitively; empty state shows."""
    view = unlocked.vault_view
    cases = (
        ("GIT", ["GitHub"]), ("alice.b", ["Bank"]), ("bank.example", ["Bank"]), ("mail", ["Mail"]),
        ("DRAWER", ["GitHub"]), ("", ["Bank", "GitHub", "Mail"]),
    )  # fmt: skip
    for text, expected in cases:
        view.search_edit.setText(text)
        assert titles(unlocked) == expected, text
    view.search_edit.setText("nothing like this")
    assert titles(unlocked) == []
    assert view.showing_empty_state
    assert "Nothing matches" in view.empty_label.text()


def test_sidebar_scopes(qtbot, unlocked: MainWindow) -> None:
    """Favourites, a folder and a tag narrow the table."""
    proxy = unlocked.vault_view.proxy
    cases = (
        (Scope("favourites"), ["Bank"]), (Scope("folder", "Work"), ["GitHub"]),
        (Scope("tag", "mail"), ["Mail"]), (Scope("all"), ["Bank", "GitHub", "Mail"]),
    )  # fmt: skip
    for scope, expected in cases:
        unlocked.vault_view._select_scope(scope)
        assert proxy.scope == scope
        assert titles(unlocked) == expected


def test_sorting_by_column(qtbot, unlocked: MainWindow) -> None:
    """Clicking the Username header sorts by username; again reverses it."""
    from PySide6.QtCore import Qt

    unlocked.vault_view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert titles(unlocked) == ["GitHub", "Bank", "Mail"]  # alice < alice.b < alice@example.com
    unlocked.vault_view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert titles(unlocked) == ["Mail", "Bank", "GitHub"]


def test_detail_pane_masks_and_reveals(qtbot, unlocked: MainWindow) -> None:
    """The password is masked until revealed; username and URL show in full."""
    select(unlocked, "GitHub")
    detail = unlocked.vault_view.detail
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.title == "GitHub")
    assert "gh-s3cret" not in detail.password.text()
    assert "alice" in detail.username.text()
    detail.reveal_button.click()
    assert "gh-s3cret" in detail.password.text()
    assert detail.totp.text().count("<code") == 1


def test_lock_clears_models_and_returns_to_unlock_view(qtbot, unlocked: MainWindow) -> None:
    """Locking drops the vault, empties the table and preselects the same vault."""
    path = unlocked.vault.path  # type: ignore[union-attr]
    unlocked.lock()
    assert unlocked.vault is None
    assert unlocked.vault_view.model.rowCount() == 0
    assert unlocked.stack.currentWidget() is unlocked.unlock_view
    assert unlocked.unlock_view.path == path


def test_auto_lock_after_idle_timeout(qtbot, unlocked: MainWindow) -> None:
    """With a shortened idle timeout, the vault locks by itself."""
    unlocked.idle.set_interval_ms(150)
    qtbot.waitUntil(lambda: unlocked.vault is None, timeout=5_000)
    assert unlocked.stack.currentWidget() is unlocked.unlock_view


def test_input_restarts_idle_timer_only_while_unlocked(qtbot, unlocked: MainWindow) -> None:
    """A key press postpones the auto-lock; once locked, input is no longer watched at all.

    (An application-wide Python event filter slows the launch: benchmarks/gui.py.)
    """
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent

    starts: list[int] = []
    filtered: list[int] = []  # the filter asks the timer whether it runs for each input event

    class CountingTimer(QTimer):
        def start(self, *args: int) -> None:
            starts.append(1)
            super().start(*args)

        def isActive(self) -> bool:  # noqa: N802 - Qt override
            filtered.append(1)
            return super().isActive()

    watcher = unlocked.idle
    timer = CountingTimer(watcher)
    timer.setSingleShot(True)
    timer.timeout.connect(watcher.idle)
    watcher._timer = timer
    watcher.set_seconds(300)
    before = len(starts)

    def press() -> None:
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(unlocked.vault_view.table, event)

    press()
    assert len(starts) > before
    assert filtered
    unlocked.lock()
    locked, seen = len(starts), len(filtered)
    press()
    assert len(starts) == locked
    assert len(filtered) == seen


def test_save_conflict_offers_reload(qtbot, unlocked: MainWindow, monkeypatch, tmp_path) -> None:
    """If the file changed on disk, the user chooses; 'reload' shows the other version."""
    from vaultapp.core import TEST_POLICY, Vault

    vault = unlocked.vault
    assert vault is not None
    # Another program replaces the file (same passphrase and keys: a copy made by vaultapp elsewhere).
    other = tmp_path / "elsewhere.vault"
    other.write_bytes(vault.path.read_bytes())
    with Vault.open(other, "correct horse battery staple", writable=True, policy=TEST_POLICY) as copy:
        copy.add("Added elsewhere")
        copy.save()
    vault.path.write_bytes(other.read_bytes())
    choices: list[str] = []
    monkeypatch.setattr(unlocked, "ask_conflict", lambda: choices.append("asked") or "reload")
    select(unlocked, "GitHub")
    unlocked.actions_by_name["duplicate_action"].trigger()
    assert choices == ["asked"]
    assert "Added elsewhere" in titles(unlocked)
    assert "GitHub (copy)" not in titles(unlocked)


def test_save_conflict_merge_keeps_both_changes(qtbot, unlocked: MainWindow, monkeypatch, tmp_path) -> None:
    """'merge' combines the change on disk with ours and saves both."""
    from vaultapp.core import TEST_POLICY, Vault

    vault = unlocked.vault
    assert vault is not None
    other = tmp_path / "elsewhere.vault"
    other.write_bytes(vault.path.read_bytes())
    with Vault.open(other, "correct horse battery staple", writable=True, policy=TEST_POLICY) as copy:
        copy.add("Added elsewhere")
        copy.save()
    vault.path.write_bytes(other.read_bytes())
    monkeypatch.setattr(unlocked, "ask_conflict", lambda: "merge")
    select(unlocked, "GitHub")
    unlocked.actions_by_name["duplicate_action"].trigger()
    assert {"Added elsewhere", "GitHub (copy)"} <= set(titles(unlocked))
    with Vault.open(vault.path, "correct horse battery staple", policy=TEST_POLICY) as saved:
        assert {"Added elsewhere", "GitHub (copy)"} <= {e.title for e in saved.entries}


@pytest.mark.parametrize("choice", ["cancel", "overwrite"])
def test_save_conflict_cancel_or_overwrite(qtbot, unlocked: MainWindow, monkeypatch, choice: str) -> None:
    """'cancel' writes nothing; 'overwrite' writes ours and keeps theirs as the backup."""
    vault = unlocked.vault
    assert vault is not None
    original = vault.path.read_bytes()
    vault.path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # another program's write
    changed = vault.path.read_bytes()
    monkeypatch.setattr(unlocked, "ask_conflict", lambda: choice)
    select(unlocked, "GitHub")
    unlocked.actions_by_name["duplicate_action"].trigger()
    if choice == "cancel":
        assert vault.path.read_bytes() == changed
        assert "Not saved" in unlocked.statusBar().currentMessage()
    else:
        from vaultapp.core.storage import backup_path

        assert backup_path(vault.path).read_bytes() == changed
        assert vault.path.read_bytes() != changed
