"""Merging two copies of a vault (the multi-machine story): one rule set, used by every front end.

Decided by causality, never by clocks (a copy whose clock runs years ahead must not win):

- Entries are matched by UUID. Each carries a version (``core.causal``): every edit it has seen.
  The same version on both sides is left alone without decrypting anything.
- Otherwise both versions are kept: the current one is the edit that had seen the most edits
  (``rank``); an edit made after seeing another therefore always wins over it. Between two
  concurrent edits with the same rank, the later modification time decides, then the device id,
  then the content (a tie-break only: whichever wins, the other goes into history). The merged
  entry has seen both versions. Both histories are kept (one copy per version, newest
  ``history_max``).
- A tombstone records the version it deleted. It removes an entry only if the deletion had seen
  every edit of it; an edit the deleting side had not seen survives (tombstones are kept, so a
  third copy merged later is judged the same way). Tombstones merge by joining their versions.
- Nothing else is dropped. Secret fields from the other copy are re-sealed under this vault's
  keys (the copies may have different salts or passphrases).
- Times are for display only; ones more than a day ahead of now are reported (``future``).

The result depends only on the two copies, not on which is merged into which, and merging a
copy twice changes nothing. The decision (``plan``) is separate from applying it
(``Vault.merge_from``), so a front end can preview what would change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final

from vaultapp.core.causal import covers, is_legacy, join
from vaultapp.core.entry import CustomField, Entry, Sealed, Tombstone

Reseal = Callable[[Sealed], Sealed]


FUTURE_SLACK: Final = timedelta(days=1)  # times further ahead than this are flagged


def _visible(entry: Entry) -> tuple[object, ...]:
    return (
        entry.modified, entry.title, entry.username, entry.url, entry.notes, entry.tags, entry.folder,
        entry.expires, entry.favourite, entry.trashed, entry.password is None, entry.totp is None,
        tuple((c.name, c.protected, None if c.protected else c.value) for c in entry.custom),
    )  # fmt: skip


def _order(entry: Entry) -> tuple[int, datetime, str, str]:
    """Which of two versions is current: causal rank first; the clock only breaks ties."""
    return (entry.rank, entry.modified, entry.device, repr(_visible(entry)))


def same_version(a: Entry, b: Entry) -> bool:
    """Two copies of one version (secrets are not compared: re-sealing changes the tokens)."""
    return a.uuid == b.uuid and a.version == b.version and _order(a) == _order(b)


def buried(entry: Entry, grave: Tombstone) -> bool:
    """True when ``grave`` deleted ``entry``: the deletion had seen every edit behind it (or, for
    a deletion made before versions existed, the entry was not edited since, by the old rule)."""
    if entry.version and covers(grave.version, entry.version):
        return True
    return grave.legacy is not None and is_legacy(entry.version) and entry.modified <= grave.legacy


def join_graves(a: Tombstone | None, b: Tombstone) -> Tombstone:
    """Two deletions of one entry: what either had seen is deleted."""
    if a is None or a == b:
        return b
    legacy = max((t for t in (a.legacy, b.legacy) if t is not None), default=None)
    return Tombstone(a.uuid, max(a.deleted, b.deleted), join(a.version, b.version), legacy)


def future_times(entries: Iterable[Entry], graves: Iterable[Tombstone], now: datetime) -> list[str]:
    """Titles of entries (and 'a deleted entry' per tombstone) with a time more than a day ahead
    of ``now``: made under a clock that runs ahead. Merging ignores these times; they are shown."""
    limit = now + FUTURE_SLACK
    found = [
        e.title for e in entries if max(e.modified, e.created, *(old.modified for old in e.history)) > limit
    ]
    found += [f"a deleted entry ({g.uuid})" for g in graves if g.deleted > limit]
    return found


@dataclass(slots=True)
class MergePlan:
    """What merging would do; ``entries``/``tombstones`` are the merged result."""

    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    entries: dict[str, Entry] = field(default_factory=dict)
    tombstones: dict[str, Tombstone] = field(default_factory=dict)
    future: list[str] = field(default_factory=list)  # see ``future_times``

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.deleted)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, deleted {len(self.deleted)}, "
            f"unchanged {self.unchanged}"
        )

    def future_warning(self) -> str | None:
        """One line for the user when some times lie in the future, else None."""
        if not self.future:
            return None
        shown = ", ".join(repr(t) for t in self.future[:5])
        more = f" and {len(self.future) - 5} more" if len(self.future) > 5 else ""
        return (
            f"{len(self.future)} entries carry times more than a day in the future ({shown}{more}): "
            "a device's clock runs ahead; set it right. The merge went by edit order, not by those times."
        )


def reseal_entry(entry: Entry, reseal: Reseal) -> Entry:
    def one(sealed: Sealed | None) -> Sealed | None:
        return None if sealed is None else reseal(sealed)

    custom = tuple(
        CustomField(c.name, reseal(c.value)) if isinstance(c.value, Sealed) else c for c in entry.custom
    )
    return replace(
        entry,
        password=one(entry.password),
        totp=one(entry.totp),
        custom=custom,
        history=tuple(reseal_entry(old, reseal) for old in entry.history),
    )


def _merged_history(winner: Entry, loser: Entry, limit: int) -> tuple[Entry, ...]:
    """Both histories plus the losing version, one copy per version, in causal order."""
    versions: dict[tuple[object, ...], Entry] = {}
    current = _visible(winner)
    for old in (*loser.history, loser.content(), *winner.history):
        key = _visible(old)
        if key != current and (key not in versions or _order(versions[key]) < _order(old)):
            versions[key] = old.content()
    ordered = sorted(versions.values(), key=_order)
    return tuple(ordered[-limit:]) if limit > 0 else ()


def plan(
    ours: dict[str, Entry],
    our_graves: dict[str, Tombstone],
    theirs: dict[str, Entry],
    their_graves: dict[str, Tombstone],
    reseal: Reseal,
    *,
    history_max: int,
    now: datetime | None = None,
) -> MergePlan:
    """Decide the merge of ``theirs`` into ``ours`` (both keyed by UUID). Pure: no I/O. With
    ``now``, times more than a day after it are listed in ``future``."""
    entries = dict(ours)
    graves = dict(our_graves)
    for uuid, grave in their_graves.items():
        graves[uuid] = join_graves(graves.get(uuid), grave)
    same: set[str] = set()
    for uuid, their in theirs.items():
        our = ours.get(uuid)
        if our is None:
            entries[uuid] = reseal_entry(their, reseal)
            continue
        if same_version(our, their):
            same.add(uuid)
            continue
        adopted = reseal_entry(their, reseal)
        winner, loser = (adopted, our) if _order(adopted) > _order(our) else (our, adopted)
        merged = replace(
            winner,
            version=join(our.version, their.version),
            history=_merged_history(winner, loser, history_max),
        )
        if winner is our and merged.version == our.version and merged.history == our.history:
            same.add(uuid)  # theirs is an older version we already hold
            continue
        entries[uuid] = merged
    result = MergePlan(tombstones=graves)
    for uuid, grave in graves.items():
        entry = entries.get(uuid)
        if entry is not None and buried(entry, grave):
            del entries[uuid]
    for uuid, entry in entries.items():
        if uuid not in ours:
            result.added.append(entry.title)
        elif entry is not ours[uuid]:
            result.updated.append(entry.title)
    result.deleted = [our.title for uuid, our in ours.items() if uuid not in entries]
    result.unchanged = len(same & entries.keys())
    result.entries = entries
    if now is not None:
        result.future = future_times(entries.values(), graves.values(), now)
    return result
