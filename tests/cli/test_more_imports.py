"""`vaultapp-cli import` of other programs' exports, through real subprocesses into real vaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from tests.interop import exports


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path


def listing(vault: Path) -> dict[str, dict[str, object]]:
    return {e["title"]: e for e in json.loads(cli("ls", str(vault), "--json", stdin=PW + "\n").stdout)}


def shown(vault: Path, title: str) -> dict[str, object]:
    return json.loads(cli("show", str(vault), title, "--json", stdin=PW + "\n").stdout)  # type: ignore[no-any-return]


def field(vault: Path, title: str, name: str) -> str:
    return cli("show", str(vault), title, "--field", name, stdin=PW + "\n").stdout.removesuffix("\n")


# Each export, recognised from its content (no --format), with what must land where.
CASES = {
    "chrome-csv": ("github.com", {"username": "octo", "url": "https://github.com/login"}, 'gh,pass"word', {}),
    "firefox-csv": ("www.example.com", {"username": "joe@example.com"}, "qwerty2", {"Last used": False}),
    "safari-csv": ("Broken code", {"username": "u"}, "p", {"TOTP": True}),
    "lastpass-csv": ("My Visa", {"folder": "Finance", "tags": ["Credit Card"]}, None, {"Number": True}),
    "1password-csv": ("Forgejo", {"username": "clara", "tags": ["dev", "work"]}, "s3cr3t", {}),
    "dashlane-csv": ("GitHub", {"folder": "Dev"}, "gh-pw", {"username2": False}),
    "protonpass-json": ("Test Card", {"folder": "Personal"}, None, {"number": True, "cardholderName": False}),
    "protonpass-csv": ("Proton Mail", {"folder": "Personal"}, "pm-pass", {}),
    "nordpass-csv": ("My Visa", {"folder": "Finance"}, None, {"cardnumber": True, "cvc": True}),
    "keeper-json": ("Chase Visa", {"folder": "Work/Projects"}, None, {"paymentCard cardNumber": True}),
    "1pux": (
        "Fake Site",
        {"folder": "Personal", "username": "username123123"},
        "password!",
        {"recovery codes": True},
    ),
}


@pytest.mark.parametrize("key", list(CASES))
def test_import_detected_export_then_show(empty: Path, tmp_path: Path, key: str) -> None:
    source = exports.write(tmp_path, key)
    title, expected, password, customs = CASES[key]
    out = cli("import", str(empty), str(source), stdin=PW + "\n").stdout
    assert f"Imported {source}: added " in out
    entry = shown(empty, title)
    for name, value in expected.items():
        value = sorted(value) if isinstance(value, list) else value
        got = sorted(entry[name]) if isinstance(entry[name], list) else entry[name]  # type: ignore[arg-type]
        assert got == value, (name, entry)
    if password is not None:
        assert field(empty, title, "password") == password
    protected = {c["name"]: c["protected"] for c in entry["custom"]}  # type: ignore[attr-defined]
    for name, is_protected in customs.items():
        assert protected[name] is is_protected, (name, entry["custom"])
        if is_protected:
            assert next(c["value"] for c in entry["custom"] if c["name"] == name) != field(empty, title, name)  # type: ignore[attr-defined]
    again = cli("import", str(empty), str(source), stdin=PW + "\n").stdout
    if key in ("1pux", "keeper-json", "protonpass-json", "firefox-csv"):  # ids in the file: nothing new
        assert "added 0, updated 0, deleted 0" in again


@pytest.mark.parametrize(
    ("key", "title"),
    [("lastpass-csv", "GitHub"), ("1pux", "Fake Site"), ("keeper-json", "General Information Record")],
)
def test_totp_columns_become_working_totps(empty: Path, tmp_path: Path, key: str, title: str) -> None:
    cli("import", str(empty), str(exports.write(tmp_path, key)), stdin=PW + "\n")
    code = cli("totp", str(empty), title, "--time", "1700000000", stdin=PW + "\n").stdout.strip()
    secret = field(empty, title, "totp")
    uri = secret if secret.startswith("otpauth:") else f"otpauth://totp/x?secret={secret}"
    expected = cli("totp", "--uri", "-", "--time", "1700000000", stdin=uri + "\n").stdout.strip()
    assert code == expected
    assert code.isdigit()


def test_1pux_trash_and_archive(empty: Path, tmp_path: Path) -> None:
    out = cli("import", str(empty), str(exports.write(tmp_path, "1pux")), stdin=PW + "\n").stdout
    assert "second one-time code kept as field 'second code'" in out
    live = listing(empty)
    assert "Old password" not in live  # 1Password's trash → the Trash
    assert "archived" in live["Passport scan"]["tags"]  # type: ignore[operator]
    trash = cli("trash", str(empty), "--json", stdin=PW + "\n").stdout
    assert "Old password" in trash


def test_ambiguous_header_exits_2_naming_the_formats(empty: Path, tmp_path: Path) -> None:
    source = exports.write(tmp_path, "dashlane-notes")
    before = empty.read_bytes()
    error = one_line_error(cli("import", str(empty), str(source), stdin="", check_rc=2))
    assert "--format csv or --format dashlane-csv" in error
    assert empty.read_bytes() == before
    done = cli("import", str(empty), str(source), "--format", "dashlane-csv", stdin=PW + "\n").stdout
    assert "added 1," in done


@pytest.mark.parametrize(
    ("fmt", "name", "content", "needle"),
    [
        ("1pux", "x.1pux", b"PK\x03\x04broken", "not a readable zip"),
        ("keeper-json", "k.json", b'{"records": [', "not JSON"),
        ("protonpass-json", "p.json", b'{"vaults": {}, "encrypted": true}', "encrypted"),
        ("lastpass-csv", "l.csv", b"url,username,password\n1,2,3\n", "no extra, name, grouping columns"),
        ("nordpass-csv", "n.csv", b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_input_exits_4_with_one_line_and_changes_nothing(
    empty: Path, tmp_path: Path, fmt: str, name: str, content: bytes, needle: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = empty.read_bytes()
    error = one_line_error(
        cli("import", str(empty), str(source), "--format", fmt, stdin=PW + "\n", check_rc=4)
    )
    assert needle in error
    assert empty.read_bytes() == before


def test_help_lists_the_new_formats() -> None:
    text = cli("import", "--help").stdout
    for fmt in ("1pux", "lastpass-csv", "keeper-json", "protonpass-json"):
        assert fmt in text


def test_csv_dialect_reads_a_recognised_export_as_plain_csv(empty: Path, tmp_path: Path) -> None:
    source = exports.write(tmp_path, "firefox-csv")
    cli("import", str(empty), str(source), "--csv-dialect", "generic", stdin=PW + "\n")
    names = [c["name"] for c in shown(empty, "www.example.com")["custom"]]  # type: ignore[attr-defined]
    assert "timeCreated" in names  # the generic reader keeps the column as it is
    assert "Last used" not in names
