"""``vaultapp://`` references: their grammar, finding them in text, and resolving them against an
unlocked vault (through the ``Vault`` façade only).

A reference names one field of one entry::

    vaultapp://Folder/Sub folder/Title/password
    vaultapp://Title/username                 (an entry outside any folder)
    vaultapp://Folder/Title/custom/API key    (a custom field, by its exact name)
    vaultapp://Folder/Title/totp              (the current time-based code)
    vaultapp://0b5c…-uuid/password            (an entry by its UUID)

Each segment is percent-decoded, so a ``/`` inside a folder name, a title or a field name is
written ``%2F`` and a ``%`` is ``%25`` (``quote_segment`` makes a segment); a space may be written
as is or as ``%20``. Folder, title and field names match exactly (case included), as the
window shows them. The field is read from the end: ``password``, ``username`` or ``totp`` as the
last segment, or ``custom/NAME`` as the last two. Where both readings could name an entry
(``vaultapp://A/custom/password``: the password of an entry titled ``custom`` in folder ``A``, or
the custom field ``password`` of ``A``), the reference is refused as ambiguous, as it is when two
live entries have the same folder and title. Entries in the Trash are never used.

In any text (an ``inject`` template, or inside a longer ``.env`` value) a reference is written
``{{ vaultapp://… }}``; a ``.env`` value that is a reference and nothing else needs no braces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import quote, unquote

from vaultapp.core.errors import UsageError

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault

SCHEME: Final = "vaultapp://"
FIELDS: Final = ("password", "username", "totp")
PLACEHOLDER: Final = re.compile(r"\{\{\s*(vaultapp://[^{}]*?)\s*\}\}")
"""``{{ vaultapp://… }}`` in a template; the reference inside cannot hold ``{`` or ``}`` (write
``%7B``/``%7D``)."""
UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

Kind = Literal["password", "username", "totp", "custom"]


@dataclass(frozen=True, slots=True)
class Reference:
    """One reading of a reference: the entry's folder and title (or UUID) and the field."""

    text: str  # as written (holds no secret: it names where one is)
    path: tuple[str, ...]  # folder segments then the title, decoded
    kind: Kind
    custom: str = ""  # the custom field's name, for kind "custom"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A reference's value, the entry it came from and whether the value is a secret (masked in
    a command's output: passwords, codes, protected custom fields; never usernames)."""

    reference: str
    uuid: str
    title: str
    kind: Kind
    value: str = field(repr=False)
    secret: bool


def quote_segment(name: str) -> str:
    """A folder name, title or field name as one segment of a reference (``/`` and ``%`` encoded)."""
    return quote(name, safe=" !$&'()*+,;=:@~-._")


def is_reference(value: str) -> bool:
    return value.startswith(SCHEME)


def readings(text: str) -> list[Reference]:
    """The ways ``text`` can be read (one or two; see the module's docstring).

    Raises:
        UsageError: not a reference of this grammar (the message names it and says what is wrong).
    """
    if not is_reference(text):
        raise UsageError(f"{text!r} is not a vaultapp:// reference.")
    raw = text.removeprefix(SCHEME).strip()
    parts = [unquote(p) for p in raw.split("/")]
    if any(not p.strip() for p in parts):
        raise UsageError(f"{text} has an empty part (two '/' in a row, or one at an end); {_SHAPE}")
    found: list[Reference] = []
    if len(parts) >= 2 and parts[-1] in FIELDS:
        kind: Kind = parts[-1]  # type: ignore[assignment]
        found.append(Reference(text, tuple(parts[:-1]), kind))
    if len(parts) >= 3 and parts[-2] == "custom":
        found.append(Reference(text, tuple(parts[:-2]), "custom", parts[-1]))
    if not found:
        raise UsageError(f"{text} does not end in a field: password, username, totp or custom/NAME; {_SHAPE}")
    return found


_SHAPE: Final = "write vaultapp://Folder/Title/password (a '/' inside a name is %2F)."


def placeholders(text: str) -> list[re.Match[str]]:
    """The ``{{ vaultapp://… }}`` placeholders in ``text``."""
    return list(PLACEHOLDER.finditer(text))


class Resolver:
    """Resolves references against ``vault`` at the time ``now`` (seconds since 1970, for the
    codes), remembering each one's value so a reference used twice is looked up once."""

    def __init__(self, vault: Vault, now: float) -> None:
        self._vault = vault
        self._now = now
        self._by_path: dict[tuple[str, ...], list[Entry]] = {}
        for entry in vault.entries:
            path = (*entry.folder.split("/"), entry.title) if entry.folder else (entry.title,)
            self._by_path.setdefault(path, []).append(entry)
        self.resolved: dict[str, Resolved] = {}

    def resolve(self, text: str) -> Resolved:
        """The value ``text`` names.

        Raises:
            UsageError: not a reference, no such entry or field, ambiguous, or an HOTP entry's code.
        """
        text = text.strip()
        if text in self.resolved:
            return self.resolved[text]
        options = [(ref, entries) for ref in readings(text) if (entries := self._entries(ref))]
        if not options:
            where = "/".join(readings(text)[0].path)
            raise UsageError(
                f"{text}: no entry {where!r} in this vault (folder and title must match exactly, "
                "and entries in the Trash are not used)."
            )
        if len(options) > 1:
            raise UsageError(
                f"{text} can be read two ways (a title or folder 'custom'); rename the entry or folder."
            )
        ref, entries = options[0]
        if len(entries) > 1:
            uuids = ", ".join(e.uuid for e in entries[:5])
            raise UsageError(
                f"{text}: {len(entries)} entries have that folder and title; rename one, or name it by "
                f"its UUID (vaultapp://UUID/{ref.kind if ref.kind != 'custom' else 'custom/…'}): {uuids}."
            )
        value, secret = self._field(ref, entries[0])
        resolved = Resolved(text, entries[0].uuid, entries[0].title, ref.kind, value, secret)
        self.resolved[text] = resolved
        return resolved

    def substitute(self, text: str) -> str:
        """``text`` with every ``{{ vaultapp://… }}`` replaced by its value.

        Raises:
            UsageError: a reference that does not resolve (the first one, named).
        """
        return PLACEHOLDER.sub(lambda m: self.resolve(m[1]).value, text)

    def _entries(self, ref: Reference) -> list[Entry]:
        if len(ref.path) == 1 and UUID.fullmatch(ref.path[0]):
            entry = next((e for e in self._vault.entries if e.uuid == ref.path[0]), None)
            if entry is not None:
                return [entry]
        return self._by_path.get(ref.path, [])

    def _field(self, ref: Reference, entry: Entry) -> tuple[str, bool]:
        from vaultapp.core.entry import Sealed

        missing = f"{ref.text}: the entry {entry.title!r} has no {ref.kind}"
        if ref.kind == "username":
            if not entry.username:
                raise UsageError(f"{missing}.")
            return entry.username, False
        if ref.kind == "password":
            if entry.password is None:
                raise UsageError(f"{missing}.")
            return self._vault.reveal(entry.password), True
        if ref.kind == "totp":
            if entry.totp is None:
                raise UsageError(f"{missing} (no one-time code is set up).")
            return self._code(ref, entry), True
        named = [c for c in entry.custom if c.name == ref.custom]
        if not named:
            have = ", ".join(repr(c.name) for c in entry.custom) or "none"
            raise UsageError(f"{ref.text}: the entry {entry.title!r} has no custom field "
                             f"{ref.custom!r} (it has: {have}).")  # fmt: skip
        value = named[0].value
        if isinstance(value, Sealed):
            return self._vault.reveal(value), True
        return value, False

    def _code(self, ref: Reference, entry: Entry) -> str:
        from vaultapp.generators.otp import code_now, parse

        assert entry.totp is not None  # noqa: S101 - checked by the caller
        params = parse(self._vault.reveal(entry.totp))
        if params.kind == "hotp":
            raise UsageError(
                f"{ref.text}: the entry {entry.title!r} has a counter-based (HOTP) code; only time-based "
                f"codes can be given to a program (use '{_PROG} totp')."
            )
        return code_now(params, self._now)


_PROG: Final = "vaultapp-cli"
