"""Key files: KeePass's formats give the key KeePass gives, new ones are KeePassXC's XML 2.0."""

from __future__ import annotations

import hashlib
import io
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import load_vectors
from vaultapp.core.errors import UsageError
from vaultapp.core.keyfile import (
    KEYFILE_MAX,
    KeyFileError,
    create_key_file,
    key_from_bytes,
    keyfile_xml,
    read_key_file,
)

VECTORS: list[dict[str, Any]] = load_vectors("keyfiles.json")


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_key_of_each_keepass_format_matches_the_vector(vector: dict[str, Any]) -> None:
    """XML 1.0 and 2.0, 32 raw bytes, 64 hex digits and any other file give the key KeePass
    gives (the vectors' composite keys were made by pykeepass, SHA-256 of the file's key)."""
    key = key_from_bytes(bytes.fromhex(vector["content_hex"]))
    assert len(key) == 32
    assert hashlib.sha256(key).hexdigest() == vector["composite_sha256"]


def test_known_keys_of_the_simple_formats() -> None:
    """The 64-hex-digit and 32-byte formats are the key itself; anything else is hashed."""
    key = bytes(range(32))
    assert key_from_bytes(key.hex().encode()) == key
    assert key_from_bytes(key.hex().upper().encode()) == key
    assert key_from_bytes(key) == key
    assert key_from_bytes(b"photo bytes") == hashlib.sha256(b"photo bytes").digest()
    assert key_from_bytes((key.hex() + "\n").encode()) == hashlib.sha256((key.hex() + "\n").encode()).digest()
    assert key_from_bytes(b"") == hashlib.sha256(b"").digest()


def test_xml_that_is_not_a_key_file_is_hashed() -> None:
    """An XML file of another kind (or with a DTD, never expanded) is just a file: hashed."""
    for data in (
        b"<svg><g/></svg>",
        b"<KeyFile><Meta><Version>9.0</Version></Meta><Key><Data>AA</Data></Key></KeyFile>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><KeyFile>&a;</KeyFile>',
        b"<KeyFile><broken",
    ):
        assert key_from_bytes(data) == hashlib.sha256(data).digest()


def test_xml_2_with_a_wrong_checksum_is_refused() -> None:
    """A damaged XML 2.0 key file (its Hash does not match) is refused, as KeePassXC does."""
    data = keyfile_xml(bytes(32)).replace(b"00000000 00000000", b"00000000 00000001", 1)
    with pytest.raises(KeyFileError, match="damaged") as info:
        key_from_bytes(data)
    assert info.value.exit_code == 2


def test_written_key_file_is_byte_for_byte_keepassxc_s_layout(tmp_path: Path) -> None:
    """A key file KeePassXC wrote reads to its key, and writing that key gives the same bytes."""
    vector = VECTORS[0]
    data = bytes.fromhex(vector["content_hex"])
    assert keyfile_xml(key_from_bytes(data)) == data


def test_created_key_file_is_private_random_and_never_overwrites(tmp_path: Path) -> None:
    """A new key file is 0600, holds 32 fresh random bytes, and an existing file is never replaced."""
    first = create_key_file(tmp_path / "a.keyx")
    second = create_key_file(tmp_path / "b.keyx")
    assert first != second
    assert len(first) == 32
    assert stat.S_IMODE((tmp_path / "a.keyx").stat().st_mode) == 0o600
    assert read_key_file(tmp_path / "a.keyx") == first
    before = (tmp_path / "a.keyx").read_bytes()
    with pytest.raises(UsageError, match="exists already"):
        create_key_file(tmp_path / "a.keyx")
    assert (tmp_path / "a.keyx").read_bytes() == before
    (tmp_path / "link.keyx").symlink_to(tmp_path / "nowhere")
    with pytest.raises(UsageError, match="exists already"):
        create_key_file(tmp_path / "link.keyx")
    assert not (tmp_path / "nowhere").exists()


def test_missing_large_or_special_key_files_give_one_clear_error(tmp_path: Path) -> None:
    """No file, a folder, a FIFO, or a file over the limit: KeyFileError naming the path (exit 2)."""
    import os

    os.mkfifo(tmp_path / "fifo")
    big = tmp_path / "big.iso"
    with big.open("wb") as f:
        f.truncate(KEYFILE_MAX + 1)
    for path, words in (
        (tmp_path / "missing.keyx", "no key file"),
        (tmp_path, "folder"),
        (tmp_path / "fifo", "pipe"),
        (big, "larger than"),
    ):
        with pytest.raises(KeyFileError, match=words) as info:
            read_key_file(path)
        assert str(path) in str(info.value)
        assert info.value.exit_code == 2


def test_keepassxc_opens_a_database_with_a_key_file_vaultapp_made(tmp_path: Path, keepassxc_cli: str) -> None:
    """KeePassXC takes a key file vaultapp wrote, and derives from it the key vaultapp (and
    pykeepass) derive: a database it made with that key file opens in pykeepass with it."""
    from pykeepass import PyKeePass
    from pykeepass.kdbx_parsing.common import compute_key_composite

    keyfile = tmp_path / "mine.keyx"
    key = create_key_file(keyfile)
    db = tmp_path / "db.kdbx"
    subprocess.run(
        [keepassxc_cli, "db-create", "-q", "--set-key-file", str(keyfile), "-t", "100", str(db)],
        check=True, capture_output=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert keyfile.read_bytes() == keyfile_xml(key)  # KeePassXC used it, did not rewrite it
    listed = subprocess.run(
        [keepassxc_cli, "ls", "-q", "--no-password", "--key-file", str(keyfile), str(db)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    with PyKeePass(str(db), keyfile=str(keyfile)) as opened:
        assert opened.root_group is not None
    assert compute_key_composite(None, io.BytesIO(keyfile.read_bytes())) == hashlib.sha256(key).digest()


def test_key_file_keepassxc_made_is_read(tmp_path: Path, keepassxc_cli: str) -> None:
    """A key file KeePassXC creates (db-create makes one when it is missing) reads to the key
    pykeepass finds in it."""
    from pykeepass.kdbx_parsing.common import compute_key_composite

    keyfile = tmp_path / "theirs.keyx"
    subprocess.run(
        [keepassxc_cli, "db-create", "-q", "--set-key-file", str(keyfile), "-t", "100",
         str(tmp_path / "d.kdbx")],
        check=True, capture_output=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    content = keyfile.read_bytes()
    assert b"<Version>2.0</Version>" in content
    key = read_key_file(keyfile)
    assert hashlib.sha256(key).digest() == compute_key_composite(None, io.BytesIO(content))
    assert keyfile_xml(key) == content
