"""Nothing lost on the way in or out of KeePass: databases made by keepassxc-cli (from
tests/interop/data/keepass_rich.xml: history, attachments, references, every TOTP form, passkey,
auto-type, custom icon, recycle bin), checked against keepassxc-cli's own values."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import pytest

from tests.interop.test_kdbx import SMALL, kxc
from vaultapp.core import Vault
from vaultapp.core.passkeys import PRIVATE_KEY_PEM, USER_HANDLE
from vaultapp.generators.otp import code_now, parse
from vaultapp.interop.kdbx import export_kdbx, import_kdbx
from vaultapp.interop.keepass_xml import _time as parse_time
from vaultapp.interop.keepass_xml import import_keepass_xml
from vaultapp.interop.records import Problem, Record, plan_records, records_of

RICH = Path(__file__).parent / "data" / "keepass_rich.xml"
PW = "pw"


@pytest.fixture
def rich_db(tmp_path: Path, keepassxc_cli: str) -> Path:
    """keepassxc-cli's own database made from the rich XML."""
    db = tmp_path / "rich.kdbx"
    kxc(keepassxc_cli, "import", "-p", "-t", "100", str(RICH), str(db), stdin=f"{PW}\n{PW}\n")
    return db


def by_title(records: list[Record]) -> dict[str, Record]:
    return {r.title: r for r in records}


def show(cli: str, db: Path, title: str, *extra: str) -> dict[str, str]:
    out = kxc(cli, "show", "-s", *extra, str(db), title, stdin=f"{PW}\n")
    return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)


def totp_code(cli: str, db: Path, title: str, totp: str) -> tuple[str, set[str]]:
    """keepassxc-cli's code and ours just before and after it (a period may turn over between)."""
    params = parse(totp)
    before = code_now(params, time.time())
    theirs = kxc(cli, "show", "--totp", str(db), title, stdin=f"{PW}\n").strip().splitlines()[-1]
    return theirs, {before, code_now(params, time.time())}


def test_keepassxc_database_brings_history_attachments_trash_and_settings(
    rich_db: Path, target: Vault
) -> None:
    """Every history version with its times, attachments (current and in history), the recycle bin
    as Trash, passkey secrets protected, auto-type and icons as kdbx: fields."""
    parsed = import_kdbx(rich_db, PW)
    records = by_title(parsed.records)
    mail = records["Mail"]
    assert [(h.password, h.modified.isoformat()) for h in mail.history if h.modified] == [
        ("pw-1", "2020-01-01T10:00:00+00:00"),
        ("pw-2", "2021-02-03T04:05:06+00:00"),
    ]
    assert mail.attachments == (("hello.txt", b"hello world\n"),)
    assert mail.history[0].attachments == (("old.bin", b"\x00\x01\x02\x03\xff"),)
    custom = {name: (value, protected) for name, value, protected in mail.custom}
    assert custom[PRIVATE_KEY_PEM][1] is True
    assert custom[USER_HANDLE] == ("aGFuZGxl", True)  # protected though the file did not protect it
    assert ("kdbx:IconID", "12", False) in records["Legacy TOTP"].custom
    assert custom["kdbx:CustomIcon"][0].startswith("iVBORw0KGgo")
    assert "Mail - Firefox" in custom["kdbx:AutoType"][0]
    assert records["Old thing"].trashed is not None

    plan = plan_records(target, parsed)
    target.apply(plan)
    entry = next(e for e in target.entries if e.title == "Mail")
    assert [target.reveal(h.password) for h in entry.history if h.password] == ["pw-1", "pw-2"]
    assert [e.title for e in target.trashed_entries] == ["Old thing"]
    assert [(a.name, target.attachment_content(a)) for a in entry.attachments] == [
        ("hello.txt", b"hello world\n")
    ]
    old = next(h for h in entry.history if h.attachments)
    assert [(a.name, target.attachment_content(a)) for a in old.attachments] == [
        ("old.bin", b"\x00\x01\x02\x03\xff")
    ]
    assert not any("not brought in" in str(n) and "attachment" in str(n) for n in parsed.notes)


