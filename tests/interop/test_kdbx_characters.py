"""KDBX export of values XML cannot carry (NUL and other control characters)."""

from __future__ import annotations

from pathlib import Path

from vaultapp.core import Vault
from vaultapp.interop.kdbx import KdbxKdf, export_kdbx, import_kdbx
from vaultapp.interop.records import Problem, records_of

SMALL = KdbxKdf(memory=1 << 20, passes=1, lanes=1)  # explicit test setting
DB_PASS = "kdbx passphrase"


def test_export_leaves_out_what_kdbx_cannot_carry_and_reports_it(filled: Vault, tmp_path: Path) -> None:
    """An entry with NUL and control characters is exported without them, with one note naming the
    fields; every other entry and character goes through unchanged."""
    filled.add(
        "Router\x00", username="ad\x01min", password="pa\x00ss\tword\n", notes="ok\x0bnote\r\n",
        custom=[("Key\x1f", "v\x00", True)],
    )  # fmt: skip
    filled.add("Clean", password="tab\there\nnewline ü ✓")
    notes: list[Problem] = []
    out = tmp_path / "out.kdbx"
    assert export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL, notes=notes) == 6
    assert [str(n) for n in notes] == [
        "'Router': characters KeePass cannot store (NUL or other control characters) were left out of its "
        "title, username, password, notes, custom field 'Key'"
    ]
    back = {r.title: r for r in import_kdbx(out, DB_PASS).records}
    router = back["Router"]
    assert (router.username, router.password, router.notes) == ("admin", "pass\tword\n", "oknote\r\n")
    assert router.custom == (("Key", "v", True),)
    assert back["Clean"].password == "tab\there\nnewline ü ✓"
    assert {r.title for r in records_of(filled)} - {"Router\x00"} <= set(back)
