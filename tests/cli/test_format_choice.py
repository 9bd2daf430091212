"""export/import choose a format from the file name only when the name says it without doubt."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from vaultapp.interop.formats import guess_format


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fmt") / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "Mail", stdin=f"{PW}\nmail secret\n")
    return path


@pytest.mark.parametrize("name", ["x.json", "notes.txt", "backup", "v.backup", "v.vault.bak"])
def test_export_to_a_name_that_says_no_format_exits_2_naming_format(
    vault: Path, tmp_path: Path, name: str
) -> None:
    """export x.json (or .txt, or no extension) asks for --format before any passphrase; no file."""
    result = cli("export", str(vault), str(tmp_path / name), stdin="", check_rc=2)
    assert "--format" in one_line_error(result)
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize(
    ("name", "needle"),
    [("notes.txt", "--format"), ("export.json", "--format bitwarden-json"), ("dump", "--format")],
)
def test_import_of_a_name_that_says_no_format_exits_2(
    vault: Path, tmp_path: Path, name: str, needle: str
) -> None:
    """import notes.txt or x.json: exit 2 naming --format, before the passphrase, the vault unchanged."""
    source = tmp_path / name
    source.write_text("title,password\nA,b\n", encoding="utf-8")
    before = vault.read_bytes()
    result = cli("import", str(vault), str(source), stdin="", check_rc=2)
    assert needle in one_line_error(result)
    assert vault.read_bytes() == before


def test_an_explicit_format_works_with_any_name(vault: Path, tmp_path: Path) -> None:
    """--format backup writes an encrypted backup to any name; --format csv reads a .txt file."""
    out = tmp_path / "copy.bin"
    assert (
        "encrypted backup"
        in cli("export", str(vault), str(out), "--format", "backup", stdin=f"{PW}\n\n").stdout
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("title,password\nFrom text,pw1\n", encoding="utf-8")
    empty = tmp_path / "e.vault"
    cli("init", str(empty), "--unlock-ms", "50", stdin=PW + "\n")
    assert "added 1," in cli("import", str(empty), str(notes), "--format", "csv", stdin=PW + "\n").stdout
    assert "added 1," in cli("import", str(empty), str(out), "--format", "backup", stdin=f"{PW}\n\n").stdout


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.vault", "backup"),
        ("A.CSV", "csv"),
        ("db.kdbx", "kdbx"),
        ("prod.env", "env"),
        (".env", "env"),
        (".env.local", "env"),
        ("x.json", None),
        ("notes.txt", None),
        ("v.backup", None),
        ("noext", None),
    ],
)
def test_guess_format_names_only_unambiguous_extensions(name: str, fmt: str | None) -> None:
    """The rule the CLI and the window share: .vault, .csv, .kdbx, .env; anything else is asked for."""
    assert guess_format(name) == fmt


def test_export_by_extension_still_works(vault: Path, tmp_path: Path) -> None:
    """.vault makes a backup; .csv a CSV (with --yes-plaintext); import reads them back by name."""
    backup = tmp_path / "copy.vault"
    assert "encrypted backup" in cli("export", str(vault), str(backup), stdin=f"{PW}\n\n").stdout
    out = tmp_path / "plain.csv"
    cli("export", str(vault), str(out), "--yes-plaintext", stdin=PW + "\n")
    empty = tmp_path / "e.vault"
    cli("init", str(empty), "--unlock-ms", "50", stdin=PW + "\n")
    assert "added 1," in cli("import", str(empty), str(out), stdin=PW + "\n").stdout
    assert "unchanged 1" in cli("import", str(empty), str(backup), stdin=f"{PW}\n\n").stdout
