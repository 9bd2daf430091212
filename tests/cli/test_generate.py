"""`vaultapp-cli generate` and `vaultapp-cli totp`, through real subprocesses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error


def test_generate_password_count_and_json() -> None:
    """--count N prints N lines; --json gives value and entropy_bits for each."""
    lines = cli("generate", "password", "--count", "5", "--length", "24").stdout.splitlines()
    assert len(lines) == 5
    assert {len(line) for line in lines} == {24}
    items = json.loads(cli("generate", "password", "--count", "3", "--json").stdout)
    assert len(items) == 3
    assert all(set(i) == {"value", "entropy_bits"} for i in items)
    assert 125 < items[0]["entropy_bits"] < 131


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["passphrase", "--words", "4", "--separator", "-"], r"[a-z]+(-[a-z]+){3}"),
        (["passphrase", "--capitalize", "first", "--extra-char", "digit"], r".*[A-Z].*\d.*|.*\d.*[A-Z].*"),
        (["readable"], r"\w{4}(-\w{4}){3}"),
        (["readable", "--pronounceable", "--group", "0", "--syllables", "4"], r"([a-z][aeu]){4}\d"),
        (["pin", "--digits", "8"], r"\d{8}"),
        (["token", "--format", "hex", "--bytes", "16"], r"[0-9a-f]{32}"),
        (
            ["token", "--format", "api-key", "--prefix", "sk_live_", "--env", "STRIPE_KEY"],
            r"STRIPE_KEY=sk_live_\w+",
        ),
        (
            ["password", "--rules", "minlength: 12; maxlength: 12; required: digit; allowed: [ab]"],
            r"[ab0-9]{12}",
        ),
        (["password", "--no-symbols", "--no-upper", "--length", "10"], r"[a-z0-9]{10}"),
    ],
)
def test_generate_kinds(args: list[str], check: str) -> None:
    """Every kind prints a value of the promised shape."""
    value = cli("generate", *args).stdout.strip()
    assert re.fullmatch(check, value), value


def test_custom_wordlist_warns_when_small(tmp_path: Path) -> None:
    """A small custom list works, with one warning line on stderr."""
    path = tmp_path / "words.txt"
    path.write_text("alpha\nbravo\ncharlie\ndelta\n")
    result = cli("generate", "passphrase", "--wordlist", str(path), "--words", "3")
    assert set(result.stdout.split()) <= {"alpha", "bravo", "charlie", "delta"}
    assert result.stderr.startswith("vaultapp-cli: warning:")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["generate", "password", "--length", "3"], "4 to 1024"),
        (["generate", "password", "--length", "4", "--min-per-class", "2"], "too short"),
        (["generate", "password", "--count", "0"], "--count"),
        (["generate", "pin", "--digits", "100"], "digits"),
        (["generate", "passphrase", "--separator", ""], "empty separator"),
        (["generate", "token", "--format", "jwt-secret", "--algorithm", "RS256"], "HS256"),
        (["generate", "password", "--rules", "required: nothing"], "Unknown character class"),
        (["generate", "sandwich"], "invalid choice"),
        (["totp", "--secret", "not base32!"], "base32"),
        (["totp", "--uri", "otpauth://totp/x?issuer=y"], "secret"),
        (["totp"], "exactly one"),
        (["totp", "--secret", "JBSWY3DPEHPK3PXP", "--digits", "9"], "6 to 8"),
    ],
)
def test_bad_generator_options_exit_2_with_one_line(args: list[str], needle: str) -> None:
    """Bad options: exit status 2 and one clear line."""
    assert needle in one_line_error(cli(*args, check_rc=2))


def test_totp_from_secret_at_a_given_time_matches_rfc6238() -> None:
    """--secret with --time reproduces RFC 6238 appendix B (SHA1, 8 digits, T=59)."""
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert cli("totp", "--secret", secret, "--digits", "8", "--time", "59").stdout == "94287082\n"
    info = json.loads(cli("totp", "--secret", secret, "--digits", "8", "--time", "59", "--json").stdout)
    assert info == {
        "code": "94287082", "kind": "totp", "digits": 8, "remaining_seconds": 1, "period": 30,
        "algorithm": "SHA1",
    }  # fmt: skip


def test_totp_from_uri_and_from_a_vault_entry(tmp_path: Path) -> None:
    """--uri and VAULT QUERY give the same code at the same time."""
    uri = "otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP&issuer=ACME"
    from_uri = cli("totp", "--uri", uri, "--time", "1700000000").stdout
    path = tmp_path / "t.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "ACME", "--totp", uri, stdin=f"{PW}\nx\n")
    from_vault = cli("totp", str(path), "ACME", "--time", "1700000000", stdin=PW + "\n").stdout
    assert from_uri == from_vault
    assert re.fullmatch(r"\d{6}\n", from_vault)
    cli("add", str(path), "--title", "NoCode", stdin=f"{PW}\nx\n")
    assert "no one-time code" in one_line_error(cli("totp", str(path), "NoCode", stdin=PW + "\n", check_rc=2))
