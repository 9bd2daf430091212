"""KDBX through pykeepass, checked against KeePassXC's own command line."""

from __future__ import annotations

import base64
import os
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.interop.helpers import contents
from vaultapp.core import DamagedFileError, KdfParamsRejectedError, UsageError, Vault, WrongPassphraseError
from vaultapp.interop.csv_io import import_csv
from vaultapp.interop.kdbx import KdbxKdf, aes_kdf, export_kdbx, import_kdbx
from vaultapp.interop.records import plan_records, records_of

SMALL = KdbxKdf(memory=1 << 20, passes=1, lanes=1)  # explicit test setting; the default is KeePassXC's
DB_PASS = "kdbx pass"


def kxc(cli: str, *args: str, stdin: str = f"{DB_PASS}\n") -> str:
    done = subprocess.run(
        [cli, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _import_into(vault: Vault, path: Path, passphrase: str = DB_PASS) -> object:
    result = plan_records(vault, import_kdbx(path, passphrase))
    vault.apply(result)
    return result


def test_round_trip_keeps_every_field(filled: Vault, target: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    assert export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL) == 4
    assert out.stat().st_mode & 0o777 == 0o600
    _import_into(target, out)
    # KDBX stores times in whole seconds
    assert contents(target, whole_seconds=True) == contents(filled, whole_seconds=True)


def test_reimport_after_round_trip_changes_nothing(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    result = _import_into(filled, out)
    assert result.changes == 0
    assert result.unchanged == 4
    assert all(not e.history for e in filled.entries)


def test_keepassxc_reads_every_field_of_our_export(filled: Vault, tmp_path: Path, keepassxc_cli: str) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    listing = kxc(keepassxc_cli, "ls", "-R", "-f", str(out))
    assert {"Work/Code/GitHub", "Finance/Bank", "Wi-Fi at home"} <= set(listing.split("\n"))
    attrs = ["Title", "UserName", "Password", "URL", "Notes", "otp", "Recovery code", "Account id"]
    shown = kxc(
        keepassxc_cli, "show", "-s", *(x for a in attrs for x in ("-a", a)), str(out), "Work/Code/GitHub"
    )
    assert shown == (
        "GitHub\nocto@example.com\n" 'p,a"ss\nword ü\n' "https://github.com/login\n"
        'line one\nline "two", with comma\n\nlast\n'
        "otpauth://totp/GitHub:octo?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\nabcd-efgh\n12345\n"
    )  # fmt: skip
    everything = kxc(keepassxc_cli, "show", str(out), "Work/Code/GitHub")
    assert "Tags: dev,work" in everything
    github = filled.find("GitHub")
    assert f"Uuid: {{{github.uuid}}}" in everything
    totp = kxc(keepassxc_cli, "show", "-t", str(out), "Work/Code/GitHub").strip()
    assert totp.isdigit()
    assert len(totp) == 6
    # KeePassXC's own CSV export of our database carries the times we wrote
    csv_text = kxc(keepassxc_cli, "export", "-f", "csv", str(out))
    assert '"Root/Work/Code","GitHub","octo@example.com"' in csv_text
    assert github.created.strftime("%Y-%m-%dT%H:%M:%S") in csv_text


def test_database_made_by_keepassxc_imports(target: Vault, tmp_path: Path, keepassxc_cli: str) -> None:
    db = tmp_path / "kxc.kdbx"
    kxc(keepassxc_cli, "db-create", "-p", "-t", "100", str(db), stdin=f"{DB_PASS}\n{DB_PASS}\n")
    kxc(keepassxc_cli, "mkdir", str(db), "Email")
    kxc(
        keepassxc_cli, "add", "-u", "me@example.com", "--url", "https://mail.example", "--notes", "hello",
        "-p", str(db), "Email/Mailbox", stdin=f"{DB_PASS}\nmail password\n",
    )  # fmt: skip
    _import_into(target, db)
    mailbox = target.find("Mailbox")
    assert (mailbox.username, mailbox.url, mailbox.notes, mailbox.folder) == (
        "me@example.com", "https://mail.example", "hello", "Email",
    )  # fmt: skip
    assert target.reveal(mailbox.password) == "mail password"  # type: ignore[arg-type]
    # KeePassXC's CSV export of the same database, in its exact layout, imports the same way
    csv_path = tmp_path / "kxc.csv"
    csv_path.write_text(kxc(keepassxc_cli, "export", "-f", "csv", str(db)), encoding="utf-8")
    (record,) = import_csv(csv_path).records
    assert (record.folder, record.title, record.username, record.password) == (
        "Email", "Mailbox", "me@example.com", "mail password",
    )  # fmt: skip


def _b64uuid(value: uuid.UUID) -> str:
    return base64.b64encode(value.bytes).decode()


def test_keepassxc_import_of_xml_with_otp_tags_attributes(
    target: Vault, tmp_path: Path, keepassxc_cli: str
) -> None:
    entry_uuid = uuid.uuid4()
    xml = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Meta><Generator>test</Generator></Meta><Root>
<Group><UUID>{_b64uuid(uuid.uuid4())}</UUID><Name>Root</Name>
<Group><UUID>{_b64uuid(uuid.uuid4())}</UUID><Name>Dev</Name>
<Entry><UUID>{_b64uuid(entry_uuid)}</UUID><Tags>api;prod</Tags>
<Times><CreationTime>2023-05-06T07:08:09Z</CreationTime><LastModificationTime>2024-01-02T03:04:05Z</LastModificationTime>
<LastAccessTime>2024-01-02T03:04:05Z</LastAccessTime><ExpiryTime>2030-01-01T00:00:00Z</ExpiryTime><Expires>True</Expires>
<UsageCount>0</UsageCount><LocationChanged>2024-01-02T03:04:05Z</LocationChanged></Times>
<String><Key>Title</Key><Value>Cloud API</Value></String>
<String><Key>UserName</Key><Value>svc</Value></String>
<String><Key>Password</Key><Value ProtectInMemory="True">s3cret</Value></String>
<String><Key>URL</Key><Value>https://api.example</Value></String>
<String><Key>Notes</Key><Value>rotate yearly</Value></String>
<String><Key>otp</Key><Value ProtectInMemory="True">otpauth://totp/Cloud?secret=JBSWY3DPEHPK3PXP&amp;period=30&amp;digits=6</Value></String>
<String><Key>API key</Key><Value ProtectInMemory="True">ak_123</Value></String>
<String><Key>Region</Key><Value>eu-west</Value></String>
</Entry></Group></Group></Root></KeePassFile>
"""
    xml_path, db = tmp_path / "in.xml", tmp_path / "imported.kdbx"
    xml_path.write_text(xml, encoding="utf-8")
    kxc(keepassxc_cli, "import", "-p", "-t", "100", str(xml_path), str(db), stdin=f"{DB_PASS}\n{DB_PASS}\n")
    _import_into(target, db)
    api = target.get(str(entry_uuid))
    assert (api.title, api.username, api.url, api.notes, api.folder, api.tags) == (
        "Cloud API", "svc", "https://api.example", "rotate yearly", "Dev", ("api", "prod"),
    )  # fmt: skip
    assert target.reveal(api.password) == "s3cret"  # type: ignore[arg-type]
    assert target.reveal(api.totp).startswith("otpauth://totp/Cloud?secret=JBSWY3DPEHPK3PXP")  # type: ignore[arg-type]
    custom = {c.name: (c.protected, target.reveal(c.value) if c.protected else c.value) for c in api.custom}  # type: ignore[arg-type]
    assert custom == {"API key": (True, "ak_123"), "Region": (False, "eu-west")}
    assert api.created == datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert api.modified == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert api.expires == datetime(2030, 1, 1, tzinfo=UTC)


def test_database_made_by_pykeepass_with_otp_and_recycle_bin(target: Vault, tmp_path: Path) -> None:
    from pykeepass import create_database

    db = tmp_path / "py.kdbx"
    kp = create_database(str(db), password=DB_PASS)
    group = kp.add_group(kp.root_group, "Social")
    kp.add_entry(group, "Mastodon", "me", "pw", url="https://mastodon.example", tags=["fedi"],
                 otp="otpauth://totp/Mastodon:me?secret=GEZDGNBVGY3TQOJQ&issuer=Mastodon")  # fmt: skip
    old = kp.add_entry(kp.root_group, "Old forum", "me", "old")
    kp.trash_entry(old)
    legacy = kp.add_entry(kp.root_group, "Legacy TOTP", "me", "x")
    legacy.set_custom_property("TOTP Seed", "JBSWY3DPEHPK3PXP", protect=True)
    legacy.set_custom_property("TOTP Settings", "30;8")
    kp.save()
    _import_into(target, db)
    mastodon = target.find("Mastodon")
    assert (mastodon.folder, mastodon.tags, mastodon.url) == ("Social", ("fedi",), "https://mastodon.example")
    assert "GEZDGNBVGY3TQOJQ" in target.reveal(mastodon.totp)  # type: ignore[arg-type]
    assert [e.title for e in target.trashed_entries] == ["Old forum"]
    legacy_totp = target.reveal(target.find("Legacy TOTP").totp)  # type: ignore[arg-type]
    assert "secret=JBSWY3DPEHPK3PXP" in legacy_totp
    assert "digits=8" in legacy_totp


def test_databases_locked_with_a_key_file_by_keepassxc(
    target: Vault, tmp_path: Path, keepassxc_cli: str
) -> None:
    """KeePassXC's composite keys: passphrase and key file, or a key file only."""
    key = tmp_path / "db.keyx"
    both, key_only = tmp_path / "both.kdbx", tmp_path / "key-only.kdbx"
    kxc(keepassxc_cli, "db-create", "-q", "-p", "-t", "100", "--set-key-file", str(key), str(both),
        stdin=f"{DB_PASS}\n{DB_PASS}\n")  # fmt: skip
    assert key.is_file()  # KeePassXC wrote a new key file
    kxc(keepassxc_cli, "add", "-q", "-k", str(key), "-u", "me", str(both), "Mail")
    kxc(keepassxc_cli, "db-create", "-q", "-t", "100", "--set-key-file", str(key), str(key_only), stdin="")
    kxc(
        keepassxc_cli,
        "add",
        "-q",
        "--no-password",
        "-k",
        str(key),
        "-u",
        "me",
        str(key_only),
        "Bank",
        stdin="",
    )

    assert [r.title for r in import_kdbx(both, DB_PASS, keyfile=key).records] == ["Mail"]
    assert [r.title for r in import_kdbx(key_only, "", keyfile=key).records] == ["Bank"]
    with pytest.raises(WrongPassphraseError, match="give its key file if it has one"):
        import_kdbx(both, DB_PASS)
    other_key = tmp_path / "other.key"
    other_key.write_bytes(b"not the key file")  # any file can be a key file: it is hashed
    with pytest.raises(WrongPassphraseError, match="that this is the database's key file"):
        import_kdbx(both, DB_PASS, keyfile=other_key)
    with pytest.raises(WrongPassphraseError):
        import_kdbx(key_only, DB_PASS, keyfile=key)  # a passphrase it does not have
    _import_into_with_key(target, both, key)
    assert target.find("Mail").username == "me"


def _import_into_with_key(vault: Vault, path: Path, key: Path) -> None:
    vault.apply(plan_records(vault, import_kdbx(path, DB_PASS, keyfile=key)))


def test_key_file_that_is_missing_or_not_a_file(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    with pytest.raises(UsageError, match="There is no key file at"):
        import_kdbx(out, DB_PASS, keyfile=tmp_path / "missing.keyx")
    with pytest.raises(UsageError, match="is not a file"):
        import_kdbx(out, DB_PASS, keyfile=tmp_path)


def test_oversized_key_file_is_refused_before_reading(
    filled: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr("vaultapp.interop.kdbx.KEYFILE_MAX", 1024)  # explicit test setting
    with pytest.raises(UsageError, match="a key file may be at most"):
        import_kdbx(out, DB_PASS, keyfile=big)


def _kdf_of(path: Path) -> tuple[int, int, int]:
    from pykeepass import PyKeePass

    params = PyKeePass(str(path), password=DB_PASS).kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    return params["M"].value, params["I"].value, params["P"].value


def test_calibration_raises_passes_like_keepassxc() -> None:
    """64 MiB and 2 lanes; passes from two probes (a fixed part and a cost per pass), within bounds."""
    probes: list[KdbxKdf] = []

    def timer(fixed: float, per_pass: float) -> Callable[[KdbxKdf], float]:
        """A fake clock for the probes."""

        def probe(kdf: KdbxKdf) -> float:
            probes.append(kdf)
            return fixed + per_pass * kdf.passes

        return probe

    assert KdbxKdf.calibrated(1000, timer=timer(30, 20)) == KdbxKdf(memory=64 * 2**20, passes=48, lanes=2)
    assert probes == [KdbxKdf(passes=2), KdbxKdf(passes=10)]
    assert KdbxKdf.calibrated(20_000, timer=timer(0, 20)).passes == 500  # target kept to 10 s
    assert KdbxKdf.calibrated(1, timer=timer(0, 0.5)).passes == 100  # target kept to 50 ms
    probes.clear()
    assert KdbxKdf.calibrated(100, timer=timer(30, 450)).passes == 2  # never below 2 passes
    assert probes == [KdbxKdf(passes=2)]  # a first probe over the target is the answer
    assert KdbxKdf.calibrated(10_000, timer=timer(1, 0)).passes == 1000  # never beyond what import accepts


def test_export_calibrates_to_the_vaults_own_unlock_time(
    filled: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default a KeePass export opens as slowly as the vault; --unlock-ms chooses."""
    from vaultapp.interop.formats import export_file

    monkeypatch.setattr("vaultapp.interop.kdbx._time_argon2d", lambda kdf: 25.0 * kdf.passes)  # 25 ms a pass
    monkeypatch.setattr(filled, "kdf_ms", 150.0)
    export_file(filled, tmp_path / "same.kdbx", "kdbx", passphrase=DB_PASS)
    assert _kdf_of(tmp_path / "same.kdbx") == (64 * 2**20, 6, 2)
    export_file(filled, tmp_path / "chosen.kdbx", "kdbx", passphrase=DB_PASS, unlock_ms=100)
    assert _kdf_of(tmp_path / "chosen.kdbx") == (64 * 2**20, 4, 2)
    with pytest.raises(UsageError, match="--unlock-ms must be between 50 and 10000"):
        export_file(filled, tmp_path / "no.kdbx", "kdbx", passphrase=DB_PASS, unlock_ms=10)
    with pytest.raises(UsageError, match="applies to a KeePass"):
        export_file(filled, tmp_path / "no.csv", "csv", unlock_ms=100)
    assert not (tmp_path / "no.kdbx").exists()
    assert not (tmp_path / "no.csv").exists()


def test_wrong_passphrase(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    with pytest.raises(WrongPassphraseError, match=r"out\.kdbx is wrong"):
        import_kdbx(out, "not it")


def test_damaged_and_foreign_files(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    data = bytearray(out.read_bytes())
    data[-100] ^= 0xFF
    damaged = tmp_path / "damaged.kdbx"
    damaged.write_bytes(bytes(data))
    with pytest.raises((DamagedFileError, WrongPassphraseError)):
        import_kdbx(damaged, DB_PASS)
    foreign = tmp_path / "notes.kdbx"
    foreign.write_text("just text")
    with pytest.raises(DamagedFileError, match="not a KeePass database"):
        import_kdbx(foreign, DB_PASS)


def test_hostile_kdf_parameters_are_refused_before_deriving(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    data = out.read_bytes()
    marker = b"\x05\x01\x00\x00\x00M\x08\x00\x00\x00"  # UInt64 item "M" (Argon2 memory)
    at = data.index(marker) + len(marker)
    hostile = tmp_path / "hostile.kdbx"
    hostile.write_bytes(data[:at] + (2**40).to_bytes(8, "little") + data[at + 8 :])
    with pytest.raises(KdfParamsRejectedError, match="beyond what vaultapp accepts"):
        import_kdbx(hostile, DB_PASS)


def test_export_refuses_to_overwrite_and_needs_a_passphrase(filled: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out.kdbx"
    out.write_text("keep")
    with pytest.raises(UsageError, match="exists already"):
        export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    with pytest.raises(UsageError, match="needs a passphrase"):
        export_kdbx(tmp_path / "new.kdbx", records_of(filled), "", kdf=SMALL)
    assert out.read_text() == "keep"
    assert not (tmp_path / "new.kdbx").exists()


@pytest.mark.parametrize("rounds", [0, 1, 2, 1000, 70_001])
def test_native_aes_kdf_matches_pykeepass(rounds: int) -> None:
    from pykeepass.kdbx_parsing.common import aes_kdf as reference

    seed, composite = bytes(range(32)), bytes(range(100, 132))
    assert aes_kdf(seed, rounds, composite) == reference(seed, rounds, composite)


def test_what_a_keepassxc_entry_holds_beyond_fields_comes_in(
    target: Vault, tmp_path: Path, keepassxc_cli: str
) -> None:
    """An attachment and an earlier version (made by KeePassXC itself) come in with the entry;
    nothing about them is left to a note."""
    db = tmp_path / "kxc.kdbx"
    kxc(keepassxc_cli, "db-create", "-q", "-p", "-t", "100", str(db), stdin=f"{DB_PASS}\n{DB_PASS}\n")
    kxc(keepassxc_cli, "add", "-q", "-u", "me", str(db), "Mail")
    kxc(keepassxc_cli, "edit", "-q", "-u", "me2", str(db), "Mail")
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"attached")
    kxc(keepassxc_cli, "attachment-import", "-q", str(db), "Mail", "scan.txt", str(scan))
    kxc(keepassxc_cli, "add", "-q", "-u", "plain", str(db), "Plain")
    parsed = import_kdbx(db, DB_PASS)
    target.apply(plan_records(target, parsed))
    assert parsed.notes == []
    mail = next(e for e in target.entries if e.title == "Mail")
    assert [(a.name, target.attachment_content(a)) for a in mail.attachments] == [("scan.txt", b"attached")]
    assert "me" in [old.username for old in mail.history]


def test_a_bitwarden_passkey_reaches_keepassxc_as_a_passkey(
    target: Vault, tmp_path: Path, keepassxc_cli: str
) -> None:
    """Imported from Bitwarden, exported to KDBX: KeePassXC sees its passkey attributes, key and
    user handle protected."""
    import json

    from cryptography.hazmat.primitives import serialization

    from tests.interop.bitwarden_fixtures import PASSKEY, USER_HANDLE, export
    from vaultapp.interop.bitwarden import parse_bitwarden_json

    target.apply(plan_records(target, parse_bitwarden_json(json.dumps(export()))))
    out = tmp_path / "passkey.kdbx"
    export_kdbx(out, records_of(target), DB_PASS, kdf=SMALL)
    hidden = kxc(keepassxc_cli, "show", "--all", str(out), "Personal/Example")
    assert "KPEX_PASSKEY_PRIVATE_KEY_PEM: PROTECTED" in hidden
    assert "KPEX_PASSKEY_USER_HANDLE: PROTECTED" in hidden
    assert "KPEX_PASSKEY_RELYING_PARTY: example.com" in hidden
    pem = kxc(keepassxc_cli, "show", "-s", "-a", "KPEX_PASSKEY_PRIVATE_KEY_PEM", str(out), "Personal/Example")
    key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    assert key.private_numbers() == PASSKEY.private_numbers()  # type: ignore[union-attr]
    handle = kxc(keepassxc_cli, "show", "-s", "-a", "KPEX_PASSKEY_USER_HANDLE", str(out), "Personal/Example")
    assert handle.strip() == USER_HANDLE
