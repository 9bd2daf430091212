"""`rm` moves to the Trash as the window does; `trash`, `restore`, `rm --purge`; `edit --generate`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from tests.helpers import open_vault


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    path = tmp_path / "t.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "Mail", stdin=f"{PW}\nmail secret\n")
    cli("add", str(path), "--title", "Bank", stdin=f"{PW}\nbank secret\n")
    return path


def _titles(vault: Path, command: str = "ls") -> list[str]:
    return [e["title"] for e in json.loads(cli(command, str(vault), "--json", stdin=PW + "\n").stdout)]


def test_rm_moves_to_the_trash_and_restore_brings_it_back(vault: Path) -> None:
    """rm hides the entry from ls and lists it in trash; restore puts it back with its password."""
    out = cli("rm", str(vault), "Mail", stdin=PW + "\n").stdout
    assert "to the Trash" in out
    assert _titles(vault) == ["Bank"]
    assert _titles(vault, "trash") == ["Mail"]
    with open_vault(vault) as opened:
        assert [e.title for e in opened.trashed_entries] == ["Mail"]
        assert not opened.tombstones
    trashed = json.loads(cli("trash", str(vault), "--json", stdin=PW + "\n").stdout)
    assert trashed[0]["trashed"].endswith("+00:00")
    assert "Mail" in cli("trash", str(vault), stdin=PW + "\n").stdout
    assert "Restored entry 'Mail'" in cli("restore", str(vault), "Mail", stdin=PW + "\n").stdout
    assert sorted(_titles(vault)) == ["Bank", "Mail"]
    assert cli("show", str(vault), "Mail", "--field", "password", stdin=PW + "\n").stdout == "mail secret\n"
    empty = cli("trash", str(vault), stdin=PW + "\n")
    assert (empty.stdout, empty.stderr) == ("", "The Trash is empty.\n")


def test_rm_purge_deletes_for_good_from_the_vault_or_the_trash(vault: Path) -> None:
    """rm --purge deletes a live entry or one in the Trash for good, leaving a tombstone."""
    cli("rm", str(vault), "Mail", stdin=PW + "\n")
    assert "for good" in cli("rm", str(vault), "Mail", "--purge", stdin=PW + "\n").stdout
    assert "for good" in cli("rm", str(vault), "Bank", "--purge", stdin=PW + "\n").stdout
    assert _titles(vault) == []
    assert _titles(vault, "trash") == []
    with open_vault(vault) as opened:
        assert len(opened.tombstones) == 2


@pytest.mark.parametrize(
    ("args", "rc", "needle"),
    [
        (["rm", "{v}", "Mail"], 5, "in the Trash already"),
        (["restore", "{v}", "Bank"], 5, "No entry titled 'Bank' in the Trash"),
        (["rm", "{v}", "Nope", "--purge"], 5, "in the vault or in its Trash"),
        (["edit", "{v}", "Bank", "--length", "30"], 2, "--length: does not apply without --generate"),
        (
            ["edit", "{v}", "Bank", "--generate", "--password-stdin"],
            2,
            "either --generate or --password-stdin",
        ),
        (["edit", "{v}", "Bank", "--generate", "--length", "2"], 2, "4 to 1024, not 2"),
        (["add", "{v}", "--title", "X", "--no-digits"], 2, "--no-digits: does not apply without --generate"),
    ],
)
def test_misuse_exits_with_one_line_and_changes_nothing(
    vault: Path, args: list[str], rc: int, needle: str
) -> None:
    """rm of an entry already in the Trash, restore of a live one, generator options without --generate."""
    cli("rm", str(vault), "Mail", stdin=PW + "\n")
    before = vault.read_bytes()
    result = cli(*[a.format(v=vault) for a in args], stdin=f"{PW}\nx\n", check_rc=rc)
    assert needle in one_line_error(result)
    assert vault.read_bytes() == before


def test_edit_generate_with_generator_options(vault: Path) -> None:
    """edit --generate draws a new password with the given options; the old one goes into history."""
    out = cli("edit", str(vault), "Bank", "--generate", "--length", "32", "--no-symbols", "--exclude", "-0O",
              stdin=PW + "\n").stdout  # fmt: skip
    assert "Updated entry 'Bank'" in out
    password = cli("show", str(vault), "Bank", "--field", "password", stdin=PW + "\n").stdout.strip()
    assert re.fullmatch(r"[A-NP-Za-z1-9]{32}", password), password
    assert json.loads(cli("show", str(vault), "Bank", "--json", stdin=PW + "\n").stdout)["history"] == 1
    cli("add", str(vault), "--title", "Site", "--generate", "--rules", "maxlength: 8; allowed: digit",
        stdin=PW + "\n")  # fmt: skip
    site = cli("show", str(vault), "Site", "--field", "password", stdin=PW + "\n").stdout.strip()
    assert re.fullmatch(r"\d{8}", site), site
