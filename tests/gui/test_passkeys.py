"""A KeePassXC passkey (its ``KPEX_PASSKEY_*`` fields) is shown as a passkey and kept unchanged."""

from __future__ import annotations

from tests.gui.conftest import select
from tests.helpers import open_vault
from vaultapp.core import passkeys
from vaultapp.gui.main_window import MainWindow

PEM = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49-not-a-real-key\n-----END PRIVATE KEY-----"
PASSKEY = [
    (passkeys.RELYING_PARTY, "webauthn.io", False),
    (passkeys.USERNAME, "alice-passkey", False),
    (passkeys.CREDENTIAL_ID, "Yw2xQ8bHR3mYv0c6oBn0Ig", False),
    (passkeys.PRIVATE_KEY_PEM, PEM, True),
    (passkeys.USER_HANDLE, "dXNlci1oYW5kbGU", True),
]


def _with_passkey(win: MainWindow) -> list[tuple[str, str, bool]]:
    """Give GitHub a passkey between two ordinary custom fields; returns the fields as stored."""
    vault = win.vault
    assert vault is not None
    github = next(e for e in vault.entries if e.title == "GitHub")
    fields = [("Recovery email", "alice@example.com", False), *PASSKEY, ("PIN", "4321", True)]
    vault.update(github.uuid, custom=fields)
    vault.save()
    win.reload_model()
    select(win, "GitHub")
    win._selection_changed()
    return fields


def _stored(win: MainWindow, title: str) -> list[tuple[str, str, bool]]:
    vault = win.vault
    assert vault is not None
    with open_vault(vault.path) as saved:
        entry = next(e for e in saved.entries if e.title == title)
        return [(c.name, c.value if isinstance(c.value, str) else saved.reveal(c.value), c.protected)
                for c in entry.custom]  # fmt: skip


def test_detail_pane_shows_a_passkey_section_without_its_private_key(qtbot, unlocked: MainWindow) -> None:
    """Relying party, username and credential ID in a Passkey section; no key, no KPEX_ fields."""
    _with_passkey(unlocked)
    detail = unlocked.vault_view.detail
    assert detail.form.isRowVisible(detail.passkey)
    shown = detail.passkey.text()
    for value in ("webauthn.io", "alice-passkey", "Yw2xQ8bHR3", "oBn0Ig"):  # a long ID is shortened
        assert value in shown
    assert "Yw2xQ8bHR3mYv0c6oBn0Ig" in detail.passkey.toolTip()  # and whole in the tooltip
    custom = detail.custom.text()
    assert "Recovery email" in custom
    assert "PIN" in custom
    assert "KPEX_PASSKEY" not in custom
    assert "PRIVATE KEY" not in shown + custom
    assert "not-a-real-key" not in shown + custom
    select(unlocked, "Bank")  # no passkey: no section
    unlocked._selection_changed()
    assert not detail.form.isRowVisible(detail.passkey)


def test_editor_shows_the_passkey_read_only_and_saves_it_unchanged(qtbot, unlocked: MainWindow) -> None:
    """The KPEX_PASSKEY_* fields are one read-only block, not table rows; an edit keeps them as
    they were (order, values, protection) while the other custom fields stay editable."""
    fields = _with_passkey(unlocked)
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    table = editor.custom_table
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert names == ["Recovery email", "PIN"]
    assert editor.form.isRowVisible(editor.passkey_label)
    block = editor.passkey_label.text()
    assert "webauthn.io" in block
    assert "alice-passkey" in block
    assert "not-a-real-key" not in block
    assert not editor.dirty
    table.item(1, 1).setText("9876")
    editor.title_edit.setText("GitHub (work)")
    editor.save()
    assert unlocked.editor is None
    expected = [*fields[:-1], ("PIN", "9876", True)]
    assert _stored(unlocked, "GitHub (work)") == expected


def test_editor_without_a_passkey_hides_the_block(qtbot, unlocked: MainWindow) -> None:
    """An entry with no private key field has no passkey block, whatever else it holds."""
    select(unlocked, "Bank")
    unlocked.actions_by_name["edit_entry_action"].trigger()
    editor = unlocked.editor
    assert editor is not None
    assert not editor.form.isRowVisible(editor.passkey_label)
    editor.close_silently()
