"""File → Export… / Import… in the window: progress, cancel, summary, one save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from tests.gui.conftest import answer_import_previews, titles, unlock
from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.transfer_dialogs import KdbxKeyDialog, NewPassphraseDialog
from vaultapp.interop.csv_io import parse_csv


def _wait_idle(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.transfers.busy, timeout=20_000)


def test_file_menu_lists_every_transfer(unlocked: MainWindow) -> None:
    file_menu = unlocked.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    for wanted in ("Export encrypted backup…", "Export CSV…", "Export KDBX…", "Import…", "Merge from file…",
                   "Restore from automatic backup…"):  # fmt: skip
        assert wanted in texts
    assert all(unlocked.actions_by_name[n].isEnabled() for n in ("export_csv_action", "import_action"))


def test_csv_export_warns_first_and_writes_0600(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    warnings: list[str] = []
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: warnings.append(text) or False)
    monkeypatch.setattr(unlocked.transfers, "ask_save_path", lambda *a: out)
    unlocked.actions_by_name["export_csv_action"].trigger()
    assert "PLAIN TEXT" in warnings[0]
    assert not out.exists()  # declined: nothing written
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: True)
    unlocked.actions_by_name["export_csv_action"].trigger()
    _wait_idle(qtbot, unlocked)
    assert out.stat().st_mode & 0o777 == 0o600
    records = parse_csv(out.read_text(encoding="utf-8")).records
    assert sorted(r.title for r in records) == sorted(titles(unlocked))
    assert "PLAIN TEXT" in unlocked.statusBar().currentMessage()


def test_csv_export_names_the_attachments_it_cannot_carry(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """A CSV holds no files: the window says which entries' attachments were left out."""
    vault = unlocked.vault
    assert vault is not None
    entry = vault.entries[0]
    vault.attach(entry.uuid, "scan.pdf", b"%PDF-1.4 scan")
    out = tmp_path / "out.csv"
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: True)
    monkeypatch.setattr(unlocked.transfers, "ask_save_path", lambda *a: out)
    unlocked.actions_by_name["export_csv_action"].trigger()
    _wait_idle(qtbot, unlocked)
    box = unlocked.findChild(QMessageBox, "export-notes")
    assert box is not None
    assert f"{entry.title!r}: its 1 attachment is not in a csv file" in box.text()


