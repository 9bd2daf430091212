#!/usr/bin/env python3
"""Render the main views offscreen to docs/screenshots/ with a demo vault of fake entries.

python scripts/screenshots.py [--out docs/screenshots] [--theme light|dark]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO = [
    # title, username, url, folder, tags, favourite, notes, totp
    ("GitHub", "ada.lovelace", "https://github.com/login", "Work/Dev", ["dev", "2fa"], True,
     "Recovery codes are in the fire safe.", "otpauth://totp/GitHub:ada.lovelace?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"),
    ("GitLab", "ada@analytical.example", "https://gitlab.com/users/sign_in", "Work/Dev", ["dev"], False, "", None),
    ("AWS console", "ada-admin", "https://console.aws.amazon.com", "Work/Cloud", ["cloud", "2fa"], False,
     "Root account: hardware key in the drawer.", "JBSWY3DPEHPK3PXP"),
    ("Company mail", "ada@analytical.example", "https://mail.analytical.example", "Work", ["mail"], False, "", None),
    ("Bank of Example", "ada1815", "https://online.bank.example", "Personal/Money", ["finance"], True,
     "Card PIN is not stored here.", None),
    ("Tax portal", "AL-1815-12-10", "https://tax.gov.example", "Personal/Money", ["finance", "gov"], False, "", None),
    ("Home Wi-Fi", "", "", "Personal/Home", ["wifi"], False, "Guest network: Babbage-Guest", None),
    ("Library card", "100232", "https://library.example/login", "Personal", [], False, "", None),
    ("Mastodon", "@ada@social.example", "https://social.example", "Personal/Social", ["social"], False, "", None),
    ("Photo backup", "ada.l", "https://photos.example.net", "Personal", ["backup"], False, "", None),
    ("Router admin", "admin", "http://192.168.1.1", "Personal/Home", ["wifi"], False, "", None),
    ("Streaming", "ada.l@mail.example", "https://stream.example.tv", "Personal", ["fun"], False, "", None),
]  # fmt: skip


def build_demo(path: Path, passphrase: str) -> None:
    from vaultapp.core import TEST_POLICY, Vault
    from vaultapp.core.kdf import Argon2idParams
    from vaultapp.generators.password import PasswordPolicy, generate_password

    kdf = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
    start = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
    with Vault.create(path, passphrase, kdf=kdf, policy=TEST_POLICY) as vault:
        for i, (title, user, url, folder, tags, fav, notes, totp) in enumerate(DEMO):
            password = generate_password(PasswordPolicy(length=20)).value
            entry = vault.add(title, username=user, password=password, url=url, folder=folder, tags=tags,
                              favourite=fav, notes=notes, totp=totp, now=start + timedelta(days=i * 5))  # fmt: skip
            if i % 3 == 0:
                vault.update(
                    entry.uuid, password=generate_password().value, now=start + timedelta(days=60 + i)
                )
        weak = {"Router admin": "admin123", "Streaming": "Sunflower-2019", "Photo backup": "Sunflower-2019"}
        for entry in vault.entries:
            if entry.title in weak:
                vault.update(entry.uuid, password=weak[entry.title])
        vault.add("Old wiki", username="ada", password="Kq7#vP2m!Lx9wZ4r", url="https://wiki.example",
                  now=start - timedelta(days=900))  # fmt: skip
        gone = vault.add("Old forum", username="ada", password="hunter2", url="https://forum.example")
        vault.trash(gone.uuid)
        vault.save()


def settle(ms: int = 120) -> None:
    """Run the event loop for a moment (coalesced updates, such as the detail pane, fire)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from vaultapp.core import TEST_POLICY
    from vaultapp.gui.create import CreateVaultDialog
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings
    from vaultapp.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    passphrase = "orbit gravy lantern tidal spoon ember"
    suffix = "" if args.theme == "light" else "-dark"
    with tempfile.TemporaryDirectory() as tmp:
        vault_path = Path(tmp) / "Passwords.vault"
        build_demo(vault_path, passphrase)
        settings = Settings(Path(tmp) / "settings.ini")
        settings.theme = args.theme
        settings.remember_vault(vault_path)
        apply_theme(args.theme)
        window = MainWindow(settings, policy=TEST_POLICY, vault_path=vault_path)
        window.resize(1280, 780)
        window.show()
        app.processEvents()
        window.grab().save(str(args.out / f"unlock{suffix}.png"))

        window.unlock_view.passphrase_edit.setText(passphrase)
        window.unlock_view.unlock()
        while window.vault is None:
            settle(20)
        view = window.vault_view
        entry = next(e for e in window.vault.entries if e.title == "GitHub")
        view.select_uuid(entry.uuid)
        # Sorted newest first by Modified, with the selection kept on GitHub.
        view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        settle()
        window.grab().save(str(args.out / f"main{suffix}.png"))

        # The table's right-click menu, drawn where it opens (an offscreen grab has no popups).
        rect = view.table.visualRect(view.table.currentIndex())
        menu = window.menus.table_menu()
        at = view.table.viewport().mapTo(window, rect.center())
        menu.popup(window.mapToGlobal(at))
        settle()
        move = menu.findChild(type(menu), "move_menu")
        assert move is not None
        menu.setActiveAction(move.menuAction())
        move.popup(menu.mapToGlobal(menu.actionGeometry(move.menuAction()).topRight()))
        settle()
        shot = window.grab()
        painter = QPainter(shot)
        for popup in (menu, move):
            painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(popup.rect().topLeft())), popup.grab())
        painter.end()
        shot.save(str(args.out / f"context-menu{suffix}.png"))
        move.close()
        menu.close()

        view.search_edit.setText("money")
        app.processEvents()
        view.search_edit.setText("bank")
        settle()
        window.grab().save(str(args.out / f"search{suffix}.png"))
        view.search_edit.clear()
        view.select_uuid(entry.uuid)
        app.processEvents()
        window.entry_actions.edit_entry()
        editor = window.editor
        assert editor is not None
        editor.adjustSize()
        app.processEvents()
        editor.grab().save(str(args.out / f"editor{suffix}.png"))
        editor.close_silently()

        from vaultapp.gui.generator import GeneratorDialog

        generator = GeneratorDialog(window, settings, for_editor=True)
        generator.tabs.setCurrentIndex(1)
        generator.capitalize.setCurrentIndex(1)
        generator.show()
        settle()
        generator.grab().save(str(args.out / f"generator{suffix}.png"))
        generator.close()

        window.tools.open_health()
        health = window.health_dialog
        assert health is not None
        while health.report is None:
            settle(50)
        health.resize(900, 480)
        settle()
        health.grab().save(str(args.out / f"health{suffix}.png"))
        health.reject()
        view.select_uuid(entry.uuid)
        window.entry_actions.copy_field("password")
        window.tools.open_log()
        log = window.log_dialog
        assert log is not None
        log.resize(860, 460)
        settle()
        log.grab().save(str(args.out / f"log{suffix}.png"))
        log.reject()

        from vaultapp.autotype.gui import Chooser
        from vaultapp.autotype.matching import find_matches

        title = "Sign in – github.com, gitlab.com — Mozilla Firefox"  # noqa: RUF001
        chooser = Chooser(find_matches(title, window.vault.entries), title)
        chooser.show()
        settle()
        chooser.grab().save(str(args.out / f"autotype-chooser{suffix}.png"))
        chooser.close()

        dialog = CreateVaultDialog(window, policy=TEST_POLICY)
        dialog.location_edit.setText(str(Path.home() / ".local/share/vaultapp/Passwords.vault"))
        dialog.passphrase_edit.setText("correct horse battery")  # focus starts here, not in Location
        dialog.show()
        dialog.passphrase_edit.setFocus()
        app.processEvents()
        dialog.grab().save(str(args.out / f"create{suffix}.png"))
        dialog.close()
        window.lock()
        window.close()
    print(f"wrote screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
