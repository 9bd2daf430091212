"""The Secret Service's items as vault entries: one folder of the vault is the collection, each
entry in it (not in the Trash) an item. Pure: no D-Bus, no Qt; runs on the app's thread.

An item's label is the entry's title and its secret the entry's password. Its lookup attributes
are plain custom fields named ``ATTRIBUTE_PREFIX + name`` (``attr:service``, ``attr:xdg:schema``),
so they show in the window and survive export; a content type other than ``text/plain`` is kept
in the field ``CONTENT_TYPE_FIELD``, and a secret that is not UTF-8 text is kept base64-encoded
with ``ENCODING_FIELD`` set to ``base64``. An item's D-Bus name is the entry's UUID in hex.
"""

from __future__ import annotations

import base64
import binascii
import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from vaultapp.core.entry import normalize_folder

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault

ATTRIBUTE_PREFIX: Final = "attr:"
CONTENT_TYPE_FIELD: Final = "secret-service:content-type"
ENCODING_FIELD: Final = "secret-service:encoding"
DEFAULT_FOLDER: Final = "Secret Service"
TEXT: Final = "text/plain"
_OWN_FIELDS: Final = (CONTENT_TYPE_FIELD, ENCODING_FIELD)


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """What a client may read of an item without its secret."""

    item_id: str
    label: str
    attributes: dict[str, str]
    created: int  # seconds since the epoch
    modified: int


def item_id(entry: Entry) -> str:
    """The item's D-Bus path element: the entry's UUID as 32 hex digits."""
    return entry.uuid.replace("-", "")


def attributes(entry: Entry) -> dict[str, str]:
    """The lookup attributes kept in ``entry``'s custom fields."""
    n = len(ATTRIBUTE_PREFIX)
    return {
        f.name[n:]: f.value
        for f in entry.custom
        if f.name.startswith(ATTRIBUTE_PREFIX) and isinstance(f.value, str)
    }


def folder_label(folder: str) -> str:
    """The folder served for the setting ``folder`` (normalised; ``DEFAULT_FOLDER`` if empty)."""
    return normalize_folder(folder) or DEFAULT_FOLDER


def info(entry: Entry) -> ItemInfo:
    return ItemInfo(
        item_id(entry), entry.title, attributes(entry), int(entry.created.timestamp()),
        int(entry.modified.timestamp()),
    )  # fmt: skip


