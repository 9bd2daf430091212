"""Window fixtures: a demo vault with tiny KDF parameters and isolated settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


@pytest.fixture(autouse=True, scope="session")
def english(qapp) -> None:
    """The English catalogue (its plural forms), as the app installs at start-up."""
    from PySide6.QtCore import QLocale

    from vaultapp.gui.i18n import install_translators

    install_translators(qapp, QLocale(QLocale.Language.English), pseudo=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def demo_vault(tmp_path: Path) -> Path:
    path = tmp_path / "demo.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("GitHub", username="alice", password="gh-s3cret", url="https://github.com", tags=["dev"],
                  folder="Work", totp="JBSWY3DPEHPK3PXP", notes="recovery codes in the drawer")  # fmt: skip
        vault.add("Bank", username="alice.b", password="bank-pw", url="https://bank.example", favourite=True)
        vault.add("Mail", username="alice@example.com", password="mail-pw", folder="Personal", tags=["mail"])
        vault.save()
    return path


@pytest.fixture
def window(qtbot, settings: Settings, demo_vault: Path) -> Iterator[MainWindow]:
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.lock()


def unlock(qtbot, win: MainWindow, passphrase: str = PASSPHRASE) -> None:
    win.unlock_view.passphrase_edit.setText(passphrase)
    with qtbot.waitSignal(win.unlock_view.unlocked, timeout=10_000):
        win.unlock_view.unlock_button.click()


@pytest.fixture
def unlocked(qtbot, window: MainWindow) -> MainWindow:
    unlock(qtbot, window)
    return window


def select(win: MainWindow, title: str) -> None:
    view = win.vault_view
    for row in range(view.proxy.rowCount()):
        entry = view.proxy.entry_at(view.proxy.index(row, 0))
        if entry is not None and entry.title == title:
            view.select_uuid(entry.uuid)
            return
    raise AssertionError(f"{title!r} is not in the table")


def titles(win: MainWindow) -> list[str]:
    view = win.vault_view
    return [view.proxy.entry_at(view.proxy.index(r, 0)).title for r in range(view.proxy.rowCount())]  # type: ignore[union-attr]


def sidebar_item(win: MainWindow, text: str):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    iterator = QTreeWidgetItemIterator(win.vault_view.sidebar)
    while iterator.value():
        item = iterator.value()
        if item.text(0) == text or item.text(0).startswith(text + " ("):
            return item
        iterator += 1
    raise AssertionError(f"{text!r} is not in the sidebar")


def menu_action(menu, name: str):
    from PySide6.QtGui import QAction

    for action in menu.findChildren(QAction):
        if action.objectName() == name:
            return action
    found = [a for a in menu.actions() if a.objectName() == name]
    assert found, f"{name} not in {[a.objectName() or a.text() for a in menu.actions()]}"
    return found[0]


def answer_import_previews(monkeypatch: pytest.MonkeyPatch, win: MainWindow) -> list[str]:
    """Stand in for the import question (the Yes/No or the preview that lists what was not
    brought in): each shown text is recorded, and the import goes ahead when it changes
    anything. Returns the recorded texts."""
    shown: list[str] = []

    def preview(name: str, summary: list[str], problems: list[str], *, changes: bool) -> bool:
        shown.append("\n".join(summary + problems))
        return changes

    monkeypatch.setattr(win.transfers, "confirm_import", preview)
    return shown
