"""The command line with key files and YubiKeys: init, every command's --keyfile, passwd, merge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error

ROOT = Path(__file__).resolve().parents[2]


def _keyfile_vault(tmp_path: Path) -> tuple[Path, Path]:
    vault, keyfile = tmp_path / "v.vault", tmp_path / "stick" / "v.keyx"
    keyfile.parent.mkdir()
    result = cli("init", str(vault), "--unlock-ms", "50", "--create-keyfile", str(keyfile), stdin=PW + "\n")
    assert "Created the key file" in result.stdout
    assert "without it the vault cannot be opened" in result.stdout
    assert "Unlocks with: passphrase and key file." in result.stdout
    return vault, keyfile


def test_init_with_a_new_key_file_and_every_command_takes_keyfile(tmp_path: Path) -> None:
    """init --create-keyfile writes a 0600 KeePassXC-format key file; add, ls, show, search,
    export and check take --keyfile; without it: one line, exit 2, no passphrase read."""
    vault, keyfile = _keyfile_vault(tmp_path)
    assert oct(keyfile.stat().st_mode & 0o777) == "0o600"
    assert b"<Version>2.0</Version>" in keyfile.read_bytes()
    k = ("--keyfile", str(keyfile))
    cli("add", str(vault), *k, "--title", "Mail", "--username", "me", stdin=f"{PW}\nmail-pw\n")
    assert "Mail" in cli("ls", str(vault), *k, stdin=PW + "\n").stdout
    assert "mail-pw" in cli("show", str(vault), "Mail", "--field", "password", *k, stdin=PW + "\n").stdout
    assert "Mail" in cli("search", str(vault), "mai", "--vault-keyfile", str(keyfile), stdin=PW + "\n").stdout
    cli("export", str(vault), str(tmp_path / "b.vault"), *k, stdin=f"{PW}\nexport words here ok\n")
    cli("check", str(vault), *k, stdin=PW + "\n")
    missing = cli("ls", str(vault), check_rc=2)  # no stdin at all: the passphrase is not asked
    assert "needs its key file as well" in one_line_error(missing)
    assert "--keyfile FILE" in missing.stderr
    info = cli("info", str(vault)).stdout
    assert "vaultapp 2.0" in info
    assert "passphrase and key file" in info
    described = json.loads(cli("info", str(vault), "--json").stdout)
    assert described["format_version"] == "2.0"
    assert described["unlocks_with"] == {"passphrase": True, "keyfile": True, "yubikey_slot": None}


def test_wrong_key_file_or_passphrase_is_one_error_exit_3(tmp_path: Path) -> None:
    """A wrong key file and a wrong passphrase give the same line (exit 3); an unreadable key file
    and a key file given to a passphrase-only vault are told (exit 2)."""
    vault, keyfile = _keyfile_vault(tmp_path)
    other = tmp_path / "photo.jpg"
    other.write_bytes(b"\xff\xd8 not the key")
    wrong_file = one_line_error(cli("ls", str(vault), "--keyfile", str(other), stdin=PW + "\n", check_rc=3))
    wrong_pass = one_line_error(cli("ls", str(vault), "--keyfile", str(keyfile), stdin="nope\n", check_rc=3))
    assert wrong_file == wrong_pass
    assert "Wrong passphrase or key file" in wrong_file
    gone = cli("ls", str(vault), "--keyfile", str(tmp_path / "gone.keyx"), stdin=PW + "\n", check_rc=2)
    assert "no key file at" in one_line_error(gone)
    plain = tmp_path / "plain.vault"
    cli("init", str(plain), "--unlock-ms", "50", stdin=PW + "\n")
    assert "does not use a key file" in one_line_error(
        cli("ls", str(plain), "--keyfile", str(keyfile), stdin=PW + "\n", check_rc=2)
    )


def test_init_with_an_existing_file_and_key_file_only(tmp_path: Path) -> None:
    """init --keyfile uses any existing file (missing: exit 2, nothing made); --no-passphrase
    makes a vault the key file alone opens (no passphrase line is read)."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(5000))
    vault = tmp_path / "k.vault"
    absent = cli("init", str(vault), "--keyfile", str(tmp_path / "nope"), "--unlock-ms", "50", check_rc=2)
    assert "no key file at" in one_line_error(absent)
    assert not vault.exists()
    no_factor = cli("init", str(vault), "--no-passphrase", "--unlock-ms", "50", check_rc=2)
    assert "--no-passphrase needs a key file" in one_line_error(no_factor)
    cli("init", str(vault), "--keyfile", str(photo), "--no-passphrase", "--unlock-ms", "50")
    cli("add", str(vault), "--keyfile", str(photo), "--title", "T", stdin="its-password\n")
    shown = cli("show", str(vault), "T", "--field", "password", "--keyfile", str(photo)).stdout
    assert "its-password" in shown


