"""`vaultapp-cli generate KIND`: each kind has its own options; the others are refused."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.test_contract import cli, one_line_error


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["password", "--words", "6"], "--words 6: not an option of generate password"),
        (["pin", "--length", "8"], "--length 8: not an option of generate pin"),
        (["passphrase", "--length", "30"], "--length 30: not an option of generate passphrase"),
        (["token", "--symbols", "!"], "--symbols=!: not an option of generate token"),
        (["password", "--length", "0"], "4 to 1024, not 0"),
        (["password", "--length", "-5"], "4 to 1024, not -5"),
        (["readable", "--length", "0"], "4 to 256, not 0"),
        (["readable", "--syllables", "4"], "--syllables: does not apply without --pronounceable"),
        (["readable", "--pronounceable", "--length", "12"], "--length: does not apply to --pronounceable"),
        (["readable", "--pronounceable", "--syllables", "1"], "2 to 64, not 1"),
        (["password", "--rules", "minlength: 12", "--no-upper"], "--no-upper: does not apply with --rules"),
        (["password", "--rules", "minlength: 12; maxlength: 16", "--length", "20"], "12 to 16"),
        (["password", "--no-symbols", "--symbols", "!"], "--symbols: does not apply with --no-symbols"),
        (["token", "--format", "uuid4", "--bytes", "16"], "--bytes: does not apply to --format uuid4"),
        (["token", "--format", "hex", "--algorithm", "HS512"], "--algorithm: does not apply to --format hex"),
        (["token", "--format", "fernet", "--prefix", "k_"], "Fernet key takes no prefix"),
        (["token", "--format", "hex", "--bytes", "0"], "8 to 1024 bytes"),
    ],
)
def test_an_option_of_another_kind_or_out_of_range_exits_2(args: list[str], needle: str) -> None:
    """An option that does not apply to the kind, or a value out of range: exit 2, one line."""
    result = cli("generate", *args, check_rc=2)
    assert needle in one_line_error(result)
    assert result.stdout == ""


def test_each_kind_has_its_own_help() -> None:
    """generate password --help lists password options only; generate pin --help only --digits."""
    password = cli("generate", "password", "--help").stdout
    for option in ("--length", "--symbols", "--exclude", "--rules", "--count"):
        assert option in password
    for option in ("--words", "--digits", "--prefix", "--format", "--syllables"):
        assert option not in password
    pin = cli("generate", "pin", "--help").stdout
    assert "--digits" in pin
    assert "--length" not in pin
    assert "--words" in cli("generate", "passphrase", "--help").stdout


@pytest.mark.parametrize(
    ("fmt", "shape"),
    [
        ("hex", r"sk_[0-9a-f]{64}"),
        ("urlsafe", r"sk_[A-Za-z0-9_-]{43}"),
        ("base32", r"sk_[A-Z2-7]{52}"),
        ("api-key", r"sk_[A-Za-z0-9]{43}"),
        ("uuid4", r"sk_[0-9a-f-]{36}"),
        ("jwt-secret", r"sk_[A-Za-z0-9_-]{43}"),
    ],
)
def test_prefix_applies_to_every_token_format(fmt: str, shape: str) -> None:
    """--prefix is put before every kind of token (a Fernet key refuses it, above)."""
    value = cli("generate", "token", "--format", fmt, "--prefix", "sk_").stdout.strip()
    assert re.fullmatch(shape, value), value


def test_defaults_still_apply_when_an_option_is_left_out() -> None:
    """Without --length: 20 (password), 16 (readable); --min-per-class defaults to one of each class."""
    items = json.loads(cli("generate", "password", "--count", "20", "--json").stdout)
    for item in items:
        value = item["value"]
        assert len(value) == 20
        assert any(c.islower() for c in value)
        assert any(c.isupper() for c in value)
        assert any(c.isdigit() for c in value)
        assert any(not c.isalnum() for c in value)
    readable = cli("generate", "readable", "--group", "0").stdout.strip()
    assert len(readable) == 16


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["password", "--length", "24", "--symbols", "-_!@"], r"[A-Za-z0-9_!@-]{24}"),
        (["password", "--no-upper", "--no-lower", "--no-digits", "--symbols", "-~"], r"[-~]{20}"),
        (["password", "--no-symbols", "--extra", "-+", "--length", "30"], r"[A-Za-z0-9+-]{30}"),
        (["password", "--no-symbols", "--exclude", "-abc", "--length", "30"], r"[A-Zd-z0-9]{30}"),
        (["passphrase", "--words", "3", "--separator", "-+-"], r"[a-z]+-\+-[a-z]+-\+-[a-z]+"),
        (["passphrase", "--words", "3", "--separator", "--"], r"[a-z]+--[a-z]+--[a-z]+"),
    ],
)
def test_values_starting_with_a_dash(args: list[str], allowed: str) -> None:
    """--symbols/--exclude/--extra/--separator take a value that starts with '-' as written."""
    value = cli("generate", *args).stdout.strip()
    assert re.fullmatch(allowed, value), value
