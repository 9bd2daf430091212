"""The user's running SSH agent (``$SSH_AUTH_SOCK``), through asyncssh's agent client: list, add
with lifetime and confirm constraints, remove by public key. Synchronous calls (each one runs its
own short asyncio loop and connection, bounded by ``TIMEOUT``); every failure is one ``AgentError``
line saying what to do."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Final, TypeVar

from vaultapp.core.errors import AgentError

if TYPE_CHECKING:
    import asyncssh

    from vaultapp.sshagent.keys import SshKey

TIMEOUT: Final = 10.0  # seconds for one whole call: a local agent answers in milliseconds
_T = TypeVar("_T")


class NoAgentError(AgentError):
    """No agent is set or answers (exit 8, as every agent failure)."""


def agent_path(environ: Mapping[str, str] | None = None) -> str:
    """The agent's socket from ``SSH_AUTH_SOCK``.

    Raises:
        AgentError: the variable is not set.
    """
    path = (os.environ if environ is None else environ).get("SSH_AUTH_SOCK", "")
    if not path:
        raise NoAgentError(
            'No SSH agent: SSH_AUTH_SOCK is not set. Start one (eval "$(ssh-agent)") or turn on '
            "your desktop's SSH agent, then try again."
        )
    return path


def _constraints(lifetime: int | None, confirm: bool) -> str:
    parts = ([f"a lifetime of {lifetime} s"] if lifetime else []) + (
        ["confirm before use"] if confirm else []
    )
    return " and ".join(parts)


class AgentClient:
    """One agent, by its socket path (``SSH_AUTH_SOCK`` when not given)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = agent_path() if path is None else path

    def _run(self, work: Callable[[asyncssh.SSHAgentClient], Awaitable[_T]]) -> _T:
        import asyncssh

        async def call() -> _T:
            try:
                client = await asyncssh.connect_agent(self.path)
            except OSError as exc:
                raise NoAgentError(
                    f"No SSH agent answers at {self.path} ({exc.strerror or exc}): start ssh-agent, "
                    "or check SSH_AUTH_SOCK."
                ) from None
            try:
                return await work(client)
            finally:
                client.close()
                await client.wait_closed()

        try:
            return asyncio.run(asyncio.wait_for(call(), TIMEOUT))
        except TimeoutError:
            raise AgentError(f"The SSH agent at {self.path} did not answer within {TIMEOUT:g} s.") from None

    def identities(self) -> set[bytes]:
        """The public keys (SSH wire form) the agent holds now."""

        async def work(client: asyncssh.SSHAgentClient) -> set[bytes]:
            try:
                return {bytes(key.public_data) for key in await client.get_keys()}
            except ValueError as exc:
                raise AgentError(f"The SSH agent at {self.path} did not list its keys ({exc}).") from None

        return self._run(work)

    def add(self, key: SshKey, *, lifetime: int | None = None, confirm: bool = False) -> None:
        """Add ``key`` with its constraints (``lifetime`` seconds, confirm each use).

        Raises:
            AgentError: no agent, or it refused the key or its constraints.
        """
        import asyncssh

        agent_key = asyncssh.import_private_key(key.openssh_private())
        agent_key.set_comment(key.comment)

        async def work(client: asyncssh.SSHAgentClient) -> None:
            try:
                await client.add_keys([agent_key], lifetime=lifetime, confirm=confirm)
            except ValueError as exc:
                asked = _constraints(lifetime, confirm)
                if asked:
                    raise AgentError(
                        f"The SSH agent refused the key {key.comment!r} with {asked} ({exc}): this "
                        "agent may not support that. Change the entry's 'SSH agent' field (or the "
                        "command's options), or use OpenSSH's ssh-agent."
                    ) from None
                raise AgentError(f"The SSH agent refused the key {key.comment!r} ({exc}).") from None

        self._run(work)

    def remove(self, blobs: Iterable[bytes]) -> set[bytes]:
        """Remove the keys with these public keys that the agent holds; returns those removed
        (a key the agent no longer has, its lifetime over or removed by the user, is skipped).

        Raises:
            AgentError: no agent, or it refused to remove one.
        """
        wanted = set(blobs)

        async def work(client: asyncssh.SSHAgentClient) -> set[bytes]:
            removed: set[bytes] = set()
            try:
                held = [k for k in await client.get_keys() if bytes(k.public_data) in wanted]
                for held_key in held:
                    await client.remove_keys([held_key])
                    removed.add(bytes(held_key.public_data))
            except ValueError as exc:
                raise AgentError(
                    f"The SSH agent at {self.path} did not remove a key ({exc}); "
                    "remove it with ssh-add -d, or restart the agent."
                ) from None
            return removed

        return self._run(work)
