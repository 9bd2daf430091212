"""Proton Pass's unencrypted exports: JSON (``data.json``, alone or in the export's zip) and CSV.

**JSON**: ``{"version", "userId", "encrypted": false, "vaults": {ID: {"name", "items": […]}}}``.
Per item: ``data.metadata.name``/``note``, ``data.type`` (login, note, creditCard, identity,
alias, sshKey, wifi, custom…) → a tag unless login, ``data.content`` (login: ``itemUsername``/
``itemEmail``, ``password``, ``urls`` (the first is the URL, others fields ``URL 2``…),
``totpUri``, ``passkeys``; a card: ``number``/``verificationNumber``/``pin`` protected; an
identity: every detail, ``socialSecurityNumber``/``passportNumber``/``licenseNumber``
protected; ``extra…`` lists and ``extraSections`` as fields), ``data.extraFields`` (``hidden``
protected, ``totp`` → TOTP), ``state`` 2 → the Trash, ``pinned`` → favourite,
``createTime``/``modifyTime`` → times, ``aliasEmail`` → a field; the vault's name → folder.

**CSV**: ``type,name,url,email,username,password,note,totp,createTime,modifyTime,vault``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError
from vaultapp.interop.records import FILE_MAX, Parsed, Problem
from vaultapp.interop.sources import (
    Archive,
    Fields,
    epoch,
    finish,
    iso_or_epoch,
    load_json,
    note_totp_extra,
    read_source,
    read_table,
    stable_uuid,
    text_of,
)  # fmt: skip

WHAT_JSON: Final = "a Proton Pass JSON export"
WHAT_CSV: Final = "a Proton Pass CSV export"
CSV_HEADER: Final = ("type", "name", "url", "email", "username", "password", "note", "totp",
                     "createTime", "modifyTime", "vault")  # fmt: skip
CSV_HEADER_FOLDED: Final = tuple(h.casefold() for h in CSV_HEADER)
_PROTECTED: Final = {
    "number", "verificationNumber", "pin", "socialSecurityNumber", "passportNumber", "licenseNumber",
    "privateKey", "password",
}  # fmt: skip
_TRASHED: Final = 2


def import_protonpass_json(path: object) -> Parsed:
    """Read ``data.json`` or the export's zip holding it.

    Raises:
        DamagedFileError: not JSON (nor a zip with data.json), not Proton Pass's layout, or encrypted.
    """
    data = read_source(path, WHAT_JSON)
    if data[:4] == b"PK\x03\x04":
        archive = Archive.open(data, WHAT_JSON)
        name = next((n for n in archive.members if n.rsplit("/", 1)[-1] == "data.json"), None)
        if name is None:
            raise DamagedFileError(f"The zip has no data.json, so it is not {WHAT_JSON}; export it again.")
        data = archive.read(name, FILE_MAX)
    export = load_json(text_of(data, "The file", WHAT_JSON), WHAT_JSON)
    if not isinstance(export, dict) or not isinstance(export.get("vaults"), dict):
        raise DamagedFileError(f"The file has no vaults, so it is not {WHAT_JSON}; export it again.")
    if export.get("encrypted") is True:
        raise DamagedFileError(
            "This Proton Pass export is encrypted with PGP; export again without encryption, import it, "
            "then delete it."
        )
    parsed = Parsed()
    for vault in export["vaults"].values():
        if not isinstance(vault, dict):
            continue
        folder = _text(vault.get("name"))
        if _text(vault.get("description")).strip():
            parsed.notes.append(
                Problem(
                    0, f"vault {folder!r}: its description {_text(vault.get('description'))!r} is not kept"
                )
            )
        for number, item in enumerate(vault.get("items") or [], start=1):
            if not isinstance(item, dict):
                parsed.skipped.append(Problem(0, f"item {number} of vault {folder!r} is not an object"))
                continue
            try:
                _item(parsed, item, folder)
            except (TypeError, ValueError, AttributeError) as exc:
                parsed.skipped.append(Problem(0, f"item {number} of vault {folder!r} is malformed: {exc}"))
    return parsed


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _extra(fields: Fields, entries: object, prefix: str, totps: list[tuple[str, str]]) -> None:
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        data = entry.get("data") or {}
        name = _text(entry.get("fieldName"))
        label = f"{prefix}: {name}" if prefix else name
        if entry.get("type") == "totp":
            totps.append((label, _text(data.get("totpUri"))))
        else:
            fields.add(label, data.get("content"), entry.get("type") == "hidden")


def _item(parsed: Parsed, item: dict[str, Any], folder: str) -> None:
    data = item.get("data") or {}
    metadata = data.get("metadata") or {}
    content = data.get("content") or {}
    if not isinstance(content, dict):
        raise TypeError("content is not an object")
    kind = _text(data.get("type"))
    title = _text(metadata.get("name"))
    fields = Fields()
    totps: list[tuple[str, str]] = []  # (label, value)
    username = password = url = ""
    for key, value in content.items():
        if key == "itemUsername":
            username = username or _text(value)
        elif key == "itemEmail":
            if content.get("itemUsername"):
                fields.add("email", value, False)
            else:
                username = _text(value)
        elif key == "password" and not password:  # a login's, a Wi-Fi network's
            password = _text(value)
        elif key == "urls" and isinstance(value, list):
            urls = [_text(u) for u in value if u]
            url = urls[0] if urls else ""
            for number, other in enumerate(urls[1:], start=2):
                fields.add(f"URL {number}", other, False)
        elif key == "totpUri":
            if value:
                totps.insert(0, ("", _text(value)))
        elif key == "passkeys" and isinstance(value, list):
            for number, passkey in enumerate(value, start=1):
                fields.add(f"passkey {number}", json.dumps(passkey, ensure_ascii=False), True)
        elif key == "extraSections" and isinstance(value, list):
            for section in value:
                if isinstance(section, dict):
                    _extra(fields, section.get("sectionFields"), _text(section.get("sectionName")), totps)
        elif key.startswith("extra") and isinstance(value, list):
            _extra(fields, value, "", totps)
        elif isinstance(value, (dict, list)):
            if value:
                fields.add(key, json.dumps(value, ensure_ascii=False))
        elif key == "cardType" and value in (0, None, ""):
            continue
        else:
            fields.add(key, value, True if key in _PROTECTED else None)
    _extra(fields, data.get("extraFields"), "", totps)
    fields.add("alias email", item.get("aliasEmail"), False)
    totps = [t for t in totps if t[1]]
    note_totp_extra(parsed, 0, title, totps[1:], fields)
    modified = epoch(item.get("modifyTime"))
    finish(
        parsed, 0, f"item {title!r}", title=title, url=url, username=username, password=password,
        notes=_text(metadata.get("note")), totp=totps[0][1] if totps else "", folder=folder,
        tags=(kind,) if kind and kind != "login" else (), favourite=item.get("pinned") is True,
        created=epoch(item.get("createTime")), modified=modified,
        trashed=modified if item.get("state") == _TRASHED else None,
        uuid=stable_uuid("protonpass", item.get("itemId")), custom=tuple(fields.items),
    )  # fmt: skip


def import_protonpass_csv(path: object) -> Parsed:
    """Read Proton Pass's CSV export.

    Raises:
        DamagedFileError: not CSV, or no type/name/url/username/password columns.
    """
    parsed = Parsed()
    text = text_of(read_source(path, WHAT_CSV), "The file", WHAT_CSV)
    table = read_table(text, WHAT_CSV, ("type", "name", "url", "username", "password"), parsed)
    for row in table.rows:
        fields = Fields()
        kind = row.get("type").strip()
        urls = [u.strip() for u in row.get("url").split(",") if u.strip()]
        email, username = row.get("email"), row.get("username")
        if email and username:
            fields.add("email", email, False)
        for number, other in enumerate(urls[1:], start=2):
            fields.add(f"URL {number}", other, False)
        created = iso_or_epoch(row.get("createTime"))
        values = {
            "title": row.get("name"), "username": username or email, "password": row.get("password"),
            "notes": row.get("note"), "totp": row.get("totp"), "folder": row.get("vault"),
            "tags": (kind,) if kind and kind != "login" else (), "created": created,
            "modified": iso_or_epoch(row.get("modifyTime")) or created,
        }  # fmt: skip
        for name, value in row.rest():
            fields.add(name, value)
        finish(parsed, row.line, "the row", url=urls[0] if urls else "", custom=tuple(fields.items), **values)  # type: ignore[arg-type]
    return parsed
