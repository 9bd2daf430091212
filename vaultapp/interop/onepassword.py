"""1Password's exports: ``.1pux`` (1Password 8 and 7) and CSV (1Password 8, 7 for Mac, 7 for
Windows).

**1PUX** is a zip holding ``export.attributes``, ``export.data`` (JSON: ``accounts[].vaults[]
.items[]``) and ``files/DOCUMENTID__NAME`` for documents and attached files. Per item:
``overview.title``/``url``/``urls``/``tags``, ``details.loginFields`` (``designation``
username/password, the others custom fields, ``P`` ones protected), ``details.notesPlain``,
``details.sections[].fields[]`` (``totp`` → the entry's TOTP, ``concealed``/``creditCardNumber``/
``sshKey`` → protected fields, dates and month-years as ISO text, addresses as lines),
``details.passwordHistory`` → history, ``details.documentAttributes`` and file fields →
attachments, ``favIndex`` → favourite, ``createdAt``/``updatedAt`` → times, ``state``
``archived`` → tag ``archived``, ``trashed`` → the Trash; the vault's name → folder; the
category (card, identity…) → a tag.

**CSV**: 1Password 8 writes ``Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes``;
1Password 7 for Mac writes ``Title``, ``Type``, ``Username``, ``Password``, ``URL``, ``Notes``,
``Tags``, ``Created Date``, ``Modified Date``, ``First One-time Password`` and one ``label(key)``
column per field any item has; 1Password 7 for Windows writes ``title``, ``username``,
``password``, ``urls``, ``notesPlain``, ``tags``, ``uuid`` and one column per field. Every other
non-empty cell becomes a custom field, protected when its name says secret.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError
from vaultapp.interop.records import FILE_MAX, Parsed, Problem, Record
from vaultapp.interop.sources import (
    Archive,
    Fields,
    epoch,
    finish,
    is_secret,
    iso_or_epoch,
    load_json,
    note_totp_extra,
    read_source,
    read_table,
    stable_uuid,
    text_of,
)  # fmt: skip

CATEGORIES: Final = {
    "001": "", "002": "credit card", "003": "secure note", "004": "identity", "005": "password",
    "006": "document", "100": "software license", "101": "bank account", "102": "database",
    "103": "driver license", "104": "outdoor license", "105": "membership", "106": "passport",
    "107": "rewards program", "108": "social security number", "109": "wireless router",
    "110": "server", "111": "email account", "112": "api credential", "113": "medical record",
    "114": "ssh key", "115": "crypto wallet",
}  # fmt: skip
CSV8_HEADER: Final = (
    "Title",
    "Url",
    "Username",
    "Password",
    "OTPAuth",
    "Favorite",
    "Archived",
    "Tags",
    "Notes",
)
WHAT_1PUX: Final = "a 1Password 1PUX export"
_NUMBERED: Final = {"credit card", "bank account", "passport", "social security number", "driver license"}
_DETAILS: Final = {
    "loginFields",
    "notesPlain",
    "sections",
    "passwordHistory",
    "documentAttributes",
    "password",
}
WHAT_CSV: Final = "a 1Password CSV export"


# ---- 1PUX -------------------------------------------------------------------------------------


def import_1pux(path: object) -> Parsed:
    """Read a ``.1pux`` file.

    Raises:
        DamagedFileError: not a zip, no ``export.data``, not 1PUX JSON, or sizes no export has.
    """
    archive = Archive.open(read_source(path, WHAT_1PUX), WHAT_1PUX)
    if "export.data" not in archive.members:
        raise DamagedFileError(f"The zip has no export.data, so it is not {WHAT_1PUX}; export it again.")
    data = load_json(text_of(archive.read("export.data", FILE_MAX), "export.data", WHAT_1PUX), WHAT_1PUX)
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        raise DamagedFileError(f"export.data has no list of accounts, so it is not {WHAT_1PUX}.")
    files = {
        name.split("/", 1)[1]: name
        for name in archive.members
        if name.startswith("files/") and not name.endswith("/")
    }
    parsed = Parsed()
    for account in data["accounts"]:
        for vault in _dicts(account, "vaults"):
            vault_name = str((vault.get("attrs") or {}).get("name") or "")
            for number, item in enumerate(_dicts(vault, "items"), start=1):
                item = item.get("item", item) if isinstance(item.get("item"), dict) else item
                try:
                    _item(parsed, item, vault_name, archive, files)
                except (TypeError, ValueError, AttributeError) as exc:
                    parsed.skipped.append(
                        Problem(0, f"item {number} of vault {vault_name!r} is malformed: {exc}")
                    )
    for name in sorted(set(files.values()) - archive.taken):
        parsed.notes.append(Problem(0, f"{name} in the zip belongs to no item; left out"))
    return parsed


def _dicts(obj: object, key: str) -> list[dict[str, Any]]:
    value = obj.get(key) if isinstance(obj, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _value(value: dict[str, Any]) -> tuple[str, str, bool | None]:
    """A section field's (kind, text, protected) from its one-key ``value`` object."""
    if not value:
        return "", "", None
    kind, raw = next(iter(value.items()))
    if kind in ("concealed", "creditCardNumber"):
        return kind, _text(raw), True
    if kind == "sshKey" and isinstance(raw, dict):
        return kind, _text(raw.get("privateKey")), True
    if kind == "email" and isinstance(raw, dict):
        return kind, _text(raw.get("email_address")), None
    if kind == "address" and isinstance(raw, dict):
        parts = (raw.get(k) for k in ("street", "city", "state", "zip", "country"))
        return kind, "\n".join(_text(p) for p in parts if p), None
    if kind == "date" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        when = epoch(raw)
        return kind, when.date().isoformat() if when else "", None
    if kind == "monthYear" and isinstance(raw, int) and not isinstance(raw, bool):
        return kind, f"{raw // 100:04d}-{raw % 100:02d}", None
    if kind == "file" and isinstance(raw, dict):
        return kind, "", None
    if isinstance(raw, (dict, list)):
        return kind, json.dumps(raw, ensure_ascii=False), None
    return kind, _text(raw), None


