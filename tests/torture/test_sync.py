"""Sync-tool reality: one vault on two machines (two homes, so two devices' memories), edited on
both while apart, brought together the way Syncthing and Dropbox do it.

Syncthing keeps one version under the vault's name and the other beside it as
``NAME.sync-conflict-<date>-<time>-<device>.vault``; Dropbox's version history can put an older
copy back. Merging the conflict copy keeps every edit from both sides (and clears the rollback
the winner looked like); an older copy put back is noticed and never written over; nothing is
lost.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.sync.machines import Machine
from tests.torture.harness import PASS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX homes")


def test_two_machines_a_conflict_copy_and_an_old_copy_put_back(tmp_path: Path) -> None:
    a, b = Machine(tmp_path, "a"), Machine(tmp_path, "b")
    a.cli("init", str(a.vault), "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
    for title in ("Mail", "Bank", "Shop"):
        a.cli("add", str(a.vault), "--title", title, stdin=f"{PASS}\n{title} password\n")
    shutil.copy2(a.vault, b.vault)  # synced while both are online
    b.cli("ls", str(b.vault))  # B has seen this version
    # Apart: A changes Mail and adds Work (two saves); B deletes Shop (one save).
    a.cli("edit", str(a.vault), "Mail", "--notes", "edited on A")
    a.cli("add", str(a.vault), "--title", "Work", stdin=f"{PASS}\nwork password\n")
    b.cli("rm", str(b.vault), "Shop")
    # Syncthing meets the two versions: B's wins the name, A's is kept as a conflict copy, on both.
    conflict = "Passwords.sync-conflict-20261123-101500-AAAAAAA.vault"
    shutil.copy2(a.vault, tmp_path / "a-version")
    shutil.copy2(b.vault, tmp_path / "b-version")
    for machine in (a, b):
        shutil.copy2(tmp_path / "a-version", machine.folder / conflict)
        shutil.copy2(tmp_path / "b-version", machine.vault)
    # A now holds an older save counter under the vault's name: noticed on read, refused on write.
    warned = a.cli("ls", str(a.vault))
    assert "older than one this device has seen" in warned.stderr
    refused = a.cli("add", str(a.vault), "--title", "Lost?", stdin=f"{PASS}\nx\n", rc=6)
    assert "--accept-rollback" in refused.stderr
    # Merging the conflict copy brings A's edits in, keeps B's deletion, and clears the rollback.
    merged = a.cli("merge", str(a.vault), str(a.folder / conflict), stdin=f"{PASS}\n\n")
    assert "added 1" in merged.stdout
    assert "updated 1" in merged.stdout
    assert a.titles() == {"Mail": "edited on A", "Bank": "", "Work": ""}
    assert "older" not in a.cli("ls", str(a.vault)).stderr
    # The merged file syncs back to B: B accepts it without a warning and sees the same.
    before_merge = tmp_path / "b-before-merge.vault"
    shutil.copy2(b.vault, before_merge)
    shutil.copy2(a.vault, b.vault)
    assert "older" not in b.cli("ls", str(b.vault)).stderr
    assert b.titles() == a.titles()
    # Dropbox's version history puts B's older copy back: B notices and will not write over it.
    shutil.copy2(before_merge, b.vault)
    stale = b.vault.read_bytes()
    assert "older than one this device has seen" in b.cli("ls", str(b.vault)).stderr
    b.cli("add", str(b.vault), "--title", "New", stdin=f"{PASS}\nnew\n", rc=6)
    assert b.vault.read_bytes() == stale
    # Nothing is lost: merging A's copy back in restores everything, and the rollback is resolved.
    b.cli("merge", str(b.vault), str(a.vault), stdin=f"{PASS}\n\n")
    assert b.titles() == {"Mail": "edited on A", "Bank": "", "Work": ""}
    b.cli("add", str(b.vault), "--title", "New", stdin=f"{PASS}\nnew\n")
    assert set(b.titles()) == {"Mail", "Bank", "Work", "New"}
