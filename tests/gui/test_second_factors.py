"""The window's key file and YubiKey: the create and change dialogs, the unlock view's chooser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from tests.yubikey_standin import SoftYubiKey
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core.keyfile import create_key_file
from vaultapp.gui import second_factors
from vaultapp.gui.change_passphrase import ChangePassphraseDialog
from vaultapp.gui.create import CreateVaultDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

WORDS = "gravy lunar tidal orbit spoon ember"


@pytest.fixture
def soft_yubikey(monkeypatch: pytest.MonkeyPatch) -> SoftYubiKey:
    """The software YubiKey behind the window's driver boundary, and the YubiKey offered."""
    key = SoftYubiKey()
    monkeypatch.setattr(second_factors, "yubikey_driver", lambda: key)
    monkeypatch.setattr(second_factors, "yubikey_offered", lambda: True)
    return key


def _create_dialog(qtbot, settings: Settings, path: Path) -> CreateVaultDialog:
    dialog = CreateVaultDialog(None, policy=TEST_POLICY, settings=settings)
    qtbot.addWidget(dialog)
    dialog.location_edit.setText(str(path))
    dialog.advanced.setChecked(True)
    dialog.unlock_ms.setValue(50)
    return dialog


def test_create_dialog_makes_a_key_file_and_a_vault_that_needs_it(
    qtbot, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ticking the key file shows the loss warning; Create key file… writes a KeePassXC-format
    file at once; the vault made needs it (format 2.0) and its path is remembered, not its content."""
    path, keyfile = tmp_path / "k.vault", tmp_path / "stick.keyx"
    dialog = _create_dialog(qtbot, settings, path)
    dialog.show()
    assert not dialog.factors.keyfile_body.isVisible()
    dialog.factors.keyfile_check.setChecked(True)
    assert dialog.factors.keyfile_body.isVisible()
    note = dialog.factors.findChild(type(dialog.factors.keyfile_status), "keyfile_loss_note")
    assert "cannot be opened, not even with the passphrase" in note.text()
    dialog.passphrase_edit.setText(WORDS)
    dialog.repeat_edit.setText(WORDS)
    dialog.create_button.click()  # no key file chosen yet: said, nothing made
    assert "Create a key file or choose one" in dialog.error_label.text()
    assert not path.exists()
    monkeypatch.setattr(dialog.factors, "ask_new_path", lambda: str(keyfile))
    dialog.factors.create_keyfile_button.click()
    assert b"<Version>2.0</Version>" in keyfile.read_bytes()
    assert "Created stick.keyx" in dialog.factors.keyfile_status.text()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.create_button.click()
    assert isinstance(dialog.vault, Vault)
    dialog.vault.close()
    assert Vault.read_header(path).version == "2.0"
    Vault.open(path, WORDS, keyfile=keyfile).close()
    assert settings.keyfile_for(path) == str(keyfile)
    settings.sync()
    key_hex = "".join(keyfile.read_text().split("<Data")[1].split(">")[1].split("<")[0].split())
    assert key_hex not in settings.path.read_text()


def test_create_dialog_key_file_only_with_an_existing_file(
    qtbot, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any existing file can be chosen; with "No passphrase" the passphrase fields are off and the
    key file alone opens the vault."""
    path, photo = tmp_path / "p.vault", tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 8)
    dialog = _create_dialog(qtbot, settings, path)
    assert not dialog.factors.no_passphrase_check.isEnabled()  # nothing would be left
    dialog.factors.keyfile_check.setChecked(True)
    monkeypatch.setattr(dialog.factors, "ask_existing_path", lambda: str(photo))
    dialog.factors.choose_keyfile_button.click()
    dialog.factors.no_passphrase_check.setChecked(True)
    assert not dialog.passphrase_edit.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.create_button.click()
    dialog.vault.close()  # type: ignore[attr-defined]
    assert Vault.read_header(path).factors.describe() == "key file"
    Vault.open(path, None, keyfile=photo).close()