def _attachment(
    archive: Archive, files: dict[str, str], info: object, parsed: Parsed, title: str
) -> tuple[str, bytes] | None:
    if not isinstance(info, dict):
        return None
    name, document = _text(info.get("fileName")), _text(info.get("documentId"))
    member = files.get(f"{document}__{name}")
    if member is None:
        member = next((m for key, m in files.items() if key.startswith(f"{document}__")), None)
    if member is None:
        parsed.notes.append(
            Problem(0, f"{title!r}: attachment {name!r} is not in the zip's files/; left out")
        )
        return None
    return name or member.rsplit("__", 1)[-1], archive.read(member)


def _item(parsed: Parsed, item: dict[str, Any], vault: str, archive: Archive, files: dict[str, str]) -> None:
    overview = item.get("overview") or {}
    details = item.get("details") or {}
    if not isinstance(overview, dict) or not isinstance(details, dict):
        raise TypeError("overview or details is not an object")
    title = _text(overview.get("title"))
    fields = Fields()
    username = password = ""
    for login in details.get("loginFields") or []:
        if not isinstance(login, dict):
            continue
        value = login.get("value")
        text = (
            _text(value.get("email_address") or value.get("string"))
            if isinstance(value, dict)
            else _text(value)
        )
        designation = login.get("designation")
        if designation == "username" and not username:
            username = text
        elif designation == "password" and not password:
            password = text
        elif text and login.get("fieldType") != "B":  # B: a button, no value
            fields.add(
                _text(login.get("name")) or _text(login.get("id")), text, login.get("fieldType") == "P"
            )
    password = password or _text(details.get("password"))
    totps: list[tuple[str, str]] = []  # (label, value)
    attachments: list[tuple[str, bytes]] = []
    for section in details.get("sections") or []:
        if not isinstance(section, dict):
            continue
        prefix = _text(section.get("title"))
        for entry in section.get("fields") or []:
            if not isinstance(entry, dict):
                continue
            kind, text, protected = _value(entry.get("value") or {})
            name = _text(entry.get("title")) or _text(entry.get("id"))
            if kind == "file":
                found = _attachment(archive, files, (entry.get("value") or {}).get("file"), parsed, title)
                if found is not None:
                    attachments.append(found)
                continue
            if kind == "totp" and text:
                totps.append((name, text))
                continue
            fields.add(f"{prefix}: {name}" if prefix and name else prefix or name, text, protected)
    for key, value in details.items():
        if key not in _DETAILS and value not in (None, "", [], {}):
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
            fields.add(key, text)
    document = _attachment(archive, files, details.get("documentAttributes"), parsed, title)
    if document is not None:
        attachments.append(document)
    urls = [_text(u.get("url")) for u in overview.get("urls") or [] if isinstance(u, dict) and u.get("url")]
    url = _text(overview.get("url")) or (urls[0] if urls else "")
    for number, other in enumerate((u for u in urls if u != url), start=2):
        fields.add(f"URL {number}", other, False)
    note_totp_extra(parsed, 0, title, totps[1:], fields)
    tags = [_text(t) for t in overview.get("tags") or [] if t]
    category = CATEGORIES.get(_text(item.get("categoryUuid")), _text(item.get("categoryUuid")))
    if category:
        tags.append(category)
    if item.get("state") == "archived":
        tags.append("archived")
    modified = epoch(item.get("updatedAt"))
    history = tuple(
        Record(
            title=title,
            username=username,
            password=_text(h.get("value")),
            url=url,
            modified=epoch(h.get("time")),
        )
        for h in sorted(
            (h for h in details.get("passwordHistory") or [] if isinstance(h, dict)),
            key=lambda h: h.get("time") or 0 if isinstance(h.get("time"), (int, float)) else 0,
        )
    )
    trashed = (
        (modified or datetime.now(UTC))
        if item.get("trashed") is True or item.get("state") == "trashed"
        else None
    )
    finish(
        parsed, 0, f"item {_text(item.get('uuid'))!r}", title=title, url=url, username=username,
        password=password, notes=_text(details.get("notesPlain")), totp=totps[0][1] if totps else "",
        folder=vault, tags=tuple(dict.fromkeys(tags)), favourite=bool(item.get("favIndex")),
        created=epoch(item.get("createdAt")), modified=modified, trashed=trashed,
        uuid=stable_uuid("1password", item.get("uuid")), custom=tuple(fields.items), history=history,
        attachments=tuple(attachments),
    )  # fmt: skip


