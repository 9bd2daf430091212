"""What an entry's fields type: the values behind ``{USERNAME}`` … ``{TOTP}`` and ``{S:name}``,
read through the ``Vault`` façade only when a sequence is typed, and the strokes of a sequence
for an entry. No Qt, no X11."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from vaultapp.autotype.sequence import SequenceError, Stroke, expand, fields_used, parse
from vaultapp.core.entry import Sealed
from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault


def field_values(vault: Vault, entry: Entry, now: float | None = None) -> Callable[[str], str]:
    """``value(name)`` for the sequence's fields; ``SequenceError`` for one the entry lacks."""

    def reveal(value: str | Sealed | None) -> str:
        if value is None:
            return ""
        return vault.reveal(value) if isinstance(value, Sealed) else value

    def value(name: str) -> str:
        if name == "username":
            return entry.username
        if name == "password":
            return reveal(entry.password)
        if name in ("title", "url", "notes"):
            return str(getattr(entry, name))
        if name == "totp":
            return _totp(vault, entry, time.time() if now is None else now)
        wanted = name.removeprefix("S:")
        for exact in (True, False):  # the name as written first, then without case
            for custom in entry.custom:
                if custom.name == wanted if exact else custom.name.casefold() == wanted.casefold():
                    return reveal(custom.value)
        raise SequenceError(
            f"Entry {entry.title!r} has no field named {wanted!r} for {{S:{wanted}}}: add it or "
            "change the auto-type sequence."
        )

    return value


def _totp(vault: Vault, entry: Entry, now: float) -> str:
    from vaultapp.generators.otp import code_now
    from vaultapp.generators.otp import parse as parse_otp

    if entry.totp is None:
        raise SequenceError(f"Entry {entry.title!r} has no one-time code for {{TOTP}}: set one up first.")
    try:
        params = parse_otp(vault.reveal(entry.totp))
    except VaultError as exc:
        raise SequenceError(f"Entry {entry.title!r}: its one-time code secret is not usable ({exc})") from exc
    if params.kind == "hotp":
        raise SequenceError(
            f"Entry {entry.title!r} has a counter-based (HOTP) code, which auto-type does not use "
            "up; copy it instead."
        )
    return code_now(params, now)


def strokes_for(vault: Vault, entry: Entry, sequence: str) -> tuple[list[Stroke], list[str]]:
    """The strokes that type ``sequence`` for ``entry``, and the fields it uses (for the log)."""
    actions = parse(sequence)
    return expand(actions, field_values(vault, entry)), sorted(fields_used(actions))
