"""Telling what a chosen path is before a passphrase is asked for."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core.detect import PathKind, classify_path


def test_classify_path_tells_each_kind(tmp_path: Path) -> None:
    """A vault, a real KeePass file, a folder, a missing path and other files are told apart."""
    from pykeepass import create_database

    vault = tmp_path / "mine.vault"
    Vault.create(vault, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    kdbx = tmp_path / "theirs.kdbx"
    create_database(str(kdbx), password="keepass pw").save()
    renamed = tmp_path / "keepass-named-like-a.vault"
    renamed.write_bytes(kdbx.read_bytes())
    text = tmp_path / "notes.txt"
    text.write_text("just notes\n")
    empty = tmp_path / "empty.vault"
    empty.write_bytes(b"")
    cases = {
        vault: PathKind.VAULT,
        kdbx: PathKind.KEEPASS,
        renamed: PathKind.KEEPASS,  # by content, not by name
        tmp_path: PathKind.FOLDER,
        tmp_path / "nowhere.vault": PathKind.MISSING,
        text: PathKind.OTHER,
        empty: PathKind.OTHER,
    }
    for path, kind in cases.items():
        assert classify_path(path) is kind, path
        assert classify_path(str(path)) is kind, path
