"""Hostile Bitwarden JSON: memory bombs, deep nesting, invalid characters; masked records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vaultapp.core import UsageError
from vaultapp.interop import bitwarden
from vaultapp.interop.bitwarden import import_bitwarden_json, parse_bitwarden_json
from vaultapp.interop.records import Record

LIMIT_BYTES = 1 << 30  # address space of the importing process: a quarter of what the bomb needed

ITEMS = [
    {"id": f"0b8c5d7e-1111-4222-8333-94445555666{n}", "type": 1, "name": f"Site {n}",
     "login": {"username": f"user{n}", "password": f"pw{n}", "uris": [{"uri": f"https://s{n}.example"}]}}
    for n in range(3)
]  # fmt: skip


def _cli_import(source: Path, vault: Path) -> subprocess.CompletedProcess[str]:
    """``vaultapp-cli import`` in a subprocess whose address space is capped at LIMIT_BYTES."""

    def cap_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultapp.cli",
            "import",
            str(vault),
            str(source),
            "--format",
            "bitwarden-json",
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap_memory,  # the limit applies to the child alone
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )


def test_json_bomb_of_empty_lists_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """86 MiB of empty lists (over 4 GB once parsed) is refused with one line, exit 2, in 1 GiB."""
    bomb = tmp_path / "bomb.json"
    count = 86 * 2**20 // 3
    with bomb.open("w", encoding="ascii") as out:
        out.write('{"items": [')
        out.write("[]," * (count - 1))
        out.write("[]]}")
    result = _cli_import(bomb, tmp_path / "v.vault")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "objects and lists" in lines[0]
    assert "unexpected" not in lines[0]


def test_real_sized_export_passes_the_bounds() -> None:
    """An export of 100,000 ordinary items (with password history) is within every bound."""
    item = {
        "id": "0b8c5d7e-1111-4222-8333-944455556666", "organizationId": None, "folderId": None, "type": 1,
        "reprompt": 0, "name": "Site", "notes": None, "favorite": False, "fields": [], "collectionIds": [],
        "login": {"uris": [{"match": None, "uri": "https://s.example"}], "username": "u", "password": "p",
                  "totp": None, "fido2Credentials": []},
        "passwordHistory": [{"lastUsedDate": "2024-01-01T00:00:00Z", "password": "old"}] * 5,
        "revisionDate": "2024-01-01T00:00:00Z", "creationDate": "2024-01-01T00:00:00Z", "deletedDate": None,
    }  # fmt: skip
    text = json.dumps({"encrypted": False, "folders": [], "items": [item] * bitwarden.ITEMS_MAX})
    bitwarden.check_json_size(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "more than 20 deep"),
        ('{"items": [' + "[" * 25 + "]" * 25 + "]}", "more than 20 deep"),
        ('{"items": [' + ",".join(["{}"] * (bitwarden.CONTAINERS_MAX + 1)) + "]}", "objects and lists"),
        ('{"items": [' + ",".join(["0"] * (bitwarden.VALUES_MAX + 1)) + "]}", "values"),
        ('{"items": [' + ",".join(["{}"] * (bitwarden.ITEMS_MAX + 1)) + "]}", "at most 100,000"),
        ('{"items": [], "n": ' + "9" * 5000 + "}", "number too long"),
        ('{"items": ["' + '\\"' * 1_000_000, "not JSON"),
    ],
)
def test_deep_or_huge_json_is_one_usage_error(text: str, message: str) -> None:
    """Deep nesting, too many containers, values or items, or a 5,000-digit number: one UsageError.
    An unterminated string full of escaped quotes is scanned once (not again from each quote)."""
    with pytest.raises(UsageError, match=message):
        parse_bitwarden_json(text)


def test_brackets_inside_strings_do_not_count() -> None:
    """The pre-scan sets strings aside: brackets and escaped quotes in values are not structure."""
    items = [{**ITEMS[0], "notes": '[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{'}]
    parsed = parse_bitwarden_json(json.dumps({"items": items}))
    assert [r.notes for r in parsed.records] == ['[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{']


def test_one_invalid_character_skips_only_that_item(tmp_path: Path) -> None:
    """A lone surrogate escape in one item skips and reports that item; the others are imported.
    Raw control characters inside strings (which strict JSON refuses) are kept."""
    text = json.dumps({"items": ITEMS})
    text = text.replace('"pw1"', '"pw\\ud800"').replace('"Site 2"', '"Site\x01 2"')
    path = tmp_path / "bw.json"
    path.write_text(text, encoding="utf-8")
    parsed = import_bitwarden_json(path)
    assert [r.title for r in parsed.records] == ["Site 0", "Site\x01 2"]
    assert len(parsed.skipped) == 1
    reason = str(parsed.skipped[0])
    assert "item 2 ('Site 1')" in reason
    assert "invalid character" in reason
    assert "in its password" in reason
    assert "pw" not in reason.replace("password", "")


def test_record_repr_masks_secrets() -> None:
    """repr(Record) hides the password, the TOTP seed and protected custom values, as Sealed does."""
    record = Record(
        title="Bank", username="jane", password="hunter2-secret", totp="JBSWY3DPEHPK3PXP",
        custom=(("PIN", "9876", True), ("Branch", "Main St", False)),
    )  # fmt: skip
    text = repr(record)
    for secret in ("hunter2-secret", "JBSWY3DPEHPK3PXP", "9876"):
        assert secret not in text
    assert "Bank" in text
    assert "jane" in text
    assert "Main St" in text
