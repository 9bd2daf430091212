"""Keeper's JSON export (Settings → Export → JSON; the layout Keeper documents for import):
``{"shared_folders": [{"uid", "path", …}], "records": [{"uid", "title", "login", "password",
"login_url", "notes", "$type", "last_modified", "custom_fields": {…}, "folders": [{"folder"} |
{"shared_folder"}]}]}``.

``custom_fields`` keys are ``$type:label`` (or ``$type``, or a plain name): ``$oneTimeCode`` →
the entry's TOTP; ``$paymentCard`` (``cardNumber``, ``cardSecurityCode`` protected),
``$bankAccount`` (``accountNumber``, ``routingNumber`` protected), ``$keyPair``
(``privateKey`` protected), ``$pinCode``, ``$secret``, ``$accountNumber``, ``$licenseNumber``
and other secrets → protected fields; objects (a name, a host, an address) become one field
per part; dates (``$birthDate``, ``$expirationDate``, ``$date``) in milliseconds → ISO dates.
The first folder (``A\\B`` → ``A/B``, shared or not) → folder, the others → fields ``folder 2``…;
``$type`` → a tag unless login; ``last_modified`` (seconds) → modified; ``uid`` → the UUID.
"""

from __future__ import annotations

import json
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError
from vaultapp.interop.records import Parsed, Problem
from vaultapp.interop.sources import (
    Fields,
    epoch,
    finish,
    load_json,
    note_totp_extra,
    read_source,
    stable_uuid,
    text_of,
)

WHAT: Final = "a Keeper JSON export"
_SECRET_TYPES: Final = {
    "$pinCode", "$secret", "$accountNumber", "$licenseNumber", "$oneTimeCode", "$password", "$keyPair",
    "$cardSecurityCode", "$securityQuestion",
}  # fmt: skip
_SECRET_PARTS: Final = {
    "cardNumber",
    "cardSecurityCode",
    "accountNumber",
    "routingNumber",
    "privateKey",
    "answer",
}
_DATES: Final = {"$birthDate", "$expirationDate", "$date"}
_KNOWN: Final = {
    "uid", "title", "login", "password", "login_url", "notes", "$type", "last_modified", "custom_fields",
    "folders", "references",
}  # fmt: skip


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _folder(path: str) -> str:
    """Keeper's ``A\\B`` path as ``A/B`` (a doubled backslash is one inside a name)."""
    parts = path.replace("\\\\", "\x00").split("\\")
    return "/".join(p.replace("\x00", "\\").strip() for p in parts if p.strip())


def import_keeper_json(path: object) -> Parsed:
    """Read Keeper's JSON export.

    Raises:
        DamagedFileError: not JSON, or no list of records.
    """
    data = load_json(text_of(read_source(path, WHAT), "The file", WHAT), WHAT)
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise DamagedFileError(f"The file has no list of records, so it is not {WHAT}; export it again.")
    parsed = Parsed()
    for number, record in enumerate(data["records"], start=1):
        if not isinstance(record, dict):
            parsed.skipped.append(Problem(0, f"record {number} is not an object"))
            continue
        try:
            _record(parsed, record)
        except (TypeError, ValueError, AttributeError) as exc:
            parsed.skipped.append(
                Problem(0, f"record {number} ({record.get('title')!r}) is malformed: {exc}")
            )
    return parsed


def _custom(fields: Fields, totps: list[str], key: str, value: Any) -> None:
    kind, _, label = key.partition(":")
    if not kind.startswith("$"):
        kind, label = "", key
    name = label or kind.lstrip("$")
    if kind == "$oneTimeCode":
        for code in value if isinstance(value, list) else [value]:
            if code:
                totps.append(_text(code))
        return
    if kind in _DATES and isinstance(value, (int, float)) and not isinstance(value, bool):
        when = epoch(value, millis=True)
        fields.add(name, when.date().isoformat() if when else _text(value), False)
        return
    if isinstance(value, dict):
        for part, inner in value.items():
            if isinstance(inner, (dict, list)):
                inner = json.dumps(inner, ensure_ascii=False)
            fields.add(f"{name} {part}", inner, True if part in _SECRET_PARTS else None)
        return
    if isinstance(value, list):
        for index, inner in enumerate(value, start=1):
            _custom(fields, totps, f"{key} {index}" if len(value) > 1 else key, inner)
        return
    fields.add(name, value, True if kind in _SECRET_TYPES else None)


def _record(parsed: Parsed, record: dict[str, Any]) -> None:
    title = _text(record.get("title"))
    fields = Fields()
    totps: list[str] = []
    custom = record.get("custom_fields") or {}
    if not isinstance(custom, dict):
        raise TypeError("custom_fields is not an object")
    for key, value in custom.items():
        _custom(fields, totps, _text(key), value)
    folders = []
    for entry in record.get("folders") or []:
        if isinstance(entry, dict):
            path = _text(entry.get("folder") or entry.get("shared_folder"))
            if path:
                folders.append(_folder(path))
    for number, other in enumerate(folders[1:], start=2):
        fields.add(f"folder {number}", other, False)
    references = record.get("references")
    if references:
        fields.add("references", json.dumps(references, ensure_ascii=False), False)
    for key, value in record.items():
        if key not in _KNOWN and value not in (None, "", [], {}):
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
            fields.add(str(key), text)
    kind = _text(record.get("$type"))
    note_totp_extra(parsed, 0, title, totps[1:], fields)
    finish(
        parsed, 0, f"record {title!r}", title=title, url=_text(record.get("login_url")),
        username=_text(record.get("login")), password=_text(record.get("password")),
        notes=_text(record.get("notes")), totp=totps[0] if totps else "",
        folder=folders[0] if folders else "",
        tags=(kind,) if kind and kind != "login" else (), modified=epoch(record.get("last_modified")),
        uuid=stable_uuid("keeper", record.get("uid")), custom=tuple(fields.items),
    )  # fmt: skip