def test_references_resolve_to_keepassxcs_own_values(rich_db: Path, keepassxc_cli: str) -> None:
    """{REF:U@I:…}, {REF:P@T:…} and a reference inside a URL give what keepassxc-cli shows."""
    parsed = import_kdbx(rich_db, PW)
    alias = by_title(parsed.records)["Mail alias"]
    shown = show(keepassxc_cli, rich_db, "Mail alias")
    assert (alias.username, alias.password, alias.url) == (shown["UserName"], shown["Password"], shown["URL"])
    assert alias.username == "alice"
    assert any("referred to another entry; the value was copied" in str(n) for n in parsed.notes)


@pytest.mark.parametrize("title", ["Mail", "Legacy TOTP", "Steam", "KeeOTP"])
def test_every_totp_form_gives_keepassxcs_code(rich_db: Path, keepassxc_cli: str, title: str) -> None:
    """otp URI, TOTP Seed/Settings (8 digits, 60 s), Steam (30;S) and KeeOTP key=… (SHA256):
    the code vaultapp computes is the one keepassxc-cli shows."""
    record = by_title(import_kdbx(rich_db, PW).records)[title]
    assert record.totp.startswith("otpauth://")
    assert not {name for name, _, _ in record.custom} & {"otp", "TOTP Seed", "TOTP Settings"}
    theirs, ours = totp_code(keepassxc_cli, rich_db, title, record.totp)
    assert theirs in ours


