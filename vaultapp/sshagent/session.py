"""What one unlock put in the agent: adding an entry's key (or every "add on unlock" key) and
removing exactly the keys added, never a key the user had in the agent already."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultapp.core.errors import VaultError
from vaultapp.sshagent.agent import NoAgentError
from vaultapp.sshagent.entries import key_entries, load_key, settings_of

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault
    from vaultapp.sshagent.agent import AgentClient
    from vaultapp.sshagent.keys import SshKey


@dataclass(frozen=True, slots=True)
class Added:
    """One entry's key handed to the agent (``fresh``: it was not there before)."""

    title: str
    fingerprint: str
    fresh: bool
    lifetime: int | None
    confirm: bool


@dataclass(slots=True)
class Outcome:
    """What ``add_on_unlock`` did: the keys added, and one line per entry that failed."""

    added: list[Added] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def add_key(agent: AgentClient, key: SshKey, *, lifetime: int | None, confirm: bool, title: str) -> Added:
    """Add ``key`` unless the agent holds it already (then it is left as the user added it, and
    ``fresh`` is False: removing "our" keys must not remove it)."""
    if key.public_blob in agent.identities():
        return Added(title, key.fingerprint, False, lifetime, confirm)
    agent.add(key, lifetime=lifetime, confirm=confirm)
    return Added(title, key.fingerprint, True, lifetime, confirm)


class AgentSession:
    """The keys this app added to one agent, to remove at lock and quit."""

    def __init__(self, agent: AgentClient) -> None:
        self.agent = agent
        self.added: dict[bytes, str] = {}  # public key -> entry title

    def add_entry(
        self,
        vault: Vault,
        entry: Entry,
        *,
        key: SshKey | None = None,
        lifetime: int | None = None,
        confirm: bool | None = None,
    ) -> Added:
        """Add one entry's key (``key``: already loaded from it) with its settings (``lifetime``
        and ``confirm`` given here win).

        Raises:
            VaultError: the entry's key cannot be read, or the agent refused it (``AgentError``).
        """
        settings = settings_of(vault, entry)
        key = load_key(vault, entry, settings) if key is None else key
        result = add_key(
            self.agent,
            key,
            lifetime=settings.lifetime if lifetime is None else lifetime,
            confirm=settings.confirm if confirm is None else confirm,
            title=entry.title,
        )
        if result.fresh:
            self.added[key.public_blob] = entry.title
            # The key has left the vault: logged as a secret shown (kind and destination, no value).
            vault.note("entry.revealed", entry.uuid, {"field": "ssh key", "where": "ssh-agent"})
        return result

    def add_on_unlock(self, vault: Vault) -> Outcome:
        """Add every key whose entry says ``add-on-unlock``; a failure is reported, not raised,
        so one bad key does not keep the others out. An unreachable agent stops at once."""
        outcome = Outcome()
        for entry in key_entries(vault):
            try:
                if not settings_of(vault, entry).add_on_unlock:
                    continue
                outcome.added.append(self.add_entry(vault, entry))
            except NoAgentError as exc:
                outcome.failed.append(str(exc))
                break
            except VaultError as exc:
                outcome.failed.append(str(exc))
        return outcome

    def remove_added(self) -> int:
        """Remove the keys this session added (those still in the agent); returns how many."""
        if not self.added:
            return 0
        try:
            removed = self.agent.remove(self.added)
        finally:
            self.added.clear()
        return len(removed)
