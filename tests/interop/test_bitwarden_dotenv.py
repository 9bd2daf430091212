"""Bitwarden JSON import, .env export/import, and cancelling an import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dotenv import dotenv_values

from vaultapp.core import ImportCancelledError, UsageError, Vault
from vaultapp.interop.bitwarden import import_bitwarden_json, parse_bitwarden_json
from vaultapp.interop.dotenv import env_name, export_env, link_existing, parse_env
from vaultapp.interop.records import Parsed, Record, plan_records, records_of

BITWARDEN = {
    "encrypted": False,
    "folders": [{"id": "f1", "name": "Social"}],
    "items": [
        {
            "id": "0b8c5d7e-1111-4222-8333-944455556666", "folderId": "f1", "type": 1, "name": "Twitter",
            "notes": "old handle", "favorite": True, "reprompt": 0,
            "fields": [{"name": "PIN", "value": "1234", "type": 1}, {"name": "Plan", "value": "free", "type": 0}],
            "login": {"username": "me", "password": "pw1", "totp": "JBSWY3DPEHPK3PXP",
                      "uris": [{"match": None, "uri": "https://twitter.com"}, {"uri": "https://x.com"}]},
            "creationDate": "2023-01-02T03:04:05.000Z", "revisionDate": "2024-02-03T04:05:06.000Z",
        },
        {"id": "1b8c5d7e-1111-4222-8333-944455556666", "type": 2, "name": "Safe combination", "notes": "12-34-56",
         "secureNote": {"type": 0}},
        {"id": "2b8c5d7e-1111-4222-8333-944455556666", "type": 3, "name": "Visa",
         "card": {"cardholderName": "Jane", "number": "4111111111111111", "code": "123", "expYear": "2030"}},
        {"type": 1, "login": {"password": "orphan"}},
        "not an item",
    ],
}  # fmt: skip


def _apply(vault: Vault, parsed: Parsed) -> object:
    result = plan_records(vault, parsed)
    vault.apply(result)
    return result


def test_bitwarden_json_maps_every_kind(target: Vault, tmp_path: Path) -> None:
    path = tmp_path / "bw.json"
    path.write_text(json.dumps(BITWARDEN), encoding="utf-8")
    parsed = import_bitwarden_json(path)
    assert [str(p) for p in parsed.skipped] == [
        "item 4 has no name, username or URL",
        "item 5 is not an object",
    ]
    _apply(target, parsed)
    twitter = target.get("0b8c5d7e-1111-4222-8333-944455556666")
    assert (twitter.title, twitter.folder, twitter.favourite, twitter.url, twitter.notes) == (
        "Twitter", "Social", True, "https://twitter.com", "old handle",
    )  # fmt: skip
    assert target.reveal(twitter.password) == "pw1"  # type: ignore[arg-type]
    assert target.reveal(twitter.totp) == "JBSWY3DPEHPK3PXP"  # type: ignore[arg-type]
    fields = {
        c.name: (c.protected, target.reveal(c.value) if c.protected else c.value) for c in twitter.custom
    }  # type: ignore[arg-type]
    assert fields == {"PIN": (True, "1234"), "Plan": (False, "free"), "URL 2": (False, "https://x.com")}
    assert twitter.created.isoformat() == "2023-01-02T03:04:05+00:00"
    assert target.find("Safe combination").notes == "12-34-56"
    visa = target.find("Visa")
    card = {c.name: c.protected for c in visa.custom}
    assert card == {
        "Cardholder": False,
        "Card number": True,
        "Security code": True,
        "Expiry year": False,
    }
    assert visa.tags == ("card",)
    # the item ids are the UUIDs: the same export again adds nothing
    assert _apply(target, import_bitwarden_json(path)).changes == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"encrypted": true, "items": []}', "encrypted Bitwarden export"),
        ("{not json", "not JSON"),
        ('["a list"]', "not a Bitwarden JSON export"),
    ],
)
def test_bitwarden_json_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_bitwarden_json(text)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Stripe live key", "STRIPE_LIVE_KEY"),
        ("aws.secret-access", "AWS_SECRET_ACCESS"),
        ("2fa backup", "_2FA_BACKUP"),
    ],
)
def test_env_names_from_titles(title: str, name: str) -> None:
    assert env_name(title) == name


def test_env_export_reads_back_with_python_dotenv(tmp_path: Path) -> None:
    values = [
        "plain",
        "with space",
        "it's",
        'quote " and \\ back',
        "#hash",
        "a$b",
    ]  # more: test_dotenv_safety
    records = [Record(title=f"key {i}", password=v) for i, v in enumerate(values)]
    records += [
        Record(title="key 0", password="dup"),
        Record(title="no secret"),
        Record(title="!!!", password="x"),
    ]
    notes: list[object] = []
    out = tmp_path / ".env"
    assert export_env(out, records, notes) == len(values) + 1  # type: ignore[arg-type]
    assert out.stat().st_mode & 0o777 == 0o600
    text = out.read_text()
    assert text.startswith("# Exported by vaultapp")
    assert "PLAIN TEXT" in text
    read = dotenv_values(out, interpolate=False)
    assert [read[f"KEY_{i}"] for i in range(len(values))] == values
    assert read["KEY_0_2"] == "dup"
    assert [str(n) for n in notes] == [
        "'key 0' is written as KEY_0_2 (KEY_0 was taken)",
        "'no secret' has no password; left out",
        "'!!!' has no letters or digits to name it by; left out",
    ]


def test_env_import_adds_updates_and_reports(target: Vault) -> None:
    kept = target.add("STRIPE_KEY", password="sk_old", folder="Dev", notes="rotates monthly")
    text = "# keys\nexport STRIPE_KEY=sk_new\nDB_URL='postgres://u:p@h/db'\nnot a line\nEMPTY=\nLONELY\n"
    parsed = parse_env(text, folder="Dev")
    assert [str(p) for p in parsed.skipped] == [
        "line 4: not a NAME=value line (its text is not shown: it may hold a secret)",
        "line 6: a word without '=' and a value (not shown: it may be a secret)",
    ]
    link_existing(target, parsed)
    result = _apply(target, parsed)
    assert result.added == ["DB_URL", "EMPTY"]
    assert result.updated == ["STRIPE_KEY"]
    stripe = target.get(kept.uuid)
    assert target.reveal(stripe.password) == "sk_new"
    assert stripe.notes == "rotates monthly"
    assert target.reveal(stripe.history[-1].password) == "sk_old"  # type: ignore[arg-type]
    assert target.reveal(target.find("DB_URL").password) == "postgres://u:p@h/db"  # type: ignore[arg-type]
    again = parse_env(text, folder="Dev")
    link_existing(target, again)
    assert _apply(target, again).changes == 0  # type: ignore[attr-defined]


def test_cancelling_an_import_leaves_the_vault_unchanged(filled: Vault) -> None:
    before = filled.digest()
    parsed = Parsed(records=[Record(title=f"entry {i}", password="x") for i in range(1000)])
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 400

    with pytest.raises(ImportCancelledError, match="vault is unchanged"):
        plan_records(filled, parsed, progress)
    assert calls == [(0, 1000), (200, 1000), (400, 1000)]
    assert filled.digest() == before
    assert len(filled.entries) == 4


def test_progress_reaches_the_total(target: Vault) -> None:
    parsed = Parsed(records=[Record(title=f"e{i}") for i in range(450)])
    seen: list[int] = []
    plan_records(target, parsed, lambda done, total: seen.append(done) or True)
    assert seen == [0, 200, 400, 450]


def test_records_of_skips_the_trash(filled: Vault) -> None:
    filled.trash(filled.find("Bank").uuid)
    assert "Bank" not in [r.title for r in records_of(filled)]