def test_keepass2_timeotp_attributes_become_a_working_totp(rich_db: Path) -> None:
    """KeePass 2's TimeOtp-* (SHA-512, 7 digits, 45 s; keepassxc-cli 2.7.4 does not read them)
    give RFC 6238's code for those settings."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    record = by_title(import_kdbx(rich_db, PW).records)["KeePass2 OTP"]
    assert not [name for name, _, _ in record.custom if name.startswith("TimeOtp")]
    params = parse(record.totp)
    secret = base64.b32decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    expected = TOTP(secret, 7, hashes.SHA512(), 45, enforce_key_length=False).generate(1_700_000_000)
    assert code_now(params, 1_700_000_000) == expected.decode()


def test_keepass_xml_reads_like_the_database(rich_db: Path, keepassxc_cli: str, tmp_path: Path) -> None:
    """KeePass 2 XML (keepassxc-cli export -f xml) gives the records the KDBX itself gives."""
    xml = tmp_path / "export.xml"
    xml.write_text(kxc(keepassxc_cli, "export", "-f", "xml", str(rich_db), stdin=f"{PW}\n"), encoding="utf-8")
    from_xml = by_title(import_keepass_xml(xml).records)
    from_db = by_title(import_kdbx(rich_db, PW).records)
    assert from_xml.keys() == from_db.keys()
    for title, record in from_db.items():
        assert repr(from_xml[title]) == repr(record), title
        assert from_xml[title].password == record.password
        assert from_xml[title].history == record.history
        assert from_xml[title].attachments == record.attachments


def _xml_entries(text: str) -> dict[str, dict[str, Any]]:
    """keepassxc-cli's XML export, per entry UUID: strings, binaries (bytes), history strings,
    auto-type and icons."""
    from lxml import etree

    root = etree.fromstring(text.encode("utf-8"))
    binaries = {}
    for b in root.iterfind("Meta/Binaries/Binary"):
        import gzip

        data = base64.b64decode(b.text or "")
        binaries[b.get("ID")] = gzip.decompress(data) if b.get("Compressed") == "True" else data
    icons = {i.findtext("UUID"): i.findtext("Data") for i in root.iterfind("Meta/CustomIcons/Icon")}

    def one(entry: Any) -> dict[str, Any]:
        return {
            "strings": {s.findtext("Key"): s.findtext("Value") or "" for s in entry.iterfind("String")},
            "binaries": {
                b.findtext("Key"): binaries[b.find("Value").get("Ref")] for b in entry.iterfind("Binary")
            },
            "times": parse_time(entry.findtext("Times/LastModificationTime"), True),  # ISO or KDBX 4's base64
            "icon": entry.findtext("IconID"),
            "custom_icon": icons.get(entry.findtext("CustomIconUUID")),
            "autotype": etree.tostring(entry.find("AutoType"))
            if entry.find("AutoType") is not None
            else None,
        }

    result = {}
    for entry in root.iterfind(".//Group/Entry"):
        values = one(entry)
        values["history"] = [one(old) for old in entry.iterfind("History/Entry")]
        result[entry.findtext("UUID")] = values
    return result


def test_keepassxc_to_vaultapp_to_kdbx_to_keepassxc_keeps_every_field_and_version(
    rich_db: Path, target: Vault, keepassxc_cli: str, tmp_path: Path
) -> None:
    """KeePassXC → vaultapp → KDBX → KeePassXC: every string of every entry and history version,
    times, auto-type and icons come back as KeePassXC wrote them (references resolved, TOTP forms
    written as otp URIs; attachments wait for the core to hold them)."""
    target.apply(plan_records(target, import_kdbx(rich_db, PW)))
    out = tmp_path / "again.kdbx"
    export_kdbx(out, records_of(target, history=True), PW, kdf=SMALL)
    before = _xml_entries(kxc(keepassxc_cli, "export", "-f", "xml", str(rich_db), stdin=f"{PW}\n"))
    after = _xml_entries(kxc(keepassxc_cli, "export", "-f", "xml", str(out), stdin=f"{PW}\n"))
    mail = "AAAAAAAAAAAAAAAAAAAAEA=="
    for key in ("strings", "times", "icon", "custom_icon", "autotype"):
        assert after[mail][key] == before[mail][key], key
    legacy = "AAAAAAAAAAAAAAAAAAAAEg=="
    assert after[legacy]["icon"] == before[legacy]["icon"] == "12"
    assert [h["strings"] for h in after[mail]["history"]] == [h["strings"] for h in before[mail]["history"]]
    assert [h["times"] for h in after[mail]["history"]] == [h["times"] for h in before[mail]["history"]]
    alias = after["AAAAAAAAAAAAAAAAAAAAEQ=="]["strings"]
    assert (alias["UserName"], alias["Password"]) == ("alice", "pw-3")
    for title in ("Legacy TOTP", "Steam", "KeeOTP"):
        record = by_title(import_kdbx(out, PW).records)[title]
        theirs, ours = totp_code(keepassxc_cli, out, title, record.totp)
        assert theirs in ours


def test_records_with_history_and_attachments_survive_kdbx(keepassxc_cli: str, tmp_path: Path) -> None:
    """records in → KDBX → records out: history versions and attachment bytes (current and in
    history), and keepassxc-cli reads the attachment bytes."""
    from datetime import UTC, datetime

    t = [datetime(2020 + i, 1, 2, 3, 4, 5, tzinfo=UTC) for i in range(3)]
    blob = bytes(range(256)) * 3
    old = [Record(title="Doc", password=f"v{i}", modified=t[i], created=t[0]) for i in range(2)]
    old[0] = Record(title="Doc", password="v0", modified=t[0], created=t[0], attachments=(("a.bin", b"old"),))
    record = Record(
        title="Doc", password="v2", created=t[0], modified=t[2], uuid="12345678-1234-5678-1234-567812345678",
        history=tuple(old), attachments=(("blob.bin", blob), ("same.bin", blob), ("note.txt", b"hi\n")),
    )  # fmt: skip
    out = tmp_path / "att.kdbx"
    export_kdbx(out, [record], PW, kdf=SMALL)
    back = import_kdbx(out, PW).records[0]
    assert back.attachments == record.attachments
    assert [(h.password, h.modified, h.attachments) for h in back.history] == [
        (h.password, h.modified, h.attachments) for h in record.history
    ]
    exported = tmp_path / "blob.out"
    kxc(keepassxc_cli, "attachment-export", str(out), "Doc", "blob.bin", str(exported), stdin=f"{PW}\n")
    assert exported.read_bytes() == blob


def test_export_never_fails_on_content(keepassxc_cli: str, tmp_path: Path) -> None:
    """A " in a title, username or field name and control characters in any value: written
    (control characters left out, with a note), and KeePassXC reads it."""
    record = Record(
        title='Say "hi"', username='o"neil', password="p\x00w", notes="a\x07b",
        custom=(('Field "x"', 'v"1', False), ("Ctl", "x\x1by", True)),
    )  # fmt: skip
    notes: list[Problem] = []
    out = tmp_path / "odd.kdbx"
    assert export_kdbx(out, [record], PW, kdf=SMALL, notes=notes) == 1
    assert show(keepassxc_cli, out, 'Say "hi"')["UserName"] == 'o"neil'
    assert kxc(keepassxc_cli, "show", "-s", "-a", 'Field "x"', "-a", "Ctl", str(out), 'Say "hi"',
               stdin=f"{PW}\n").splitlines() == ['v"1', "xy"]  # fmt: skip
    assert len(notes) == 1
    assert "password, notes, custom field 'Ctl'" in str(notes[0])


def test_bare_secret_totp_is_exported_as_a_uri_keepassxc_codes_right(
    keepassxc_cli: str, tmp_path: Path
) -> None:
    """A TOTP held as a bare base32 secret is written as a full otpauth URI: KeePassXC's code
    is ours (a bare secret made it show a wrong one)."""
    record = Record(title="Site", username="me", totp="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    out = tmp_path / "totp.kdbx"
    export_kdbx(out, [record], PW, kdf=SMALL)
    otp = kxc(keepassxc_cli, "show", "-s", "-a", "otp", str(out), "Site", stdin=f"{PW}\n").strip()
    assert otp.startswith("otpauth://totp/Site:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    theirs, ours = totp_code(keepassxc_cli, out, "Site", record.totp)
    assert theirs in ours


def test_field_names_colliding_with_keepass_fields_round_trip(keepassxc_cli: str, tmp_path: Path) -> None:
    """Custom fields named Title, otp, Password, TOTP Seed, vaultapp:x, or twice the same name:
    written as vaultapp:NAME (KeePassXC shows them), and read back under their own names."""
    custom = (
        ("Title", "t", False), ("otp", "not a code", True), ("Password", "p2", True),
        ("TOTP Seed", "s", False), ("vaultapp:x", "y", False), ("Account", "1", False), ("Account", "2", False),
    )  # fmt: skip
    record = Record(title="Clash", password="real", custom=custom)
    out = tmp_path / "clash.kdbx"
    export_kdbx(out, [record], PW, kdf=SMALL)
    shown = kxc(keepassxc_cli, "show", "-s", "-a", "vaultapp:Title", "-a", "Password", str(out), "Clash",
                stdin=f"{PW}\n").splitlines()  # fmt: skip
    assert shown == ["t", "real"]
    back = import_kdbx(out, PW).records[0]
    assert back.password == "real"
    assert not back.totp
    assert back.custom == custom


def test_importing_the_same_database_twice_adds_no_history(rich_db: Path, target: Vault) -> None:
    """Imported history versions are numbered alike each time: a second import changes nothing."""
    target.apply(plan_records(target, import_kdbx(rich_db, PW)))
    again = plan_records(target, import_kdbx(rich_db, PW))
    assert again.changes == 0
    mail = next(e for e in target.entries if e.title == "Mail")
    assert len(mail.history) == 2


def test_history_beyond_the_vaults_limit_is_named(target: Vault) -> None:
    """More versions than the vault keeps: the newest are kept and the rest named in a note."""
    from datetime import UTC, datetime

    from vaultapp.interop.records import Parsed

    old = tuple(
        Record(title="Busy", password=f"v{i}", modified=datetime(2000 + i, 1, 1, tzinfo=UTC))
        for i in range(15)
    )
    parsed = Parsed(records=[Record(title="Busy", password="now", history=old)])
    target.apply(plan_records(target, parsed))
    entry = target.entries[0]
    assert [target.reveal(h.password) for h in entry.history if h.password] == [f"v{i}" for i in range(5, 15)]
    assert any("its 5 oldest of 15 earlier versions not brought in" in str(n) for n in parsed.notes)


def test_trash_is_exported_as_the_recycle_bin(
    rich_db: Path, target: Vault, keepassxc_cli: str, tmp_path: Path
) -> None:
    """A whole-vault KDBX export carries the Trash as KeePass's recycle bin, and it comes back
    as Trash."""
    from vaultapp.interop.formats import export_file

    target.apply(plan_records(target, import_kdbx(rich_db, PW)))
    out = tmp_path / "with-bin.kdbx"
    assert export_file(target, out, "kdbx", passphrase=PW, unlock_ms=50) == 6  # live entries
    listing = kxc(keepassxc_cli, "ls", "-R", str(out), stdin=f"{PW}\n").splitlines()
    assert listing[listing.index("Recycle Bin/") + 1] == "  Old thing"
    back = by_title(import_kdbx(out, PW).records)["Old thing"]
    assert back.trashed == next(e.trashed for e in target.trashed_entries).replace(microsecond=0)
    assert back.folder == ""
    mail = by_title(import_kdbx(out, PW).records)["Mail"]
    assert [h.password for h in mail.history] == ["pw-1", "pw-2"]  # a file export carries history


def test_two_copies_importing_one_database_merge_without_doubled_history(
    rich_db: Path, tmp_path: Path
) -> None:
    """Imported history versions carry the same numbers in every copy: merging two copies that
    each imported the database keeps each old version once."""
    from tests.helpers import PASSPHRASE
    from vaultapp.core import TEST_PARAMS, TEST_POLICY

    copies = []
    for name in ("a", "b"):
        vault = Vault.create(tmp_path / f"{name}.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY)
        vault.apply(plan_records(vault, import_kdbx(rich_db, PW)))
        vault.save()
        copies.append(vault)
    a, b = copies
    a.merge_from(b)
    mail = next(e for e in a.entries if e.title == "Mail")
    passwords = [a.reveal(h.password) for h in mail.history if h.password]
    assert passwords.count("pw-1") == 1
    assert passwords.count("pw-2") == 1
    assert a.reveal(mail.password) == "pw-3"
    for vault in copies:
        vault.close()


def test_group_notes_and_empty_groups_are_named(tmp_path: Path) -> None:
    """What a KeePass group holds that a folder cannot is named in a note."""
    xml = tmp_path / "groups.xml"
    xml.write_text(
        "<KeePassFile><Root><Group><Name>Root</Name>"
        "<Group><Name>Work</Name><Notes>team vault</Notes>"
        "<Entry><String><Key>Title</Key><Value>X</Value></String></Entry></Group>"
        "<Group><Name>Empty</Name></Group></Group></Root></KeePassFile>",
        encoding="utf-8",
    )
    notes = [str(n) for n in import_keepass_xml(xml).notes]
    assert notes == [
        "group 'Work': its notes were not brought in (folders have none)",
        "group 'Empty' is empty; it was not brought in as a folder",
    ]


def test_database_made_by_pykeepass_with_history_and_attachments(tmp_path: Path) -> None:
    """pykeepass's own history (save_history) and attachments (add_binary/add_attachment) come in."""
    from pykeepass import create_database

    db = tmp_path / "py.kdbx"
    kp = create_database(str(db), password=PW)
    entry = kp.add_entry(kp.root_group, "Router", "admin", "first")
    entry.save_history()
    entry.password = "second"
    entry.add_attachment(kp.add_binary(b"config\x00bytes", protected=False), "router.cfg")
    kp.save()
    record = import_kdbx(db, PW).records[0]
    assert record.password == "second"
    assert [h.password for h in record.history] == ["first"]
    assert record.attachments == (("router.cfg", b"config\x00bytes"),)


