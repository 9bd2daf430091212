"""Entries, custom fields, tombstones, and their JSON form inside the encrypted payload.

Secret fields (password, TOTP, protected custom fields) are ``Sealed``: a Fernet token made with
the vault's field key. Listing a vault never decrypts them; ``Vault.reveal`` does, on demand.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

from vaultapp.core.causal import COUNT_MAX, LEGACY_DEVICE, Version, total, valid_device_id, version_of
from vaultapp.core.errors import DamagedFileError, UsageError

HISTORY_MAX_DEFAULT: Final = 10


@dataclass(frozen=True, slots=True)
class Sealed:
    """An encrypted secret field. ``repr`` and ``str`` never show the token."""

    token: str = field(repr=False)

    def __repr__(self) -> str:
        return "Sealed(***)"

    def __str__(self) -> str:
        return "********"


@dataclass(frozen=True, slots=True)
class CustomField:
    """A named extra field; ``value`` is ``Sealed`` when the field is protected."""

    name: str
    value: str | Sealed

    @property
    def protected(self) -> bool:
        return isinstance(self.value, Sealed)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to an entry: its name, its size in bytes, and the id of its content in
    the vault's blob store (``core.attachments``). Holds no content: listing never decrypts."""

    name: str
    blob: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One login. Immutable: edits make a new Entry (``dataclasses.replace``)."""

    uuid: str
    title: str
    created: datetime
    modified: datetime
    username: str = ""
    password: Sealed | None = None
    url: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    folder: str = ""
    totp: Sealed | None = None
    custom: tuple[CustomField, ...] = ()
    expires: datetime | None = None
    favourite: bool = False
    history: tuple[Entry, ...] = ()
    attachments: tuple[Attachment, ...] = ()  # by reference: history versions share the blobs
    trashed: datetime | None = None  # in the Trash since then; restorable until purged
    # Causality, not clocks, orders versions (core.causal, core.merge): ``version`` is every edit
    # this entry has seen. The edit that made this content was ``device``'s ``seq``-th, having
    # seen ``rank`` edits (itself included). History items keep device, seq and rank.
    version: Version = ()
    rank: int = 0
    device: str = ""
    seq: int = 0

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring match on title, username, URL, tags and notes."""
        needle = needle.casefold()
        return (
            needle in self.title.casefold()
            or needle in self.username.casefold()
            or needle in self.url.casefold()
            or needle in self.notes.casefold()
            or any(needle in tag.casefold() for tag in self.tags)
        )

    def content(self) -> Entry:
        """This entry without its history and version (what a history item holds)."""
        return replace(self, history=(), version=())


@dataclass(frozen=True, slots=True)
class Draft:
    """Unsaved editor values kept (sealed) in the vault when it locks, offered again after unlock."""

    target: str | None  # the entry being edited; None for a new entry
    entry: Entry  # the values; its uuid is the draft's key (the target's uuid when editing)
    saved: datetime


@dataclass(frozen=True, slots=True)
class Tombstone:
    """Marks a deleted entry, so a merge does not bring it back.

    ``version`` is what the deletions had seen: the entry is gone unless it carries an edit
    beyond it. ``legacy`` is the time of a deletion made before versions existed; it removes only
    entries not edited since (by the old rule: not modified after it). ``deleted`` is for display.
    """

    uuid: str
    deleted: datetime
    version: Version = ()
    legacy: datetime | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Strip, drop empty, keep first occurrence (case-insensitive)."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in tags:
        tag = raw.strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return tuple(result)


def normalize_folder(folder: str) -> str:
    """``' Work / Email/ '`` -> ``'Work/Email'``."""
    return "/".join(part.strip() for part in folder.split("/") if part.strip())


def check_title(title: str) -> str:
    if not title.strip():
        raise UsageError("An entry needs a title that is not empty.")
    return title


def normalize_totp(value: str) -> str:
    """Accept an ``otpauth://`` URI or a base32 secret; return it in a canonical form.

    Raises:
        UsageError: neither a usable otpauth URI nor a base32 secret (see ``core.otpauth``).
    """
    from vaultapp.core.otpauth import parse

    text = value.strip()
    params = parse(text)
    return text if text.lower().startswith("otpauth:") else params.secret_base32


