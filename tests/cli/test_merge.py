"""`vaultapp-cli merge VAULT OTHER` through real subprocesses."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.test_contract import PW, cli, one_line_error


def test_merge_two_copies_prints_counts(tmp_path: Path) -> None:
    """Each copy gains an entry; merging prints the counts and the vault holds both."""
    a, b = tmp_path / "a.vault", tmp_path / "b.vault"
    cli("init", str(a), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(a), "--title", "Shared", stdin=f"{PW}\npw\n")
    shutil.copy(a, b)
    cli("add", str(b), "--title", "From B", stdin=f"{PW}\nb-secret\n")
    out = cli("merge", str(a), str(b), stdin=f"{PW}\n{PW}\n").stdout
    assert "added 1, updated 0, deleted 0, unchanged 1" in out
    assert cli("show", str(a), "From B", "--field", "password", stdin=PW + "\n").stdout == "b-secret\n"


def test_merge_wrong_other_passphrase_exits_3_and_changes_nothing(tmp_path: Path) -> None:
    """A wrong passphrase for OTHER: exit 3, one line, VAULT untouched."""
    a, b = tmp_path / "a.vault", tmp_path / "b.vault"
    cli("init", str(a), "--unlock-ms", "50", stdin=PW + "\n")
    cli("init", str(b), "--unlock-ms", "50", stdin="another one\n")
    before = a.read_bytes()
    assert "Wrong passphrase for b.vault" in one_line_error(
        cli("merge", str(a), str(b), stdin=f"{PW}\nnope\n", check_rc=3)
    )
    assert a.read_bytes() == before


def test_rollback_is_noticed_by_the_cli(tmp_path: Path) -> None:
    """A sync tool brings back an older copy: reads warn, writes exit 6 unless --accept-rollback."""
    path, old = tmp_path / "v.vault", tmp_path / "old.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "First", stdin=f"{PW}\nx\n")
    shutil.copy(path, old)
    cli("add", str(path), "--title", "Second", stdin=f"{PW}\nx\n")
    shutil.copy(old, path)
    listing = cli("ls", str(path), stdin=PW + "\n")
    assert "older than one this device has seen" in listing.stderr
    assert "First" in listing.stdout
    refused = cli("add", str(path), "--title", "Third", stdin=f"{PW}\nx\n", check_rc=6)
    assert "Nothing was saved" in one_line_error(refused)
    cli("add", str(path), "--title", "Third", "--accept-rollback", stdin=f"{PW}\nx\n")


def test_export_and_import_backup(tmp_path: Path) -> None:
    """export asks for the backup passphrase (empty = the vault's); import merges; damage exits 4."""
    vault, backup = tmp_path / "v.vault", tmp_path / "v-backup.vault"
    cli("init", str(vault), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(vault), "--title", "Kept", stdin=f"{PW}\nsecret\n")
    out = cli("export", str(vault), str(backup), stdin=f"{PW}\n\n").stdout
    assert "checked that it reads back" in out
    one_line_error(cli("export", str(vault), str(backup), stdin=f"{PW}\n\n", check_rc=2))  # no overwrite
    other = tmp_path / "other.vault"
    cli("init", str(other), "--unlock-ms", "50", stdin="other pw\n")
    assert "added 1" in cli("import", str(other), str(backup), stdin=f"other pw\n{PW}\n").stdout
    assert cli("show", str(other), "Kept", "--field", "password", stdin="other pw\n").stdout == "secret\n"
    data = bytearray(backup.read_bytes())
    data[-5] ^= 1
    backup.write_bytes(bytes(data))
    before = other.read_bytes()
    one_line_error(cli("import", str(other), str(backup), stdin=f"other pw\n{PW}\n", check_rc=4))
    assert other.read_bytes() == before


def test_merge_keeps_an_edit_made_after_a_deletion_under_a_clock_ten_years_ahead(tmp_path: Path) -> None:
    """issue 15: OTHER deleted the entry with its clock ten years ahead; VAULT changed its
    password afterwards on the true clock. The merge keeps the entry and warns about the time."""
    from datetime import timedelta

    from vaultapp.core import TEST_POLICY, Vault
    from vaultapp.core.entry import utc_now

    a, b = tmp_path / "a.vault", tmp_path / "b.vault"
    cli("init", str(a), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(a), "--title", "Shared", stdin=f"{PW}\nold\n")
    shutil.copy(a, b)
    with Vault.open(b, PW, writable=True, policy=TEST_POLICY) as other:
        other.device_id = "skewed"
        other.remove(other.find("Shared").uuid, now=utc_now() + timedelta(days=3653))
        other.save()
    cli("edit", str(a), "Shared", "--password", stdin=f"{PW}\nnew\n")
    merged = cli("merge", str(a), str(b), stdin=f"{PW}\n{PW}\n")
    # updated: the version the deletion had seen leaves Shared's history
    assert "added 0, updated 1, deleted 0, unchanged 0" in merged.stdout
    assert "warning: 1 entry carries times more than a day in the future ('Shared (a deletion)')" in (
        merged.stderr
    )
    assert cli("show", str(a), "Shared", "--field", "password", stdin=PW + "\n").stdout == "new\n"