def test_passwd_adds_changes_and_removes_the_key_file(tmp_path: Path) -> None:
    """passwd --create-keyfile adds one (the backups follow); --new-keyfile replaces it; a plain
    passwd keeps it; --no-keyfile removes it (back to format 1.2)."""
    vault = tmp_path / "p.vault"
    cli("init", str(vault), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(vault), "--title", "A", "--generate", stdin=PW + "\n")
    first = tmp_path / "first.keyx"
    cli("passwd", str(vault), "--create-keyfile", str(first), stdin=f"{PW}\n{PW}\n")
    assert "vaultapp 2.0" in cli("info", str(vault)).stdout
    backup = vault.with_name("p.vault.bak")
    assert "A" in cli("ls", str(backup), "--keyfile", str(first), stdin=PW + "\n").stdout
    second = tmp_path / "second.keyx"
    second.write_text("any text at all can be a key file\n")
    cli("passwd", str(vault), "--keyfile", str(first), "--new-keyfile", str(second), stdin=f"{PW}\n{PW}\n")
    cli("ls", str(vault), "--keyfile", str(first), stdin=PW + "\n", check_rc=3)
    new = "another passphrase of fine length"
    kept = cli("passwd", str(vault), "--keyfile", str(second), stdin=f"{PW}\n{new}\n")
    assert "passphrase and key file" in kept.stdout
    cli("ls", str(vault), "--keyfile", str(second), stdin=new + "\n")
    only = cli("passwd", str(vault), "--keyfile", str(second), "--no-passphrase", stdin=new + "\n")
    assert "(key file)" in only.stdout
    assert "A" in cli("ls", str(vault), "--keyfile", str(second)).stdout  # no passphrase line
    cli("passwd", str(vault), "--keyfile", str(second), stdin=f"{new}\n")  # a passphrase again
    cli("passwd", str(vault), "--keyfile", str(second), "--no-keyfile", stdin=f"{new}\n{new}\n")
    assert "vaultapp 1.2" in cli("info", str(vault)).stdout
    assert "A" in cli("ls", str(vault), stdin=new + "\n").stdout
    assert "A" in cli("ls", str(backup), stdin=new + "\n").stdout


def test_merge_takes_the_other_copy_s_key_file(tmp_path: Path) -> None:
    """merge opens the other copy with --other-keyfile (default: the vault's key file, when the
    copy needs one; a copy without one is opened without)."""
    vault, keyfile = _keyfile_vault(tmp_path)
    cli("add", str(vault), "--keyfile", str(keyfile), "--title", "Base", "--generate", stdin=PW + "\n")
    copy = tmp_path / "copy.vault"
    copy.write_bytes(vault.read_bytes())
    cli("add", str(copy), "--keyfile", str(keyfile), "--title", "There", "--generate", stdin=PW + "\n")
    merged = cli("merge", str(vault), str(copy), "--keyfile", str(keyfile), stdin=f"{PW}\n\n")
    assert "Merged" in merged.stdout
    plain = tmp_path / "plain.vault"
    cli("init", str(plain), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(plain), "--title", "Plain", "--generate", stdin=PW + "\n")
    cli("merge", str(vault), str(plain), "--keyfile", str(keyfile), stdin=f"{PW}\n\n")  # it needs none
    other_key = tmp_path / "o.keyx"
    cli("passwd", str(plain), "--create-keyfile", str(other_key), stdin=f"{PW}\n{PW}\n")
    cli("add", str(plain), "--keyfile", str(other_key), "--title", "Later", "--generate", stdin=PW + "\n")
    wrong = cli("merge", str(vault), str(plain), "--keyfile", str(keyfile), stdin=f"{PW}\n\n", check_rc=3)
    assert "Wrong passphrase or key file for plain.vault" in one_line_error(wrong)
    cli("merge", str(vault), str(plain), "--keyfile", str(keyfile), "--other-keyfile", str(other_key),
        stdin=f"{PW}\n\n")  # fmt: skip
    listed = cli("ls", str(vault), "--keyfile", str(keyfile), stdin=PW + "\n").stdout
    assert all(title in listed for title in ("Base", "There", "Plain", "Later"))