class Store:
    """The collection in ``vault``'s folder ``folder`` (normalised; ``DEFAULT_FOLDER`` if empty)."""

    def __init__(self, vault: Vault, folder: str) -> None:
        self.vault = vault
        self.folder = folder_label(folder)

    def entries(self) -> list[Entry]:
        return [e for e in self.vault.entries if e.folder == self.folder]

    def get(self, item: str) -> Entry | None:
        """The entry of item ``item`` if it is still in the collection."""
        try:
            uuid = str(uuid_module.UUID(hex=item))
        except ValueError:
            return None
        from vaultapp.core.errors import EntryNotFoundError

        try:
            entry = self.vault.get(uuid)
        except EntryNotFoundError:
            return None
        return entry if entry.folder == self.folder and entry.trashed is None else None

    def found(self, wanted: Mapping[str, str]) -> list[Entry]:
        """The entries whose attributes include every pair of ``wanted`` (all of them for {})."""
        want = {(ATTRIBUTE_PREFIX + k, v) for k, v in wanted.items()}
        folder = self.folder
        return [
            e
            for e in self.vault.entries
            if e.folder == folder and (not want or want.issubset({(f.name, f.value) for f in e.custom}))
        ]

    def search(self, wanted: Mapping[str, str]) -> list[str]:
        """The ids of ``found``."""
        return [item_id(entry) for entry in self.found(wanted)]

    def secret(self, entry: Entry) -> tuple[bytes, str]:
        """(secret, content type) of an item."""
        text = "" if entry.password is None else self.vault.reveal(entry.password)
        fields = {f.name: f.value for f in entry.custom if f.name in _OWN_FIELDS}
        content_type = str(fields.get(CONTENT_TYPE_FIELD, TEXT))
        if fields.get(ENCODING_FIELD) == "base64":
            try:
                return base64.b64decode(text, validate=True), content_type
            except (binascii.Error, ValueError):
                pass  # edited by hand in the window: give the text as it stands
        return text.encode("utf-8"), content_type

    def _custom(
        self,
        entry: Entry | None,
        attrs: Mapping[str, str] | None,
        content_type: str | None,
        encoded: bool | None,
    ) -> list[tuple[str, str, bool]]:
        """The custom fields with new attributes and/or secret format; the entry's others kept."""
        kept: list[tuple[str, str, bool]] = []
        old_attrs: dict[str, str] = {}
        own: dict[str, str] = {}
        if entry is not None:
            for f in entry.custom:
                value = f.value if isinstance(f.value, str) else None
                if f.name.startswith(ATTRIBUTE_PREFIX) and value is not None:
                    old_attrs[f.name[len(ATTRIBUTE_PREFIX) :]] = value
                elif f.name in _OWN_FIELDS and value is not None:
                    own[f.name] = value
                elif value is not None:
                    kept.append((f.name, value, False))
                else:  # a protected field the user added in the window: sealed again as it was
                    kept.append((f.name, self.vault.reveal(f.value), True))  # type: ignore[arg-type]
        if content_type is not None:
            own.pop(CONTENT_TYPE_FIELD, None)
            if content_type and content_type != TEXT:
                own[CONTENT_TYPE_FIELD] = content_type
        if encoded is not None:
            own.pop(ENCODING_FIELD, None)
            if encoded:
                own[ENCODING_FIELD] = "base64"
        final_attrs = dict(attrs) if attrs is not None else old_attrs
        return (
            [(ATTRIBUTE_PREFIX + k, v, False) for k, v in sorted(final_attrs.items())]
            + [(k, v, False) for k, v in sorted(own.items())]
            + kept
        )

    @staticmethod
    def _encode(secret: bytes) -> tuple[str, bool]:
        try:
            text = secret.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(secret).decode("ascii"), True
        if "\0" in text:
            return base64.b64encode(secret).decode("ascii"), True
        return text, False

    def create(
        self, label: str, attrs: Mapping[str, str], secret: bytes, content_type: str, *, replace: bool
    ) -> tuple[str, bool]:
        """Store an item (in memory; the caller saves). With ``replace``, an item with exactly
        these attributes is updated instead (its old version goes to the entry's history).
        Returns (item id, whether it is new)."""
        password, encoded = self._encode(secret)
        title = label.strip() or "Secret"
        if replace:
            for entry in self.entries():
                if attributes(entry) == dict(attrs):
                    custom = self._custom(entry, attrs, content_type, encoded)
                    self.vault.update(entry.uuid, title=title, password=password, custom=custom)
                    return item_id(entry), False
        custom = self._custom(None, attrs, content_type, encoded)
        entry = self.vault.add(title, password=password, folder=self.folder, custom=custom)
        return item_id(entry), True

    def set_secret(self, entry: Entry, secret: bytes, content_type: str) -> None:
        password, encoded = self._encode(secret)
        custom = self._custom(entry, None, content_type, encoded)
        self.vault.update(entry.uuid, password=password, custom=custom)

    def set_label(self, entry: Entry, label: str) -> None:
        self.vault.update(entry.uuid, title=label.strip() or "Secret")

    def set_attributes(self, entry: Entry, attrs: Mapping[str, str]) -> None:
        self.vault.update(entry.uuid, custom=self._custom(entry, attrs, None, None))

    def delete(self, entry: Entry) -> None:
        """Move the item's entry to the Trash (restorable in the window)."""
        self.vault.trash(entry.uuid)
