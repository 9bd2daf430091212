"""The window's side of real sync (see tests/sync/test_syncthing.py for the command line's): two
Syncthing instances on 127.0.0.1; machine A is this window (its device memory is this test's
home), machine B a ``vaultapp-cli`` user with a home of its own. Both change the vault while
apart; after Syncthing makes its conflict copy, unlocking the window offers the merge, and once
agreed both machines hold every edit and the copy is set aside on both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.conftest import titles, unlock
from tests.sync.machines import Machine
from tests.sync.syncthing import syncthing_pair, visible_files
from tests.torture.harness import PASS
from vaultapp.core import TEST_POLICY, Vault
from vaultapp.core.rollback import SeenVaults
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

pytestmark = pytest.mark.slow


def _conflicts(folder: Path) -> list[str]:
    return [
        n for n in visible_files(folder) if n.startswith("Passwords.sync-conflict-") and n.endswith(".vault")
    ]


def test_window_merges_the_conflict_copy_syncthing_made(qtbot, monkeypatch, tmp_path: Path) -> None:
    with syncthing_pair(tmp_path) as pair:
        b = Machine(tmp_path, "b", pair.b.folder)
        b.cli("init", str(b.vault), "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
        for title in ("Mail", "Shop"):
            b.cli("add", str(b.vault), "--title", title, stdin=f"{PASS}\n{title} password\n")
        a_vault = pair.a.folder / "Passwords.vault"
        pair.sync(a_vault.exists, "the vault on A")

        pair.disconnect()
        with Vault.open(a_vault, PASS, writable=True, policy=TEST_POLICY, seen=SeenVaults.default()) as vault:
            vault.add("Added in the window's machine")
            vault.save()
        b.cli("rm", str(b.vault), "Shop")
        b.cli("add", str(b.vault), "--title", "Added on B", stdin=f"{PASS}\nx\n")
        pair.a.scan()
        pair.b.scan()
        pair.reconnect()
        pair.sync(lambda: bool(_conflicts(pair.a.folder)), "Syncthing's conflict copy")
        [copy] = _conflicts(pair.a.folder)

        window = MainWindow(Settings(tmp_path / "settings.ini"), policy=TEST_POLICY, vault_path=a_vault)
        qtbot.addWidget(window)
        window.show()
        asked: list[str] = []
        monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or True)
        unlock(qtbot, window, PASS)
        assert any(f"Merge {copy} into this vault?" in text for text in asked), asked
        expected = ["Added in the window's machine", "Added on B", "Mail"]
        assert sorted(titles(window)) == expected
        window.lock()

        pair.sync(lambda: not _conflicts(pair.b.folder), "the merged vault on B")
        assert sorted(b.titles()) == expected
        assert f"{copy}.merged" in visible_files(pair.b.folder)
