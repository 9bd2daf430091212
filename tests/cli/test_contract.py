"""The vaultapp-cli contract, end to end through real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PW = "correct horse battery staple"


def cli(*args: str, stdin: str = "", check_rc: int | None = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "vaultapp.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    if check_rc is not None:
        assert result.returncode == check_rc, (result.returncode, result.stdout, result.stderr)
    return result


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """stderr is exactly one line starting with the program name, and never a traceback."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vaultapp-cli: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "v.vault"
    result = cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    assert "Created" in result.stdout
    cli("add", str(path), "--title", "GitHub", "--username", "alice", "--url", "https://github.com",
        "--tag", "dev", "--tag", "work", "--folder", "Work/Code", "--notes", "2FA on",
        "--totp", "JBSWY3DPEHPK3PXP", stdin=f"{PW}\nS3cret-gh!\n")  # fmt: skip
    cli("add", str(path), "--title", "Bank", "--username", "bob", "--generate", stdin=PW + "\n")
    return path


def test_version_and_help_need_no_vault() -> None:
    """--version prints the version; --help lists the commands and the exit codes."""
    assert cli("--version").stdout.startswith("vaultapp-cli 0.")
    help_text = cli("--help").stdout
    for command in ("init", "info", "add", "ls", "search", "show", "edit", "rm", "passwd"):
        assert command in help_text
    assert "3 wrong passphrase" in help_text


def test_info_shows_header_without_passphrase(vault: Path) -> None:
    """info reads the header only: format version and every KDF parameter, no secret."""
    info = json.loads(cli("info", str(vault), "--json").stdout)
    assert info["format_version"] == "1.2"
    kdf = info["kdf"]
    assert kdf["name"] == "argon2id"
    assert kdf["memory_kib"] >= 19 * 1024
    assert kdf["time_cost"] >= 2
    assert kdf["parallelism"] >= 1
    assert kdf["salt_bytes"] == 32
    assert "Argon2id" in cli("info", str(vault)).stdout


def test_add_prints_uuid_and_ls_json_lists_entries(vault: Path, tmp_path: Path) -> None:
    """ls --json gives uuid, title, username, url, tags, folder, modified (ISO 8601)."""
    entries = json.loads(cli("ls", str(vault), "--json", stdin=PW + "\n").stdout)
    github = next(e for e in entries if e["title"] == "GitHub")
    assert github["username"] == "alice"
    assert github["tags"] == ["dev", "work"]
    assert github["folder"] == "Work/Code"
    assert github["modified"].endswith("+00:00")
    assert len(github["uuid"]) == 36
    assert "password" not in github


def test_show_masks_secrets_unless_field_is_named(vault: Path) -> None:
    """show masks the password; --field password prints only the value; --json adds notes and custom."""
    shown = cli("show", str(vault), "GitHub", stdin=PW + "\n").stdout
    assert "S3cret-gh!" not in shown
    assert "********" in shown
    assert "alice" in shown
    assert cli("show", str(vault), "GitHub", "--field", "password", stdin=PW + "\n").stdout == "S3cret-gh!\n"
    assert (
        cli("show", str(vault), "GitHub", "--field", "totp", stdin=PW + "\n").stdout == "JBSWY3DPEHPK3PXP\n"
    )
    detail = json.loads(cli("show", str(vault), "GitHub", "--json", stdin=PW + "\n").stdout)
    assert detail["password"] == "********"
    assert detail["notes"] == "2FA on"
    assert detail["custom"] == []
    revealed = json.loads(
        cli("show", str(vault), "GitHub", "--json", "--field", "password", stdin=PW + "\n").stdout
    )
    assert revealed["password"] == "S3cret-gh!"
    assert revealed["totp"] == "********"


def test_generated_password_is_strong(vault: Path) -> None:
    """add --generate stores a 20-character password with every character class."""
    password = cli("show", str(vault), "Bank", "--field", "password", stdin=PW + "\n").stdout.strip()
    assert len(password) == 20
    assert any(c.islower() for c in password)
    assert any(c.isupper() for c in password)
    assert any(c.isdigit() for c in password)
    assert any(not c.isalnum() for c in password)


def test_search_matches_case_insensitively(vault: Path) -> None:
    """search finds by username/url/tags; no match prints nothing on stdout and exits 0."""
    hits = json.loads(cli("search", str(vault), "ALICE", "--json", stdin=PW + "\n").stdout)
    assert [h["title"] for h in hits] == ["GitHub"]
    empty = cli("search", str(vault), "zzz-none", stdin=PW + "\n")
    assert empty.stdout == ""
    assert "No entry matches" in empty.stderr


