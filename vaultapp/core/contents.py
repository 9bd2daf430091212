"""The vault's contents in memory: entries, Trash, tombstones, drafts, folders and history,
with every rule for changing them (version bumps, history limits; the folder rules are in
``folders``). No file I/O: the keys, this device's id and the audit log are handed in by
``Vault``, which saves what is changed here.
"""

from __future__ import annotations

import dataclasses
import re
import uuid as uuid_module
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from vaultapp.core import folders as folder_rules
from vaultapp.core import sealing
from vaultapp.core.body import Body
from vaultapp.core.causal import Version, bump, join, total
from vaultapp.core.entry import (
    HISTORY_MAX_DEFAULT,
    Attachment,
    CustomField,
    Draft,
    Entry,
    Sealed,
    Tombstone,
    check_title,
    new_uuid,
    normalize_folder,
    normalize_tags,
    normalize_totp,
    utc_now,
)
from vaultapp.core.errors import AmbiguousQueryError, EntryNotFoundError, UsageError
from vaultapp.core.keys import Keyring, same_secret
from vaultapp.core.merge import MergePlan
from vaultapp.core.otpauth import OtpParams


def utc(value: datetime | None) -> datetime | None:
    """A time with a zone (naive times from other programs' files are taken as UTC)."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

CustomSpec = tuple[str, str, bool]  # (name, value, protected)


class Later(Protocol):
    """Records an audit event to log once the change is saved."""

    def __call__(self, event: str, uuid: str | None = None, detail: dict[str, Any] | None = None) -> None: ...


class Contents:
    """One vault's body and the operations on it. ``keys`` returns the keys that seal secrets
    (raising when the vault is closed), ``device`` this device's id for entry versions, and
    ``later`` records an audit event to log once the change is saved."""

    def __init__(
        self, body: Body, *, keys: Callable[[], Keyring], device: Callable[[], str], later: Later
    ) -> None:
        self.body = body
        self._keys = keys
        self._device = device
        self._later = later

    @property
    def history_max(self) -> int:
        """How many earlier versions each entry keeps (``meta.history_max``)."""
        return int(self.body.meta.get("history_max", HISTORY_MAX_DEFAULT))

    @property
    def entries(self) -> list[Entry]:
        """The entries, without those in the Trash."""
        return [e for e in self.body.entries.values() if e.trashed is None]

    @property
    def trashed_entries(self) -> list[Entry]:
        """The entries in the Trash (restorable until purged)."""
        return [e for e in self.body.entries.values() if e.trashed is not None]

    @property
    def drafts(self) -> list[Draft]:
        """Unsaved editor values kept when the vault locked during an edit."""
        return list(self.body.drafts.values())

    @property
    def tombstones(self) -> list[Tombstone]:
        """Deleted entries. (A tombstone also stays beside an entry revived by an edit the
        deletion had not seen, for later merges; that one is not listed.)"""
        return [t for t in self.body.tombstones.values() if t.uuid not in self.body.entries]

    @property
    def generation(self) -> int:
        """How many times this vault has been saved (the save counter)."""
        return int(self.body.meta["generation"])

    def get(self, uuid: str) -> Entry:
        try:
            return self.body.entries[uuid]
        except KeyError:
            raise EntryNotFoundError(f"No entry with UUID {uuid}.") from None

    def find(self, query: str, *, in_trash: bool = False) -> Entry:
        """The entry whose UUID is ``query``, or else whose title is exactly ``query``; among the
        entries in the Trash with ``in_trash``.

        Raises:
            EntryNotFoundError: nothing matches.
            AmbiguousQueryError: several entries have that title.
        """
        found = self.body.entries.get(query)
        if found is not None and (found.trashed is not None) == in_trash:
            return found
        hits = [e for e in (self.trashed_entries if in_trash else self.entries) if e.title == query]
        if not hits:
            where = "in the Trash" if in_trash else "(titles must match exactly; try 'search' to find it)"
            raise EntryNotFoundError(f"No entry titled {query!r} {where}.")
        if len(hits) > 1:
            uuids = ", ".join(e.uuid for e in hits[:5])
            raise AmbiguousQueryError(
                f"{len(hits)} entries are titled {query!r}; name one by its UUID: {uuids}."
            )
        return hits[0]

    def search(self, text: str) -> list[Entry]:
        """Entries whose title, username, URL, tags or notes contain ``text`` (any case)."""
        return [e for e in self.entries if e.matches(text)]

    def reveal(self, sealed: Sealed) -> str:
        """Decrypt one secret field."""
        return self._keys().unseal(sealed.token)

    def edited(self, entry: Entry, seen: Version) -> Entry:
        """``entry`` as a new edit by this device, made having seen ``seen`` (core.causal) and
        any deletion of it known here: an entry revived by an edit its deletion had not seen
        may hold lower numbers of this device than the deleted versions did, and a number is
        never used twice."""
        device = self._device()
        grave = self.body.tombstones.get(entry.uuid)
        version = bump(seen if grave is None else join(seen, grave.version), device)
        seq = dict(version)[device]
        return dataclasses.replace(entry, version=version, rank=total(version), device=device, seq=seq)

    def add(
        self,
        title: str,
        *,
        username: str = "",
        password: str | None = None,
        url: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
        folder: str = "",
        totp: str | None = None,
        custom: Sequence[CustomSpec] = (),
        expires: datetime | None = None,
        favourite: bool = False,
        attachments: Sequence[Attachment] = (),
        now: datetime | None = None,
    ) -> Entry:
        """Add an entry (in memory; call ``save``). Returns it. ``attachments`` are references to
        content already in the vault's blob store (``Vault.new_attachment`` makes them)."""
        entry = self.make_entry(
            title, username=username, password=password, url=url, notes=notes, tags=tags, folder=folder,
            totp=totp, custom=custom, expires=expires, favourite=favourite, created=now, modified=now,
        )  # fmt: skip
        if attachments:
            entry = dataclasses.replace(entry, attachments=tuple(attachments))
        entry = self.edited(entry, ())
        self.body.entries[entry.uuid] = entry
        self._later("entry.created", entry.uuid)
        return entry

    def make_entry(
        self,
        title: str,
        *,
        uuid: str | None = None,
        username: str = "",
        password: str | None = None,
        url: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
        folder: str = "",
        totp: str | None = None,
        custom: Sequence[CustomSpec] = (),
        expires: datetime | None = None,
        favourite: bool = False,
        created: datetime | None = None,
        modified: datetime | None = None,
        trashed: datetime | None = None,
    ) -> Entry:
        """An entry built by this vault's rules and sealed with its keys, but not added: importers
        build a batch and hand it to ``plan_import``. Times without a zone are taken as UTC.

        Raises:
            UsageError: an empty title, a nameless custom field, a TOTP value that is neither an
                otpauth URI nor a base32 secret, or a UUID that is not one.
        """
        if uuid is None:
            uuid = new_uuid()
        else:
            try:
                uuid = str(uuid_module.UUID(uuid))
            except ValueError:
                raise UsageError(f"{uuid!r} is not a UUID.") from None
        created = utc(created) or utc_now()
        return Entry(
            uuid=uuid,
            title=check_title(title),
            created=created,
            modified=utc(modified) or created,
            username=username,
            password=self.seal_optional(password),
            url=url,
            notes=notes,
            tags=normalize_tags(tags),
            folder=normalize_folder(folder),
            totp=self.seal_optional(None if totp is None else normalize_totp(totp)),
            custom=self.custom(custom),
            expires=utc(expires),
            favourite=favourite,
            trashed=utc(trashed),
        )

    def apply(self, result: MergePlan, *, event: str = "vault.imported", source: str = "") -> None:
        """Make a plan from ``plan_merge``/``plan_import`` the vault's content (call ``save``).
        ``event`` (``vault.imported`` or ``vault.merged``) and ``source`` (a format name such as
        ``csv``) go to the audit log with the counts once saved."""
        self.body.entries = result.entries
        self.body.tombstones = result.tombstones
        if result.changes:
            detail: dict[str, Any] = {
                "added": len(result.added), "updated": len(result.updated), "deleted": len(result.deleted)
            }  # fmt: skip
            if source:
                detail["format"] = source
            self._later(event, None, detail)

    def update(
        self,
        uuid: str,
        *,
        title: str | _Unset = UNSET,
        username: str | _Unset = UNSET,
        password: str | _Unset | None = UNSET,
        url: str | _Unset = UNSET,
        notes: str | _Unset = UNSET,
        tags: Iterable[str] | _Unset = UNSET,
        folder: str | _Unset = UNSET,
        totp: str | _Unset | None = UNSET,
        custom: Sequence[CustomSpec] | _Unset = UNSET,
        expires: datetime | _Unset | None = UNSET,
        favourite: bool | _Unset = UNSET,
        attachments: tuple[Attachment, ...] | _Unset = UNSET,
        now: datetime | None = None,
    ) -> Entry:
        """Change fields of an entry; the old version goes into its history. Returns the new one.
        ``attachments`` are references to content already in the vault's blob store (the
        façade's ``attach``, ``detach``… make them)."""
        old = self.get(uuid)
        changes: dict[str, Any] = {}
        if not isinstance(title, _Unset):
            changes["title"] = check_title(title)
        if not isinstance(username, _Unset):
            changes["username"] = username
        if not isinstance(password, _Unset) and (
            password is None or old.password is None or not same_secret(self.reveal(old.password), password)
        ):
            changes["password"] = self.seal_optional(password)
        if not isinstance(url, _Unset):
            changes["url"] = url
        if not isinstance(notes, _Unset):
            changes["notes"] = notes
        if not isinstance(tags, _Unset):
            changes["tags"] = normalize_tags(tags)
        if not isinstance(folder, _Unset):
            changes["folder"] = normalize_folder(folder)
        if not isinstance(totp, _Unset):
            changes["totp"] = self.seal_optional(None if totp is None else normalize_totp(totp))
        if not isinstance(custom, _Unset):
            changes["custom"] = self.custom(custom)
        if not isinstance(expires, _Unset):
            changes["expires"] = expires
        if not isinstance(favourite, _Unset):
            changes["favourite"] = favourite
        if not isinstance(attachments, _Unset):
            changes["attachments"] = tuple(attachments)
        changes = {k: v for k, v in changes.items() if getattr(old, k) != v}
        if not changes:
            return old
        limit = self.history_max
        history = (*old.history, old.content())[-limit:] if limit > 0 else ()
        new = dataclasses.replace(old, **changes, modified=now or utc_now(), history=history)
        new = self.edited(new, old.version)
        self.body.entries[uuid] = new
        self._later("entry.changed", uuid, {"fields": sorted(changes)})
        return new

    def remove(self, uuid: str, *, now: datetime | None = None) -> Tombstone:
        """Delete an entry for good (also from the Trash), leaving a tombstone so merges do not
        bring it back."""
        from vaultapp.core.merge import join_graves

        entry = self.get(uuid)
        del self.body.entries[uuid]
        self.body.drafts.pop(uuid, None)
        earlier = self.body.tombstones.get(uuid)
        tombstone = join_graves(earlier, Tombstone(uuid, now or utc_now(), entry.version))
        self.body.tombstones[uuid] = tombstone
        self._later("entry.deleted", uuid)
        return tombstone

    purge = remove

    def trash(self, uuid: str, *, now: datetime | None = None) -> Entry:
        """Move an entry to the Trash; ``restore`` brings it back, ``purge`` deletes it."""
        old = self.get(uuid)
        entry = self.edited(dataclasses.replace(old, trashed=now or utc_now()), old.version)
        self.body.entries[uuid] = entry
        self._later("entry.trashed", uuid)
        return entry

    def restore(self, uuid: str) -> Entry:
        """Take an entry out of the Trash."""
        old = self.get(uuid)
        entry = self.edited(dataclasses.replace(old, trashed=None), old.version)
        self.body.entries[uuid] = entry
        self._later("entry.restored", uuid)
        return entry

    def duplicate(self, uuid: str, *, now: datetime | None = None) -> Entry:
        """A copy of an entry under a new UUID, titled '... (copy)', without history."""
        now = now or utc_now()
        source = self.get(uuid)
        copy = dataclasses.replace(
            source, uuid=new_uuid(), title=f"{source.title} (copy)", created=now, modified=now, history=()
        )
        copy = self.edited(copy, ())
        self.body.entries[copy.uuid] = copy
        self._later("entry.created", copy.uuid, {"copy_of": uuid})
        return copy

    # ---- folders (core.folders) -------------------------------------------------------------

    @property
    def folders(self) -> list[str]:
        """Every folder, sorted: those of entries not in the Trash, their parents, and empty
        folders made with ``add_folder``."""
        return folder_rules.listing(self)

    add_folder = folder_rules.add_folder
    rename_folder = folder_rules.rename_folder
    remove_folder = folder_rules.remove_folder

    def empty_trash(self, *, now: datetime | None = None) -> int:
        """Delete every entry in the Trash for good; returns how many."""
        trashed = [e.uuid for e in self.trashed_entries]
        for uuid in trashed:
            self.remove(uuid, now=now)
        return len(trashed)

    def restore_version(self, uuid: str, index: int, *, now: datetime | None = None) -> Entry:
        """Make history item ``index`` (0 = oldest) current; the current version goes into history."""
        current = self.get(uuid)
        try:
            old = current.history[index]
        except IndexError:
            raise EntryNotFoundError(f"Entry {current.title!r} has no version {index}.") from None
        limit = self.history_max
        history = (*current.history, current.content())[-limit:] if limit > 0 else ()
        restored = dataclasses.replace(
            old, uuid=uuid, created=current.created, modified=now or utc_now(), history=history,
            trashed=current.trashed,
        )  # fmt: skip
        restored = self.edited(restored, current.version)
        self.body.entries[uuid] = restored
        self._later("entry.changed", uuid, {"restored_version": index})
        return restored

    def keep_draft(
        self,
        target: str | None,
        *,
        title: str = "",
        username: str = "",
        password: str | None = None,
        url: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
        folder: str = "",
        totp: str | None = None,
        custom: Sequence[CustomSpec] = (),
        expires: datetime | None = None,
        favourite: bool = False,
        attachments: Sequence[Attachment] = (),
        now: datetime | None = None,
    ) -> Draft:
        """Keep unsaved editor values (secrets sealed); ``Vault.save_draft`` then saves the vault.
        Nothing is validated: a draft holds whatever was typed. Replaces an earlier draft for the
        same target."""
        now = now or utc_now()
        key = target or new_uuid()
        entry = Entry(
            uuid=key, title=title, created=now, modified=now, username=username,
            password=self.seal_optional(password), url=url, notes=notes, tags=tuple(tags), folder=folder,
            totp=self.seal_optional(totp), custom=self.custom([c for c in custom if c[0].strip()]),
            expires=expires, favourite=favourite, attachments=tuple(attachments),
        )  # fmt: skip
        draft = Draft(target, entry, now)
        self.body.drafts[key] = draft
        return draft

    def discard_draft(self, key: str) -> None:
        """Forget a draft (after it was applied or declined); call ``save`` to write it."""
        self.body.drafts.pop(key, None)

    def digest(self) -> str:
        """SHA-256 over every entry's content with secrets revealed (``sealing.digest``)."""
        return sealing.digest(self.body, self._keys())

    def seal_optional(self, value: str | None) -> Sealed | None:
        return None if value is None else Sealed(self._keys().seal(value))

    def custom(self, custom: Sequence[CustomSpec]) -> tuple[CustomField, ...]:
        fields = []
        for name, value, protected in custom:
            if not name.strip():
                raise UsageError("A custom field needs a name.")
            fields.append(CustomField(name, Sealed(self._keys().seal(value)) if protected else value))
        return tuple(fields)

    def integration_data(self, name: str) -> dict[str, Any]:
        """What the integration ``name`` (``browser``…) keeps in this vault (``sealing``)."""
        return sealing.integration_data(self.body, self._keys(), name)

    def set_integration_data(self, name: str, data: dict[str, Any]) -> None:
        """Keep ``data`` (JSON-able) for the integration ``name``, sealed; an empty dict removes
        it. In memory until ``save``; logged as ``settings.changed`` once saved."""
        sealing.set_integration_data(self.body, self._keys(), name, data)
        self._later("settings.changed", None, {"setting": f"integration.{name}"})

    def reseal_all(self, new_keys: Keyring) -> None:
        """Seal every secret (history, drafts and integration data included) with ``new_keys``
        (a re-key)."""
        sealing.reseal_all(self.body, self._keys(), new_keys)

    def advance_hotp(self, uuid: str, *, now: datetime | None = None) -> tuple[OtpParams, Entry]:
        """Store an HOTP entry's counter + 1 (see ``Vault.next_hotp``); returns the parameters at
        the stored counter and the entry as it was, to put back if the save fails."""
        from vaultapp.core.otpauth import parse

        entry = self.get(uuid)
        if entry.totp is None:
            raise UsageError(f"Entry {entry.title!r} has no one-time code set up.")
        uri = self.reveal(entry.totp)
        params = parse(uri)
        if params.kind != "hotp":
            raise UsageError(f"Entry {entry.title!r} has a time-based (TOTP) code; it has no counter.")
        # Only the counter's digits change, so the rest of the URI stays exactly as it was.
        advanced = re.sub(r"(?i)([?&]counter=)[^&#]*", rf"\g<1>{params.counter + 1}", uri)
        if parse(advanced).counter != params.counter + 1:  # pragma: no cover - parse found it above
            raise UsageError(f"Entry {entry.title!r}: its HOTP counter could not be advanced.")
        self.body.entries[uuid] = dataclasses.replace(
            entry, totp=self.seal_optional(advanced), modified=now or utc_now()
        )
        self._later("entry.changed", uuid, {"fields": ["totp"]})
        return params, entry
