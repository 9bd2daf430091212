"""Dashlane's CSV export: a zip of one CSV per kind of item; the zip, or any of its files alone.

- ``credentials.csv``: ``username,username2,username3,title,password,note,url,category,otpSecret``
  (newer exports: ``otpUrl``). ``category`` → folder, ``otpSecret``/``otpUrl`` → TOTP,
  ``username2``/``username3`` → fields.
- ``securenotes.csv``: ``title,note`` (and ``category``) → a note.
- ``payments.csv``: ``type,account_name,account_holder,cc_number,code,expiration_month,
  expiration_year,routing_number,account_number,country,issuing_bank`` → a card or bank account
  with the number, code, routing and account numbers protected.
- ``ids.csv``: ``type,number,name,issue_date,expiration_date,place_of_issue,state`` → an ID
  (passport, licence, social security…) with its number protected.
- ``personalInfo.csv``: ``type,title,first_name,…`` → one entry per row with every column.

Every non-empty column lands in a field; the kind of file is told by its header.
"""

from __future__ import annotations

from typing import Final

from vaultapp.core.errors import DamagedFileError
from vaultapp.interop.records import FILE_MAX, Parsed, Problem
from vaultapp.interop.sources import (
    Archive,
    Fields,
    Row,
    csv_header,
    finish,
    read_source,
    read_table,
    text_of,
)

WHAT: Final = "a Dashlane CSV export"
CREDENTIALS: Final = ("username", "username2", "username3", "title", "password", "note", "url", "category")
PAYMENTS: Final = ("type", "account_name")
IDS: Final = ("type", "number", "name")
PERSONAL: Final = ("type", "title", "first_name")
NOTES: Final = ("title", "note")
_PROTECTED: Final = {"cc_number", "code", "routing_number", "account_number", "number", "otpSecret"}


def kind_of(header: list[str]) -> str | None:
    """Which of Dashlane's files a header row is: credentials, payments, ids, personal, notes."""
    lowered = [h.casefold() for h in header]
    if tuple(lowered[: len(CREDENTIALS)]) == CREDENTIALS:
        return "credentials"
    if tuple(lowered[:2]) == PAYMENTS:
        return "payments"
    if tuple(lowered[:3]) == IDS:
        return "ids"
    if tuple(lowered[:3]) == PERSONAL:
        return "personal"
    if tuple(lowered[:2]) == NOTES:
        return "notes"
    return None


def import_dashlane_csv(path: object) -> Parsed:
    """Read one of Dashlane's CSV files, or the zip of them Dashlane's export is (every CSV in
    it with one of Dashlane's headers; problems named with the file they are in).

    Raises:
        DamagedFileError: not CSV, a header that is none of Dashlane's files, or a zip holding none.
    """
    data = read_source(path, WHAT)
    if data[:4] != b"PK\x03\x04":
        return _parse(text_of(data, "The file", WHAT))
    archive = Archive.open(data, WHAT)
    parsed = Parsed()
    found = False
    for name in sorted(archive.members):
        if not name.casefold().endswith(".csv"):
            continue
        text = text_of(archive.read(name, FILE_MAX), name, WHAT)
        if kind_of(csv_header(text)) is None:
            parsed.notes.append(Problem(0, f"{name} in the zip is not one of Dashlane's CSV files; left out"))
            continue
        found = True
        part = _parse(text)
        parsed.records.extend(part.records)
        parsed.skipped.extend(Problem(0, f"{name} {p}") for p in part.skipped)
        parsed.notes.extend(Problem(0, f"{name} {p}") for p in part.notes)
    if not found:
        raise DamagedFileError(f"The zip holds none of Dashlane's CSV files, so it is not {WHAT}.")
    return parsed


def _parse(text: str) -> Parsed:
    kind = kind_of(csv_header(text))
    if kind is None:
        raise DamagedFileError(
            f"The file's first line is not the header of Dashlane's credentials, securenotes, payments, ids "
            f"or personalInfo CSV, so it is not {WHAT}; export it again (or choose another --format)."
        )
    parsed = Parsed()
    table = read_table(text, WHAT, (), parsed)
    for row in table.rows:
        fields = Fields()
        values: dict[str, object] = {}
        if kind == "credentials":
            values = {
                "username": row.get("username"), "title": row.get("title"), "password": row.get("password"),
                "notes": row.get("note"), "url": row.get("url"), "folder": row.get("category"),
                "totp": row.get("otpUrl", "otpSecret"),
            }  # fmt: skip
            secret = row.get("otpSecret")  # both columns: the URL wins; a different secret is kept
            if secret and secret not in str(values["totp"]):
                fields.add("otpSecret", secret, True)
        elif kind == "notes":
            values = {"title": row.get("title"), "notes": row.get("note"), "folder": row.get("category"),
                      "tags": ("secure note",)}  # fmt: skip
        elif kind == "payments":
            item = row.get("type")
            values = {"title": row.get("account_name", "name", "account_holder") or item,
                      "tags": (item.replace("_", " ") or "payment",)}  # fmt: skip
            _months(row, fields)
        elif kind == "ids":
            item = row.get("type")
            values = {"title": " ".join(p for p in (row.get("name"), item.replace("_", " ")) if p),
                      "tags": (item.replace("_", " ") or "id",)}  # fmt: skip
            fields.add("number", row.get("number"), True)
        else:
            item = row.get("type")
            name = " ".join(
                p for p in (row.get("first_name"), row.get("middle_name"), row.get("last_name")) if p
            )
            values = {"title": row.get("item_name") or name or item, "tags": ("personal info",),
                      "username": row.get("login")}  # fmt: skip
            fields.add("type", item, False)
        _rest(row, fields)
        finish(parsed, row.line, "the row", custom=tuple(fields.items), **values)  # type: ignore[arg-type]
    return parsed


def _months(row: Row, fields: Fields) -> None:
    month, year = row.get("expiration_month"), row.get("expiration_year")
    if month or year:
        fields.add("expiry", f"{month.zfill(2)}/{year}" if month and year else month or year, False)


def _rest(row: Row, fields: Fields) -> None:
    for name, value in row.rest():
        fields.add(name, value, True if name in _PROTECTED else None)
