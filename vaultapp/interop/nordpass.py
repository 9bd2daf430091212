"""NordPass's CSV export: one wide table for every kind of item,
``name,url,additional_urls,username,password,note,cardholdername,cardnumber,cvc,pin,expirydate,
zipcode,folder,shared_folder,full_name,phone_number,email,address1,address2,city,country,state,
type,custom_fields`` (older exports lack ``pin`` and ``shared_folder``).

``type`` says what a row is: ``password`` (a login), ``credit_card``, ``note``, ``identity``,
``folder`` (a folder of its own, with no secrets: counted, not an entry). ``cardnumber``,
``cvc`` and ``pin`` are protected fields; ``additional_urls`` (a JSON list) → ``URL 2``…;
``custom_fields`` (a JSON list of ``{label, type, value}``; ``hidden`` ones protected, ``totp``
ones the entry's TOTP); ``folder`` → folder (``shared_folder`` when there is none).
"""

from __future__ import annotations

import json
from typing import Final

from vaultapp.interop.records import Parsed, Problem
from vaultapp.interop.sources import Fields, finish, note_totp_extra, read_source, read_table, text_of

WHAT: Final = "a NordPass CSV export"
HEADER: Final = (
    "name", "url", "additional_urls", "username", "password", "note", "cardholdername", "cardnumber",
    "cvc", "pin", "expirydate", "zipcode", "folder", "shared_folder", "full_name", "phone_number", "email",
    "address1", "address2", "city", "country", "state", "type", "custom_fields",
)  # fmt: skip
_PROTECTED: Final = {"cardnumber", "cvc", "pin"}


def _list(text: str) -> list[object] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def import_nordpass_csv(path: object) -> Parsed:
    """Read NordPass's CSV export.

    Raises:
        DamagedFileError: not CSV, or no name/url/username/password/note/type columns.
    """
    parsed = Parsed()
    text = text_of(read_source(path, WHAT), "The file", WHAT)
    table = read_table(text, WHAT, ("name", "url", "username", "password", "note", "type"), parsed)
    for row in table.rows:
        kind = row.get("type").strip()
        if kind == "folder":  # a folder of its own: its name is the folder of the entries in it
            row.get("name")
            for name, _value in row.rest():
                parsed.notes.append(Problem(row.line, f"folder row has a value in {name!r}; left out"))
            continue
        fields = Fields()
        totps: list[tuple[str, str]] = []  # (label, value)
        extra = row.get("additional_urls")
        urls = _list(extra) if extra.strip().startswith("[") else [u for u in extra.split(",")]
        for number, other in enumerate((str(u).strip() for u in urls or [] if str(u).strip()), start=2):
            fields.add(f"URL {number}", other, False)
        custom = row.get("custom_fields")
        entries = _list(custom) if custom.strip() else []
        if entries is None:
            fields.add("custom_fields", custom, None)
            parsed.notes.append(Problem(row.line, "custom_fields is not a JSON list; kept as one field"))
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            label, content, field_type = str(entry.get("label") or ""), entry.get("value"), entry.get("type")
            if field_type == "totp" and content:
                totps.append((label, str(content)))
            else:
                fields.add(label, content, True if field_type == "hidden" else None)
        values = {
            "title": row.get("name"), "url": row.get("url"), "username": row.get("username"),
            "password": row.get("password"), "notes": row.get("note"),
            "folder": row.get("folder", "shared_folder"),
            "tags": (kind.replace("_", " "),) if kind and kind != "password" else (),
        }  # fmt: skip
        for name, value in row.rest():
            fields.add(name, value, True if name in _PROTECTED else None)
        note_totp_extra(parsed, row.line, str(values["title"]), totps[1:], fields)
        finish(parsed, row.line, "the row", totp=totps[0][1] if totps else "", custom=tuple(fields.items),
               **values)  # type: ignore[arg-type]  # fmt: skip
    return parsed
