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

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final

from vaultapp.core.causal import LEGACY_DEVICE, Version, covers, is_legacy, join
from vaultapp.core.entry import CustomField, Entry, Sealed, Tombstone

Reseal = Callable[[Sealed], Sealed]


FUTURE_SLACK: Final = timedelta(days=1)  # times further ahead than this are flagged


def _visible(entry: Entry) -> tuple[object, ...]:
    return (
        entry.modified, entry.title, entry.username, entry.url, entry.notes, entry.tags, entry.folder,
        entry.expires, entry.favourite, entry.trashed, entry.password is None, entry.totp is None,
        tuple((c.name, c.protected, None if c.protected else c.value) for c in entry.custom),
        tuple((a.name, a.blob) for a in entry.attachments),  # by content: a blob id is a keyed hash
    )  # fmt: skip


_TRASHED: Final = 9  # where ``_visible`` puts ``trashed``


def _content(entry: Entry) -> tuple[object, ...]:
    """An entry's content, in the Trash or not."""
    seen = _visible(entry)
    return (*seen[:_TRASHED], None, *seen[_TRASHED + 1 :])


def _order(entry: Entry) -> tuple[int, datetime, str, str]:
    """Which of two versions is current: causal rank first; the clock only breaks ties."""
    return (entry.rank, entry.modified, entry.device, repr(_visible(entry)))


def _made(entry: Entry) -> tuple[object, ...]:
    """What identifies a version without its secrets (re-sealing changes the tokens)."""
    return (entry.rank, entry.device, entry.seq, _visible(entry))


def same_version(a: Entry, b: Entry) -> bool:
    """Two copies of one version (secrets are not compared: re-sealing changes the tokens)."""
    return a.uuid == b.uuid and a.version == b.version and _made(a) == _made(b)


def _covered(grave: Tombstone, version: Entry) -> bool:
    """True when the deletion had seen the edit that made ``version`` (or, for a deletion from
    before versions existed, ``version`` is a migrated one not modified after it)."""
    if dict(grave.version).get(version.device, 0) >= version.seq:
        return True
    return grave.legacy is not None and version.device == LEGACY_DEVICE and version.modified <= grave.legacy


def _contents(entry: Entry) -> tuple[object, ...]:
    """What the user sees of an entry and its history (versions and secrets' tokens aside):
    history items with the current content (before it went to the Trash, or the same edit made
    on two copies) add nothing to see."""
    now = _content(entry)
    return (_visible(entry), frozenset(_visible(old) for old in entry.history if _content(old) != now))


def _same_history(a: Entry, b: Entry) -> bool:
    """The same versions in both histories (compared without secrets, as ``same_version``)."""
    return len(a.history) == len(b.history) and all(
        _made(x) == _made(y) for x, y in zip(a.history, b.history, strict=True)
    )


def buried(seen: Version, versions: Iterable[Entry], grave: Tombstone) -> bool:
    """True when ``grave`` deleted the entry that has seen ``seen`` and holds ``versions``: the
    deletion had seen every edit behind it (for a deletion from before versions existed: the
    entry was not edited since, by the old rule, not modified after it)."""
    if seen and covers(grave.version, seen):
        return True
    return grave.legacy is not None and is_legacy(seen) and all(v.modified <= grave.legacy for v in versions)


def join_graves(a: Tombstone | None, b: Tombstone) -> Tombstone:
    """Two deletions of one entry: what either had seen is deleted."""
    if a is None or a == b:
        return b
    legacy = max((t for t in (a.legacy, b.legacy) if t is not None), default=None)
    return Tombstone(a.uuid, max(a.deleted, b.deleted), join(a.version, b.version), legacy)


def future_times(entries: Mapping[str, Entry], graves: Iterable[Tombstone], now: datetime) -> list[str]:
    """Titles of entries with a time (or a deletion) more than a day ahead of ``now``: made under
    a clock that runs ahead. Merging ignores these times; the user should hear of them."""
    limit = now + FUTURE_SLACK
    found = [
        e.title
        for e in entries.values()
        if max(e.modified, e.created, *(old.modified for old in e.history)) > limit
    ]
    for grave in graves:
        if grave.deleted > limit:
            entry = entries.get(grave.uuid)
            found.append(f"{entry.title} (a deletion)" if entry else f"a deleted entry ({grave.uuid})")
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
    # Deletions learned from the other copy that removed none of our entries, and entries whose
    # content is unchanged but whose version grew: changes to save that the summary does not list.
    learned: int = 0

    @property
    def changes(self) -> int:
        """How many things would change; more than 0 means the result must be saved."""
        return len(self.added) + len(self.updated) + len(self.deleted) + self.learned

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
        count = "1 entry carries" if len(self.future) == 1 else f"{len(self.future)} entries carry"
        return (
            f"{count} times more than a day in the future ({shown}{more}): a device's clock runs "
            "ahead; set it right. The merge went by the order of the edits, not by those times."
        )


