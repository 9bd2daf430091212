"""KeePass databases at the edges, through real `vaultapp-cli` and `keepassxc-cli` processes:
an empty password, an empty password with a key file, a damaged key file, KeePass 1 and KDBX 2
files, and KeePass XML; every one either imports or gets one clear line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error

RICH = Path(__file__).parent.parent / "interop" / "data" / "keepass_rich.xml"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path


def run(*args: str, stdin: str) -> None:
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_database_with_an_empty_password(empty: Path, tmp_path: Path, keepassxc_cli: str) -> None:
    """KeePassXC's "empty password" database opens with --no-password; an empty line still means
    the vault's passphrase, and then the message says what to do."""
    db = tmp_path / "e.kdbx"
    run(keepassxc_cli, "db-create", "-p", "-t", "100", str(db), stdin="\ny\n")
    run(keepassxc_cli, "add", "-u", "me", str(db), "Open", stdin="\n")
    refused = cli("import", str(empty), str(db), stdin=f"{PW}\n\n", check_rc=3)
    assert "wrong" in one_line_error(refused)
    done = cli("import", str(empty), str(db), "--no-password", stdin=f"{PW}\n")
    assert "added 1," in done.stdout
    misuse = cli("import", str(empty), str(RICH), "--no-password", stdin=f"{PW}\n", check_rc=2)
    assert one_line_error(misuse).endswith("--no-password applies to --format kdbx only.")


def test_database_with_an_empty_password_and_a_key_file(
    empty: Path, tmp_path: Path, keepassxc_cli: str
) -> None:
    """KeePassXC keeps the empty password as a key component beside the key file: both an
    empty passphrase line and --no-password open it."""
    db, key = tmp_path / "ek.kdbx", tmp_path / "ek.keyx"
    run(keepassxc_cli, "db-create", "-p", "-t", "100", "--set-key-file", str(key), str(db), stdin="\ny\n")
    run(keepassxc_cli, "add", "-k", str(key), "-u", "me", str(db), "Keyed", stdin="\n")
    assert "added 1," in cli("import", str(empty), str(db), "--keyfile", str(key), stdin=f"{PW}\n\n").stdout
    again = cli("import", str(empty), str(db), "--keyfile", str(key), "--no-password", stdin=f"{PW}\n")
    assert "unchanged 1" in again.stdout


@pytest.mark.parametrize(
    "content",
    [
        # version 2.0 with a check hash that does not match ("Keyfile has invalid hash")
        '<?xml version="1.0"?><KeyFile><Meta><Version>2.0</Version></Meta><Key>'
        '<Data Hash="00000000">0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF</Data>'
        "</Key></KeyFile>",
        # version 1.0 whose data is not base64 ("Incorrect padding")
        '<?xml version="1.0"?><KeyFile><Meta><Version>1.00</Version></Meta>'
        "<Key><Data>abc</Data></Key></KeyFile>",
    ],
)
def test_damaged_key_file_is_one_line_exit_4(
    empty: Path, tmp_path: Path, keepassxc_cli: str, content: str
) -> None:
    db, key = tmp_path / "k.kdbx", tmp_path / "bad.keyx"
    run(keepassxc_cli, "db-create", "-p", "-t", "100", str(db), stdin="pw\npw\n")
    key.write_text(content, encoding="utf-8")
    result = cli("import", str(empty), str(db), "--keyfile", str(key), stdin=f"{PW}\npw\n", check_rc=4)
    assert "The key file bad.keyx is damaged" in one_line_error(result)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            bytes.fromhex("03d9a29a65fb4bb5") + bytes(120),
            "is a KeePass 1 database: not supported; open it in KeePassXC",
        ),
        (bytes.fromhex("03d9a29a67fb4bb5") + b"\x01\x00\x02\x00" + bytes(120), "is a KDBX 2 database"),
    ],
)
def test_keepass_1_and_kdbx_2_are_named(empty: Path, tmp_path: Path, header: bytes, expected: str) -> None:
    old = tmp_path / "old.kdbx"
    old.write_bytes(header)
    result = cli("import", str(empty), str(old), stdin=f"{PW}\npw\n", check_rc=4)
    assert expected in one_line_error(result)


def test_keepass_xml_import_names_what_it_kept_another_way(empty: Path) -> None:
    """A KeePass XML file (.xml) imports with its attachments; the summary says there are notes
    (references resolved, never a bare "skipped 0")."""
    result = cli("import", str(empty), str(RICH), stdin=f"{PW}\n")
    assert "added 7," in result.stdout
    assert "notes on fields not brought in or kept another way" in result.stdout
    assert "attachment 'hello.txt'" not in result.stdout
    listed = cli("attachments", str(empty), "Mail", "--json", stdin=f"{PW}\n").stdout
    assert '"hello.txt"' in listed
    shown = cli("show", str(empty), "Mail alias", "--field", "password", stdin=f"{PW}\n").stdout
    assert shown.strip() == "pw-3"  # {REF:P@T:Mail}, resolved
