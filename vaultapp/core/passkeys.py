"""Passkeys: the custom fields a passkey lives in (KeePassXC's ``KPEX_PASSKEY_*`` layout) and how to read one.

vaultapp stores a passkey exactly as KeePassXC 2.7.7+ does, as custom fields of an entry, so a
KDBX export gives KeePassXC a passkey it can use and a KeePassXC database brings its passkeys
in unchanged. The private key and the user handle are protected fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

CREDENTIAL_ID: Final = "KPEX_PASSKEY_CREDENTIAL_ID"
PRIVATE_KEY_PEM: Final = "KPEX_PASSKEY_PRIVATE_KEY_PEM"
RELYING_PARTY: Final = "KPEX_PASSKEY_RELYING_PARTY"
USERNAME: Final = "KPEX_PASSKEY_USERNAME"
USER_HANDLE: Final = "KPEX_PASSKEY_USER_HANDLE"
FLAG_BE: Final = "KPEX_PASSKEY_FLAG_BE"
FLAG_BS: Final = "KPEX_PASSKEY_FLAG_BS"
LEGACY_USERNAME: Final = "KPXC_PASSKEY_USERNAME"  # written by KeePassXC 2.7.7 before the rename

PREFIX: Final = "KPEX_PASSKEY_"
# Fields whose values are secret: protected wherever they are stored.
PROTECTED: Final = frozenset({PRIVATE_KEY_PEM, USER_HANDLE})


@dataclass(frozen=True, slots=True)
class PasskeyInfo:
    """What the window and the CLI show of a passkey (never the private key)."""

    relying_party: str
    username: str
    credential_id: str


def is_passkey_field(name: str) -> bool:
    """True for a field name that belongs to KeePassXC's passkey layout."""
    return name.startswith(PREFIX) or name == LEGACY_USERNAME


def passkey_of(fields: Iterable[tuple[str, str | None]]) -> PasskeyInfo | None:
    """The passkey held by an entry's ``(name, visible value or None if protected)`` fields, or None.

    An entry holds a passkey when it has a private key field, as KeePassXC decides.
    """
    values: dict[str, str | None] = dict(fields)
    if PRIVATE_KEY_PEM not in values:
        return None
    username = values.get(USERNAME) or values.get(LEGACY_USERNAME) or ""
    return PasskeyInfo(
        relying_party=values.get(RELYING_PARTY) or "",
        username=username,
        credential_id=values.get(CREDENTIAL_ID) or "",
    )
