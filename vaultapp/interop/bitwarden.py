"""Bitwarden's unencrypted JSON export (individual or organisation vault).

Mapping: ``name`` → title, ``notes``, ``favorite`` → favourite, the folder's name → folder,
organisation collections → tags, ``login.username``/``password``/``totp``, the first
``login.uris[].uri`` → URL and the others → custom fields ``URL 2``, ``URL 3``…; ``fields[]`` →
custom fields (hidden ones protected); cards, identities and SSH keys → custom fields prefixed
``card``/``identity``/``ssh``, the sensitive ones protected; ``creationDate``/``revisionDate`` →
times; the item ``id`` → UUID, so importing the same export twice adds nothing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Final

from vaultapp.core.errors import UsageError
from vaultapp.interop.records import Parsed, Problem, Record, read_text, title_for

HIDDEN_FIELD: Final = 1
LINKED_FIELD: Final = 3
KINDS: Final = {1: "login", 2: "note", 3: "card", 4: "identity", 5: "ssh"}
SENSITIVE: Final = {"number", "code", "ssn", "passportNumber", "licenseNumber", "privateKey"}

# Bounds checked before ``json.loads`` builds anything. A real export nests six deep (file ->
# items -> item -> login -> uris -> uri) and holds some 60 keys and values in 13 objects and
# lists per item: these leave room for 100,000 items (with some spare), and keep the import of a
# file at every bound at about 660 MiB peak, where 86 MiB of empty lists alone would take 4 GB.
DEPTH_MAX: Final = 20
ITEMS_MAX: Final = 100_000
CONTAINERS_MAX: Final = 2_000_000  # objects and lists
VALUES_MAX: Final = 8_000_000  # keys and values (commas and colons)
_ESCAPE: Final = re.compile(r"\\.", re.DOTALL)
_STRING: Final = re.compile(r'"[^"]*"')  # once escapes are gone; each match ends at the next quote
_INNERMOST: Final = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")


def import_bitwarden_json(path: object) -> Parsed:
    """Read a Bitwarden JSON export.

    Raises:
        UsageError: not JSON, not a Bitwarden export, or an encrypted one.
    """
    return parse_bitwarden_json(read_text(path))


def parse_bitwarden_json(text: str) -> Parsed:
    """Read the text of a Bitwarden JSON export; an item with text no vault can hold (a lone
    surrogate such as ``\\ud800``) is skipped and reported, the others are imported.

    Raises:
        UsageError: not JSON, too deep or too large for a password export, not a Bitwarden
            export, or an encrypted one.
    """
    check_json_size(text)
    try:
        data = json.loads(text, strict=False)  # raw control characters in strings are kept
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"The file is not JSON (line {exc.lineno}: {exc.msg}); export it again from Bitwarden."
        ) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UsageError("The file holds a number too long for a password export; export it again.") from None
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise UsageError("The file is not a Bitwarden JSON export (it has no list of items).")
    if data.get("encrypted") is True:
        raise UsageError(
            "This is an encrypted Bitwarden export; export again choosing the unencrypted .json format, "
            "import it, then delete it."
        )
    folders = {f.get("id"): str(f.get("name", "")) for f in _list(data, "folders") if isinstance(f, dict)}
    collections = {
        c.get("id"): str(c.get("name", "")) for c in _list(data, "collections") if isinstance(c, dict)
    }
    items = _list(data, "items")
    if len(items) > ITEMS_MAX:
        raise UsageError(
            f"The file holds {len(items):,} items; an import takes at most {ITEMS_MAX:,}. "
            "Split the export (by folder or collection) and import the parts."
        )
    parsed = Parsed()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.skipped.append(Problem(0, f"item {number} is not an object"))
            continue
        try:
            record = _record(item, folders, collections)
        except (TypeError, ValueError, AttributeError) as exc:
            parsed.skipped.append(Problem(0, f"item {number} ({item.get('name')!r}) is malformed: {exc}"))
            continue
        if record is None:
            parsed.skipped.append(Problem(0, f"item {number} has no name, username or URL"))
        elif (where := _invalid_text(record)) is not None:
            parsed.skipped.append(
                Problem(
                    0,
                    f"item {number} ({record.title!r}) has an invalid character (an unpaired UTF-16 "
                    f"surrogate escape such as \\ud800) in its {where}; fix it in Bitwarden and import again",
                )
            )
        else:
            parsed.records.append(record)
    return parsed


def _invalid_text(record: Record) -> str | None:
    """The name of the first field of ``record`` that is not valid Unicode text, or None."""
    fields = [
        ("title", record.title), ("username", record.username), ("password", record.password),
        ("URL", record.url), ("notes", record.notes), ("TOTP", record.totp), ("folder", record.folder),
        *(("tags", tag) for tag in record.tags),
        *((f"field {name!r}", f"{name}{value}") for name, value, _ in record.custom),
    ]  # fmt: skip
    for where, text in fields:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where
    return None


def check_json_size(text: str) -> None:
    """Refuse JSON nested deeper than ``DEPTH_MAX`` or with more than ``CONTAINERS_MAX`` objects
    and lists or ``VALUES_MAX`` keys and values, before anything is built. Strings are set aside
    first (escapes, then quoted runs: two linear passes, where one pattern for escaped strings
    would rescan from every quote of an unterminated one); then the innermost objects and lists
    are removed one level per pass, each pass counting what it removed.

    Raises:
        UsageError: a bound is exceeded (the message gives the bound).
    """
    bare = _STRING.sub("0", _ESCAPE.sub("", text))
    values = bare.count(",") + bare.count(":") + 1
    containers = 0
    for _ in range(DEPTH_MAX):
        if values > VALUES_MAX or containers > CONTAINERS_MAX:
            break
        bare, removed = _INNERMOST.subn("0", bare)
        containers += removed
        if not removed:
            break
    else:
        if _INNERMOST.search(bare):
            raise UsageError(
                f"The file nests lists or objects more than {DEPTH_MAX} deep, where a Bitwarden export "
                "nests six: it is not a Bitwarden export. Export the vault again from Bitwarden."
            )
    if values > VALUES_MAX or containers > CONTAINERS_MAX:
        raise UsageError(
            f"The file holds more than {CONTAINERS_MAX:,} objects and lists or {VALUES_MAX:,} values, "
            "far more than a Bitwarden export of 100,000 items; it is not one. Export the vault again."
        )


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _record(item: dict[str, Any], folders: dict[Any, str], collections: dict[Any, str]) -> Record | None:
    login = item.get("login") or {}
    if not isinstance(login, dict):
        raise TypeError("login is not an object")
    uris = [_text(u.get("uri")) for u in login.get("uris") or [] if isinstance(u, dict) and u.get("uri")]
    custom: list[tuple[str, str, bool]] = []
    for field in item.get("fields") or []:
        if isinstance(field, dict) and field.get("type") != LINKED_FIELD:
            custom.append(
                (
                    _text(field.get("name")) or "Field",
                    _text(field.get("value")),
                    field.get("type") == HIDDEN_FIELD,
                )
            )
    custom.extend((f"URL {n}", uri, False) for n, uri in enumerate(uris[1:], start=2))
    for section, prefix in (("card", "card"), ("identity", "identity"), ("sshKey", "ssh")):
        values = item.get(section)
        if isinstance(values, dict):
            custom.extend(
                (f"{prefix} {key}", _text(value), key in SENSITIVE)
                for key, value in values.items()
                if value not in (None, "")
            )
    if item.get("reprompt") == 1:
        custom.append(("Bitwarden reprompt", "1", False))
    url = uris[0] if uris else ""
    username = _text(login.get("username"))
    title = title_for(_text(item.get("name")), url, username)
    if not title:
        return None
    kind = KINDS.get(item.get("type"), "")  # type: ignore[arg-type]
    ids = item.get("collectionIds") or []
    tags = tuple(collections[c] for c in ids if c in collections)
    return Record(
        uuid=_text(item.get("id")) or None, title=title, username=username,
        password=_text(login.get("password")), url=url, notes=_text(item.get("notes")),
        totp=_text(login.get("totp")), folder=folders.get(item.get("folderId"), ""),
        tags=(*tags, kind) if kind in ("card", "identity", "ssh") else tags, custom=tuple(custom),
        created=_time(item.get("creationDate")), modified=_time(item.get("revisionDate")),
        favourite=item.get("favorite") is True,
    )  # fmt: skip
