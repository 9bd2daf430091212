"""Merging two copies of a vault (the multi-machine story): one rule set, used by every front end.

- Entries are matched by UUID. The same version on both sides (same modification time and the
  same visible fields) is left alone without decrypting anything.
- Otherwise the newer modification wins and the older version goes into the winner's history;
  both histories are kept (one copy per version, newest ``history_max``).
- A tombstone deletes an entry unless that entry was modified after the deletion (an edit on
  another machine is never dropped); tombstones from both sides are kept.
- Nothing else is dropped. Secret fields from the other copy are re-sealed under this vault's
  keys (the copies may have different salts or passphrases).

The decision (``plan``) is separate from applying it (``Vault.merge_from``), so a front end can
preview what would change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from vaultapp.core.entry import CustomField, Entry, Sealed, Tombstone

Reseal = Callable[[Sealed], Sealed]


def _visible(entry: Entry) -> tuple[object, ...]:
    return (
        entry.modified, entry.title, entry.username, entry.url, entry.notes, entry.tags, entry.folder,
        entry.expires, entry.favourite, entry.trashed, entry.password is None, entry.totp is None,
        tuple((c.name, c.protected, None if c.protected else c.value) for c in entry.custom),
    )  # fmt: skip


def same_version(a: Entry, b: Entry) -> bool:
    """Two copies of one version (secrets are not compared: re-sealing changes the tokens)."""
    return a.uuid == b.uuid and _visible(a) == _visible(b)


@dataclass(slots=True)
class MergePlan:
    """What merging would do; ``entries``/``tombstones`` are the merged result."""

    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    entries: dict[str, Entry] = field(default_factory=dict)
    tombstones: dict[str, Tombstone] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.deleted)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, deleted {len(self.deleted)}, "
            f"unchanged {self.unchanged}"
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
    """Both histories plus the losing version, one copy per version (by modification time)."""
    versions: dict[datetime, Entry] = {}
    for old in (*loser.history, loser.content(), *winner.history):
        if old.modified != winner.modified:
            versions.setdefault(old.modified, old.content())
    ordered = tuple(versions[m] for m in sorted(versions))
    return ordered[-limit:] if limit > 0 else ()


def plan(
    ours: dict[str, Entry],
    our_graves: dict[str, Tombstone],
    theirs: dict[str, Entry],
    their_graves: dict[str, Tombstone],
    reseal: Reseal,
    *,
    history_max: int,
) -> MergePlan:
    """Decide the merge of ``theirs`` into ``ours`` (both keyed by UUID). Pure: no I/O."""
    result = MergePlan(entries=dict(ours))
    graves = dict(our_graves)
    for uuid, grave in their_graves.items():
        if uuid not in graves or graves[uuid].deleted < grave.deleted:
            graves[uuid] = grave
    for uuid, their in theirs.items():
        our = ours.get(uuid)
        if our is not None and same_version(our, their):
            result.unchanged += 1
            continue
        buried = graves.get(uuid)
        if our is None:
            if buried is not None and buried.deleted >= their.modified:
                continue  # deleted here after their last edit
            result.entries[uuid] = reseal_entry(their, reseal)
            result.added.append(their.title)
            graves.pop(uuid, None)
            continue
        if their.modified > our.modified:
            adopted = reseal_entry(their, reseal)
            merged = replace(adopted, history=_merged_history(adopted, our, history_max))
            result.updated.append(their.title)
        else:
            adopted_loser = reseal_entry(their, reseal)
            merged = replace(our, history=_merged_history(our, adopted_loser, history_max))
            if merged.history == our.history:
                result.unchanged += 1
                continue
            result.updated.append(our.title)
        result.entries[uuid] = merged
    for uuid, grave in graves.items():
        entry = result.entries.get(uuid)
        if entry is not None and grave.deleted >= entry.modified:
            del result.entries[uuid]
            result.deleted.append(entry.title)
    # A tombstone stays only for entries that are gone (an edit after a deletion revives it).
    result.tombstones = {u: g for u, g in graves.items() if u not in result.entries}
    return result
