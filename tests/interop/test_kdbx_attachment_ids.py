"""KDBX 3.1 attachments are found by their ID: keepassxc-cli lists Meta/Binaries out of ID order
(pykeepass's ``binaries`` list then swaps contents between entries); each entry gets its own."""

from __future__ import annotations

from pathlib import Path

from tests.interop.test_kdbx import DB_PASS, kxc
from vaultapp.core import Vault
from vaultapp.interop.kdbx import import_kdbx
from vaultapp.interop.records import plan_records


def test_each_entry_keeps_its_own_attachments(new_vault: Vault, tmp_path: Path, keepassxc_cli: str) -> None:
    """Two entries with two attachments each, made by keepassxc-cli: every content where it was."""
    db = tmp_path / "kp.kdbx"
    kxc(keepassxc_cli, "db-create", "-q", "-p", "-t", "100", str(db), stdin=f"{DB_PASS}\n{DB_PASS}\n")
    expected = {}
    for title in ("First", "Second", "Third"):
        kxc(keepassxc_cli, "add", "-q", str(db), title)
        for name in ("id_ed25519", "KeeAgent.settings"):
            source = tmp_path / f"{title}-{name}"
            source.write_bytes(f"{title}/{name}".encode())
            kxc(keepassxc_cli, "attachment-import", "-q", str(db), title, name, str(source))
            expected[(title, name)] = source.read_bytes()
    new_vault.apply(plan_records(new_vault, import_kdbx(db, DB_PASS)))
    found = {
        (title, a.name): new_vault.attachment_content(a)
        for title in ("First", "Second", "Third")
        for a in new_vault.find(title).attachments
    }
    assert found == expected
