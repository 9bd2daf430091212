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
from datetime import UTC, datetime
from typing import Any, Final

from vaultapp.core.errors import UsageError
from vaultapp.interop.records import Parsed, Problem, Record, read_text, title_for

HIDDEN_FIELD: Final = 1
LINKED_FIELD: Final = 3
KINDS: Final = {1: "login", 2: "note", 3: "card", 4: "identity", 5: "ssh"}
SENSITIVE: Final = {"number", "code", "ssn", "passportNumber", "licenseNumber", "privateKey"}


def import_bitwarden_json(path: object) -> Parsed:
    """Read a Bitwarden JSON export.

    Raises:
        UsageError: not JSON, not a Bitwarden export, or an encrypted one.
    """
    return parse_bitwarden_json(read_text(path))


def parse_bitwarden_json(text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"The file is not JSON (line {exc.lineno}: {exc.msg}); export it again from Bitwarden."
        ) from None
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
    parsed = Parsed()
    for number, item in enumerate(_list(data, "items"), start=1):
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
        else:
            parsed.records.append(record)
    return parsed


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