def test_vaultapp_to_kdbx_to_keepassxc_keeps_history_passkeys_and_every_field(
    filled: Vault, keepassxc_cli: str, tmp_path: Path
) -> None:
    """vaultapp → KDBX → keepassxc-cli: every field of every entry, each history version with
    its password, and a passkey (its private key and user handle protected)."""
    from vaultapp.core.passkeys import RELYING_PARTY
    from vaultapp.interop.formats import export_file

    bank = filled.find("Bank")
    filled.update(bank.uuid, password="newer")
    filled.update(
        bank.uuid,
        custom=[(PRIVATE_KEY_PEM, "-----BEGIN PRIVATE KEY-----x", True), (USER_HANDLE, "aGFuZGxl", True),
                (RELYING_PARTY, "bank.example", False)],
    )  # fmt: skip
    out = tmp_path / "mine.kdbx"
    export_file(filled, out, "kdbx", passphrase=PW, unlock_ms=50)
    xml = kxc(keepassxc_cli, "export", "-f", "xml", str(out), stdin=f"{PW}\n")
    theirs = {v["strings"]["Title"]: v for v in _xml_entries(xml).values()}
    for record in records_of(filled, history=True):
        strings = theirs[record.title]["strings"]
        assert strings["UserName"] == record.username
        assert strings["Password"] == record.password
        assert strings["URL"] == record.url
        assert strings["Notes"] == record.notes
        for name, value, _ in record.custom:
            assert strings[name] == value
        assert [h["strings"]["Password"] for h in theirs[record.title]["history"]] == [
            h.password for h in record.history
        ]
    assert [h["strings"]["Password"] for h in theirs["Bank"]["history"]] == ["s3cr3t=;#'x", "newer"]
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    protected = {
        s.findtext("Key")
        for s in root.iterfind(".//Entry/String")
        if s.find("Value").get("ProtectInMemory") == "True"
    }
    assert {PRIVATE_KEY_PEM, USER_HANDLE, "Password", "otp", "Recovery code"} <= protected


