"""kill -9 during save, over and over: the vault always opens, holds every entry whose save had
returned, and nothing left behind blocks the next writer (its temp files are swept, with a note, once stale).

CI runs 200 kills; ``python scripts/torture.py --kills 1000`` is the full run."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.torture.harness import kill_run, make_vault, temp_files

KILLS = 200

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def test_kill_during_save_never_loses_a_saved_entry(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "kill.vault"
    seeded = make_vault(path)
    stats = kill_run(path, KILLS)
    assert stats.kills == KILLS
    assert len(stats.confirmed) >= KILLS // 10  # the workers did get saves done between kills
    assert stats.present >= len(seeded) + len(stats.confirmed)
    assert path.exists()
    from vaultapp.core import TEST_POLICY, Vault
    from vaultapp.core.storage import TEMP_STALE_AFTER

    # A temp file younger than TEMP_STALE_AFTER may be a save in progress elsewhere: it is kept.
    # Age what the last kills left, as the clock would, and the next writer removes it all.
    stale = time.time() - TEMP_STALE_AFTER - 1
    for name in temp_files(path.parent):
        os.utime(path.parent / name, (stale, stale))
    with Vault.open(path, "torture passphrase", writable=True, policy=TEST_POLICY) as vault:
        assert temp_files(path.parent) == []  # the writer swept what a killed save left
        assert vault.writable
