"""Record.attachments: imports bring files in as real attachments (stored once, names made
usable and noted); record_of reads them only when asked."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import open_vault
from vaultapp.core import Vault
from vaultapp.interop.records import Parsed, Record, plan_records, record_of, records_of


def test_plan_records_brings_attachments_in(target: Vault) -> None:
    scan = os.urandom(3000)
    parsed = Parsed(records=[
        Record(title="Passport", attachments=(("scan.jpg", scan), ("notes.txt", b"renew 2030"))),
        Record(title="Visa", attachments=(("scan.jpg", scan), ("a/b", b"x"), ("scan.jpg", b"other"))),
    ])  # fmt: skip
    target.apply(plan_records(target, parsed))
    target.save()
    passport, visa = target.find("Passport"), target.find("Visa")
    assert [a.name for a in passport.attachments] == ["scan.jpg", "notes.txt"]
    assert [a.name for a in visa.attachments] == ["scan.jpg", "a_b", "scan.jpg (2)"]
    assert passport.attachments[0].blob == visa.attachments[0].blob  # stored once
    assert any("'a/b' kept as 'a_b'" in str(n) for n in parsed.notes)
    with open_vault(target.path) as reopened:
        again = reopened.find("Visa")
        assert reopened.attachment_content(again.attachments[2]) == b"other"
        assert reopened.attachment_content(again.attachments[0]) == scan


def test_record_of_reads_attachments_only_when_asked(target: Vault, tmp_path: Path) -> None:
    entry = target.add("Deed")
    target.attach(entry.uuid, "deed.pdf", b"%PDF-1.7 ...")
    target.save()
    with open_vault(target.path) as vault:
        plain = record_of(vault, vault.find("Deed"))
        assert plain.attachments == ()
        assert vault.attachment_decrypts == 0
        full = next(r for r in records_of(vault, attachments=True) if r.title == "Deed")
        assert full.attachments == (("deed.pdf", b"%PDF-1.7 ..."),)
        assert vault.attachment_decrypts == 1