def test_keepass_xml_attachment_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    """A compressed attachment that inflates beyond 64 MiB is refused in one line."""
    import gzip

    from vaultapp.core.errors import UsageError

    bomb = base64.b64encode(gzip.compress(bytes(65 * 2**20))).decode()
    xml = tmp_path / "bomb.xml"
    xml.write_text(
        f'<KeePassFile><Meta><Binaries><Binary ID="0" Compressed="True">{bomb}</Binary></Binaries></Meta>'
        "<Root><Group><Name>Root</Name></Group></Root></KeePassFile>",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="inflates beyond 64 MiB"):
        import_keepass_xml(xml)


def test_a_vaults_attachments_and_their_history_reach_keepassxc(
    target: Vault, keepassxc_cli: str, tmp_path: Path
) -> None:
    """Export from a real vault: the entry's file and the file of its earlier version are in
    the KDBX, byte for byte, as keepassxc-cli reads them."""
    from vaultapp.interop.formats import export_file

    entry = target.add("Doc", password="pw-1")
    target.attach(entry.uuid, "old.bin", b"\x00old\xff")
    target.update(entry.uuid, password="pw-2")
    target.replace_attachment(entry.uuid, "old.bin", b"\x00new\xff")
    target.save()
    out = tmp_path / "doc.kdbx"
    notes: list[Problem] = []
    export_file(target, out, "kdbx", passphrase=PW, notes=notes, unlock_ms=50)
    got = tmp_path / "got.bin"
    kxc(keepassxc_cli, "attachment-export", str(out), "Doc", "old.bin", str(got), stdin=f"{PW}\n")
    assert got.read_bytes() == b"\x00new\xff"
    back = by_title(import_kdbx(out, PW).records)["Doc"]
    assert back.attachments == (("old.bin", b"\x00new\xff"),)
    assert (("old.bin", b"\x00old\xff"),) in [h.attachments for h in back.history]
