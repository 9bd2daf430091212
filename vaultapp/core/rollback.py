"""Rollback detection: what this device last saw of each vault.

Sync tools sometimes bring back an older copy of a file. Each vault carries a save counter
(``meta.generation``, inside the encrypted payload); this device remembers, per vault id and
path, the highest counter and the file hash it has seen (a sibling conflict copy is another
place, not a rollback). Opening an older copy sets a warning, and the
vault refuses to save over the newer history until the user accepts the rollback. The state file
holds no secret: random vault ids, counters and hashes of encrypted files.
"""

from __future__ import annotations

from typing import Any

from vaultapp.core.locks import StateFile


class SeenVaults(StateFile):
    """``seen.json``: ``{"<vault id>:<path>": {"generation": n, "sha256": hex}}``."""

    FILE_NAME = "seen.json"

    def check(self, vault_id: str, generation: int, sha256: str) -> str | None:
        """A warning when this copy is older than one this device has seen, else None."""
        seen = self._load().get(vault_id)
        if not isinstance(seen, dict):
            return None
        last = seen.get("generation")
        if isinstance(last, int) and generation < last:
            return (
                f"This copy of the vault is older than one this device has seen (save {generation}, "
                f"but save {last} was seen before): a sync tool may have brought back an old copy. "
                "Look for the newer copy before changing anything."
            )
        return None

    def remember(self, vault_id: str, generation: int, sha256: str) -> None:
        """Record this copy, keeping the highest counter seen (best effort: never fails a save)."""
        from vaultapp.core.locks import update_state

        def change(data: dict[str, Any]) -> None:
            previous = data.get(vault_id)
            last = previous.get("generation") if isinstance(previous, dict) else None
            if not (isinstance(last, int) and last > generation):
                data[vault_id] = {"generation": generation, "sha256": sha256}

        update_state(self.path, change)
