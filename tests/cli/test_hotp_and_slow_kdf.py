"""`totp` on an HOTP entry uses up the counter; `--counter N` does not. A vault whose KDF would
take minutes is refused before deriving unless --allow-slow-kdf is given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from tests.core.test_kdf_cost import HUGE_ARGON2, hostile_file
from vaultapp.generators.otp import hotp, parse

URI = "otpauth://hotp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Example"


@pytest.fixture
def hotp_vault(tmp_path: Path) -> Path:
    path = tmp_path / "h.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "H", "--totp", URI, stdin=f"{PW}\npw\n")
    cli("add", str(path), "--title", "T", "--totp", "JBSWY3DPEHPK3PXP", stdin=f"{PW}\npw\n")
    return path


def test_totp_on_hotp_entry_advances_the_counter_each_time(hotp_vault: Path) -> None:
    """Three runs print the codes for counters 5, 6 and 7; --counter N prints N's code and uses
    nothing up; the log has one entry.changed per code used."""
    codes = [cli("totp", str(hotp_vault), "H", stdin=PW + "\n").stdout.strip() for _ in range(3)]
    assert codes == [hotp(parse(URI), n) for n in (5, 6, 7)]
    assert cli("totp", str(hotp_vault), "H", "--counter", "5", stdin=PW + "\n").stdout.strip() == codes[0]
    info = json.loads(cli("totp", str(hotp_vault), "H", "--json", stdin=PW + "\n").stdout)
    assert info["counter"] == 8
    assert info["code"] == hotp(parse(URI), 8)
    log = json.loads(cli("log", str(hotp_vault), "--json", stdin=PW + "\n").stdout)
    changed = [r for r in log["records"] if r["event"] == "entry.changed"]
    assert [r["detail"] for r in changed] == [{"fields": ["totp"]}] * 4


def test_totp_counter_on_a_time_based_entry_is_a_usage_error(hotp_vault: Path) -> None:
    """--counter with a TOTP entry: exit 2, one line."""
    result = cli("totp", str(hotp_vault), "T", "--counter", "3", stdin=PW + "\n", check_rc=2)
    assert "--counter applies to HOTP" in one_line_error(result)


def test_a_vault_with_4_gib_kdf_is_refused_in_one_line_naming_allow_slow_kdf(tmp_path: Path) -> None:
    """Argon2 4 GiB x 16 passes (minutes on any machine) exits 2 with one line naming
    --allow-slow-kdf, before deriving: a derivation would have ended in "wrong passphrase"
    (exit 3) and a logged failed unlock, and there is neither."""
    path = hostile_file(tmp_path / "gift.vault", HUGE_ARGON2)
    mine = str(hostile_vault(tmp_path))
    for args in (
        ["ls", str(path)],
        ["totp", str(path), "X"],
        ["merge", mine, str(path)],
        ["import", mine, str(path), "--format", "backup"],
    ):
        result = cli(*args, stdin=f"{PW}\n{PW}\n", check_rc=2)
        line = one_line_error(result)
        assert "gift.vault asks for Argon2id, 4096 MiB, 16 passes" in line
        assert line.endswith("run the command again with --allow-slow-kdf.")
    assert not (tmp_path / "gift.vault.log").exists()


def hostile_vault(tmp_path: Path) -> Path:
    """An ordinary vault to merge the hostile file into."""
    path = tmp_path / "mine.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path
