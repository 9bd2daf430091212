"""LastPass's CSV export (Advanced Options → Export): ``url,username,password,totp,extra,name,
grouping,fav`` (older exports have no ``totp``).

A secure note is a row whose ``url`` is ``http://sn``. Its ``extra`` is the note; a note of a
kind (a card, a bank account, a server…) starts ``NoteType:KIND`` followed by ``Name:value``
lines, ``Notes:`` last, with the rest of the text as its value. Those lines become custom
fields (protected when the name says secret: Number, Security Code, PIN, Password…), the kind
a tag, ``Notes`` the entry's notes; ``Language``/``NoteType`` headers are not values.
``grouping`` (``A\\B``) → folder ``A/B``, ``fav`` → favourite, ``totp`` → the entry's TOTP.
"""

from __future__ import annotations

from typing import Any, Final

from vaultapp.interop.records import Parsed
from vaultapp.interop.sources import Fields, finish, read_source, read_table, text_of

HEADER: Final = ("url", "username", "password", "totp", "extra", "name", "grouping", "fav")
SECURE_NOTE_URL: Final = "http://sn"
_SECRET_NOTE_FIELDS: Final = {
    "number", "security code", "pin", "password", "account number", "routing number", "private key",
    "passphrase", "license key", "key", "iban", "swift code", "ssn", "passport number",
}  # fmt: skip


def parse_note(extra: str, fields: Fields) -> tuple[str, str]:
    """A secure note's (kind, notes); its ``Name:value`` lines go into ``fields``. A note with
    no ``NoteType:`` line is plain text: ('', extra)."""
    lines = extra.replace("\r\n", "\n").split("\n")
    if not lines or not lines[0].startswith("NoteType:"):
        return "", extra
    kind = lines[0][len("NoteType:") :].strip()
    notes = ""
    for index, line in enumerate(lines[1:], start=1):
        name, sep, value = line.partition(":")
        if not sep:
            fields.add("Note line", line, False)  # a line without a name: kept as it is
            continue
        if name == "Notes":
            notes = "\n".join([value, *lines[index + 1 :]])
            break
        if name == "Language" and kind:
            fields.add("Language", value, False)
            continue
        secret = name.strip().casefold() in _SECRET_NOTE_FIELDS
        fields.add(name, value, True if secret else None)
    return kind, notes


def import_lastpass_csv(path: object) -> Parsed:
    """LastPass's CSV export.

    Raises:
        DamagedFileError: not CSV, or no url/username/password/extra/name/grouping columns.
    """
    what = "a LastPass CSV export"
    required = ("url", "username", "password", "extra", "name", "grouping")
    parsed = Parsed()
    table = read_table(text_of(read_source(path, what), "The file", what), what, required, parsed)
    for row in table.rows:
        fields = Fields()
        url = row.get("url")
        extra = row.get("extra")
        tags: tuple[str, ...] = ()
        if url.strip() == SECURE_NOTE_URL:
            url = ""
            kind, notes = parse_note(extra, fields)
            tags = (kind,) if kind else ("secure note",)
        else:
            notes = extra
        folder = "/".join(p for p in row.get("grouping").replace("\\", "/").split("/") if p.strip())
        favourite = row.get("fav").strip() == "1"
        values: dict[str, Any] = {
            "title": row.get("name"), "username": row.get("username"), "password": row.get("password"),
            "totp": row.get("totp"), "notes": notes, "folder": folder, "tags": tags, "favourite": favourite,
        }  # fmt: skip
        for name, value in row.rest():
            fields.add(name, value)
        finish(parsed, row.line, "the row", url=url, custom=tuple(fields.items), **values)
    return parsed
