"""The entries by the hosts of their URLs, so ``get-logins`` looks up the few entries a page's
hosts can match instead of scanning the vault (``matching.matching`` scores them).

Built at the first request after an unlock and kept while the vault's entries are the same
objects: every request compares the vault's entry list with the one the index was built from
(a list comparison in C that stops at the first difference; entries are immutable and every edit
replaces the object), so an entry added, edited, trashed or deleted since, or a vault reloaded
or merged, rebuilds it before the lookup. A rebuild reuses the hosts of the entries that did
not change. ``clear`` drops it: the window calls it at every lock, and a request that finds the
vault locked does too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultapp.browser import matching

if TYPE_CHECKING:
    from vaultapp.core import Entry, Vault


def entry_hosts(entry: Entry) -> tuple[str, ...]:
    """The hosts of the entry's URLs (its ``url`` and its extra ``KP2A_URL`` ones)."""
    hosts = []
    for url in matching.entry_urls(entry):
        site = matching.parse(url)
        if site is not None and site.host not in hosts:
            hosts.append(site.host)
    return tuple(hosts)


class HostIndex:
    """host -> the entries with a URL on that host, for one vault (see the module docstring)."""

    def __init__(self) -> None:
        self._vault_id = 0  # id() of the vault built from; its entry list decides the rest
        self._entries: list[Entry] = []
        self._hosts: dict[str, tuple[Entry, tuple[str, ...]]] = {}  # uuid -> (entry, its hosts)
        self._by_host: dict[str, list[int]] = {}  # host -> positions in _entries

    @property
    def built(self) -> bool:
        return bool(self._vault_id)

    def clear(self) -> None:
        """Forget the entries (the vault locked: the index holds no entry past a lock)."""
        self._vault_id = 0
        self._entries, self._hosts, self._by_host = [], {}, {}

    def _current(self, vault: Vault) -> list[Entry]:
        entries = vault.entries
        # Equal lists of the same objects compare by identity in C; a replaced entry that
        # compares equal holds the same values, so the index would match it the same way.
        if id(vault) != self._vault_id or entries != self._entries:
            self._rebuild(vault, entries)
        return self._entries

    def _rebuild(self, vault: Vault, entries: list[Entry]) -> None:
        old = self._hosts
        hosts: dict[str, tuple[Entry, tuple[str, ...]]] = {}
        by_host: dict[str, list[int]] = {}
        for position, entry in enumerate(entries):
            kept = old.get(entry.uuid)
            found = kept[1] if kept is not None and kept[0] is entry else entry_hosts(entry)
            hosts[entry.uuid] = (entry, found)
            for host in found:
                by_host.setdefault(host, []).append(position)
        self._vault_id, self._entries, self._hosts, self._by_host = id(vault), entries, hosts, by_host

    def matching(self, vault: Vault, url: str, submit_url: str = "") -> list[tuple[int, Entry]]:
        """What ``matching.matching(vault.entries, url, submit_url)`` returns, in the same order."""
        entries = self._current(vault)
        positions: set[int] = set()
        for host in matching.candidate_hosts((url, submit_url)):
            positions.update(self._by_host.get(host, ()))
        return matching.matching([entries[p] for p in sorted(positions)], url, submit_url)
