"""Version vectors: which edits an entry (or a deletion) has seen, independent of any clock.

A version is ``{device id: number of edits that device made}``, kept as a sorted tuple of pairs
so it is a plain, hashable value. Every edit adds one to the editing device's count; merging
takes the larger count per device. Version ``a`` *covers* ``b`` when every count in ``a`` is at
least the one in ``b``: whoever holds ``a`` has seen every edit behind ``b``. Two versions where
neither covers the other were made concurrently. See docs/FORMAT.md section 5.2.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Mapping
from typing import Any, Final

from vaultapp.core.locks import ExclusiveLock, LockTimeoutError, StateFile, update_state

Version = tuple[tuple[str, int], ...]

# Entries written before versions existed are migrated under this device (docs/FORMAT.md §5.2),
# so two copies migrated apart give the same entry the same version.
LEGACY_DEVICE: Final = "legacy"
COUNT_MAX: Final = 2**53  # a count a JSON reader in any language holds exactly


def version_of(counts: Mapping[str, int]) -> Version:
    """The canonical (sorted, no zero counts) form of ``counts``."""
    return tuple(sorted((device, count) for device, count in counts.items() if count > 0))


def bump(version: Version, device: str) -> Version:
    """``version`` plus one edit by ``device``."""
    counts = dict(version)
    counts[device] = counts.get(device, 0) + 1
    return version_of(counts)


def join(a: Version, b: Version) -> Version:
    """The smallest version that covers both (what a copy that merged both has seen)."""
    counts = dict(a)
    for device, count in b:
        counts[device] = max(counts.get(device, 0), count)
    return version_of(counts)


def covers(a: Version, b: Version) -> bool:
    """True when ``a`` has seen every edit behind ``b`` (``b`` is older or equal)."""
    mine = dict(a)
    return all(mine.get(device, 0) >= count for device, count in b)


def total(version: Version) -> int:
    """How many edits lie behind ``version`` (larger for any version that covers another)."""
    return sum(count for _, count in version)


def is_legacy(version: Version) -> bool:
    """Only migrated counts: the entry was not edited since versions were introduced."""
    return all(device == LEGACY_DEVICE for device, _ in version)


def new_device_id() -> str:
    """A random device id (12 hex digits); ``core.device`` keeps one per device."""
    return secrets.token_hex(6)


_DEVICE_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")


@functools.lru_cache(maxsize=256)  # a vault holds few device ids, each checked once per entry
def _valid_text_id(value: str) -> bool:
    return value != LEGACY_DEVICE and _DEVICE_ID.fullmatch(value) is not None


def valid_device_id(value: object) -> bool:
    """1 to 64 ASCII letters, digits, '-' or '_', and not the legacy id."""
    return isinstance(value, str) and _valid_text_id(value)


class DeviceFile(StateFile):
    """``device.json`` in the state folder: ``{"ids": {"<vault id>:<path>": ["<id>", …]}}``, the
    ids this device's edits of each vault file carry in entry versions. It holds no secret (the
    ids are only ever written inside the encrypted payload).

    Versions count on one id never numbering two different edits alike. So a process *leases*
    an id: it holds ``device-<id>.lock`` (an advisory lock the system drops when the process
    ends) while it may edit, and a second process working on the same file at the same time
    takes another id; another file (a copy elsewhere) has ids of its own; and when the file's
    history forks here (a backup restored, an older copy accepted) the id is retired, since the
    numbers after the fork were used."""

    FILE_NAME = "device.json"

    def lease(self, key: str, *, fresh: bool = False) -> tuple[str, ExclusiveLock | None]:
        """An id for vault file ``key`` that no other running process holds, and its lease
        (release it when done). With ``fresh`` (the file's history forked) the file's earlier
        ids are retired and a new one is drawn. Where the state folder cannot be written, a
        new id each time: still correct (every id is unique), only versions grow."""
        table = self._load().get("ids")
        known = table.get(key) if isinstance(table, dict) and not fresh else None
        for candidate in known if isinstance(known, list) else []:
            if valid_device_id(candidate):
                lock = self._lock_for(str(candidate))
                if lock is not None:
                    return str(candidate), lock
        chosen = new_device_id()

        def change(data: dict[str, Any]) -> None:
            ids = data.get("ids")
            if not isinstance(ids, dict):
                ids = data["ids"] = {}
            mine = ids.get(key)
            ids[key] = [*mine, chosen] if isinstance(mine, list) and not fresh else [chosen]

        update_state(self.path, change)
        return chosen, self._lock_for(chosen)

    def _lock_for(self, device: str) -> ExclusiveLock | None:
        lock = ExclusiveLock(self.path.with_name(f"device-{device}.lock"))
        try:
            lock.acquire()
        except (LockTimeoutError, OSError):
            return None
        return lock
