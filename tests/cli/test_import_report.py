"""`vaultapp-cli import`: password-protected Bitwarden exports, and what an import could not
bring in, printed per entry and field (bounded, all of it with --report), through real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from tests.interop.bitwarden_fixtures import export, protect


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path


@pytest.mark.parametrize("kdf", [0, 1])
def test_protected_export_imports_with_its_password(empty: Path, tmp_path: Path, kdf: int) -> None:
    src = tmp_path / "bw.json"
    src.write_text(json.dumps(protect(export(), "export pw", kdf=kdf, iterations=5000 if kdf == 0 else 2)))
    out = cli("import", str(empty), str(src), "--format", "bitwarden-json", stdin=f"{PW}\nexport pw\n").stdout
    assert out.startswith(f"Imported {src}: added 7, updated 0, deleted 0, unchanged 0, skipped 0, ")
    assert "notes on fields not brought in or kept another way." in out.splitlines()[0]
    assert "  note: item 1 ('Example'): 'archivedDate' not brought in (vaultapp has no place for it)" in out
    shown = cli("show", str(empty), "Visa", "--json", stdin=PW + "\n").stdout
    assert '"Card number"' in shown
    listed = cli("ls", str(empty), stdin=PW + "\n").stdout
    assert "Old forum" not in listed  # Bitwarden's trash went to the Trash
    assert "Example" in listed
    assert "Old forum" in cli("trash", str(empty), stdin=PW + "\n").stdout


def test_wrong_export_password_is_one_line_and_changes_nothing(empty: Path, tmp_path: Path) -> None:
    src = tmp_path / "bw.json"
    src.write_text(json.dumps(protect(export(), "export pw")))
    before = empty.read_bytes()
    wrong = cli(
        "import", str(empty), str(src), "--format", "bitwarden-json", stdin=f"{PW}\nnope\n", check_rc=3
    )
    assert "password for this Bitwarden export is wrong" in one_line_error(wrong)
    assert empty.read_bytes() == before


@pytest.mark.parametrize(
    ("data", "rc", "message"),
    [
        (
            {"encrypted": True, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "items": []},
            2,
            '"Password protected"',
        ),
        (protect({"items": []}, "pw") | {"kdfIterations": 10**9}, 4, "PBKDF2 with 1000000000 iterations"),
    ],
)
def test_unreadable_exports_are_refused_before_any_question(
    empty: Path, tmp_path: Path, data: dict[str, object], rc: int, message: str
) -> None:
    src = tmp_path / "bw.json"
    src.write_text(json.dumps(data))
    refused = cli("import", str(empty), str(src), "--format", "bitwarden-json", stdin="", check_rc=rc)
    assert message in one_line_error(refused)


def test_problems_are_listed_bounded_and_all_in_the_report(empty: Path, tmp_path: Path) -> None:
    items = [
        {"id": f"{n:08d}-0000-4000-8000-000000000000", "type": 1, "name": f"Site {n}",
         "login": {"username": "u", "password": "p", "uris": [{"uri": f"https://s{n}.example", "match": 1}]}}
        for n in range(60)
    ]  # fmt: skip
    src = tmp_path / "bw.json"
    src.write_text(json.dumps({"encrypted": False, "items": [*items, {"type": 1}]}))
    report = tmp_path / "report.txt"
    out = cli(
        "import", str(empty), str(src), "--format", "bitwarden-json", "--report", str(report), stdin=PW + "\n"
    ).stdout.splitlines()
    assert out[0] == (
        f"Imported {src}: added 60, updated 0, deleted 0, unchanged 0, skipped 1, "
        "60 notes on fields not brought in or kept another way."
    )
    assert out[1] == "  skipped item 61 has no name, username or URL"
    assert (
        out[2]
        == "  note: item 1 ('Site 0'): the match rule of URL 1 not brought in (vaultapp matches by host)"
    )
    assert len(out) == 1 + 50 + 1
    assert out[-1] == f"  … and 11 more (written to {report})"
    written = report.read_text(encoding="utf-8").splitlines()
    assert written[0] == "# What the import could not bring in (61 lines)"
    assert len(written) == 62
    assert written[-1].startswith("note: item 60 ('Site 59')")
    assert report.stat().st_mode & 0o777 == 0o600
    # without --report: the same bound, and how to get the rest
    again = tmp_path / "again.vault"
    cli("init", str(again), "--unlock-ms", "50", stdin=PW + "\n")
    out = cli(
        "import", str(again), str(src), "--format", "bitwarden-json", stdin=PW + "\n"
    ).stdout.splitlines()
    assert out[-1] == "  … and 11 more (--report FILE writes them all)"


def test_an_existing_report_file_is_refused_before_anything(empty: Path, tmp_path: Path) -> None:
    src = tmp_path / "bw.json"
    src.write_text(json.dumps(export()))
    report = tmp_path / "report.txt"
    report.write_text("keep me")
    before = empty.read_bytes()
    refused = cli("import", str(empty), str(src), "--format", "bitwarden-json", "--report", str(report),
                  stdin=PW + "\n", check_rc=2)  # fmt: skip
    assert "exists already" in one_line_error(refused)
    assert report.read_text() == "keep me"
    assert empty.read_bytes() == before
