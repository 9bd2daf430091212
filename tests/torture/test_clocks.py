"""Skewed clocks between copies (issue 15): three copies, ten years ahead, a year behind and
right, edited, deleted and merged; no edit a deletion had not seen is lost.

CI runs 150 steps; ``python scripts/torture.py --clock 2000`` is the full run."""

from __future__ import annotations

from pathlib import Path

from tests.torture.clocks import clock_run

STEPS = 150


def test_skewed_clocks_never_lose_an_edit_a_deletion_had_not_seen(tmp_path: Path) -> None:
    """Many rounds of edits, deletions and merges between copies with clocks years apart."""
    stats = clock_run(tmp_path, STEPS)
    assert stats.merges > 10
    assert stats.deletions > 5
    assert stats.flagged > 0  # the copy ten years ahead is reported
    assert stats.revived > 0  # some entry lived on through an edit its deletion had not seen
    assert stats.checked > stats.edits // 2
