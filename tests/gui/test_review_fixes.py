"""Security-review fixes seen from the window: HOTP codes use up their counter; a vault whose KDF
would take minutes is asked about before deriving, and the wait can be abandoned."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import select, unlock
from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.generators.otp import hotp, parse
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

URI = "otpauth://hotp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Example"


def test_copying_an_hotp_code_uses_up_the_counter(qtbot, settings: Settings, tmp_path: Path) -> None:
    """The detail pane shows no HOTP code (that would use one up); each copy gives the next code
    and the counter on disk moves on at once."""
    path = tmp_path / "h.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuid = vault.add("Bank token", totp=URI).uuid
        vault.save()
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    select(win, "Bank token")
    detail = win.vault_view.detail
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.uuid == uuid)
    assert "counter-based" in detail.totp.text()
    copied = []
    for _ in range(2):
        win.actions_by_name["copy_totp_action"].trigger()
        copied.append(QGuiApplication.clipboard().text())
    assert copied == [hotp(parse(URI), 5), hotp(parse(URI), 6)]
    win.lock()
    with open_vault(path) as vault:
        assert parse(vault.reveal(vault.get(uuid).totp)).counter == 7  # type: ignore[arg-type]
