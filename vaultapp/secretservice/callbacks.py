"""What the app supplies to the Secret Service: the open vault, the chosen folder, lock and unlock,
the per-program question, notifications. All are
called on the app's own thread. The defaults make a service that serves nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault


def _no_vault() -> Vault | None:
    return None


def _default_folder() -> str:
    return ""


def _nothing() -> None:
    return None


def _allow(program: str, labels: list[str]) -> bool:
    return True


def _ignore(text: str) -> None:
    return None


@dataclass(slots=True)
class Callbacks:
    """Plugged in by the window (``gui/secret_link.py``) or a test."""

    vault: Callable[[], Vault | None] = _no_vault  # the open vault, None while locked
    folder: Callable[[], str] = _default_folder  # the folder served ('' = the default one)
    request_unlock: Callable[[], None] = _nothing  # a client's unlock prompt: show the unlock window
    lock: Callable[[], None] = _nothing  # a client asked to lock
    allow: Callable[[str, list[str]], bool] = _allow  # (program, item labels) -> may it read them
    notify: Callable[[str], None] = _ignore  # a secret was read (a status line, a notification)
    changed: Callable[[], None] = _nothing  # items were stored or deleted: show them