# ---- CSV --------------------------------------------------------------------------------------


def import_1password_csv(path: object) -> Parsed:
    """Read 1Password's CSV export (8, 7 for Mac or 7 for Windows).

    Raises:
        DamagedFileError: not CSV, or no title column.
    """
    parsed = Parsed()
    table = read_table(
        text_of(read_source(path, WHAT_CSV), "The file", WHAT_CSV), WHAT_CSV, ("title",), parsed
    )
    for row in table.rows:
        fields = Fields()
        title = row.get("Title")
        username = row.get("Username", "username(username)")
        password = row.get("Password", "password(password)")
        url_cells = row.get("Url", "URL", "urls", "URL(url)").replace("\r\n", "\n").split("\n")
        urls = [u.strip() for u in url_cells if u.strip()]
        notes = row.get("Notes", "notesPlain")
        totp = row.get("OTPAuth", "First One-time Password")
        tags = _csv_tags(row.get("Tags"))
        kind = row.get("Type").strip()
        if kind and kind.casefold() not in ("login", "password"):
            tags = (*tags, kind.casefold())
        if row.get("Archived").strip().casefold() in ("true", "1", "yes"):
            tags = (*tags, "archived")
        favourite = row.get("Favorite").strip().casefold() in ("true", "1", "yes")
        created = iso_or_epoch(row.get("Created Date"))
        modified = iso_or_epoch(row.get("Modified Date"))
        uuid = stable_uuid("1password", row.get("uuid"))
        for number, other in enumerate(urls[1:], start=2):
            fields.add(f"URL {number}", other, False)
        for name, value in row.rest():
            label = name.rsplit("(", 1)[0].strip() if name.endswith(")") and "(" in name else name
            if name.casefold().startswith("section:"):
                label = name
            card_number = kind.casefold() in _NUMBERED and "number" in name.casefold()
            fields.add(label or name, value, True if card_number or is_secret(name) else None)
        finish(
            parsed, row.line, "the row", title=title, url=urls[0] if urls else "", username=username,
            password=password, notes=notes, totp=totp, tags=tuple(dict.fromkeys(tags)), favourite=favourite,
            created=created, modified=modified or created, uuid=uuid, custom=tuple(fields.items),
        )  # fmt: skip
    return parsed


def _csv_tags(value: str) -> tuple[str, ...]:
    """Tags as 1Password 8 (``a,b`` or ``a;b``) and 7 for Mac (``{(\\n a,\\n b\\n)}``) write them."""
    text = value.strip().removeprefix("{(").removesuffix(")}")
    return tuple(t.strip().strip('"') for t in text.replace(";", ",").split(",") if t.strip().strip('"'))
