"""CSV: our lossless round trip, KeePassXC's and Bitwarden's exact layouts, and the edge cases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.interop.helpers import contents
from vaultapp.core import UsageError, Vault
from vaultapp.interop.csv_io import detect, export_csv, import_csv, parse_csv
from vaultapp.interop.records import plan_records, records_of


def _import(vault: Vault, path: Path, dialect: str | None = None) -> tuple[object, object]:
    parsed = import_csv(path, dialect)  # type: ignore[arg-type]
    result = plan_records(vault, parsed)
    vault.apply(result)
    return parsed, result


def test_round_trip_keeps_every_field(filled: Vault, target: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert export_csv(out, records_of(filled)) == 4
    assert out.stat().st_mode & 0o777 == 0o600
    parsed, result = _import(target, out)
    assert parsed.skipped == []
    assert parsed.notes == []
    assert len(result.added) == 4  # type: ignore[attr-defined]
    assert contents(target) == contents(filled)


def test_reimporting_the_same_file_adds_nothing(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    export_csv(out, records_of(filled))
    _, result = _import(filled, out)
    assert result.changes == 0
    assert result.unchanged == 4


def test_two_rows_with_one_uuid_both_come_in(target: Vault, tmp_path: Path) -> None:
    """Our CSV's uuid column repeated (a row copied by hand): the second row is not lost under
    the first; it gets a new UUID and a note says so."""
    path = tmp_path / "dup.csv"
    uuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    rows = [
        ["title", "username", "password", "uuid"],
        ["Mail", "a", "p1", uuid],
        ["Mail copy", "b", "p2", uuid.upper()],
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    parsed, _ = _import(target, path)
    assert {e.title for e in target.entries} >= {"Mail", "Mail copy"}
    assert [str(n) for n in parsed.notes] == [  # type: ignore[attr-defined]
        "line 3: 'Mail copy' has the id of an earlier item; it was given a new one"
    ]


def test_export_never_overwrites(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("keep me")
    with pytest.raises(UsageError, match="exists already"):
        export_csv(out, records_of(filled))
    assert out.read_text() == "keep me"


def test_export_of_one_folder_or_tag(filled: Vault) -> None:
    assert [r.title for r in records_of(filled, folder="work")] == ["GitHub"]
    assert [r.title for r in records_of(filled, tag="INTL")] == ["Ünïcödé ✓ 日本"]
    assert [r.title for r in records_of(filled, folder="Work/Code")] == ["GitHub"]
    assert list(records_of(filled, folder="Wor")) == []


KEEPASSXC_CSV = (
    '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n'
    '"Root","Mail","me@example.com","pa""ss","https://mail.example","two\nlines","otpauth://totp/Mail?secret=JBSWY3DPEHPK3PXP","0","2024-10-01T12:00:00Z","2024-09-01T08:00:00Z"\n'
    '"Root/Work/Servers","ssh box","root","x","","","","0","1727784000","2024-09-01T08:00:00Z"\n'
)  # fmt: skip


def test_keepassxc_layout(target: Vault, tmp_path: Path) -> None:
    path = tmp_path / "kp.csv"
    path.write_text(KEEPASSXC_CSV, encoding="utf-8")
    _parsed, _ = _import(target, path)
    mail = target.find("Mail")
    assert (mail.username, mail.url, mail.notes, mail.folder) == (
        "me@example.com", "https://mail.example", "two\nlines", "",
    )  # fmt: skip
    assert target.reveal(mail.password) == 'pa"ss'  # type: ignore[arg-type]
    assert target.reveal(mail.totp).startswith("otpauth://totp/Mail")  # type: ignore[arg-type]
    assert mail.modified.isoformat() == "2024-10-01T12:00:00+00:00"
    box = target.find("ssh box")
    assert box.folder == "Work/Servers"
    assert box.modified.isoformat() == "2024-10-01T12:00:00+00:00"  # Unix seconds accepted


def test_keepassxc_old_six_column_layout(target: Vault) -> None:
    text = '"Group","Title","Username","Password","URL","Notes"\n"Root/A","T","u","p","",""\n'
    parsed = parse_csv(text)
    assert [(r.folder, r.title, r.password) for r in parsed.records] == [("A", "T", "p")]


BITWARDEN_CSV = (
    "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
    'Social,1,login,Twitter,,"PIN: 1234\nsecurity q: a: b",0,"https://twitter.com,https://x.com",me,pw1,JBSWY3DPEHPK3PXP\n'
    ",,note,Shopping list,eggs,,0,,,,\n"
    ",,card,My card,,,0,,,,\n"
)  # fmt: skip


def test_bitwarden_layout(target: Vault, tmp_path: Path) -> None:
    path = tmp_path / "bw.csv"
    path.write_text(BITWARDEN_CSV, encoding="utf-8")
    parsed, _ = _import(target, path)
    twitter = target.find("Twitter")
    assert (twitter.folder, twitter.favourite, twitter.url, twitter.username) == (
        "Social", True, "https://twitter.com", "me",
    )  # fmt: skip
    assert [(c.name, c.value) for c in twitter.custom] == [
        ("PIN", "1234"), ("security q: a", "b"), ("URL 2", "https://x.com"),
    ]  # fmt: skip
    assert target.reveal(twitter.totp) == "JBSWY3DPEHPK3PXP"  # type: ignore[arg-type]
    assert target.find("Shopping list").notes == "eggs"
    assert [str(p) for p in parsed.skipped] == ["line 5: Bitwarden item type 'card' is not a login or note"]  # type: ignore[attr-defined]


def test_bitwarden_organisation_layout_collections_become_tags() -> None:
    text = (
        "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
        '"Team A,Ops",login,VPN,,,0,vpn.example,u,p,\n'
    )
    (record,) = parse_csv(text).records
    assert record.tags == ("Team A", "Ops")
    assert record.url == "vpn.example"


def test_dialect_is_recognised_from_the_header() -> None:
    assert detect(["Group", "Title", "Username", "Password", "URL", "Notes"]) == "keepassxc"
    assert detect(BITWARDEN_CSV.splitlines()[0].split(",")) == "bitwarden"
    assert detect(["name", "url", "username", "password"]) == "generic"


def test_generic_layout_aliases_bom_crlf_and_unknown_columns(target: Vault, tmp_path: Path) -> None:
    path = tmp_path / "generic.csv"
    path.write_bytes(
        "\ufeffName,Login,Password,Website,Comments,Folder,Tags,Security question\r\n"
        'Forum,bob,pw,forum.example,"multi\r\nline",Hobby,"a, b",Blue\r\n'.encode()
    )
    parsed, _ = _import(target, path)
    forum = target.find("Forum")
    assert (forum.username, forum.url, forum.notes, forum.folder, forum.tags) == (
        "bob", "forum.example", "multi\r\nline", "Hobby", ("a", "b"),
    )  # fmt: skip
    assert [(c.name, c.value) for c in forum.custom] == [("Security question", "Blue")]
    assert [str(n) for n in parsed.notes] == ["line 1: columns kept as custom fields: Security question"]  # type: ignore[attr-defined]


def test_bad_rows_are_reported_by_line_and_the_rest_imported(target: Vault, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "title,username,password,notes\n"  # line 1
        'One,u1,p1,"spans\nthree\nlines"\n'  # lines 2-4
        "Two,u2\n"  # line 5: too few fields
        ",,orphan password,\n"  # line 6: nothing to name it by
        "\n"  # line 7: blank, ignored
        "Three,u3,p3,,extra\n"  # line 8: too many fields
        "Four,u4,p4,,\n"  # line 9: a trailing empty cell is fine
        "Five,u5,p5,n\n",  # line 10
        encoding="utf-8",
    )
    parsed, _result = _import(target, path)
    assert [str(p) for p in parsed.skipped] == [  # type: ignore[attr-defined]
        "line 5: has 2 fields but the header has 4",
        "line 6: has no title, username or URL to name the entry by",
        "line 8: has 5 fields but the header has 4",
    ]
    assert sorted(e.title for e in target.entries) == ["Five", "Four", "One"]
    assert target.find("One").notes == "spans\nthree\nlines"


def test_a_title_comes_from_the_url_or_username_when_missing() -> None:
    parsed = parse_csv("title,username,password,url\n,,p,https://www.example.org/login\n,al,p,\n")
    assert [r.title for r in parsed.records] == ["www.example.org", "al"]


def test_unusable_totp_is_kept_as_a_protected_field(target: Vault) -> None:
    parsed = parse_csv("title,password,totp\nSteam,p,steam://ABC\n")
    result = plan_records(target, parsed)
    target.apply(result)
    steam = target.find("Steam")
    assert steam.totp is None
    (field,) = steam.custom
    assert field.name == "TOTP"
    assert field.protected
    assert target.reveal(field.value) == "steam://ABC"
    assert "TOTP kept as custom field" in str(parsed.notes[0])


def test_bad_dates_are_left_out_with_a_note() -> None:
    parsed = parse_csv("title,created\nA,not a date\n")
    assert parsed.records[0].created is None
    assert [str(n) for n in parsed.notes] == ["line 2: created 'not a date' is not a date; left out"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"just,some,values\n1,2,3\n", "not a header"),
        (b"title,password\n\xff\xfeA,b\n", "not UTF-8"),
    ],
)
def test_unusable_files_get_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        import_csv(path)


def test_wrong_dialect_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="not KeePassXC's CSV header"):
        parse_csv("title,password\nA,b\n", "keepassxc")


def test_exported_file_is_standard_csv(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    export_csv(out, records_of(filled))
    with out.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    github = next(r for r in rows if r["title"] == "GitHub")
    assert github["password"] == 'p,a"ss\nword ü'
    assert github["custom-protected:Recovery code"] == "abcd-efgh"
    assert github["custom:Account id"] == "12345"
    assert github["favourite"] == "1"
    assert github["tags"] == "dev, work"
