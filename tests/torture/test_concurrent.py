"""Concurrent writers: four processes each add 50 entries to one vault, retrying while another
holds the write lock, while a fifth process keeps opening it read-only. In the end all 200
entries are there exactly once, no process ever saw a damaged file, and the audit log holds
every change in one verified chain."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.torture.harness import PASS, concurrent_run, make_vault, temp_files
from vaultapp.core import TEST_POLICY, Vault

WRITERS, EACH = 4, 50

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")


def test_concurrent_writers_lose_nothing(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "shared.vault"
    make_vault(path, entries=0)
    titles = concurrent_run(path, WRITERS, EACH)
    expected = {f"w{w}-{i}" for w in range(WRITERS) for i in range(EACH)}
    counts = Counter(titles)
    assert set(counts) == expected
    assert max(counts.values()) == 1
    assert temp_files(tmp_path) == []
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        check = vault.verify_log()
        assert check.ok, check.problems
        created = [r for r in check.records if r.event == "entry.created"]
        assert len(created) == WRITERS * EACH
