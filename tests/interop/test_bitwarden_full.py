"""Bitwarden JSON import, all of it: passkeys, history, Trash, linked fields, cards,
identities, SSH keys, collections, and password-protected exports (PBKDF2 and Argon2id)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.interop.bitwarden_fixtures import (
    CREDENTIAL_B64,
    PASSKEY,
    USER_HANDLE,
    b64url,
    export,
    protect,
)
from vaultapp.core import DamagedFileError, KdfParamsRejectedError, UsageError, Vault, WrongPassphraseError
from vaultapp.core import passkeys as pk
from vaultapp.interop.bitwarden import import_bitwarden_json, parse_bitwarden_json
from vaultapp.interop.bitwarden_crypto import PasswordNeededError
from vaultapp.interop.bitwarden_passkeys import credential_id
from vaultapp.interop.formats import plan_file_import, read_plain
from vaultapp.interop.records import Parsed, Record, plan_records


def _fields(vault: Vault, entry: object) -> dict[str, tuple[bool, str]]:
    return {
        c.name: (c.protected, vault.reveal(c.value) if c.protected else c.value)  # type: ignore[arg-type]
        for c in entry.custom  # type: ignore[attr-defined]
    }


def _import(vault: Vault, parsed: Parsed) -> None:
    vault.apply(plan_records(vault, parsed))


def test_every_kind_of_item_comes_in(target: Vault) -> None:
    parsed = parse_bitwarden_json(json.dumps(export()))
    _import(target, parsed)
    example = target.get("11111111-1111-4111-8111-111111111111")
    fields = _fields(target, example)
    # the first passkey, in KeePassXC's layout: PEM key and user handle protected
    assert fields[pk.CREDENTIAL_ID] == (False, b64url(bytes.fromhex("8b3c1f4e2a5d4e6f9a0b1c2d3e4f5a6b")))
    assert fields[pk.RELYING_PARTY] == (False, "example.com")
    assert fields[pk.USERNAME] == (False, "jane@example.com")
    assert fields[pk.USER_HANDLE] == (True, USER_HANDLE)
    protected, pem = fields[pk.PRIVATE_KEY_PEM]
    assert protected
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert key.private_numbers() == PASSKEY.private_numbers()  # type: ignore[union-attr]
    # custom fields: hidden protected, boolean, linked naming its target, reprompt, second URL
    assert fields["PIN"] == (True, "9876")
    assert fields["Verified"] == (False, "true")
    assert fields["Login name"] == (False, "Linked to Username")
    assert fields["Bitwarden reprompt"] == (False, "1")
    assert fields["URL 2"] == (False, "https://ex.org")
    assert example.folder == "Personal"
    # the password history: one earlier version per password, oldest first, with its date
    assert [target.reveal(old.password) for old in example.history] == ["pw-one", "pw-two"]  # type: ignore[arg-type]
    assert [old.modified.isoformat() for old in example.history] == [
        "2023-02-01T10:00:00+00:00", "2024-05-01T10:00:00+00:00",
    ]  # fmt: skip
    assert target.reveal(example.password) == "pw-now"  # type: ignore[arg-type]
    # the second passkey: an entry of its own (KeePassXC holds one per entry)
    second = target.find("Example (passkey 2)")
    assert _fields(target, second)[pk.CREDENTIAL_ID] == (False, CREDENTIAL_B64)
    assert second.url == "https://example.com"
    # Bitwarden's trash → the Trash, not live
    assert "Old forum" not in {e.title for e in target.entries}
    (forum,) = [e for e in target.trashed_entries if e.title == "Old forum"]
    assert forum.trashed is not None
    assert forum.trashed.isoformat() == "2024-08-01T12:00:00+00:00"
    # organisation collections: the first is the folder, the others tags
    assert (forum.folder, forum.tags) == ("Team/Shared", ("Ops",))
    visa = target.find("Visa")
    assert visa.folder == "Ops"
    assert _fields(target, visa) == {
        "Cardholder": (False, "Jane Doe"), "Card brand": (False, "Visa"),
        "Card number": (True, "4111111111111111"), "Expiry month": (False, "4"),
        "Expiry year": (False, "2030"), "Security code": (True, "123"), "Card": (False, "Linked to Card number"),
    }  # fmt: skip
    assert _fields(target, target.find("Me")) == {
        "Name title": (False, "Ms"), "First name": (False, "Jane"), "Last name": (False, "Doe"),
        "Social security number": (True, "123-45-6789"), "Passport number": (True, "P123"),
        "Email": (False, "jane@example.com"),
    }  # fmt: skip
    ssh = _fields(target, target.find("Server key"))
    assert ssh["SSH private key"][0] is True
    assert ssh["SSH public key"] == (False, "ssh-ed25519 AAAA test")
    assert target.find("Safe").notes == "12-34-56"
    # what did not come in is named, per item and field
    notes = [str(n) for n in parsed.notes]
    assert "item 1 ('Example'): 'archivedDate' not brought in (vaultapp has no place for it)" in notes
    assert "item 1 ('Example'): the match rule of URL 2 not brought in (vaultapp matches by host)" in notes
    assert any("passkey 2: its signature counter (7)" in n for n in notes)
    assert any("passkey 2 kept as the entry 'Example (passkey 2)'" in n for n in notes)


def test_the_same_export_twice_adds_nothing_and_keeps_one_history(target: Vault) -> None:
    text = json.dumps(export())
    _import(target, parse_bitwarden_json(text))
    plan = plan_records(target, parse_bitwarden_json(text))
    assert plan.changes == 0
    target.apply(plan)
    assert len(target.get("11111111-1111-4111-8111-111111111111").history) == 2


def test_history_survives_save_and_reopen(tmp_path: Path, target: Vault) -> None:
    _import(target, parse_bitwarden_json(json.dumps(export())))
    target.save()
    with Vault.open(target.path, "correct horse battery staple", policy=target.policy) as again:
        entry = again.get("11111111-1111-4111-8111-111111111111")
        assert [again.reveal(old.password) for old in entry.history] == ["pw-one", "pw-two"]  # type: ignore[arg-type]
        assert again.reveal(entry.password) == "pw-now"  # type: ignore[arg-type]


def test_a_newer_export_brings_its_history_to_an_entry_already_there(target: Vault) -> None:
    data = export()
    item = data["items"][0]
    item["passwordHistory"].append({"lastUsedDate": "2024-05-02T10:00:00.000Z", "password": "pw-three"})
    _import(target, parse_bitwarden_json(json.dumps(data)))
    # numbered below the entry's own version, the file's history never outranks a later edit
    item["passwordHistory"] = [{"lastUsedDate": "2024-06-01T00:00:00.000Z", "password": "pw-now"}]
    item["login"]["password"] = "pw-newer"
    item["revisionDate"] = "2025-01-01T00:00:00.000Z"
    _import(target, parse_bitwarden_json(json.dumps(data)))
    entry = target.get(item["id"])
    assert target.reveal(entry.password) == "pw-newer"  # type: ignore[arg-type]
    assert "pw-now" in [target.reveal(old.password) for old in entry.history]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8b3c1f4e-2a5d-4e6f-9a0b-1c2d3e4f5a6b", "izwfTipdTm-aCxwtPk9aaw"),
        ("b64.AQID", "AQID"),
        ("b64.-_8", "-_8"),
        ("not an id", "not an id"),
    ],
)
def test_credential_ids_as_keepassxc_stores_them(value: str, expected: str) -> None:
    assert credential_id(value) == expected


def test_a_passkey_without_a_usable_key_is_noted_not_made() -> None:
    data = export()
    data["items"][0]["login"]["fido2Credentials"] = [{"credentialId": "b64.AQID", "keyValue": "bm90IGEga2V5"}]
    parsed = parse_bitwarden_json(json.dumps(data))
    assert not any(name.startswith("KPEX_") for name, _, _ in parsed.records[0].custom)
    assert any("passkey 1: the passkey not brought in" in str(n) for n in parsed.notes)


@pytest.mark.parametrize("kdf", [0, 1])
def test_password_protected_export_opens_with_its_password(tmp_path: Path, target: Vault, kdf: int) -> None:
    path = tmp_path / "bw.json"
    path.write_text(json.dumps(protect(export(), "export pw ü", kdf=kdf, iterations=5000 if kdf == 0 else 2)))
    assert read_plain(path, "bitwarden-json") is None  # its password is asked next
    with pytest.raises(PasswordNeededError):
        import_bitwarden_json(path)
    with pytest.raises(WrongPassphraseError, match="password for this Bitwarden export is wrong"):
        import_bitwarden_json(path, "export pw u")
    outcome = plan_file_import(target, path, "bitwarden-json", passphrase="export pw ü")
    target.apply(outcome.plan)
    assert _fields(target, target.find("Visa"))["Card number"] == (True, "4111111111111111")
    assert [target.reveal(o.password) for o in target.find("Example").history] == ["pw-one", "pw-two"]  # type: ignore[arg-type]


def test_tampered_data_is_damaged_not_a_wrong_password() -> None:
    sealed = protect(export(), "pw")
    iv, ct, mac = sealed["data"][2:].split("|")
    raw = bytearray(base64.b64decode(ct))
    raw[5] ^= 1
    sealed["data"] = "2." + "|".join((iv, base64.b64encode(raw).decode(), mac))
    with pytest.raises(DamagedFileError, match="damaged"):
        parse_bitwarden_json(json.dumps(sealed), "pw")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kdfIterations": 10**12}, "PBKDF2 with 1000000000000 iterations"),
        ({"kdfIterations": True}, "PBKDF2 with True iterations"),
        ({"kdfType": 1, "kdfIterations": 3, "kdfMemory": 1 << 20, "kdfParallelism": 4}, "Argon2id"),
        ({"kdfType": 1, "kdfIterations": 3, "kdfMemory": 64, "kdfParallelism": 999}, "Argon2id"),
        ({"kdfType": 7}, "key derivation 7"),
    ],
)
def test_hostile_kdf_settings_are_refused_before_deriving(changes: dict[str, object], message: str) -> None:
    sealed = protect({"items": []}, "pw") | changes
    with pytest.raises(KdfParamsRejectedError, match=message):
        parse_bitwarden_json(json.dumps(sealed), "pw")


def test_account_restricted_export_says_to_export_password_protected() -> None:
    text = json.dumps({"encrypted": True, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "items": []})
    with pytest.raises(UsageError, match='choosing "Password protected"'):
        parse_bitwarden_json(text, "anything")


def test_attachments_from_any_importer_come_in(target: Vault) -> None:
    parsed = Parsed(records=[Record(title="Doc", attachments=(("scan.pdf", b"%PDF-1.7 ..."),))])
    target.apply(plan_records(target, parsed))
    assert parsed.notes == []
    (doc,) = target.entries
    assert [(a.name, target.attachment_content(a)) for a in doc.attachments] == [
        ("scan.pdf", b"%PDF-1.7 ...")
    ]


def test_an_older_export_with_history_goes_into_history_and_the_vault_reopens(target: Vault) -> None:
    data = export()
    item = data["items"][0]
    _import(target, parse_bitwarden_json(json.dumps(data)))
    target.update(item["id"], password="changed here")
    item["passwordHistory"].append({"lastUsedDate": "2024-05-03T10:00:00.000Z", "password": "pw-other"})
    item["login"]["password"] = "pw-older"
    _import(target, parse_bitwarden_json(json.dumps(data)))  # its revisionDate is older than our edit
    assert target.reveal(target.get(item["id"]).password) == "changed here"  # type: ignore[arg-type]
    target.save()
    with Vault.open(target.path, "correct horse battery staple", policy=target.policy) as again:
        entry = again.get(item["id"])
        assert again.reveal(entry.password) == "changed here"  # type: ignore[arg-type]
        assert "pw-other" in [again.reveal(old.password) for old in entry.history]  # type: ignore[arg-type]


def test_an_export_sealed_by_another_implementation_opens() -> None:
    """A published vector built independently (Python hashlib, hand-written HKDF-Expand, openssl)."""
    from tests.helpers import load_vectors

    vector = load_vectors("bitwarden_protected_export.json")
    text = json.dumps(vector["export"])
    with pytest.raises(WrongPassphraseError):
        parse_bitwarden_json(text, "correct horse")
    (example,) = parse_bitwarden_json(text, vector["password"]).records
    assert (example.title, example.password, example.folder) == ("Example", "hunter2", "Work")
    fields = {name: value for name, value, _ in example.custom}
    assert fields["PIN"] == "1234"
    pem = fields[pk.PRIVATE_KEY_PEM]
    der = base64.urlsafe_b64decode(vector["passkey_key"] + "==")
    assert (
        serialization.load_pem_private_key(pem.encode(), None).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        == der
    )


def test_an_older_file_s_long_history_never_outranks_the_entry_here(target: Vault) -> None:
    """Imported once without history, then an older export with three earlier passwords: they
    go into history below the current version (numbered as legacy edits they would outrank it,
    make an old password current and leave a vault that does not read back)."""
    data = export()
    item = data["items"][0]
    history = item.pop("passwordHistory")
    _import(target, parse_bitwarden_json(json.dumps(data)))
    item["passwordHistory"] = [*history, {"lastUsedDate": "2020-01-01T00:00:00.000Z", "password": "pw-zero"}]
    item["login"]["password"] = "pw-older"
    item["revisionDate"] = "2021-01-01T00:00:00.000Z"
    _import(target, parse_bitwarden_json(json.dumps(data)))
    assert target.reveal(target.get(item["id"]).password) == "pw-now"  # type: ignore[arg-type]
    target.save()
    with Vault.open(target.path, "correct horse battery staple", policy=target.policy) as again:
        entry = again.get(item["id"])
        assert again.reveal(entry.password) == "pw-now"  # type: ignore[arg-type]
        assert {"pw-zero", "pw-one", "pw-two"} <= {again.reveal(o.password) for o in entry.history}  # type: ignore[arg-type]
