#!/usr/bin/env python3
"""Render the key-file setup offscreen to docs/screenshots/: the create dialog with a key file
just made (keyfile-setup.png) and the unlock view of a vault that needs one (unlock-keyfile.png).

python scripts/keyfile_screenshots.py [--out docs/screenshots] [--theme light|dark]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from scripts.screenshots import settle
    from vaultapp.core import TEST_POLICY, Vault
    from vaultapp.core.kdf import Argon2idParams
    from vaultapp.gui.create import CreateVaultDialog
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings
    from vaultapp.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    suffix = "" if args.theme == "light" else "-dark"
    apply_theme(args.theme)
    passphrase = "orbit gravy lantern tidal spoon ember"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ada"  # a short, plausible path on the pictures
        home.mkdir()
        dialog = CreateVaultDialog(None, policy=TEST_POLICY)
        dialog.location_edit.setText(str(home / "Passwords.vault"))
        dialog.passphrase_edit.setText(passphrase)
        dialog.repeat_edit.setText(passphrase)
        dialog.factors.keyfile_check.setChecked(True)
        keyfile = home / "USB stick" / "Passwords.keyx"
        keyfile.parent.mkdir()
        dialog.factors.ask_new_path = lambda: str(keyfile)  # type: ignore[method-assign]
        dialog.factors.create_keyfile_button.click()
        dialog.show()
        dialog.adjustSize()
        settle()
        dialog.grab().save(str(args.out / f"keyfile-setup{suffix}.png"))
        dialog.close()

        vault_path = home / "Passwords.vault"
        kdf = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
        Vault.create(vault_path, passphrase, keyfile=keyfile, kdf=kdf, policy=TEST_POLICY).close()
        settings = Settings(home / "settings.ini")
        settings.theme = args.theme
        settings.remember_vault(vault_path)
        settings.set_keyfile_for(vault_path, str(keyfile))
        window = MainWindow(settings, policy=TEST_POLICY, vault_path=vault_path)
        window.resize(1100, 720)
        window.show()
        settle()
        window.grab().save(str(args.out / f"unlock-keyfile{suffix}.png"))
        window.close()
    print(f"wrote key-file screenshots to {args.out}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