# ---- JSON form inside the payload ---------------------------------------------------------


def _time(value: datetime) -> str:
    return value.isoformat()


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """The payload's JSON object for ``entry``; keys with default values are left out."""
    obj: dict[str, Any] = {
        "uuid": entry.uuid,
        "title": entry.title,
        "created": _time(entry.created),
        "modified": _time(entry.modified),
    }
    if entry.username:
        obj["username"] = entry.username
    if entry.password is not None:
        obj["password"] = entry.password.token
    if entry.url:
        obj["url"] = entry.url
    if entry.notes:
        obj["notes"] = entry.notes
    if entry.tags:
        obj["tags"] = list(entry.tags)
    if entry.folder:
        obj["folder"] = entry.folder
    if entry.totp is not None:
        obj["totp"] = entry.totp.token
    if entry.custom:
        obj["custom"] = [
            {"name": c.name, "value": c.value.token, "protected": True}
            if isinstance(c.value, Sealed)
            else {"name": c.name, "value": c.value}
            for c in entry.custom
        ]
    if entry.expires is not None:
        obj["expires"] = _time(entry.expires)
    if entry.favourite:
        obj["favourite"] = True
    if entry.history:
        obj["history"] = [entry_to_json(old) for old in entry.history]
    if entry.trashed is not None:
        obj["trashed"] = _time(entry.trashed)
    if entry.attachments:
        obj["attachments"] = [{"name": a.name, "blob": a.blob, "size": a.size} for a in entry.attachments]
    if entry.version:
        obj["version"] = dict(entry.version)
    if entry.device:
        obj["device"] = entry.device
        obj["seq"] = entry.seq
        obj["rank"] = entry.rank
    return obj


def _damaged(what: str) -> DamagedFileError:
    return DamagedFileError(
        f"The vault's contents are malformed ({what}). Restore the backup file next to the vault."
    )


