"""Every view of the window, built on a shown ``MainWindow`` for the layout, accessibility and
screenshot checks: ``VIEWS`` maps a name to a function returning the top-level widget to look at
(the window itself for the unlock screen and the main view, a shown dialog otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from tests.gui.conftest import select
from tests.helpers import PASSPHRASE
from vaultapp.gui.main_window import MainWindow

View = Callable[[object, MainWindow], QWidget]


def settle(widget: QWidget) -> None:
    """Show ``widget`` and let its layouts and deferred resizes run."""
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
        layout = widget.layout()
        if layout is not None:
            layout.activate()


def unlock_view(qtbot, win: MainWindow) -> QWidget:
    return win


def main_view(qtbot, win: MainWindow) -> QWidget:
    unlock_window(qtbot, win)
    select(win, "GitHub")
    detail = win.vault_view.detail  # shown after a short pause
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.title == "GitHub")
    return win


def create_dialog(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.core import TEST_POLICY
    from vaultapp.gui.create import CreateVaultDialog

    dialog = CreateVaultDialog(win, policy=TEST_POLICY)
    qtbot.addWidget(dialog)
    return dialog


def editor(qtbot, win: MainWindow) -> QWidget:
    main_view(qtbot, win)
    win.entry_actions.edit_entry()
    assert win.editor is not None
    return win.editor


def history(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.dialogs import HistoryDialog

    unlock_window(qtbot, win)
    assert win.vault is not None
    entry = next(e for e in win.vault.entries if e.title == "GitHub")
    win.vault.update(entry.uuid, username="alice2")
    dialog = HistoryDialog(win, win.vault.get(entry.uuid))
    qtbot.addWidget(dialog)
    return dialog


def generator(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.generator import GeneratorDialog

    dialog = GeneratorDialog(win, win.settings, for_editor=True)
    qtbot.addWidget(dialog)
    return dialog


def settings_dialog(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.dialogs import SettingsDialog

    unlock_window(qtbot, win)
    dialog = SettingsDialog(win, win.settings, win.vault)
    qtbot.addWidget(dialog)
    return dialog


def health(qtbot, win: MainWindow) -> QWidget:
    unlock_window(qtbot, win)
    win.tools.open_health()
    dialog = win.health_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    return dialog


def audit_log(qtbot, win: MainWindow) -> QWidget:
    unlock_window(qtbot, win)
    win.tools.open_log()
    assert win.log_dialog is not None
    return win.log_dialog


def otp_setup(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.otp_dialog import OtpSetupDialog

    dialog = OtpSetupDialog(win, "otpauth://totp/Site:alice?secret=JBSWY3DPEHPK3PXP&issuer=Site")
    qtbot.addWidget(dialog)
    return dialog


def change_passphrase(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.change_passphrase import ChangePassphraseDialog

    unlock_window(qtbot, win)
    assert win.vault is not None
    dialog = ChangePassphraseDialog(win, win.vault)
    qtbot.addWidget(dialog)
    return dialog


def export_passphrase(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.transfer_dialogs import NewPassphraseDialog

    dialog = NewPassphraseDialog(win, "backup")
    qtbot.addWidget(dialog)
    return dialog


def kdbx_key(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.transfer_dialogs import KdbxKeyDialog

    dialog = KdbxKeyDialog(win, "Passwords.kdbx")
    qtbot.addWidget(dialog)
    return dialog


def import_preview(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.transfer_dialogs import ImportPreviewDialog

    summary = ["Added: 2 (GitHub, Bank)", "Already in the vault: 1"]
    problems = ["Row 4 has no title: kept as “(untitled)”."]
    dialog = ImportPreviewDialog(win, "export.csv", summary, problems, changes=True)
    qtbot.addWidget(dialog)
    return dialog


def browser_associate(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.browser_dialogs import AssociateDialog

    dialog = AssociateDialog(win, "A" * 43 + "=", "demo.vault")
    qtbot.addWidget(dialog)
    return dialog


def browser_access(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.browser_dialogs import AccessDialog

    unlock_window(qtbot, win)
    assert win.vault is not None
    dialog = AccessDialog(win, list(win.vault.entries)[:2], "github.com", "Firefox")
    qtbot.addWidget(dialog)
    return dialog


def ssh_keygen(qtbot, win: MainWindow) -> QWidget:
    unlock_window(qtbot, win)
    win.tools.new_ssh_key()
    dialog = win.tools.ssh_keygen_dialog
    assert dialog is not None
    return dialog


def unlock_window(qtbot, win: MainWindow) -> None:
    if win.vault is None:
        win.unlock_view.passphrase_edit.setText(PASSPHRASE)
        with qtbot.waitSignal(win.unlock_view.unlocked, timeout=10_000):
            win.unlock_view.unlock_button.click()


def autotype_chooser(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.autotype.gui import Chooser
    from vaultapp.autotype.matching import Match

    unlock_window(qtbot, win)
    assert win.vault is not None
    matches = [Match(e, "{USERNAME}{TAB}{PASSWORD}{ENTER}") for e in list(win.vault.entries)[:2]]
    dialog = Chooser(matches, "GitHub — Sign in — Mozilla Firefox", win)
    qtbot.addWidget(dialog)
    return dialog


def secret_access(qtbot, win: MainWindow) -> QWidget:
    from vaultapp.gui.secret_link import AccessDialog

    dialog = AccessDialog(win, "/usr/bin/evolution (pid 4242)", ["Mail: alice@example.com", "GitHub token"])
    qtbot.addWidget(dialog)
    return dialog


VIEWS: dict[str, View] = {
    "unlock": unlock_view,
    "create": create_dialog,
    "main": main_view,
    "editor": editor,
    "history": history,
    "generator": generator,
    "settings": settings_dialog,
    "health": health,
    "audit-log": audit_log,
    "otp": otp_setup,
    "change-passphrase": change_passphrase,
    "export-passphrase": export_passphrase,
    "kdbx-key": kdbx_key,
    "import-preview": import_preview,
    "browser-associate": browser_associate,
    "browser-access": browser_access,
    "ssh-keygen": ssh_keygen,
    "autotype-chooser": autotype_chooser,
    "secret-access": secret_access,
}


def pages(view: QWidget) -> list[tuple[str, Callable[[], None]]]:
    """Each page of the view's tab widgets (and combo-chosen stacks): a name and how to show it."""
    found: list[tuple[str, Callable[[], None]]] = [("", lambda: None)]
    for tabs in view.findChildren(QTabWidget):
        for index in range(tabs.count()):
            found.append(
                (f"{tabs.objectName() or 'tabs'}[{index}]", lambda t=tabs, i=index: t.setCurrentIndex(i))
            )
    return found


def shot(view: QWidget, path: Path) -> None:
    settle(view)
    view.grab().save(str(path))