def test_kdbx_export_then_import_into_another_window(
    qtbot, unlocked: MainWindow, settings, monkeypatch, tmp_path: Path
) -> None:
    out = tmp_path / "out.kdbx"
    monkeypatch.setattr(unlocked.transfers, "ask_save_path", lambda *a: out)
    monkeypatch.setattr(unlocked.transfers, "ask_new_passphrase", lambda what: "db pass")
    unlocked.actions_by_name["export_kdbx_action"].trigger()
    _wait_idle(qtbot, unlocked)
    assert out.exists()
    before = titles(unlocked)
    empty = tmp_path / "empty.vault"
    Vault.create(empty, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    unlocked.lock()
    other = MainWindow(settings, policy=TEST_POLICY, vault_path=empty)
    qtbot.addWidget(other)
    other.show()
    unlock(qtbot, other)
    assert titles(other) == []
    summaries: list[str] = []
    monkeypatch.setattr(other.transfers, "ask_kdbx_key", lambda name: ("db pass", None))
    monkeypatch.setattr(other, "confirm", lambda title, text: summaries.append(text) or True)
    monkeypatch.setattr(other.transfers, "ask_open_path", lambda: out)
    other.actions_by_name["import_action"].trigger()
    _wait_idle(qtbot, other)
    assert summaries, other.statusBar().currentMessage()
    assert "Import out.kdbx into this vault?" in summaries[0]
    assert sorted(titles(other)) == sorted(before)
    with open_vault(other.vault.path) as on_disk:  # saved at once
        assert len(on_disk.entries) == len(before)


def test_csv_import_shows_skipped_lines_and_saves_once(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "from-bitwarden.csv"
    src.write_text(
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
        "Mail,,login,Webmail,,,0,https://mail.example,me,pw,\n"
        "broken,row\n",
        encoding="utf-8",
    )
    summaries = answer_import_previews(monkeypatch, unlocked)
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert "Added: 1 (Webmail)" in summaries[0]
    assert "Skipped line 3: has 2 fields but the header has 11" in summaries[0]
    assert "Webmail" in titles(unlocked)
    assert "skipped 1" in unlocked.statusBar().currentMessage()


def test_declining_the_summary_changes_nothing(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("title,password\nNew one,x\n", encoding="utf-8")
    on_disk = unlocked.vault.path.read_bytes()
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: False)
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert "New one" not in titles(unlocked)
    assert unlocked.vault.path.read_bytes() == on_disk


def test_cancelling_a_long_import_leaves_the_vault_as_it_was(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    src = tmp_path / "big.csv"
    src.write_text("title,username,password\n" + "".join(f"Site {i},user{i},pw{i}\n" for i in range(3000)))
    on_disk = unlocked.vault.path.read_bytes()
    before = titles(unlocked)
    shown: list[tuple[int, int]] = []
    transfers = unlocked.transfers
    original = transfers._show_progress

    def cancel_on_first_progress(done: int, total: int) -> None:
        shown.append((done, total))
        original(done, total)
        if len(shown) == 1:
            assert isinstance(transfers.progress, QProgressDialog)
            assert transfers.progress.labelText() == "Importing 0 of 3,000 entries…"
            (button,) = transfers.progress.findChildren(QPushButton)
            assert button.text() == "Cancel"
            button.click()

    monkeypatch.setattr(transfers, "_show_progress", cancel_on_first_progress)
    asked: list[str] = []
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: asked.append(text) or True)
    transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert shown
    assert shown[0] == (0, 3000)
    assert asked == []  # nothing to confirm: it was cancelled
    assert titles(unlocked) == before
    assert unlocked.vault.path.read_bytes() == on_disk
    assert "cancelled" in unlocked.statusBar().currentMessage()


def test_wrong_file_passphrase_is_one_clear_error(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    backup = tmp_path / "b.vault"
    monkeypatch.setattr(unlocked.transfers, "ask_save_path", lambda *a: backup)
    monkeypatch.setattr(unlocked.transfers, "ask_new_passphrase", lambda what: PASSPHRASE)
    unlocked.actions_by_name["export_backup_action"].trigger()
    _wait_idle(qtbot, unlocked)
    assert "read back and checked" in unlocked.statusBar().currentMessage()
    errors: list[str] = []
    monkeypatch.setattr(
        "vaultapp.gui.transfer.show_error", lambda parent, exc, title: errors.append(str(exc))
    )
    monkeypatch.setattr(unlocked, "ask_passphrase", lambda name: "wrong")
    unlocked.transfers.import_file(backup)
    _wait_idle(qtbot, unlocked)
    assert len(errors) == 1
    assert "Wrong passphrase" in errors[0]


def test_new_passphrase_dialog_checks_the_repeat(qtbot) -> None:
    dialog = NewPassphraseDialog(None, "backup")
    qtbot.addWidget(dialog)
    dialog.first.setText("one")
    dialog.second.setText("two")
    dialog._check()
    assert dialog.message.text() == "The two passphrases differ."
    assert dialog.result() == 0
    dialog.second.setText("one")
    dialog._check()
    assert dialog.result() == 1


def test_kdbx_with_a_key_file_imports(qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path) -> None:
    """A KeePass database locked with a key file only: the key dialog's answer reaches the core."""
    import os

    from pykeepass import create_database

    key = tmp_path / "db.keyx"
    key.write_bytes(os.urandom(64))
    db = tmp_path / "key-only.kdbx"
    kp = create_database(str(db), keyfile=str(key))
    kp.add_entry(kp.root_group, "Router", "admin", "pw")
    kp.save()
    errors: list[str] = []
    monkeypatch.setattr(
        "vaultapp.gui.transfer.show_error", lambda parent, exc, title: errors.append(str(exc))
    )
    monkeypatch.setattr(unlocked, "confirm", lambda title, text: True)
    monkeypatch.setattr(unlocked.transfers, "ask_kdbx_key", lambda name: ("", tmp_path / "gone.keyx"))
    unlocked.transfers.import_file(db)
    _wait_idle(qtbot, unlocked)
    assert errors == [f"There is no key file at {tmp_path / 'gone.keyx'}."]
    monkeypatch.setattr(unlocked.transfers, "ask_kdbx_key", lambda name: ("", key))
    unlocked.transfers.import_file(db)
    _wait_idle(qtbot, unlocked)
    assert "Router" in titles(unlocked)
    with open_vault(unlocked.vault.path) as on_disk:
        assert on_disk.find("Router").username == "admin"


def test_kdbx_key_dialog_needs_a_passphrase_or_a_key_file(qtbot, tmp_path: Path) -> None:
    dialog = KdbxKeyDialog(None, "db.kdbx")
    qtbot.addWidget(dialog)
    dialog._check()
    assert dialog.message.text() == (
        "Enter the passphrase, choose the key file, or both (or tick “empty password”)."
    )
    assert dialog.result() == 0
    dialog.keyfile.setText(f"  {tmp_path / 'db.keyx'} ")
    dialog._check()
    assert dialog.result() == 1
    assert dialog.key() == ("", tmp_path / "db.keyx")
    dialog.passphrase.setText("pw")
    assert dialog.key() == ("pw", tmp_path / "db.keyx")


def test_kdbx_key_dialog_opens_a_database_with_an_empty_password(qtbot) -> None:
    """Ticking "empty password" accepts the dialog with no passphrase and no key file."""
    dialog = KdbxKeyDialog(None, "db.kdbx")
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("typed before ticking")
    dialog.no_password.setChecked(True)
    assert not dialog.passphrase.isEnabled()
    dialog._check()
    assert dialog.result() == 1
    assert dialog.key() == ("", None)


def test_keepass_xml_import_brings_attachments_and_names_references_before_saving(
    qtbot, unlocked: MainWindow, monkeypatch
) -> None:
    """A KeePass XML file is recognised by its name; the summary shown before anything changes
    names each reference resolved; the attachments come in with their entries."""
    src = Path(__file__).parent.parent / "interop" / "data" / "keepass_rich.xml"
    summaries = answer_import_previews(monkeypatch, unlocked)
    unlocked.transfers.import_file(src)
    _wait_idle(qtbot, unlocked)
    assert "attachment 'hello.txt'" not in summaries[0]
    assert "referred to another entry; the value was copied" in summaries[0]
    assert "Mail alias" in titles(unlocked)
    attached = [(e.title, [a.name for a in e.attachments]) for e in unlocked.vault.entries if e.attachments]
    assert attached == [("Mail", ["hello.txt"])]
