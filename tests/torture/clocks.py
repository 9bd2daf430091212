"""Copies whose clocks disagree by years, edited, trashed, deleted and merged over and over
(issue 15): no edit a deletion had not seen is ever lost, what every deletion saw stays deleted,
and the copies agree once merged with each other.

Each copy is a real vault file with its own device id and its own clock (ten years ahead, a year
behind, right), saved after every step. The model remembers which edits each copy had seen, so
it knows which edits each deletion had seen. The "random" steps come from ``Draw`` (SHA-256 of a
seed and the step number), so a failure is reproduced by its seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.torture.harness import PASS, Draw

# Ten years ahead, a year behind, right; a fourth copy would run a day behind.
SKEWS = (timedelta(days=3653), -timedelta(days=365), timedelta(0), -timedelta(days=1))
T0 = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass
class ClockStats:
    rounds: int = 0
    edits: int = 0
    deletions: int = 0
    merges: int = 0
    flagged: int = 0  # merges that reported times in the future
    revived: int = 0  # entries deleted somewhere that live on through an edit the deletion had not seen
    checked: int = 0  # edits a deletion had not seen, each found in the end
    gone: int = 0  # entries every edit of which some deletion had seen, each found deleted
    entries: int = 0


def clock_run(folder: Path, rounds: int, *, copies: int = 3, seed: str = "clock") -> ClockStats:
    """``rounds`` steps over ``copies`` skewed copies in ``folder``; raises AssertionError on the
    first lost edit or disagreement."""
    from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

    def open_copy(c: int, *, writable: bool = True) -> Vault:
        vault = Vault.open(paths[c], PASS, writable=writable, policy=TEST_POLICY, audit=False)
        vault.device_id = f"copy{c}"
        return vault

    paths = [folder / f"copy{c}.vault" for c in range(copies)]
    with Vault.create(paths[0], PASS, kdf=TEST_PARAMS, policy=TEST_POLICY, audit=False) as base:
        base.device_id = "origin"
        base._body.meta["history_max"] = 100_000  # keep every version: the check looks for each edit
        made = {base.add(f"seed {i}", notes=f"seed {i}", now=T0).uuid: {f"seed {i}"} for i in range(4)}
        base.save()
    for path in paths[1:]:
        path.write_bytes(paths[0].read_bytes())
    seen = [set().union(*made.values()) for _ in paths]  # the edits each copy has seen
    deletions: dict[str, list[set[str]]] = {}  # uuid -> the edits of it each deletion had seen
    stats = ClockStats(rounds=rounds)
    for step in range(rounds):
        draw = Draw(seed, step)
        c = draw.below(copies)
        now = T0 + timedelta(minutes=step + 1) + SKEWS[c % len(SKEWS)]
        marker = f"step {step}"
        kind = draw.below(20)
        if kind < 5:  # merge another copy into this one
            other = (c + 1 + draw.below(copies - 1)) % copies
            with open_copy(c) as ours, open_copy(other, writable=False) as theirs:
                result = ours.merge_from(theirs)
                if result.changes:
                    ours.save()
            seen[c] |= seen[other]
            stats.merges += 1
            stats.flagged += bool(result.future)
            continue
        with open_copy(c) as vault:
            if kind < 7:
                uuid = vault.add(f"added {step}", notes=marker, now=now).uuid
                made[uuid] = {marker}
                seen[c].add(marker)
            else:
                live = sorted(e.uuid for e in (*vault.entries, *vault.trashed_entries))
                if not live:
                    continue
                uuid = live[draw.below(len(live))]
                if kind < 9:
                    vault.remove(uuid, now=now)
                    deletions.setdefault(uuid, []).append(seen[c] & made[uuid])
                    stats.deletions += 1
                elif kind < 11:
                    entry = vault.get(uuid)
                    if entry.trashed is None:
                        vault.trash(uuid, now=now)
                    else:
                        vault.restore(uuid)
                    made[uuid].add(f"{marker} (trash)")  # an edit without a note to look for
                    seen[c].add(f"{marker} (trash)")
                else:
                    vault.update(uuid, notes=marker, now=now)
                    made[uuid].add(marker)
                    seen[c].add(marker)
                    stats.edits += 1
            vault.save()
    # Bring every copy together: all into copy 0, then copy 0 into each.
    for order in ([(0, c) for c in range(1, copies)], [(c, 0) for c in range(1, copies)]):
        for ours_at, theirs_at in order:
            with open_copy(ours_at) as ours, open_copy(theirs_at, writable=False) as theirs:
                if ours.merge_from(theirs).changes:
                    ours.save()
    digests = []
    for c in range(copies):
        with open_copy(c, writable=False) as vault:
            digests.append(vault.digest())
            if c == 0:
                entries = {e.uuid: e for e in (*vault.entries, *vault.trashed_entries)}
    assert len(set(digests)) == 1, "the copies differ after merging each into the other"
    for uuid, edits in made.items():
        deleted_by = deletions.get(uuid, [])
        unseen = edits - set().union(*deleted_by)
        if not unseen:
            assert uuid not in entries, f"entry {uuid}: every edit was seen by a deletion, yet it is back"
            stats.gone += 1
            continue
        assert uuid in entries, f"entry {uuid}: edits {sorted(unseen)} the deletions had not seen were lost"
        entry = entries[uuid]
        kept = {entry.notes, *(old.notes for old in entry.history)}
        lost = {m for m in unseen if not m.endswith("(trash)") and m not in kept}
        assert not lost, f"entry {uuid}: edits {sorted(lost)} were lost"
        stats.checked += len(unseen)
        stats.revived += bool(deleted_by)
    stats.entries = len(entries)
    return stats
