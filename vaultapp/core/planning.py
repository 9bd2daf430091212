"""Merge and import planning for an open vault: what merging another copy, the file on disk or
an imported batch would do, by the rules of ``core.merge``; the drafts of two copies. Changes
nothing: ``Contents.apply`` makes a plan the vault's content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import datetime

from vaultapp.core.body import Body
from vaultapp.core.causal import join
from vaultapp.core.contents import Contents
from vaultapp.core.entry import Draft, Entry, Sealed, utc_now
from vaultapp.core.heap import collector_paused
from vaultapp.core.keys import Keyring
from vaultapp.core.merge import MergePlan, plan


def _same_content(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Compare values that hold secrets through their SHA-256, in constant time."""
    return hmac.compare_digest(
        hashlib.sha256(repr(a).encode()).digest(), hashlib.sha256(repr(b).encode()).digest()
    )


def plan_import(contents: Contents, entries: Iterable[Entry], device: Callable[[], str]) -> MergePlan:
    """What importing ``entries`` (from ``make_entry``) into ``contents`` would do (see
    ``Vault.plan_import``); ``device`` gives this device's id."""
    index: dict[tuple[str, str, str, str], list[Entry]] = {}
    for entry in contents.body.entries.values():
        if entry.trashed is None:
            index.setdefault((entry.title, entry.username, entry.url, entry.folder), []).append(entry)

    def secrets_of(entry: Entry) -> tuple[str | None, str | None]:
        return (
            None if entry.password is None else contents.reveal(entry.password),
            None if entry.totp is None else contents.reveal(entry.totp),
        )

    def plain(entry: Entry) -> tuple[object, ...]:
        custom = tuple(
            (c.name, contents.reveal(c.value) if isinstance(c.value, Sealed) else c.value, c.protected)
            for c in entry.custom
        )
        return (
            entry.title, entry.username, entry.url, entry.notes, entry.tags, entry.folder, entry.expires,
            entry.favourite, entry.trashed is None, secrets_of(entry), custom,
        )  # fmt: skip

    batch: dict[str, Entry] = {}
    duplicates = 0
    limit = contents.history_max
    for entry in entries:
        # A file's history (numbered by the importer as legacy edits, see interop.records._entry)
        # is kept as far as this vault keeps history.
        entry = dataclasses.replace(entry, history=entry.history[-limit:] if limit > 0 else ())
        ours = contents.body.entries.get(entry.uuid)
        if ours is not None and _same_content(plain(ours), plain(entry)):
            duplicates += 1  # the same content (a file without times, or with coarser ones)
            continue
        if (
            ours is not None
            and entry.modified.microsecond == 0
            and ours.modified != entry.modified
            and ours.modified.replace(microsecond=0) == entry.modified  # a format with whole seconds
        ):
            entry = dataclasses.replace(entry, modified=ours.modified, created=ours.created)
        # The file has times but no versions: they decide, and the outcome becomes an edit here.
        grave = contents.body.tombstones.get(entry.uuid)
        if ours is not None and entry.modified <= ours.modified:
            # Older than ours: it can only go into history (rank 0 never wins).
            older = tuple(dataclasses.replace(old, rank=0, seq=0) for old in entry.history)
            entry = dataclasses.replace(
                entry, version=ours.version, rank=0, device=device(), seq=0, history=older
            )
        elif ours is not None:
            entry = contents.edited(entry, join(ours.version, entry.version))
        elif grave is not None and grave.deleted >= entry.modified:
            continue  # deleted here after that version was made
        else:
            # An imported entry's version counts its imported history (records._entry numbers
            # it as migrated history is numbered); the import itself is one edit by this device.
            entry = contents.edited(entry, entry.version)
        if ours is None:
            twins = index.get((entry.title, entry.username, entry.url, entry.folder), [])
            if twins and any(_same_content(secrets_of(twin), secrets_of(entry)) for twin in twins):
                duplicates += 1
                continue
        batch[entry.uuid] = entry
    graves = contents.body.tombstones
    result = plan(contents.body.entries, graves, batch, {}, lambda s: s, history_max=limit, now=utc_now())
    result.unchanged += duplicates
    return result


def plan_merge(contents: Contents, theirs: Body, mine: Keyring, their_keys: Keyring) -> MergePlan:
    """What merging another copy's body, sealed with ``their_keys``, into ``contents`` (sealed
    with ``mine``) would do."""
    identical: set[str] = set()
    if hmac.compare_digest(mine.header_mac(b"merge probe"), their_keys.header_mac(b"merge probe")):
        identical = same_lines(contents.body, theirs)  # with the same keys, a token is one secret

        def reseal(sealed: Sealed) -> Sealed:
            return sealed  # the same keys: tokens are valid as they are

    else:

        def reseal(sealed: Sealed) -> Sealed:
            return Sealed(mine.seal(their_keys.unseal(sealed.token)))

    with collector_paused():  # see core.heap
        return plan(
            contents.body.entries, contents.body.tombstones, theirs.entries, theirs.tombstones, reseal,
            history_max=contents.history_max, now=utc_now(), identical=identical,
        )  # fmt: skip


def same_lines(ours: Body, theirs: Body) -> set[str]:
    """The UUIDs of entries both bodies read from (or last wrote as) the same line: equal in
    every field, history, version and token included; the merge need not compare them."""
    found = set()
    our_lines, our_entries, their_entries = ours.lines, ours.entries, theirs.entries
    for uuid, (entry, line) in theirs.lines.items():
        mine = our_lines.get(uuid)
        same = mine is not None and mine[1] == line
        if same and mine[0] is our_entries.get(uuid) and entry is their_entries.get(uuid):  # type: ignore[index]
            found.add(uuid)
    return found


def draft_stamps(body: Body) -> dict[str, datetime]:
    """When each draft was kept: what ``merge_drafts`` compares with."""
    return {key: draft.saved for key, draft in body.drafts.items()}


def merge_drafts(
    ours: dict[str, Draft], disk: dict[str, Draft], base: dict[str, datetime]
) -> dict[str, Draft]:
    """Keep both sides' drafts (another window's kept edit is not dropped): the newer one
    where both have a key; one only the other side has unless we dropped it since we last
    read the file (``base``: ``draft_stamps`` then); one only we have unless they dropped it
    and we did not change it."""
    merged = {}
    for key in ours.keys() | disk.keys():
        mine, theirs = ours.get(key), disk.get(key)
        if mine is not None and theirs is not None:
            merged[key] = theirs if theirs.saved > mine.saved else mine
        elif theirs is not None and key not in base:
            merged[key] = theirs
        elif mine is not None and (key not in base or mine.saved != base[key]):
            merged[key] = mine
    return merged