def _str(obj: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = obj.get(key, default)
    if type(value) is not str:
        raise _damaged(f"entry field {key!r} is not text")
    return value


_from_iso = datetime.fromisoformat


def _parse_time(value: object, key: str) -> datetime:
    try:
        parsed = _from_iso(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _damaged(f"entry field {key!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise _damaged(f"entry field {key!r} has no time zone")
    return parsed


def _sealed(value: object, key: str) -> Sealed | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _damaged(f"entry field {key!r} is not a token")
    return Sealed(value)


def _custom_from_json(raw: object) -> tuple[CustomField, ...]:
    if type(raw) is not list:
        raise _damaged("entry custom fields are not a list")
    custom = []
    for item in raw:
        if type(item) is not dict:
            raise _damaged("a custom field is not an object")
        value = _str(item, "value")
        custom.append(
            CustomField(_str(item, "name"), Sealed(value) if item.get("protected") is True else value)
        )
    return tuple(custom)


def _attachments_from_json(raw: object) -> tuple[Attachment, ...]:
    if type(raw) is not list:
        raise _damaged("entry attachments are not a list")
    found = []
    for item in raw:
        if type(item) is not dict:
            raise _damaged("an attachment is not an object")
        size = item.get("size")
        blob = _str(item, "blob")
        if type(size) is not int or size < 0 or not _valid_blob_id(blob):
            raise _damaged("an attachment's size or blob id is malformed")
        found.append(Attachment(_str(item, "name"), blob, size))
    return tuple(found)


def _valid_blob_id(blob: str) -> bool:
    return len(blob) == 64 and all(c in "0123456789abcdef" for c in blob)


def blob_ids(entry: Entry) -> set[str]:
    """Every blob ``entry`` refers to, its history included."""
    found = {a.blob for a in entry.attachments}
    for old in entry.history:
        found.update(a.blob for a in old.attachments)
    return found


def remap_blobs(entry: Entry, mapping: Mapping[str, str]) -> Entry:
    """``entry`` with its attachments' blob ids (its history's too) renamed by ``mapping``: the
    same files under another copy's attachment key (``BlobStore.adopt``)."""

    def moved(attachments: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
        return tuple(replace(a, blob=mapping.get(a.blob, a.blob)) for a in attachments)

    if not any(mapping.get(b, b) != b for b in blob_ids(entry)):
        return entry
    history = tuple(replace(old, attachments=moved(old.attachments)) for old in entry.history)
    return replace(entry, attachments=moved(entry.attachments), history=history)


def _version_from_json(value: object) -> Version:
    if type(value) is not dict or not all(
        (valid_device_id(k) or k == LEGACY_DEVICE) and type(n) is int and 0 < n <= COUNT_MAX
        for k, n in value.items()
    ):
        raise _damaged("a version is not a map of device ids to edit counts")
    return version_of(value)


def _made_by(obj: Mapping[str, Any], history: list[Any] | None, depth: int, index: int) -> dict[str, Any]:
    """Version fields, or their migration for a file written before they existed (format 1.0):
    an entry gets as many legacy edits as it has versions (history plus itself); history item
    ``i`` (oldest first) gets rank ``i + 1``. Copies migrated apart agree on these numbers.

    Most entries of a vault share a few shapes (one device, small counts): a shape checked once
    is remembered (bounded), keyed by exact types so that ``1`` and ``True`` never meet."""
    rank, device, seq, raw = obj.get("rank"), obj.get("device"), obj.get("seq"), obj.get("version")
    if depth == 0 and type(rank) is int and type(seq) is int and type(device) is str and type(raw) is dict:
        items = tuple(raw.items())
        if all(type(count) is int for _, count in items):
            key = (rank, device, seq, items)
            made = _MADE_BY.get(key)
            if made is None:
                made = _check_made_by(obj, history, depth, index)
                if len(_MADE_BY) < _MADE_BY_MAX:
                    _MADE_BY[key] = made
            return made
    return _check_made_by(obj, history, depth, index)


_MADE_BY: dict[tuple[Any, ...], dict[str, Any]] = {}  # read-only results, shared by entries
_MADE_BY_MAX: Final = 4096


def _check_made_by(
    obj: Mapping[str, Any], history: list[Any] | None, depth: int, index: int
) -> dict[str, Any]:
    rank, device, seq = obj.get("rank"), obj.get("device"), obj.get("seq")
    if rank is None and device is None and seq is None:
        rank = seq = (len(history or ()) + 1) if depth == 0 else index + 1
        device = LEGACY_DEVICE
    elif not (
        type(rank) is int
        and type(seq) is int
        and 0 <= rank <= COUNT_MAX
        and 0 <= seq <= rank
        and (valid_device_id(device) or device == LEGACY_DEVICE)
    ):
        raise _damaged("an entry's rank, seq or device is malformed")
    if depth > 0:
        return {"rank": rank, "device": device, "seq": seq}
    raw = obj.get("version")
    version = version_of({LEGACY_DEVICE: rank}) if raw is None else _version_from_json(raw)
    if total(version) < rank or dict(version).get(str(device), 0) < seq:
        raise _damaged("an entry's version is behind its own edit")
    return {"version": version, "rank": rank, "device": device, "seq": seq}


# The keys of an entry that needs nothing but text, times and its version (most entries): read
# by ``_plain_entry`` without the general checks' per-field calls.
_PLAIN_KEYS: Final = frozenset(
    ("uuid", "title", "created", "modified", "username", "password", "url", "notes", "folder",
     "version", "device", "seq", "rank")
)  # fmt: skip


def entry_from_json(obj: object, *, depth: int = 0, index: int = 0) -> Entry:
    """Build an Entry from its payload JSON, checking every type (and migrating 1.0 entries).

    Raises:
        DamagedFileError: a field is missing or of the wrong type.
    """
    if type(obj) is not dict:
        raise _damaged("an entry is not an object")
    if depth == 0 and obj.keys() <= _PLAIN_KEYS:
        entry = _plain_entry(obj)
        if entry is not None:
            return entry
    get = obj.get
    tags = get("tags")
    if tags is None:
        tags = ()
    elif type(tags) is list and all(type(t) is str for t in tags):
        tags = tuple(tags)
    else:
        raise _damaged("entry tags are not a list of text")
    custom = get("custom")
    history = get("history")
    if history is not None and (type(history) is not list or depth > 0):
        raise _damaged("entry history is malformed")
    favourite = get("favourite", False)
    if type(favourite) is not bool:
        raise _damaged("entry field 'favourite' is not true or false")
    expires = get("expires")
    trashed = get("trashed")
    attachments = get("attachments")
    return Entry(
        uuid=_str(obj, "uuid"),
        title=_str(obj, "title"),
        created=_parse_time(get("created"), "created"),
        modified=_parse_time(get("modified"), "modified"),
        username=_str(obj, "username", ""),
        password=_sealed(get("password"), "password"),
        url=_str(obj, "url", ""),
        notes=_str(obj, "notes", ""),
        tags=tags,
        folder=_str(obj, "folder", ""),
        totp=_sealed(get("totp"), "totp"),
        custom=() if custom is None else _custom_from_json(custom),
        expires=None if expires is None else _parse_time(expires, "expires"),
        favourite=favourite,
        history=()
        if history is None
        else tuple(entry_from_json(old, depth=depth + 1, index=i) for i, old in enumerate(history)),
        trashed=None if trashed is None else _parse_time(trashed, "trashed"),
        attachments=() if attachments is None else _attachments_from_json(attachments),
        **_made_by(obj, history, depth, index),
    )


def _plain_entry(obj: dict[str, Any]) -> Entry | None:
    """The Entry of an object holding only ``_PLAIN_KEYS`` when each of them has its usual type;
    None sends it to the general checks (which name the fault)."""
    get = obj.get
    uuid, title, username, url, notes, folder = (
        get("uuid"), get("title"), get("username", ""), get("url", ""), get("notes", ""), get("folder", "")
    )  # fmt: skip
    created, modified, password = get("created"), get("modified"), get("password")
    if not (
        type(uuid) is str
        and type(title) is str
        and type(username) is str
        and type(url) is str
        and type(notes) is str
        and type(folder) is str
        and type(created) is str
        and type(modified) is str
        and (password is None or type(password) is str)
    ):
        return None
    try:
        made, modified_at = _from_iso(created), _from_iso(modified)
    except ValueError:
        return None
    if made.tzinfo is None or modified_at.tzinfo is None:
        return None
    return Entry(
        uuid=uuid, title=title, created=made, modified=modified_at, username=username,
        password=None if password is None else Sealed(password), url=url, notes=notes, folder=folder,
        **_made_by(obj, None, 0, 0),
    )  # fmt: skip


def tombstone_to_json(tombstone: Tombstone) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "uuid": tombstone.uuid, "deleted": _time(tombstone.deleted), "version": dict(tombstone.version)
    }  # fmt: skip
    if tombstone.legacy is not None:
        obj["legacy"] = _time(tombstone.legacy)
    return obj


def tombstone_from_json(obj: object) -> Tombstone:
    """A tombstone; one written before versions existed (no ``version``) becomes a legacy one."""
    if type(obj) is not dict:
        raise _damaged("a tombstone is not an object")
    deleted = _parse_time(obj.get("deleted"), "deleted")
    if "version" not in obj:
        return Tombstone(_str(obj, "uuid"), deleted, (), deleted)
    legacy = obj.get("legacy")
    return Tombstone(
        _str(obj, "uuid"),
        deleted,
        _version_from_json(obj["version"]),
        None if legacy is None else _parse_time(legacy, "legacy"),
    )


def draft_to_json(draft: Draft) -> dict[str, Any]:
    return {"target": draft.target, "saved": _time(draft.saved), "entry": entry_to_json(draft.entry)}


def draft_from_json(obj: object) -> Draft:
    if type(obj) is not dict:
        raise _damaged("a draft is not an object")
    target = obj.get("target")
    if target is not None and type(target) is not str:
        raise _damaged("a draft's target is not text")
    return Draft(target, entry_from_json(obj.get("entry")), _parse_time(obj.get("saved"), "saved"))
