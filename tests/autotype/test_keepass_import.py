"""Auto-type settings made in KeePass (written here by pykeepass into a real KDBX file) come in
with a KDBX import and count: the entry's sequence, its window association and its own
sequence there, and "auto-type off"."""

from __future__ import annotations

from pathlib import Path

from vaultapp.autotype.matching import entry_sequence, find_matches
from vaultapp.core import Vault
from vaultapp.interop.kdbx import import_kdbx
from vaultapp.interop.records import plan_records

DB_PASS = "kdbx pass"


def test_a_kdbx_entrys_auto_type_settings_count_after_import(new_vault: Vault, tmp_path: Path) -> None:
    from pykeepass import create_database

    db = tmp_path / "keepass.kdbx"
    kp = create_database(str(db), password=DB_PASS)
    legacy = kp.add_entry(kp.root_group, "Legacy", "ann", "pw")
    legacy.autotype_sequence = "{USERNAME}{ENTER}"
    legacy.autotype_window = "Legacy app - *"
    legacy._element.find("AutoType/Association/KeystrokeSequence").text = "{PASSWORD}{ENTER}"
    kp.add_entry(kp.root_group, "Quiet", "bob", "pw").autotype_enabled = False
    kp.save()
    new_vault.apply(plan_records(new_vault, import_kdbx(db, DB_PASS)))
    entries = list(new_vault.entries)
    imported = next(e for e in entries if e.title == "Legacy")
    assert entry_sequence(imported) == "{USERNAME}{ENTER}"
    assert [(m.entry.title, m.sequence) for m in find_matches("Legacy app - sign in", entries)] == [
        ("Legacy", "{PASSWORD}{ENTER}")
    ]
    assert [m.sequence for m in find_matches("Legacy tool", entries)] == ["{USERNAME}{ENTER}"]  # by title
    assert find_matches("Quiet window", entries) == []  # auto-type was off for it in KeePass