def reseal_entry(entry: Entry, reseal: Reseal) -> Entry:
    def one(sealed: Sealed | None) -> Sealed | None:
        return None if sealed is None else reseal(sealed)

    custom = tuple(
        CustomField(c.name, reseal(c.value)) if isinstance(c.value, Sealed) else c for c in entry.custom
    )
    password, totp = one(entry.password), one(entry.totp)
    history = tuple(reseal_entry(old, reseal) for old in entry.history)
    if (
        password is entry.password
        and totp is entry.totp
        and all(a is b for a, b in zip(custom, entry.custom, strict=True))
        and all(a is b for a, b in zip(history, entry.history, strict=True))
    ):
        return entry  # the same keys: nothing to reseal
    return replace(entry, password=password, totp=totp, custom=custom, history=history)


def _resolve(sides: Iterable[Entry], grave: Tombstone | None, limit: int) -> Entry | None:
    """One entry from its copies: None when deleted, else the current version and a history.

    Every version either copy holds (current or history, one copy per version) is a candidate;
    those a deletion had seen are dropped. The current one is the last in causal order, the rest
    are its history (the newest ``limit``). So the result does not depend on merge order."""
    seen: Version = ()
    every: list[Entry] = []
    for side in sides:
        seen = join(seen, side.version)
        every += (side, *side.history)
    if grave is not None and buried(seen, every, grave):
        return None
    if grave is not None:
        live = [v for v in every if not _covered(grave, v)] or every
        seen = join(seen, grave.version)  # a revived entry has seen its deletion (and what it buried)
    else:
        live = every
    # One item per edit: two edits that reached the same content are both kept, since a later
    # deletion may have seen one of them and not the other.
    pool: dict[tuple[object, ...], Entry] = {}
    for version in live:  # ours first: an unchanged version keeps our tokens
        pool.setdefault((version.device, version.seq, _visible(version)), version)
    ordered = sorted((v.content() for v in pool.values()), key=_order)
    history = tuple(ordered[:-1][-limit:]) if limit > 0 else ()
    return replace(ordered[-1], version=seen, history=history)


def plan(
    ours: dict[str, Entry],
    our_graves: dict[str, Tombstone],
    theirs: dict[str, Entry],
    their_graves: dict[str, Tombstone],
    reseal: Reseal,
    *,
    history_max: int,
    now: datetime | None = None,
    identical: Collection[str] = (),
) -> MergePlan:
    """Decide the merge of ``theirs`` into ``ours`` (both keyed by UUID). Pure: no I/O. With
    ``now``, times more than a day after it are listed in ``future``. ``identical``: UUIDs whose
    entries are known to be equal in every field on both sides (stored the same, byte for byte),
    so need no comparing."""
    entries = dict(ours)
    graves = dict(our_graves)
    for uuid, theirs_grave in their_graves.items():
        graves[uuid] = join_graves(graves.get(uuid), theirs_grave)
    same: set[str] = set()
    touched = [*theirs, *(u for u in their_graves if u in ours and u not in theirs)]  # in their order
    for uuid in touched:
        our, their = ours.get(uuid), theirs.get(uuid)
        grave = graves.get(uuid)
        if uuid in identical and grave == our_graves.get(uuid):
            same.add(uuid)
            continue
        if (
            our is not None
            and their is not None
            and same_version(our, their)
            and _same_history(our, their)
            and grave == our_graves.get(uuid)
        ):
            same.add(uuid)  # the common case: nothing to decide, nothing decrypted
            continue
        if our is None and grave is None and their is not None:
            entries[uuid] = reseal_entry(their, reseal)  # new here: taken as it is, history and all
            continue
        sides = [s for s in (our, None if their is None else reseal_entry(their, reseal)) if s is not None]
        merged = _resolve(sides, grave, history_max)
        if merged is None:
            entries.pop(uuid, None)
        elif our is not None and merged == our:
            same.add(uuid)
        else:
            entries[uuid] = merged
            if our is not None and _contents(merged) == _contents(our):
                same.add(uuid)  # the same content reached by another edit: only its version grows
    result = MergePlan(tombstones=graves, entries=entries)
    result.learned = sum(1 for uuid, grave in graves.items() if our_graves.get(uuid) != grave)
    for uuid, entry in entries.items():
        if uuid not in ours:
            result.added.append(entry.title)
        elif entry is ours[uuid]:
            continue
        elif uuid in same:
            result.learned += 1  # saved, but nothing the user would see changed
        else:
            result.updated.append(entry.title)
    result.deleted = [our.title for uuid, our in ours.items() if uuid not in entries]
    result.unchanged = len(same & theirs.keys())
    if now is not None:
        result.future = future_times(entries, graves.values(), now)
    return result
