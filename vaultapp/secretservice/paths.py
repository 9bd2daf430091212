"""The Secret Service's D-Bus names and object paths."""

from __future__ import annotations

from typing import Final

BUS_NAME: Final = "org.freedesktop.secrets"
SERVICE: Final = "/org/freedesktop/secrets"
COLLECTION: Final = "/org/freedesktop/secrets/collection/vaultapp"
DEFAULT_ALIAS: Final = "/org/freedesktop/secrets/aliases/default"  # libsecret's path for "default"
SESSION_PREFIX: Final = "/org/freedesktop/secrets/session/s"
PROMPT_PREFIX: Final = "/org/freedesktop/secrets/prompt/p"


def item_path(item_id: str) -> str:
    return f"{COLLECTION}/{item_id}"


def item_of(path: str) -> str | None:
    """The item id in an item's path (under the collection or the default alias), else None."""
    for prefix in (COLLECTION + "/", DEFAULT_ALIAS + "/"):
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return rest if rest and "/" not in rest else None
    return None
