"""The window's side of the SSH agent integration: while it is on (Settings → SSH agent), each
unlock adds the keys of the entries marked ``add-on-unlock`` to the running agent
(``$SSH_AUTH_SOCK``) with their lifetime and confirm constraints, and a lock, turning it off or
quitting removes exactly the keys it added (a key the user had added already is left alone).

The agent is a local socket and answers at once, so this runs on the GUI thread: a lock is never
left waiting on a background job while keys stay in the agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.sshagent.session import AgentSession


class SshAgentLink:
    """Owned by the window (``window.ssh_agent``); ``update`` after every unlock, lock and settings
    change, ``close`` when the window closes."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session: AgentSession | None = None
        self.vault: Vault | None = None  # the unlock whose keys were added
        self.message = ""  # the last outcome, for the settings page and the tests

    def update(self) -> None:
        w = self.window
        if w.vault is None or not w.settings.ssh_agent_enabled:
            self.close()
            return
        if self.vault is w.vault:
            return  # this unlock's keys are in already
        self.close()
        self.vault = w.vault
        self._add(w.vault)

    def _add(self, vault: Vault) -> None:
        from vaultapp.sshagent.agent import AgentClient
        from vaultapp.sshagent.session import AgentSession

        try:
            self.session = AgentSession(AgentClient())
        except VaultError as exc:
            self._say(f"SSH agent: {exc}")
            return
        outcome = self.session.add_on_unlock(vault)
        fresh = [a for a in outcome.added if a.fresh]
        parts = (
            [f"SSH agent: added {len(fresh)} key{'s' if len(fresh) != 1 else ''}"] if outcome.added else []
        )
        parts += outcome.failed
        if parts:
            self._say("; ".join(parts))

    def add_new(self, entry: Entry) -> None:
        """An add-on-unlock key made while unlocked (Entry → New SSH key…) goes in at once."""
        vault = self.window.vault
        if self.session is None or vault is None or self.vault is not vault:
            return
        try:
            added = self.session.add_entry(vault, entry)
        except VaultError as exc:
            self._say(f"SSH agent: {exc}")
            return
        self._say(f"SSH agent: added {added.title}.")

    def close(self) -> None:
        """Remove the keys this unlock added (at lock, when switched off, at quit)."""
        session, self.session, self.vault = self.session, None, None
        if session is None or not session.added:
            return
        try:
            removed = session.remove_added()
        except VaultError as exc:
            self._say(f"SSH agent: {exc}")
            return
        self._say(f"SSH agent: removed {removed} key{'s' if removed != 1 else ''}.")

    def _say(self, text: str) -> None:
        self.message = text
        self.window.statusBar().showMessage(text, 10_000)