def test_edit_and_rm_change_the_vault(tmp_path: Path) -> None:
    """edit changes fields and the password from stdin; rm moves to the Trash; edit keeps history."""
    path = tmp_path / "e.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    uuid = cli("add", str(path), "--title", "Old", stdin=f"{PW}\nfirst\n").stdout.strip()
    out = cli("edit", str(path), uuid, "--title", "New", "--url", "https://x.example", "--password-stdin",
              stdin=f"{PW}\nsecond\n").stdout  # fmt: skip
    assert "Updated entry 'New'" in out
    assert cli("show", str(path), "New", "--field", "password", stdin=PW + "\n").stdout == "second\n"
    detail = json.loads(cli("show", str(path), uuid, "--json", stdin=PW + "\n").stdout)
    assert (detail["title"], detail["url"], detail["history"]) == ("New", "https://x.example", 1)
    assert "to the Trash" in cli("rm", str(path), "New", stdin=PW + "\n").stdout
    cli("show", str(path), uuid, stdin=PW + "\n", check_rc=5)


def test_passwd_changes_the_passphrase(tmp_path: Path) -> None:
    """passwd reads the old passphrase, then the new one; afterwards only the new one works."""
    path = tmp_path / "p.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin="old passphrase\n")
    cli("add", str(path), "--title", "A", stdin="old passphrase\nsecret\n")
    cli("passwd", str(path), stdin="old passphrase\nnew passphrase\n")
    one_line_error(cli("ls", str(path), stdin="old passphrase\n", check_rc=3))
    assert cli("show", str(path), "A", "--field", "password", stdin="new passphrase\n").stdout == "secret\n"


def test_scrypt_vault(tmp_path: Path) -> None:
    """init --kdf scrypt makes a scrypt vault that opens normally."""
    path = tmp_path / "s.vault"
    cli("init", str(path), "--kdf", "scrypt", "--unlock-ms", "50", stdin=PW + "\n")
    info = json.loads(cli("info", str(path), "--json").stdout)
    assert info["kdf"]["name"] == "scrypt"
    assert info["kdf"]["log2_n"] >= 17
    cli("ls", str(path), stdin=PW + "\n")


@pytest.mark.parametrize(
    ("args", "stdin", "rc", "needle"),
    [
        (["ls", "{v}"], "wrong passphrase\n", 3, "Wrong passphrase"),
        (["show", "{v}", "Nope"], PW + "\n", 5, "No entry titled 'Nope'"),
        (["show", "{v}", "GitHub", "--field", "colour"], PW + "\n", 2, "has no field 'colour'"),
        (["add", "{v}"], "", 2, "--title"),
        (["add", "{v}", "--title", "X", "--totp", "not-base32!"], PW + "\nx\n", 2, "base32"),
        (["add", "{v}", "--title", "X"], PW + "\n", 2, "input ended"),
        (["init", "{v}"], PW + "\n", 2, "exists already"),
        (["init", "{d}/new.vault", "--unlock-ms", "20"], PW + "\n", 2, "between 50 and 10000"),
        (["init", "{d}/new2.vault", "--kdf", "bcrypt"], PW + "\n", 2, "invalid choice"),
        (["ls", "{d}/missing.vault"], "", 1, "No vault at"),
        (["ls", "{v}"], "", 2, "input ended"),
        (["frobnicate"], "", 2, "invalid choice"),
        (["edit", "{v}", "GitHub"], PW + "\n", 2, "Nothing to change"),
    ],
)
def test_bad_input_gives_one_line_and_documented_exit_code(
    vault: Path, args: list[str], stdin: str, rc: int, needle: str
) -> None:
    """Every bad input: the documented exit status, one clear line on stderr, no traceback."""
    before = vault.read_bytes()
    argv = [a.format(v=vault, d=vault.parent) for a in args]
    line = one_line_error(cli(*argv, stdin=stdin, check_rc=rc))
    assert needle in line
    assert vault.read_bytes() == before


def test_damaged_and_tampered_files_exit_4(vault: Path, tmp_path: Path) -> None:
    """A damaged payload, a tampered header and a non-vault file all exit 4."""
    data = bytearray(vault.read_bytes())
    for index in (len(data) - 10, 40, 0):
        mutated = bytearray(data)
        mutated[index] ^= 0x55
        path = tmp_path / f"bad{index}.vault"
        path.write_bytes(bytes(mutated))
        one_line_error(cli("ls", str(path), stdin=PW + "\n", check_rc=4))
    hostile = tmp_path / "hostile.vault"
    hostile.write_bytes(_hostile_copy(bytes(data)))
    line = one_line_error(cli("ls", str(hostile), stdin=PW + "\n", check_rc=4))
    assert "Argon2 memory" in line


def _hostile_copy(data: bytes) -> bytes:
    """The same vault with the header's memory raised to 64 GiB and the checksum fixed up."""
    import hashlib
    import struct

    length = struct.unpack(">I", data[12:16])[0]
    header = json.loads(data[16 : 16 + length])
    header["kdf"]["memory_kib"] = 64 * 1024 * 1024
    text = json.dumps(header).encode()
    raw = data[:12] + struct.pack(">I", len(text)) + text
    return raw + hashlib.sha256(raw).digest() + data[16 + length + 32 :]


def test_passphrase_never_in_output(vault: Path) -> None:
    """No command echoes the passphrase, even on error."""
    for args in (["ls", str(vault)], ["show", str(vault), "GitHub"], ["show", str(vault), "zz"]):
        result = cli(*args, stdin=PW + "\n", check_rc=None)
        assert PW not in result.stdout + result.stderr
