"""Issue 23: a merge skips the entries both copies store byte for byte the same, and decides the
rest as before."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import open_vault
from vaultapp.core import Vault, planning
from vaultapp.core.merge import plan


def _copies(new_vault: Vault, tmp_path: Path) -> tuple[Vault, Vault, list[str]]:
    uuids = [new_vault.add(f"entry {n}", password=f"pw{n}").uuid for n in range(12)]
    new_vault.save()
    other = tmp_path / "other.vault"
    shutil.copy(new_vault.path, other)
    theirs = open_vault(other, writable=True)
    theirs.update(uuids[0], password="theirs")
    theirs.trash(uuids[1])
    theirs.remove(uuids[2])
    theirs.add("theirs only")
    theirs.save()
    new_vault.update(uuids[0], notes="ours")
    new_vault.update(uuids[3], title="renamed here")
    return new_vault, theirs, uuids


def test_same_lines_names_only_entries_stored_alike_and_unchanged_in_memory(
    new_vault: Vault, tmp_path: Path
) -> None:
    ours, theirs, uuids = _copies(new_vault, tmp_path)
    found = planning.same_lines(ours._body, theirs._body)
    assert found == set(uuids[4:])  # 0-3 changed on one side (3 only in memory), 2 deleted there
    theirs.close()


def test_a_merge_with_identical_entries_skipped_decides_as_the_full_comparison(
    new_vault: Vault, tmp_path: Path
) -> None:
    ours, theirs, _ = _copies(new_vault, tmp_path)
    fast = ours.plan_merge(theirs)
    full = plan(
        ours._body.entries, ours._body.tombstones, theirs._body.entries, theirs._body.tombstones,
        lambda sealed: sealed, history_max=ours.history_max,
    )  # fmt: skip
    assert fast.summary() == full.summary() == "added 1, updated 2, deleted 1, unchanged 9"
    assert fast.entries == full.entries
    assert fast.tombstones == full.tombstones
    assert (fast.learned, fast.added, fast.updated, fast.deleted) == (
        full.learned, full.added, full.updated, full.deleted
    )  # fmt: skip
    ours.merge_from(theirs)
    ours.save()
    theirs.close()
    with open_vault(ours.path) as merged:
        titles = sorted(e.title for e in merged.entries)
    assert "theirs only" in titles
    assert "renamed here" in titles
    assert len(titles) == 12 - 1 - 1 + 1  # one deleted there, one in their Trash, one added
