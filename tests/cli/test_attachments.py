"""Attachments from the command line, through real subprocesses: attach, list, save, detach;
limits and a damaged attachment each get one line and their exit code."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from vaultapp.core import format as fmt


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "GitHub", "--username", "alice", stdin=f"{PW}\nS3cret!\n")
    cli("add", str(path), "--title", "Bank", "--username", "bob", stdin=f"{PW}\nB4nk!\n")
    return path


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_attach_list_save_detach(vault: Path, tmp_path: Path) -> None:
    """attach adds files, attachments lists name and size (and --json the id), show --out saves
    a 0600 copy byte for byte, detach removes it (the history keeps it)."""
    codes = _file(tmp_path, "codes.txt", b"1111-2222\n3333-4444\n")
    photo = _file(tmp_path, "id.jpg", os.urandom(5000))
    out = cli("attach", str(vault), "GitHub", str(codes), str(photo), stdin=PW + "\n").stdout
    assert "Attached 'codes.txt' (20 bytes) to entry 'GitHub'." in out
    listed = json.loads(cli("attachments", str(vault), "GitHub", "--json", stdin=PW + "\n").stdout)
    assert [(a["name"], a["size"]) for a in listed] == [("codes.txt", 20), ("id.jpg", 5000)]
    assert all(len(a["id"]) == 64 for a in listed)
    assert "id.jpg" in cli("attachments", str(vault), "GitHub", stdin=PW + "\n").stdout
    saved = tmp_path / "saved.jpg"
    cli("show", str(vault), "GitHub", "--attachment", "id.jpg", "--out", str(saved), stdin=PW + "\n")
    assert saved.read_bytes() == photo.read_bytes()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    piped = cli("show", str(vault), "GitHub", "--attachment", "codes.txt", "--out", "-", stdin=PW + "\n")
    assert piped.stdout == codes.read_text()
    cli("detach", str(vault), "GitHub", "codes.txt", stdin=PW + "\n")
    listed = json.loads(cli("attachments", str(vault), "GitHub", "--json", stdin=PW + "\n").stdout)
    assert [a["name"] for a in listed] == ["id.jpg"]


def test_show_attachment_without_out_refuses(vault: Path, tmp_path: Path) -> None:
    """Binary content reaches standard output only with --out -: without --out, one line, exit 2."""
    cli("attach", str(vault), "GitHub", str(_file(tmp_path, "a.bin", b"\0\1\2")), stdin=PW + "\n")
    result = cli("show", str(vault), "GitHub", "--attachment", "a.bin", stdin=PW + "\n", check_rc=2)
    assert "--out FILE" in one_line_error(result)
    assert result.stdout == ""


def test_missing_attachment_and_existing_out_file(vault: Path, tmp_path: Path) -> None:
    result = cli("detach", str(vault), "GitHub", "nope.txt", stdin=PW + "\n", check_rc=5)
    assert "no attachment 'nope.txt'" in one_line_error(result)
    cli("attach", str(vault), "GitHub", str(_file(tmp_path, "a.txt", b"a")), stdin=PW + "\n")
    taken = _file(tmp_path, "taken.txt", b"mine")
    result = cli("show", str(vault), "GitHub", "--attachment", "a.txt", "--out", str(taken),
                 stdin=PW + "\n", check_rc=2)  # fmt: skip
    assert "exists already" in one_line_error(result)
    assert taken.read_bytes() == b"mine"


def test_same_name_needs_replace(vault: Path, tmp_path: Path) -> None:
    first = _file(tmp_path, "a.txt", b"first")
    cli("attach", str(vault), "GitHub", str(first), stdin=PW + "\n")
    first.write_bytes(b"second")
    result = cli("attach", str(vault), "GitHub", str(first), stdin=PW + "\n", check_rc=2)
    assert "--replace" in one_line_error(result)
    cli("attach", str(vault), "GitHub", str(first), "--replace", stdin=PW + "\n")
    out = cli("show", str(vault), "GitHub", "--attachment", "a.txt", "--out", "-", stdin=PW + "\n").stdout
    assert out == "second"


def test_attachment_over_64_mib_is_refused(vault: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.iso"
    with big.open("wb") as handle:
        handle.truncate((64 << 20) + 1)
    before = vault.read_bytes()
    result = cli("attach", str(vault), "GitHub", str(big), stdin=PW + "\n", check_rc=2)
    assert "at most 64 MiB" in one_line_error(result)
    assert vault.read_bytes() == before


def test_damaged_attachment_exit_4_while_open_and_list_work(vault: Path, tmp_path: Path) -> None:
    """A blob whose ciphertext was altered: the vault still opens and lists (attachments are not
    decrypted then); reading that attachment says it is damaged, exit 4."""
    cli("attach", str(vault), "GitHub", str(_file(tmp_path, "a.bin", os.urandom(4096))), stdin=PW + "\n")
    data = bytearray(vault.read_bytes())
    data[-100] ^= 0x01  # inside the only blob: the end of the file
    vault.write_bytes(bytes(data))
    assert "GitHub" in cli("ls", str(vault), stdin=PW + "\n").stdout
    assert "a.bin" in cli("attachments", str(vault), "GitHub", stdin=PW + "\n").stdout
    result = cli("show", str(vault), "GitHub", "--attachment", "a.bin", "--out", "-", stdin=PW + "\n",
                 check_rc=4)  # fmt: skip
    assert "damaged" in one_line_error(result)


def test_check_names_the_largest_attachments(vault: Path, tmp_path: Path) -> None:
    cli("attach", str(vault), "Bank", str(_file(tmp_path, "statement.pdf", os.urandom(300_000))),
        stdin=PW + "\n")  # fmt: skip
    report = json.loads(cli("check", str(vault), "--json", stdin=PW + "\n").stdout)
    assert report["largest_attachments"][0]["name"] == "statement.pdf"
    assert report["attachments_size"] == 300_000
    assert "statement.pdf" in cli("check", str(vault), stdin=PW + "\n").stdout


def test_header_of_new_vault_is_1_2(vault: Path) -> None:
    assert fmt.parse_file(vault.read_bytes()).header.version == "1.2"