def test_unlock_view_asks_for_the_key_file_and_remembers_its_path(
    qtbot, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For a vault that needs a key file the unlock view shows a chooser (hidden for others); a
    missing one is said, a wrong one is the one combined error; the right one unlocks, and its
    path is filled in next time."""
    path, keyfile = tmp_path / "k.vault", tmp_path / "k.keyx"
    create_key_file(keyfile)
    with Vault.create(path, PASSPHRASE, keyfile=keyfile, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Mail", password="m")
        vault.save()
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    view = win.unlock_view
    box = view.factors_box
    assert box.keyfile_row.isVisible()
    assert box.keyfile_edit.text() == ""
    view.passphrase_edit.setText(PASSPHRASE)
    view.unlock_button.click()
    assert "needs its key file too" in view.error_label.text()
    other = tmp_path / "other.keyx"
    create_key_file(other)
    monkeypatch.setattr(box, "ask_key_file", lambda: str(other))
    box.browse_button.click()
    view.unlock_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)
    assert "Wrong passphrase or key file" in view.error_label.text()
    box.keyfile_edit.setText(str(keyfile))
    with qtbot.waitSignal(view.unlocked, timeout=10_000):
        view.unlock_button.click()
    assert settings.keyfile_for(path) == str(keyfile)
    win.lock()
    assert box.keyfile_edit.text() == str(keyfile)
    plain = tmp_path / "plain.vault"
    Vault.create(plain, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    view.select_vault(plain)
    assert not box.isVisible()


def test_change_dialog_adds_then_removes_a_key_file(
    qtbot, unlocked: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Change passphrase… offers the key file: adding one re-keys to 2.0 (the window remembers
    its path); unticking it later, with the current key file known, goes back to 1.2."""
    vault = unlocked.vault
    assert vault is not None
    keyfile = tmp_path / "added.keyx"
    dialog = ChangePassphraseDialog(None, vault)
    qtbot.addWidget(dialog)
    dialog.old_edit.setText(PASSPHRASE)
    dialog.new_edit.setText(WORDS)
    dialog.repeat_edit.setText(WORDS)
    dialog.factors.keyfile_check.setChecked(True)
    monkeypatch.setattr(dialog.factors, "ask_new_path", lambda: str(keyfile))
    dialog.factors.create_keyfile_button.click()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.change_button.click()
    assert dialog.new_keyfile == str(keyfile)
    assert Vault.read_header(vault.path).version == "2.0"
    again = ChangePassphraseDialog(None, vault, keyfile=str(keyfile))
    qtbot.addWidget(again)
    assert again.factors.keyfile_check.isChecked()
    assert again.factors.keyfile() == str(keyfile)
    again.old_edit.setText(WORDS)
    again.new_edit.setText(WORDS)
    again.repeat_edit.setText(WORDS)
    again.factors.keyfile_check.setChecked(False)
    with qtbot.waitSignal(again.accepted, timeout=20_000):
        again.change_button.click()
    assert Vault.read_header(vault.path).version == "1.2"
    Vault.open(vault.path, WORDS, audit=False).close()


def test_yubikey_in_the_create_dialog_and_at_unlock(
    qtbot, tmp_path: Path, settings: Settings, soft_yubikey: SoftYubiKey
) -> None:
    """The create dialog offers the YubiKey slot (with the recovery note); the vault made needs the
    key's answer, and the unlock view says to touch it and unlocks through the same driver."""
    path = tmp_path / "y.vault"
    dialog = _create_dialog(qtbot, settings, path)
    dialog.show()
    assert dialog.factors.yubikey_check.isVisible()
    dialog.factors.yubikey_check.setChecked(True)
    assert (
        "spare YubiKey with the same secret"
        in dialog.factors.findChild(type(dialog.factors.keyfile_status), "yubikey_loss_note").text()
    )
    dialog.passphrase_edit.setText(WORDS)
    dialog.repeat_edit.setText(WORDS)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.create_button.click()
    dialog.vault.close()  # type: ignore[attr-defined]
    assert Vault.read_header(path).factors.yubikey_slot == 2
    assert soft_yubikey.challenges
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    box = win.unlock_view.factors_box
    assert "Touch your YubiKey (slot 2)" in box.yubikey_label.text()
    assert not box.keyfile_row.isVisible()
    win.unlock_view.passphrase_edit.setText(WORDS)
    with qtbot.waitSignal(win.unlock_view.unlocked, timeout=10_000):
        win.unlock_view.unlock_button.click()
    win.lock()
