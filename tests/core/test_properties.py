"""Property tests: any text in any field survives save and reopen exactly; merging is causal."""

from __future__ import annotations

import itertools
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core.entry import Entry, Tombstone
from vaultapp.core.merge import plan

# Any Unicode scalar value (no lone surrogates, which UTF-8 cannot carry), including \n, \r,
# NUL, U+2028/U+2029 and astral characters.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TITLE = TEXT.filter(lambda s: s.strip() != "")
WHEN = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))

ENTRY = st.fixed_dictionaries(
    {
        "title": TITLE,
        "username": TEXT,
        "password": st.none() | TEXT,
        "url": TEXT,
        "notes": TEXT,
        "tags": st.lists(TEXT, max_size=4),
        "folder": TEXT,
        "custom": st.lists(st.tuples(TITLE, TEXT, st.booleans()), max_size=3),
        "expires": st.none() | WHEN,
        "favourite": st.booleans(),
        "now": WHEN,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=5))
def test_any_text_round_trips_through_the_file(specs: list[dict[str, object]]) -> None:
    """Whatever the user types in any field comes back identical after save and reopen."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.vault"
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
            added = [vault.add(**spec) for spec in specs]  # type: ignore[arg-type]
            vault.save()
            revealed = {e.uuid: vault.reveal(e.password) if e.password else None for e in added}
        with open_vault(path) as reopened:
            assert {e.uuid: e for e in reopened.entries} == {e.uuid: e for e in added}
            for entry in reopened.entries:
                got = reopened.reveal(entry.password) if entry.password else None
                assert got == revealed[entry.uuid]
                for field in entry.custom:
                    if field.protected:
                        assert isinstance(reopened.reveal(field.value), str)  # type: ignore[arg-type]


# ---- merging: causality, not clocks (issue 15) ---------------------------------------------

YEAR = timedelta(days=365)
SKEW = st.sampled_from(
    [-10 * YEAR, -YEAR, -timedelta(hours=1), timedelta(0), timedelta(hours=1), YEAR, 10 * YEAR]
)
COPY = st.integers(0, 2)
OP = st.one_of(
    st.tuples(st.just("edit"), COPY, st.integers(0, 2)),
    st.tuples(st.just("trash"), COPY, st.integers(0, 2)),
    st.tuples(st.just("delete"), COPY, st.integers(0, 2)),
    st.tuples(st.just("add"), COPY, st.just(0)),
    st.tuples(st.just("merge"), COPY, COPY),
)
BASE = datetime(2026, 6, 1, tzinfo=UTC)


def _merged(ours: Vault, theirs: Vault) -> tuple[dict[str, Entry], dict[str, Tombstone]]:
    """The merge of two in-memory copies as plain values (same keys: tokens compare equal)."""
    result = ours.plan_merge(theirs)
    return result.entries, result.tombstones


def _fold(copies: list[Vault], order: tuple[int, ...]) -> tuple[dict[str, Entry], dict[str, Tombstone]]:
    entries, graves = copies[order[0]]._body.entries, copies[order[0]]._body.tombstones
    for i in order[1:]:
        body = copies[i]._body
        result = plan(entries, graves, body.entries, body.tombstones, lambda s: s, history_max=1000)
        entries, graves = result.entries, result.tombstones
    return entries, graves


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # revived by an unseen edit, then edited where it was deleted: no edit number reused
    count=2,
    skews=[10 * YEAR, timedelta(0), timedelta(0)],
    ops=[("edit", 0, 0), ("delete", 0, 0), ("edit", 1, 0), ("merge", 0, 1), ("edit", 0, 0)],
)
@given(
    count=st.integers(2, 3),
    skews=st.lists(SKEW, min_size=3, max_size=3),
    ops=st.lists(OP, max_size=40),
)
def test_merging_never_loses_an_edit_a_deletion_had_not_seen(
    count: int, skews: list[timedelta], ops: list[tuple[str, int, int]]
) -> None:
    """Random edits, trashes, deletions and merges on 2-3 copies whose clocks are years apart:
    merged in any order, every edit some deletion had not seen is still there (current or in
    history), an entry whose every edit a deletion saw is gone, and merging is commutative,
    associative and idempotent."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.vault"
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY, audit=False) as base:
            base.device_id = "origin"
            base._body.meta["history_max"] = 1000
            uuids = [base.add(f"entry {n}", notes=f"made {n}", now=BASE).uuid for n in range(3)]
            base.save()
            copies = [base.open_copy(path) for _ in range(count)]
    for i, copy in enumerate(copies):
        copy.device_id = f"copy{i}"
    made = {u: {f"made {n}"} for n, u in enumerate(uuids)}  # uuid -> every edit's marker
    notes = set().union(*made.values())  # the markers that are notes (not trash/restore)
    seen: list[set[str]] = [set().union(*made.values()) for _ in copies]  # markers each copy saw
    deletions: dict[str, list[set[str]]] = {}  # uuid -> what each deletion of it had seen
    for step, (op, i, j) in enumerate(ops):
        i %= count
        copy, now = copies[i], BASE + timedelta(minutes=step + 1) + skews[i]
        marker = f"step {step}"
        if op == "merge":
            copy.merge_from(copies[j % count])
            seen[i] |= seen[j % count]
            continue
        if op == "add":
            entry = copy.add(f"added at {step}", notes=marker, now=now)
            uuids.append(entry.uuid)
            made[entry.uuid] = {marker}
            notes.add(marker)
            seen[i].add(marker)
            continue
        uuid = uuids[j % len(uuids)]
        if uuid not in copy._body.entries:
            continue
        if op == "delete":
            copy.remove(uuid, now=now)
            deletions.setdefault(uuid, []).append(seen[i] & made[uuid])
            continue
        if op == "edit":
            copy.update(uuid, notes=marker, now=now)
            notes.add(marker)
        elif copy.get(uuid).trashed is None:
            copy.trash(uuid, now=now)
        else:
            copy.restore(uuid)
        made[uuid].add(marker)
        seen[i].add(marker)

    # Commutative and idempotent, pair by pair.
    for a in copies:
        for b in copies:
            ab = _merged(a, b)
            assert ab == _merged(b, a)
            a_state = (a._body.entries, a._body.tombstones)
            assert plan(*a_state, *a_state, lambda s: s, history_max=1000).entries == a._body.entries
            again = plan(*ab, b._body.entries, b._body.tombstones, lambda s: s, history_max=1000)
            assert (again.entries, again.tombstones) == ab
            assert again.changes == 0
    # Any order of merging all copies gives one result.
    results = [_fold(copies, order) for order in itertools.permutations(range(count))]
    assert all(r == results[0] for r in results)
    entries, _ = results[0]
    for uuid, markers in made.items():
        unseen = markers - set().union(*deletions.get(uuid, []))
        if not deletions.get(uuid):
            assert uuid in entries  # never deleted: never lost
        if not unseen:
            assert uuid not in entries  # every edit was seen by a deletion: it stays deleted
            continue
        assert uuid in entries, f"an edit the deletion had not seen was lost: {sorted(unseen)}"
        entry = entries[uuid]
        kept = {entry.notes, *(old.notes for old in entry.history)}
        lost = (unseen & notes) - kept  # trash/restore edits leave no note to look for
        assert not lost, f"edits lost: {sorted(lost)}"
