"""The importers of other programs' exports on fixtures built to their published layouts
(tests/interop/exports.py names the source of each): every field, detection, bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.interop import exports
from vaultapp.core import Vault
from vaultapp.core.errors import DamagedFileError, UsageError
from vaultapp.interop.catalog import MORE_FORMATS, detect, read
from vaultapp.interop.formats import choose_format, guess_format, plan_file_import
from vaultapp.interop.records import Parsed, Record
from vaultapp.interop.sources import is_secret


def parse(tmp_path: Path, key: str, fmt: str | None = None) -> Parsed:
    return read(exports.write(tmp_path, key), fmt or key)


def by_title(parsed: Parsed) -> dict[str, Record]:
    return {r.title: r for r in parsed.records}


def custom(record: Record) -> dict[str, tuple[str, bool]]:
    return {name: (value, protected) for name, value, protected in record.custom}


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# ---- each importer, field by field -------------------------------------------------------------


def test_chrome_edge_brave(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "chrome-csv")
    records = by_title(parsed)
    github = records["github.com"]
    assert (github.username, github.password, github.url) == (
        "octo",
        'gh,pass"word',
        "https://github.com/login",
    )
    assert github.notes == "line one\nline two"
    app = records["com.example.app"]  # an Android app's row has no name: its package names it
    assert (app.username, app.password, app.url) == (
        "appuser",
        "app-pass",
        "android://Zm9vYmFy@com.example.app/",
    )
    assert not parsed.skipped
    assert not parsed.notes


def test_firefox_times_become_dates(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "firefox-csv"))
    joe = records["www.example.com"]
    assert (joe.username, joe.password, joe.url) == ("joe@example.com", "qwerty2", "https://www.example.com")
    assert joe.created == at(1589617814.635)
    assert joe.modified == at(1589617846.802)  # timePasswordChanged
    assert custom(joe) == {
        "Last used": ("2020-05-17T10:14:09+00:00", False),
        "Form action origin": ("https://www.example.com", False),
    }
    assert joe.uuid == "5ec0d12f-e194-4279-ae1b-d7d281bb46f0"  # the guid: importing again adds nothing
    realm = records["intranet.example"]
    assert custom(realm) == {"HTTP realm": ("My realm", False)}
    assert realm.created == realm.modified == at(1589617814)


def test_safari_otpauth_is_the_totp(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "safari-csv"))
    apple = records["appleid.apple.com (krish@icloud.com)"]
    assert apple.totp == "otpauth://totp/Apple:krish@icloud.com?secret=JBSWY3DPEHPK3PXP&issuer=Apple"
    assert (apple.username, apple.password, apple.url) == (
        "krish@icloud.com",
        "AppleSecretPass!",
        "https://appleid.apple.com",
    )
    assert records["Broken code"].notes == "kept"


def test_lastpass_secure_note_lines_become_fields(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "lastpass-csv"))
    github = records["GitHub"]
    assert (github.username, github.password, github.url, github.totp) == (
        "ada", "hunter2", "https://github.com", "JBSWY3DPEHPK3PXP",
    )  # fmt: skip
    assert (github.notes, github.folder, github.favourite) == ("a login note", "Work/Dev", True)
    visa = records["My Visa"]
    assert visa.url == ""  # http://sn marks a note, it is not a URL
    assert visa.tags == ("Credit Card",)
    assert visa.folder == "Finance"
    assert visa.notes == "first line\nsecond: line"  # Notes: takes the rest of the text
    fields = custom(visa)
    assert fields["Number"] == ("4111111111111111", True)
    assert fields["Security Code"] == ("123", True)
    assert fields["Name on Card"] == ("Ada Lovelace", False)
    assert fields["Expiration Date"] == ("January,2030", False)
    assert fields["Type"] == ("Visa", False)
    plain = records["Plain note"]
    assert (plain.notes, plain.tags, plain.custom) == ("Wi-Fi code is 1234", ("secure note",), ())


def test_onepassword8_csv(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "1password-csv"))
    forgejo = records["Forgejo"]
    assert (forgejo.username, forgejo.password, forgejo.url) == ("clara", "s3cr3t", "https://git.example.ch")
    assert forgejo.totp == "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"
    assert (forgejo.favourite, forgejo.tags, forgejo.notes) == (True, ("work", "dev"), "migration note")
    assert records["Old router"].tags == ("archived",)


def test_onepassword7_mac_csv_protects_card_fields(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "1password7-mac", "1password-csv"))
    visa = records["Visa"]
    assert custom(visa) == {
        "cardholder name": ("Ada L", False),
        "expiry date": ("01/2030", False),
        "number": ("4111111111111111", True),  # number(ccnum): the key says card number
        "verification number": ("123", True),
    }
    assert visa.tags == ("finance", "credit card")
    assert (visa.created, visa.modified, visa.notes) == (at(1577836800), at(1609459200), "card note")
    github = records["GitHub"]
    assert (github.username, github.password, github.url) == ("octo", "gh-pw", "https://github.com")
    assert github.totp == "otpauth://totp/GitHub?secret=JBSWY3DPEHPK3PXP"


def test_onepassword7_windows_csv(tmp_path: Path) -> None:
    github = parse(tmp_path, "1password7-win", "1password-csv").records[0]
    assert (github.title, github.username, github.password) == ("GitHub", "octo", "win-pw")
    assert (github.url, github.notes, github.tags) == ("https://github.com", "win note", ("dev",))
    assert custom(github) == {
        "URL 2": ("https://gist.github.com", False),
        "ainfo": ("octo", False),
        "email": ("octo@example.com", False),
        "secret key": ("A3-XYZ", True),
    }
    assert github.uuid is not None


def test_1pux_every_field_history_and_attachments(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "1pux")
    records = by_title(parsed)
    site = records["Fake Site"]
    assert (site.username, site.password, site.url, site.notes) == (
        "username123123", "password!", "https://www.fakesite.com", "My notes",
    )  # fmt: skip
    assert site.totp == "otpauth://totp/Fake:ada?secret=JBSWY3DPEHPK3PXP"
    assert (site.folder, site.tags, site.favourite) == ("Personal", ("Tag1", "Tag2"), True)
    assert (site.created, site.modified) == (at(1619465969), at(1619466052))
    assert custom(site) == {
        "remember": ("remember-me", False),
        "recovery codes": ("1111 2222 3333", True),
        "signup email": ("ada@example.com", False),
        "URL 2": ("https://login.fakesite.com", False),
        "second code": ("GEZDGNBVGY3TQOJQ", True),
    }
    assert [(h.password, h.modified) for h in site.history] == [
        ("oldest", at(1619400000)),
        ("older-pw", at(1619465000)),
    ]
    assert site.attachments == (("note.txt", b"hello"),)
    assert any("second one-time code" in str(n) for n in parsed.notes)
    visa = records["Visa"]
    assert visa.tags == ("credit card",)
    assert custom(visa) == {
        "cardholder name": ("Ada L", False),
        "number": ("4111111111111111", True),
        "verification number": ("123", True),
        "expiry date": ("2030-01", False),
        "PIN": ("9999", True),
        "valid from": ("2020-01-01", False),
    }
    scan = records["Passport scan"]
    assert scan.attachments == (("passport.pdf", b"%PDF-1.4 scanned passport"),)
    assert scan.tags == ("document", "archived")
    old = records["Old password"]
    assert (old.password, old.trashed) == ("gone-pw", at(1619469999))
    assert len({r.uuid for r in parsed.records}) == 4


def test_dashlane_files(tmp_path: Path) -> None:
    github = parse(tmp_path, "dashlane-csv").records[0]
    assert (github.title, github.username, github.password, github.url) == (
        "GitHub",
        "ada@example.com",
        "gh-pw",
        "https://github.com",
    )
    assert (github.notes, github.folder) == ("a note", "Dev")
    assert github.totp == "otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP"
    assert custom(github) == {"username2": ("ada2", False)}
    visa = parse(tmp_path, "dashlane-payments", "dashlane-csv").records[0]
    assert (visa.title, visa.tags) == ("Work Visa", ("payment card",))
    assert custom(visa) == {
        "expiry": ("01/2030", False), "cc_number": ("41111111111111111", True), "code": ("123", True),
        "country": ("US", False), "name": ("Jane M Doe", False),
    }  # fmt: skip
    passport = parse(tmp_path, "dashlane-ids", "dashlane-csv").records[0]
    assert (passport.title, passport.tags) == ("Jane Doe passport", ("passport",))
    assert custom(passport)["number"] == ("123456789", True)
    assert custom(passport)["expiration_date"] == ("2030-1-4", False)
    note = parse(tmp_path, "dashlane-notes", "dashlane-csv").records[0]
    assert (note.title, note.notes) == ("Door code", "Front door 4321")


def test_protonpass_json_and_its_zip(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "protonpass-json")
    records = by_title(parsed)
    login = records["Test Login"]
    assert (login.username, login.password, login.url) == ("Username", "Password", "https://example.com/")
    assert login.totp == "otpauth://totp/Test:Username?secret=JBSWY3DPEHPK3PXP&issuer=Test"
    assert (login.folder, login.favourite, login.notes) == ("Personal", True, "My login secure note.")
    assert (login.created, login.modified) == (at(1689182868), at(1689182900))
    assert custom(login) == {
        "email": ("Email", False), "URL 2": ("https://example2.com/", False),
        "non-hidden field": ("visible", False), "hidden field": ("hidden value", True),
        "second 2fa secret": ("GEZDGNBVGY3TQOJQ", True),
    }  # fmt: skip
    card = records["Test Card"]
    assert card.tags == ("creditCard",)
    assert custom(card) == {
        "cardholderName": ("Test name", False), "number": ("1234222233334444", True),
        "verificationNumber": ("333", True), "expirationDate": ("2025-01", False), "pin": ("1234", True),
    }  # fmt: skip
    assert records["My Deleted Note"].trashed == at(1689182999)
    other = records["Other vault login"]
    assert (other.username, other.totp, other.folder) == ("other vault username", "JBSWY3DPEHPK3PXP", "Test")
    zipped = tmp_path / "Proton Pass_export_2024.zip"
    zipped.write_bytes(exports.protonpass_zip())
    assert detect(zipped) == ("protonpass-json",)
    assert [r.title for r in read(zipped, "protonpass-json").records] == [r.title for r in parsed.records]


def test_protonpass_csv(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "protonpass-csv"))
    mail = records["Proton Mail"]
    assert (mail.username, mail.password, mail.url, mail.totp) == (
        "me@proton.me", "pm-pass", "https://account.proton.me", "JBSWY3DPEHPK3PXP",
    )  # fmt: skip
    assert (mail.folder, mail.notes, mail.created, mail.modified) == (
        "Personal",
        "a note",
        at(1689182868),
        at(1689182900),
    )
    assert (records["Door"].tags, records["Door"].folder) == (("note",), "Home")


def test_nordpass(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "nordpass-csv")
    records = by_title(parsed)
    assert set(records) == {"GitHub", "My Visa", "Recovery codes"}  # the folder row is a folder
    github = records["GitHub"]
    assert (github.username, github.password, github.url, github.folder) == (
        "octo",
        "gh-pw",
        "https://github.com",
        "Work",
    )
    assert custom(github) == {
        "URL 2": ("https://gist.github.com", False), "API token": ("ghp_123", True), "team": ("core", False),
    }  # fmt: skip
    visa = records["My Visa"]
    assert visa.tags == ("credit card",)
    assert custom(visa) == {
        "cardholdername": ("Carol C", False), "cardnumber": ("4111111111114242", True), "cvc": ("123", True),
        "pin": ("9876", True), "expirydate": ("08/29", False), "zipcode": ("SW1A", False),
    }  # fmt: skip
    assert records["Recovery codes"].notes == "abcd-efgh ijkl-mnop"
    assert not parsed.notes


def test_keeper(tmp_path: Path) -> None:
    records = by_title(parse(tmp_path, "keeper-json"))
    general = records["General Information Record"]
    assert (general.username, general.password, general.url) == (
        "general_user@example.com", "GeneralPass#2024!Secure", "https://general.example.com",
    )  # fmt: skip
    assert general.totp.startswith("otpauth://totp/totp%40authenticationtest.com?secret=I65VU7K5ZQL7WB4E")
    assert general.folder == "Personal/Finance/Banking"
    assert custom(general) == {"Security question": ("first pet", False), "folder 2": ("Team Shared", False)}
    assert general.modified == at(1762428779)
    visa = records["Chase Visa"]
    assert (visa.folder, visa.tags) == ("Work/Projects", ("bankCard",))
    assert custom(visa) == {
        "paymentCard cardNumber": ("4532123456789010", True),
        "paymentCard cardExpirationDate": ("06/2030", False),
        "paymentCard cardSecurityCode": ("347", True),
        "cardholderName": ("Sarah Johnson", False),
        "pinCode": ("8426", True),
    }
    ssh = custom(records["Production Server SSH Key"])
    assert ssh["keyPair privateKey"] == ("-----BEGIN KEY-----\nabc\n", True)
    assert ssh["keyPair publicKey"] == ("ssh-ed25519 AAAA deploy", False)
    passport = custom(records["US Passport"])
    assert passport == {"passportNumber": ("543826194", True), "expirationDate": ("2033-07-21", False)}


@pytest.mark.parametrize(
    "name",
    ["Card number", "CVC", "cvv2", "PIN", "Recovery codes", "Security Code", "secret key", "Private key",
     "cc_number", "IBAN", "Passport number", "backup code"],
)  # fmt: skip
def test_secret_names_are_protected(name: str) -> None:
    assert is_secret(name)


@pytest.mark.parametrize("name", ["Username", "URL 2", "expiry date", "cardholder name", "Spinach", "Pinned"])
def test_plain_names_are_not(name: str) -> None:
    assert not is_secret(name)


# ---- into a vault: TOTPs, protection, trash, idempotence ---------------------------------------


def test_invalid_totp_kept_protected_with_a_note(tmp_path: Path, target: Vault) -> None:
    path = exports.write(tmp_path, "safari-csv")
    outcome = plan_file_import(target, path, "safari-csv")
    target.apply(outcome.plan)
    broken = next(e for e in target.entries if e.title == "Broken code")
    assert broken.totp is None
    assert [(c.name, c.protected) for c in broken.custom] == [("TOTP", True)]
    assert any("Broken code" in str(n) and "TOTP" in str(n) for n in outcome.notes)
    good = next(e for e in target.entries if e.title.startswith("appleid"))
    assert good.totp is not None


@pytest.mark.parametrize("key", ["1pux", "keeper-json", "protonpass-json", "firefox-csv"])
def test_importing_the_same_export_twice_adds_nothing(tmp_path: Path, target: Vault, key: str) -> None:
    path = exports.write(tmp_path, key)
    first = plan_file_import(target, path, key)  # type: ignore[arg-type]
    target.apply(first.plan)
    again = plan_file_import(target, path, key)  # type: ignore[arg-type]
    assert not again.plan.changes


# ---- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "fmt"),
    [("chrome-csv", "chrome-csv"), ("firefox-csv", "firefox-csv"), ("safari-csv", "safari-csv"),
     ("lastpass-csv", "lastpass-csv"), ("1password-csv", "1password-csv"), ("1password7-mac", "1password-csv"),
     ("1password7-win", "1password-csv"), ("dashlane-csv", "dashlane-csv"), ("dashlane-payments", "dashlane-csv"),
     ("dashlane-ids", "dashlane-csv"), ("protonpass-json", "protonpass-json"), ("protonpass-csv", "protonpass-csv"),
     ("nordpass-csv", "nordpass-csv"), ("keeper-json", "keeper-json"), ("1pux", "1pux")],
)  # fmt: skip
def test_detected_from_content(tmp_path: Path, key: str, fmt: str) -> None:
    path = exports.write(tmp_path, key)
    assert detect(path) == (fmt,)
    assert guess_format(path) == fmt
    assert choose_format(path, None, ("backup", "csv", "kdbx", "bitwarden-json", "env", *MORE_FORMATS)) == fmt


def test_a_header_that_fits_two_formats_names_both(tmp_path: Path) -> None:
    path = exports.write(tmp_path, "dashlane-notes")  # title,note: Dashlane's notes or any CSV
    assert guess_format(path) is None  # the window asks
    with pytest.raises(UsageError, match=r"--format csv or --format dashlane-csv"):
        choose_format(path, None, ("csv", *MORE_FORMATS))


@pytest.mark.parametrize(
    "text",
    [
        "title,username,password\nA,b,c\n",
        "name,url,username\nx,y,z\n",
        '{"items": []}',
        '{"encrypted": false}',
    ],
)
def test_other_files_are_not_claimed(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    assert detect(path) == ()


def test_bitwarden_csv_and_keepassxc_csv_stay_csv(tmp_path: Path) -> None:
    bitwarden = tmp_path / "bw.csv"
    bitwarden.write_text("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,"
                         "login_password,login_totp\n,,login,A,,,0,https://a,u,p,\n", encoding="utf-8")  # fmt: skip
    assert guess_format(bitwarden) == "csv"
    missing = tmp_path / "nothing.csv"
    assert guess_format(missing) == "csv"


# ---- bad input --------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content", "needle"),
    [
        ("1pux", b"PK\x03\x04 this is not a zip", "not a readable zip"),
        ("1pux", _zip({"export.attributes": b"{}"}), "no export.data"),
        ("1pux", _zip({"export.data": b"{not json", "export.attributes": b"{}"}), "not JSON"),
        ("1pux", _zip({"export.data": b'{"items": []}', "export.attributes": b"{}"}), "no list of accounts"),
        ("keeper-json", b"[1, 2", "not JSON"),
        ("keeper-json", b'{"items": []}', "no list of records"),
        ("protonpass-json", b'{"vaults": {}, "encrypted": true}', "encrypted"),
        ("protonpass-json", b'{"items": []}', "has no vaults"),
        ("protonpass-json", b"[" * 100 + b"]" * 100, "nests deeper"),
        ("chrome-csv", b"title,password\nA,b\n", "no name, url, username columns"),
        ("lastpass-csv", b"url,username,password\nx,y,z\n", "no extra, name, grouping columns"),
        ("1password-csv", b"name,url\nA,b\n", "no title column"),
        ("safari-csv", b"\xff\xfe not utf-8", "not UTF-8"),
        ("dashlane-csv", b"a,b,c\n1,2,3\n", "not the header of Dashlane"),
        ("nordpass-csv", b"", "empty"),
    ],
)
def test_bad_input_is_one_clear_damaged_file_error(
    tmp_path: Path, fmt: str, content: bytes, needle: str
) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(DamagedFileError, match=needle) as caught:
        read(path, fmt)
    assert "\n" not in str(caught.value)


def test_a_zip_bomb_member_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.1pux"
    with zipfile.ZipFile(io.BytesIO(exports.onepux())) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members["files/doc1__passport.pdf"] = b"\0" * (65 * 1024 * 1024)  # an attachment over the vault's limit
    path.write_bytes(_zip(members))
    with pytest.raises(DamagedFileError, match=r"files/doc1__passport\.pdf in the zip is larger than 64 MiB"):
        read(path, "1pux")


def test_a_row_with_the_wrong_width_is_skipped_by_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,url,username,password,note\nA,https://a,u,p,n\nB,https://b\n", encoding="utf-8")
    parsed = read(path, "chrome-csv")
    assert [r.title for r in parsed.records] == ["A"]
    assert [str(p) for p in parsed.skipped] == ["line 3: has 2 fields but the header has 5"]


def test_a_malformed_item_is_skipped_and_the_others_kept(tmp_path: Path) -> None:
    data = json.loads(json.dumps(exports.KEEPER))
    data["records"].insert(0, {"title": "Bad", "custom_fields": ["not", "an", "object"]})
    path = tmp_path / "k.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    parsed = read(path, "keeper-json")
    assert len(parsed.records) == 4
    assert "record 1 ('Bad') is malformed" in str(parsed.skipped[0])


@pytest.mark.parametrize("fmt", ["1pux", "keeper-json", "lastpass-csv"])
def test_a_file_larger_than_any_export_is_refused_unread(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "huge"
    with path.open("wb") as file:
        file.truncate(257 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(DamagedFileError, match="larger than 256 MiB"):
        read(path, fmt)


def test_detection_follows_a_link_and_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    real = exports.write(tmp_path, "lastpass-csv")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert detect(link) == ("lastpass-csv",)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    assert detect(fifo) == ()  # opened without blocking, not read
    assert detect(tmp_path) == ()


def test_1pux_leaves_nothing_out_unsaid(tmp_path: Path) -> None:
    """A file in files/ that no item names, and a details key this reader does not know, are
    said or kept: nothing is dropped silently."""
    buffer = io.BytesIO(exports.onepux())
    with zipfile.ZipFile(buffer) as original:
        members = {name: original.read(name) for name in original.namelist()}
    data = json.loads(members["export.data"])
    data["accounts"][0]["vaults"][0]["items"][0]["details"]["newThing"] = {"a": 1}
    members["export.data"] = json.dumps(data).encode()
    members["files/doc9__orphan.bin"] = b"?"
    path = tmp_path / "x.1pux"
    path.write_bytes(_zip(members))
    parsed = read(path, "1pux")
    assert "files/doc9__orphan.bin in the zip belongs to no item; left out" in [str(n) for n in parsed.notes]
    assert custom(by_title(parsed)["Fake Site"])["newThing"] == ('{"a": 1}', False)


def test_a_second_column_with_its_own_value_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_text(
        '"Title","Type","Notes","URL","URL(url)","a(b)"\nX,Login,,https://a,https://b,\n', encoding="utf-8"
    )
    record = read(path, "1password-csv").records[0]
    assert record.url == "https://a"
    assert custom(record) == {"URL": ("https://b", False)}  # URL(url): its label, its own value


def test_dashlane_zip_imports_every_file_in_it(tmp_path: Path) -> None:
    path = tmp_path / "Dashlane Export.zip"
    path.write_bytes(
        _zip(
            {
                "credentials.csv": exports.DASHLANE_CREDENTIALS.encode(),
                "payments.csv": exports.DASHLANE_PAYMENTS.encode(),
                "ids.csv": exports.DASHLANE_IDS.encode(),
                "securenotes.csv": exports.DASHLANE_NOTES.encode(),
                "other.csv": b"x,y\n1,2\n",
            }
        )
    )
    assert detect(path) == ("dashlane-csv",)
    parsed = read(path, "dashlane-csv")
    assert sorted(r.title for r in parsed.records) == [
        "Door code",
        "GitHub",
        "Jane Doe passport",
        "Work Visa",
    ]
    assert [str(n) for n in parsed.notes] == [
        "other.csv in the zip is not one of Dashlane's CSV files; left out"
    ]
    empty = tmp_path / "e.zip"
    empty.write_bytes(_zip({"readme.txt": b"hi"}))
    with pytest.raises(DamagedFileError, match="none of Dashlane's CSV files"):
        read(empty, "dashlane-csv")


def test_two_items_with_one_id_both_come_in(tmp_path: Path, target: Vault) -> None:
    data = json.loads(json.dumps(exports.KEEPER))
    data["records"].append(dict(data["records"][0], title="Copy with the same uid", password="other"))
    path = tmp_path / "k.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    outcome = plan_file_import(target, path, "keeper-json")
    target.apply(outcome.plan)
    assert {"General Information Record", "Copy with the same uid"} <= {e.title for e in target.entries}
    assert any("has the id of an earlier item" in str(n) for n in outcome.notes)


def test_onepassword7_card_numbers_are_protected_whatever_their_column(tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_text(
        "title,type,uuid,notesPlain,section 1: number,section 1: phone number\n"
        "Visa,Credit Card,abc,,4111111111111111,555-0100\n",
        encoding="utf-8",
    )
    record = read(path, "1password-csv").records[0]
    assert custom(record) == {
        "section 1: number": ("4111111111111111", True),
        "section 1: phone number": ("555-0100", True),  # (on a card, any number is kept protected)
    }


def test_a_one_time_password_column_becomes_the_totp(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_text(
        '"Title","Type","Notes","one-time password(TOTP_abc)","Password"\n'
        'GitHub,Login,,"otpauth://totp/GitHub?secret=JBSWY3DPEHPK3PXP",pw\n',
        encoding="utf-8",
    )
    parsed = read(path, "1password-csv")
    record = parsed.records[0]
    assert record.totp == "otpauth://totp/GitHub?secret=JBSWY3DPEHPK3PXP"
    assert record.custom == ()
    assert [str(n) for n in parsed.notes] == [
        "line 2: 'GitHub': field 'one-time password' became the entry's TOTP"
    ]


# ---- nothing dropped: every value of every fixture is somewhere in what was read ---------------


def _everything(parsed: Parsed) -> str:
    parts: list[str] = []
    for record in parsed.records:
        for one in (record, *record.history):
            parts += [
                one.title,
                one.username,
                one.password,
                one.url,
                one.notes,
                one.totp,
                one.folder,
                *one.tags,
            ]
            parts += [f"{name}\n{value}" for name, value, _ in one.custom]
            parts += [name for name, _ in one.attachments]
    parts += [str(p) for p in (*parsed.notes, *parsed.skipped)]
    return "\n".join(parts)


def _leaves(value: object, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, str(k))]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v, key)]
    return [(key, value)] if isinstance(value, str) and value.strip() else []


# Keys whose values are another program's bookkeeping, not the user's data: ids, icons, colours,
# input hints, the account that exported, the kind of an item (kept as a tag, reworded).
BOOKKEEPING = {
    "1pux": {"uuid", "id", "avatar", "type", "fieldType", "designation", "subtitle", "label", "name",
             "keyboard", "correction", "capitalization", "documentId", "domain", "email", "accountName",
             "categoryUuid", "state"},
    "protonpass-json": {"itemId", "shareId", "itemUuid", "userId", "version", "type", "fieldName"},
    "keeper-json": {"uid", "path", "$type"},
}  # fmt: skip


@pytest.mark.parametrize("key", ["1pux", "protonpass-json", "keeper-json"])
def test_every_value_of_a_json_export_is_kept(tmp_path: Path, key: str) -> None:
    parsed = parse(tmp_path, key)
    if key == "1pux":
        with zipfile.ZipFile(io.BytesIO(exports.onepux())) as archive:
            source = json.loads(archive.read("export.data"))
    else:
        source = exports.PROTONPASS if key == "protonpass-json" else exports.KEEPER
    kept = _everything(parsed)
    for name, value in _leaves(source):
        if name in BOOKKEEPING[key] or (key, value) == ("1pux", "one-time password"):
            continue  # (the label of a TOTP field: the entry's TOTP has none)
        assert value.strip() in kept or _folder_form(value) in kept, (name, value)


def _folder_form(value: str) -> str:
    return "/".join(p for p in value.replace("\\", "/").split("/") if p)


FORMAT_OF = {"1password7-mac": "1password-csv", "1password7-win": "1password-csv",
             "dashlane-payments": "dashlane-csv", "dashlane-ids": "dashlane-csv"}  # fmt: skip
ID_COLUMNS = {"uuid", "guid", "type"}  # ids kept as the UUID; the kind of item kept as a tag


@pytest.mark.parametrize(
    "key",
    ["chrome-csv", "firefox-csv", "safari-csv", "lastpass-csv", "1password-csv", "1password7-mac",
     "1password7-win", "dashlane-csv", "dashlane-payments", "dashlane-ids", "protonpass-csv", "nordpass-csv"],
)  # fmt: skip
def test_every_cell_of_a_csv_export_is_kept(tmp_path: Path, key: str) -> None:
    parsed = parse(tmp_path, key, FORMAT_OF.get(key, key))
    kept = _everything(parsed).casefold()
    _name, text = exports.FILES[key]
    header, *rows = list(csv.reader(io.StringIO(str(text), newline="")))
    for row in rows:
        for column, cell in zip(header, row, strict=True):
            value = cell.strip().casefold()
            if (
                not value
                or column.casefold() in ID_COLUMNS
                or value in ("0", "1", "true", "false", "http://sn")
            ):
                continue
            if (
                value.isdigit() and len(value) >= 9 and "time" in column.casefold()
            ) or "date" in column.casefold():
                continue  # a time, kept as the entry's time
            pieces = [p.partition(":")[2] or p for p in value.split("\n")]  # LastPass note lines
            if value.startswith("["):
                leaves = _leaves(json.loads(cell)) or [("", p) for p in json.loads(cell)]  # NordPass's lists
                pieces = [v.casefold() for k, v in leaves if k != "type"]
            forms = (value, _folder_form(value), value.replace("_", " "), value.strip("{}()\n ,"))
            assert (
                any(f in kept for f in forms)
                or all(p.strip() in kept for p in pieces)
                or all(t.strip() in kept for t in value.split(","))
            ), (key, column, value)


def test_more_rows_than_any_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name,url,username,password\n" + "a,b,c,d\n" * 200_002, encoding="utf-8")
    with pytest.raises(DamagedFileError, match="more than 200,000 rows"):
        read(path, "chrome-csv")