def _yk(*args: str, stdin: str = "", check_rc: int = 0, secret: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    if secret:
        env["VAULTAPP_TEST_YUBIKEY_SLOT2"] = secret
    result = subprocess.run(
        [sys.executable, "-m", "tests.cli.yubikey_cli", *args], input=stdin, capture_output=True,
        text=True, timeout=120, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == check_rc, (result.returncode, result.stdout, result.stderr)
    return result


def test_yubikey_vault_through_the_cli_with_the_stand_in(tmp_path: Path) -> None:
    """init --yubikey 2 (the software key behind the driver boundary), ls needs the same secret,
    passwd --no-yubikey removes it; the recovery note is shown at creation."""
    vault = tmp_path / "y.vault"
    made = _yk("init", str(vault), "--yubikey", "2", "--unlock-ms", "50", stdin=PW + "\n")
    assert "program a spare key with the same secret" in made.stdout
    assert "passphrase and YubiKey (slot 2)" in made.stdout
    _yk("add", str(vault), "--title", "Y", "--generate", stdin=PW + "\n")
    wrong = _yk("ls", str(vault), stdin=PW + "\n", check_rc=3, secret="00" * 20)
    assert "Wrong passphrase or YubiKey" in wrong.stderr
    _yk("passwd", str(vault), "--no-yubikey", stdin=f"{PW}\n{PW}\n")
    assert "Y" in cli("ls", str(vault), stdin=PW + "\n").stdout


def test_yubikey_without_a_key_plugged_in_is_one_line(tmp_path: Path) -> None:
    """With the real driver and no YubiKey here (or no yubikey-manager), init --yubikey says so in
    one line (exit 1) and creates nothing."""
    vault = tmp_path / "y.vault"
    result = cli("init", str(vault), "--yubikey", "2", "--unlock-ms", "50", stdin=PW + "\n", check_rc=1)
    line = one_line_error(result)
    assert "YubiKey" in line
    assert not vault.exists()


@pytest.mark.parametrize(
    "command",
    ["add", "ls", "search", "show", "edit", "rm", "trash", "restore", "attach", "attachments", "detach",
     "passwd", "export", "backups", "check", "log", "merge", "ssh-add", "ssh-keygen", "run", "inject"],
)  # fmt: skip
def test_every_command_that_opens_a_vault_has_keyfile(command: str) -> None:
    """--keyfile is in the help of every command that unlocks a vault (import: --vault-keyfile)."""
    assert "--keyfile FILE" in cli(command, "--help").stdout
    assert "--vault-keyfile" in cli("import", "--help").stdout


def test_import_of_a_backup_that_needs_its_key_file(tmp_path: Path) -> None:
    """import --format backup takes the backup's key file with --keyfile (the vault's own is
    --vault-keyfile); a key-file-only backup reads no passphrase line."""
    source, keyfile = _keyfile_vault(tmp_path)
    cli(
        "add", str(source), "--keyfile", str(keyfile), "--title", "From backup", "--generate", stdin=PW + "\n"
    )
    target = tmp_path / "target.vault"
    cli("init", str(target), "--unlock-ms", "50", stdin=PW + "\n")
    refused = cli("import", str(target), str(source), stdin=f"{PW}\n{PW}\n", check_rc=2)
    assert "needs its key file" in one_line_error(refused)
    cli("import", str(target), str(source), "--keyfile", str(keyfile), stdin=f"{PW}\n{PW}\n")
    assert "From backup" in cli("ls", str(target), stdin=PW + "\n").stdout
    only = tmp_path / "only.vault"
    cli("init", str(only), "--keyfile", str(keyfile), "--no-passphrase", "--unlock-ms", "50")
    cli("add", str(only), "--keyfile", str(keyfile), "--title", "Key only", "--generate")
    cli("import", str(target), str(only), "--keyfile", str(keyfile), stdin=f"{PW}\n\n")
    assert "Key only" in cli("ls", str(target), stdin=PW + "\n").stdout
