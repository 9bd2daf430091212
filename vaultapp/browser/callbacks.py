"""What the window supplies to the protocol handler: the open vault, the association and access
prompts (``Access`` is the user's answer), the generator, lock and unlock, notifications."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultapp.core import Entry, Vault


@dataclass(frozen=True, slots=True)
class Access:
    """The user's answer to "may <host> have these entries": the UUIDs allowed (the others asked
    about are denied) and whether to remember it for that site."""

    allowed: frozenset[str]
    remember: bool = False


def _no_vault() -> Vault | None:
    return None


def _deny_associate(key: str) -> str | None:
    return None


def _deny_access(entries: list[Entry], host: str, client: str) -> Access:
    return Access(frozenset())


def _default_password() -> str:
    from vaultapp.generators.password import generate_password

    return generate_password().value


def _nothing() -> None:
    return None


def _ignore(text: str) -> None:
    return None


@dataclass(slots=True)
class Callbacks:
    """What the app plugs in. Every prompt defaults to "no"; the defaults make a host that serves
    nothing (a test or a headless start sets what it needs)."""

    vault: Callable[[], Vault | None] = _no_vault  # the open vault, None while locked
    ask_associate: Callable[[str], str | None] = _deny_associate  # (id key) -> the name, or None
    # (entries, host, the asking connection's name as the user gave it at the association)
    ask_access: Callable[[list[Entry], str, str], Access] = _deny_access
    generate_password: Callable[[], str] = _default_password  # with the user's default settings
    lock: Callable[[], None] = _nothing
    request_unlock: Callable[[], None] = _nothing  # a request with triggerUnlock while locked
    notify: Callable[[str], None] = _ignore  # a line for the status bar or a notification
    clock: Callable[[], float] = time.time
