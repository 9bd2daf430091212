"""The multi-machine story with the real sync tool: two Syncthing instances on 127.0.0.1 (separate
homes, one shared folder), two vaultapp users (separate homes, so separate device memories), both
editing the vault while connected and while apart. Syncthing makes its own ``.sync-conflict-…``
copies; vaultapp finds them and merges them (command line and window); afterwards both machines
hold every edit made on either, deletions honoured, nothing twice. An older version put back
from Syncthing's file versioning is caught as a rollback.

Slow (two Syncthing start-ups, real network sync), run in CI (``.ci/run`` installs syncthing and
sets VAULTAPP_REQUIRE_SYNCTHING=1). Every wait is on Syncthing's event stream with a deadline.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.sync.machines import Machine
from tests.sync.syncthing import Pair, syncthing_pair, visible_files
from tests.torture.harness import PASS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX homes")]


def conflict_copies(folder: Path) -> list[str]:
    """Syncthing's conflict copies of the vault itself (not of its backups or log)."""
    return sorted(
        n for n in visible_files(folder) if n.startswith("Passwords.sync-conflict-") and n.endswith(".vault")
    )


STIGNORE = """// vaultapp: each machine keeps its own audit log and automatic backups (README)
*.vault.log*
*.vault.bak*
"""


def start(pair: Pair, tmp_path: Path) -> tuple[Machine, Machine]:
    """A makes the vault with three entries; Syncthing brings it to B, who reads it. Both folders
    ignore the audit log and backups, as the README says to set it up."""
    for instance in (pair.a, pair.b):
        (instance.folder / ".stignore").write_text(STIGNORE)
    a = Machine(tmp_path, "a", pair.a.folder)
    b = Machine(tmp_path, "b", pair.b.folder)
    a.cli("init", str(a.vault), "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
    for title in ("Mail", "Bank", "Shop"):
        a.cli("add", str(a.vault), "--title", title, stdin=f"{PASS}\n{title} password\n")
    pair.sync(lambda: b.vault.exists(), "the vault on B")
    assert set(b.titles()) == {"Mail", "Bank", "Shop"}
    return a, b


def edit_apart(pair: Pair, a: Machine, b: Machine) -> None:
    """Disconnected: A edits Mail and adds Work (two saves); B deletes Shop and adds Phone (two
    saves). Reconnected, Syncthing keeps one version under the name and the other beside it."""
    pair.disconnect()
    a.cli("edit", str(a.vault), "Mail", "--notes", "edited on A while apart")
    a.cli("add", str(a.vault), "--title", "Work", stdin=f"{PASS}\nwork password\n")
    b.cli("rm", str(b.vault), "Shop")
    b.cli("add", str(b.vault), "--title", "Phone", stdin=f"{PASS}\nphone password\n")
    pair.a.scan()  # both machines have seen their own saves before they meet again
    pair.b.scan()
    pair.reconnect()
    pair.sync(lambda: bool(conflict_copies(pair.a.folder)), "a conflict copy of the vault on both sides")


EXPECTED = {
    "Mail": "edited on A while apart",
    "Bank": "edited on B while connected",
    "Work": "",
    "Phone": "",
}


def test_edits_on_two_machines_synced_by_syncthing_all_survive_the_conflict(tmp_path: Path) -> None:
    with syncthing_pair(tmp_path) as pair:
        a, b = start(pair, tmp_path)
        # Connected: B edits, Syncthing carries it to A.
        b.cli("edit", str(b.vault), "Bank", "--notes", "edited on B while connected")
        pair.sync(lambda: a.titles()["Bank"] == "edited on B while connected", "B's edit on A")
        assert not conflict_copies(pair.a.folder)

        edit_apart(pair, a, b)
        [copy] = conflict_copies(pair.a.folder)
        # The command line says there are edits made elsewhere, on either machine.
        for machine in (a, b):
            note = machine.cli("ls", str(machine.vault)).stderr
            assert f"conflict copy beside Passwords.vault ({copy})" in note
            assert "merge" in note
            assert "--conflict-copies" in note

        merged = a.cli("merge", str(a.vault), "--conflict-copies")
        assert f"Merged {copy}: " in merged.stdout
        assert f"Set {copy} aside as {copy}.merged." in merged.stdout
        pair.sync(lambda: not conflict_copies(pair.b.folder), "the merged vault on B")

        for machine in (a, b):
            assert machine.titles() == EXPECTED  # every edit, Shop's deletion, nothing twice
            assert machine.count() == len(EXPECTED)
            after = machine.cli("ls", str(machine.vault)).stderr
            assert "conflict cop" not in after
            assert "older than one this device has seen" not in after
        assert not conflict_copies(pair.a.folder)
        # Both machines go on editing the merged vault, connected, without new conflicts.
        b.cli("edit", str(b.vault), "Phone", "--notes", "after the merge")
        pair.sync(lambda: a.titles()["Phone"] == "after the merge", "B's later edit on A")
        assert not conflict_copies(pair.a.folder)
        # Each machine's audit log verifies against the vault both of them saved.
        for machine in (a, b):
            assert not [
                n for n in visible_files(machine.folder) if "sync-conflict" in n and ".merged" not in n
            ]
            assert "intact" in machine.cli("log", str(machine.vault), "--verify").stderr


def test_an_old_version_restored_through_syncthing_is_caught_as_a_rollback(tmp_path: Path) -> None:
    with syncthing_pair(tmp_path) as pair:
        a, b = start(pair, tmp_path)
        a.cli("edit", str(a.vault), "Mail", "--notes", "newest")
        pair.sync(lambda: b.titles()["Mail"] == "newest", "A's edit on B")
        # On B, someone puts back an older version from Syncthing's file versioning (the simple
        # versioning kept the replaced vault in .stversions): copied over the vault, as a user
        # restoring by hand does; Syncthing carries it to A. (Syncthing's own "Restore" REST call
        # was tried first: on one CI run it left the newer file in place, so the test copies.)
        [kept] = sorted((pair.b.folder / ".stversions").glob("Passwords~*.vault"))
        shutil.copyfile(kept, b.vault)
        pair.sync(lambda: a.titles()["Mail"] != "newest", "the old version on A")
        for machine in (a, b):
            warned = machine.cli("ls", str(machine.vault))
            assert "older than one this device has seen" in warned.stderr
            refused = machine.cli("add", str(machine.vault), "--title", "Lost?", stdin=f"{PASS}\nx\n", rc=6)
            assert "--accept-rollback" in refused.stderr
