"""`vaultapp-cli export/import` in every format, through real subprocesses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "GitHub", "--username", "me", "--folder", "Work", "--tag", "dev",
        "--totp", "JBSWY3DPEHPK3PXP", stdin=f"{PW}\ngh-secret\n")  # fmt: skip
    cli("add", str(path), "--title", "Stripe key", "--tag", "dev", stdin=f"{PW}\nsk_test_1\n")
    cli("add", str(path), "--title", "Bank", stdin=f"{PW}\nbank pw\n")
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path


@pytest.mark.parametrize("fmt", ["csv", "env"])
def test_plaintext_needs_yes_plaintext_and_writes_0600(vault: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    refused = cli("export", str(vault), str(out), "--format", fmt, stdin=PW + "\n", check_rc=2)
    assert "PLAIN TEXT" in one_line_error(refused)
    assert "--yes-plaintext" in refused.stderr
    assert not out.exists()
    done = cli("export", str(vault), str(out), "--format", fmt, "--yes-plaintext", stdin=PW + "\n")
    assert "PLAIN TEXT" in done.stderr
    assert out.stat().st_mode & 0o777 == 0o600


def test_csv_round_trip_through_the_cli(vault: Path, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    cli("export", str(vault), str(out), "--format", "csv", "--yes-plaintext", stdin=PW + "\n")
    first = cli("import", str(empty), str(out), "--format", "csv", stdin=PW + "\n").stdout
    assert "added 3, updated 0, deleted 0, unchanged 0, skipped 0" in first
    again = cli("import", str(empty), str(out), "--format", "csv", stdin=PW + "\n").stdout
    assert "added 0, updated 0, deleted 0, unchanged 3, skipped 0" in again
    shown = cli("show", str(empty), "GitHub", "--json", stdin=PW + "\n").stdout
    assert '"folder": "Work"' in shown
    assert cli("show", str(empty), "GitHub", "--field", "password", stdin=PW + "\n").stdout == "gh-secret\n"


def test_import_reports_skipped_lines(empty: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("name,login,password\nA,a,1\nB\nC,c,3\n", encoding="utf-8")
    out = cli(
        "import", str(empty), str(src), "--format", "csv", "--csv-dialect", "generic", stdin=PW + "\n"
    ).stdout
    assert "added 2, updated 0, deleted 0, unchanged 0, skipped 1" in out
    assert "  skipped line 3: has 1 fields but the header has 3" in out


def test_bad_csv_exits_2_before_asking_and_changes_nothing(empty: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b"title,password\n\xffA,b\n")
    before = empty.read_bytes()
    error = one_line_error(cli("import", str(empty), str(src), "--format", "csv", stdin="", check_rc=2))
    assert "not UTF-8" in error
    assert empty.read_bytes() == before


def test_kdbx_export_then_import_with_its_own_passphrase(vault: Path, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    cli("export", str(vault), str(out), "--format", "kdbx", "--tag", "dev", stdin=f"{PW}\ndb pass\n")
    wrong = cli("import", str(empty), str(out), "--format", "kdbx", stdin=f"{PW}\nnope\n", check_rc=3)
    assert "out.kdbx is wrong" in one_line_error(wrong)
    done = cli("import", str(empty), str(out), "--format", "kdbx", stdin=f"{PW}\ndb pass\n").stdout
    assert "added 2," in done
    listing = cli("ls", str(empty), stdin=PW + "\n").stdout
    assert "GitHub" in listing
    assert "Stripe key" in listing
    assert "Bank" not in listing


def test_kdbx_export_unlock_ms(vault: Path, tmp_path: Path) -> None:
    """--unlock-ms sets the KeePass database's opening time (KeePassXC's 64 MiB Argon2d, 2 lanes)."""
    from pykeepass import PyKeePass

    out = tmp_path / "out.kdbx"
    answers = f"{PW}\ndb pass\ndb pass\n"
    low = cli("export", str(vault), str(out), "--unlock-ms", "10", stdin=answers, check_rc=2)
    assert "--unlock-ms must be between 50 and 10000" in one_line_error(low)
    csv = cli("export", str(vault), str(tmp_path / "o.csv"), "--yes-plaintext", "--unlock-ms", "100",
              stdin=f"{PW}\n", check_rc=2)  # fmt: skip
    assert one_line_error(csv).endswith("--unlock-ms applies to a KeePass (kdbx) export only.")
    assert not out.exists()
    assert not (tmp_path / "o.csv").exists()
    cli("export", str(vault), str(out), "--unlock-ms", "50", stdin=answers)
    params = PyKeePass(str(out), password="db pass").kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    assert (params["M"].value, params["P"].value) == (64 * 2**20, 2)
    assert params["I"].value >= 2


def test_kdbx_locked_with_a_key_file(empty: Path, tmp_path: Path) -> None:
    """--keyfile opens KeePass composite keys; with it, an empty passphrase line means key file only."""
    import os

    from pykeepass import create_database

    key = tmp_path / "db.key"
    key.write_bytes(os.urandom(64))  # any file can be a key file: KeePass hashes it
    both, key_only = tmp_path / "both.kdbx", tmp_path / "key-only.kdbx"
    for path, password, title in ((both, "db pass", "Mail"), (key_only, None, "Bank")):
        kp = create_database(str(path), password=password, keyfile=str(key))
        kp.add_entry(kp.root_group, title, "me", "pw")
        kp.save()
    without = cli("import", str(empty), str(both), stdin=f"{PW}\ndb pass\n", check_rc=3)
    assert "give its key file if it has one" in one_line_error(without)
    missing = cli("import", str(empty), str(both), "--keyfile", str(tmp_path / "nope.key"),
                  stdin=f"{PW}\ndb pass\n", check_rc=2)  # fmt: skip
    assert "There is no key file at" in one_line_error(missing)
    cli("import", str(empty), str(both), "--keyfile", str(key), stdin=f"{PW}\ndb pass\n")
    cli("import", str(empty), str(key_only), "--keyfile", str(key), stdin=f"{PW}\n\n")
    listing = cli("ls", str(empty), stdin=PW + "\n").stdout
    assert "Mail" in listing
    assert "Bank" in listing
    src = tmp_path / "in.csv"
    src.write_text("title,password\nX,y\n", encoding="utf-8")
    refused = cli("import", str(empty), str(src), "--keyfile", str(key), stdin=f"{PW}\n", check_rc=2)
    assert one_line_error(refused).endswith(
        "--keyfile applies to --format kdbx and backup only (IN's key file)."
    )


def test_kdbx_empty_file_passphrase_means_the_vaults(vault: Path, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    cli("export", str(vault), str(out), "--format", "kdbx", stdin=f"{PW}\n\n")
    assert "added 3," in cli("import", str(empty), str(out), "--format", "kdbx", stdin=f"{PW}\n\n").stdout


def test_env_export_of_a_tag_and_import_into_a_folder(vault: Path, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / ".env"
    cli("export", str(vault), str(out), "--format", "env", "--yes-plaintext", "--tag", "dev", stdin=PW + "\n")
    lines = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    assert lines == ["STRIPE_KEY=sk_test_1", "GITHUB=gh-secret"] or lines == [
        "GITHUB=gh-secret",
        "STRIPE_KEY=sk_test_1",
    ]
    cli("import", str(empty), str(out), "--format", "env", "--folder", "API", stdin=PW + "\n")
    shown = cli("show", str(empty), "STRIPE_KEY", "--json", stdin=PW + "\n").stdout
    assert '"folder": "API"' in shown


def test_bitwarden_json_import(empty: Path, tmp_path: Path) -> None:
    src = tmp_path / "bw.json"
    src.write_text(
        '{"encrypted": false, "folders": [], "items": [{"id": "9f1c1a8e-0000-4000-8000-000000000001",'
        ' "type": 1, "name": "Mail", "login": {"username": "u", "password": "p"}}]}',
        encoding="utf-8",
    )
    assert (
        "added 1,"
        in cli("import", str(empty), str(src), "--format", "bitwarden-json", stdin=PW + "\n").stdout
    )
    encrypted = tmp_path / "enc.json"
    encrypted.write_text('{"encrypted": true, "items": []}', encoding="utf-8")
    error = cli("import", str(empty), str(encrypted), "--format", "bitwarden-json", stdin="", check_rc=2)
    assert "encrypted Bitwarden export" in one_line_error(error)


def test_corrupted_backup_is_rejected_and_the_target_untouched(
    vault: Path, empty: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "v-backup.vault"
    cli("export", str(vault), str(backup), stdin=f"{PW}\n\n")
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    backup.write_bytes(bytes(data))
    before = empty.read_bytes()
    one_line_error(cli("import", str(empty), str(backup), stdin=f"{PW}\n{PW}\n", check_rc=4))
    assert empty.read_bytes() == before


def test_option_misuse_is_a_usage_error(vault: Path, tmp_path: Path) -> None:
    one_line_error(cli("export", str(vault), str(tmp_path / "b"), "--tag", "x", stdin=PW + "\n", check_rc=2))
    src = tmp_path / "x.csv"
    shutil.copy(vault, src)
    one_line_error(
        cli(
            "import",
            str(vault),
            str(src),
            "--format",
            "backup",
            "--csv-dialect",
            "generic",
            stdin=PW + "\n",
            check_rc=2,
        )
    )
    one_line_error(
        cli("import", str(vault), str(tmp_path / "missing.csv"), "--format", "csv", stdin="", check_rc=2)
    )


def test_backups_command_lists_configures_and_restores(vault: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bak"
    folder.mkdir()
    out = cli("backups", str(vault), "--keep", "2", "--folder", str(folder), stdin=PW + "\n").stdout
    assert f"Keeps 2 automatic backups, in {folder}" in out
    cli("add", str(vault), "--title", "Later", stdin=f"{PW}\nx\n")
    listing = cli("backups", str(vault), stdin=PW + "\n").stdout.splitlines()
    in_folder = [line for line in listing[1:] if str(folder) in line]
    assert len(in_folder) == 2  # rotated in the folder; the ones from before stay beside the vault
    assert in_folder[0].startswith("  0  ")
    restored = cli("backups", str(vault), "--restore", "0", stdin=PW + "\n").stdout
    assert "Restored v.vault.bak" in restored
    assert "Later" not in cli("ls", str(vault), stdin=PW + "\n").stdout
    one_line_error(cli("backups", str(vault), "--restore", "9", stdin=PW + "\n", check_rc=2))
    one_line_error(cli("backups", str(vault), "--keep", "1000", stdin=PW + "\n", check_rc=2))


def test_format_is_guessed_from_the_file_name(vault: Path, empty: Path, tmp_path: Path) -> None:
    """Without --format, .vault, .csv, .kdbx and .env names choose the format (see test_format_choice)."""
    out = tmp_path / "passwords.csv"
    refused = cli("export", str(vault), str(out), stdin=PW + "\n", check_rc=2)  # still plain text
    assert "--yes-plaintext" in one_line_error(refused)
    cli("export", str(vault), str(out), "--yes-plaintext", stdin=PW + "\n")
    assert out.read_text(encoding="utf-8").startswith("title,username,password")
    assert "added 3," in cli("import", str(empty), str(out), stdin=PW + "\n").stdout
    backup = tmp_path / "passwords.vault"
    assert "encrypted backup" in cli("export", str(vault), str(backup), stdin=f"{PW}\n\n").stdout
