"""CSV export and import: our own lossless layout, KeePassXC's and Bitwarden's exports, and a
generic header-named layout.

Our export is the generic layout plus every other field: ``title, username, password, url,
notes, totp, tags, folder, favourite, expires, created, modified, uuid`` and one column per
custom field name (``custom:NAME``, or ``custom-protected:NAME`` for a protected one), so that
exporting and importing again loses nothing but history and the Trash (which CSV does not hold).

Import reads RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), UTF-8 with or
without a byte-order mark. A row that cannot be imported is reported by its line number and the
rest are imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Final, Literal

from vaultapp.core.errors import UsageError
from vaultapp.interop.records import Parsed, Problem, Record, read_text, title_for, write_private

Dialect = Literal["keepassxc", "bitwarden", "generic"]
DIALECTS: Final = ("keepassxc", "bitwarden", "generic")

KEEPASSXC_HEADER: Final = (
    "Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon", "Last Modified", "Created",
)  # fmt: skip
BITWARDEN_HEADER: Final = (
    "folder", "favorite", "type", "name", "notes", "fields", "reprompt",
    "login_uri", "login_username", "login_password", "login_totp",
)  # fmt: skip
OUR_COLUMNS: Final = (
    "title", "username", "password", "url", "notes", "totp", "tags", "folder",
    "favourite", "expires", "created", "modified", "uuid",
)  # fmt: skip
CUSTOM_PREFIX: Final = "custom:"
PROTECTED_PREFIX: Final = "custom-protected:"

# Header names the generic dialect understands (case-insensitive), and what they mean.
ALIASES: Final = {
    "title": "title", "name": "title", "account": "title", "entry": "title",
    "username": "username", "user": "username", "login": "username", "login name": "username",
    "login_username": "username", "email": "username",
    "password": "password", "pass": "password", "login_password": "password",
    "url": "url", "uri": "url", "website": "url", "web site": "url", "login_uri": "url",
    "notes": "notes", "note": "notes", "comments": "notes", "extra": "notes",
    "totp": "totp", "otp": "totp", "login_totp": "totp", "otpauth": "totp",
    "tags": "tags", "tag": "tags", "labels": "tags",
    "folder": "folder", "group": "folder", "path": "folder", "grouping": "folder",
    "favourite": "favourite", "favorite": "favourite", "fav": "favourite",
    "expires": "expires", "expiry": "expires", "expiry time": "expires",
    "created": "created", "creation time": "created",
    "modified": "modified", "last modified": "modified", "modification time": "modified",
    "uuid": "uuid",
}  # fmt: skip

FIELD_LIMIT: Final = 64 * 1024 * 1024


# ---- export -----------------------------------------------------------------------------------


def export_csv(path: object, records: Iterable[Record]) -> int:
    """Write ``records`` in our lossless layout to a new file readable by the owner only.
    Returns the number of rows written.

    Raises:
        UsageError: the file exists already.
        SaveFailedError: writing failed (no partial file is left).
    """
    rows = list(records)
    text = csv_text(rows)
    write_private(path, [text])
    return len(rows)


def csv_text(records: Sequence[Record]) -> str:
    """Our layout as text; custom columns in order of first appearance, a name repeated as
    often as one entry repeats it."""
    columns: list[tuple[str, bool]] = []  # (name, protected), one per column
    for record in records:
        used: dict[tuple[str, bool], int] = {}
        for name, _value, protected in record.custom:
            key = (name, protected)
            used[key] = used.get(key, 0) + 1
            if columns.count(key) < used[key]:
                columns.append(key)
    header = [*OUR_COLUMNS, *((PROTECTED_PREFIX if p else CUSTOM_PREFIX) + n for n, p in columns)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        values = {
            "title": record.title, "username": record.username, "password": record.password,
            "url": record.url, "notes": record.notes, "totp": record.totp, "tags": ", ".join(record.tags),
            "folder": record.folder, "favourite": "1" if record.favourite else "",
            "expires": _iso(record.expires), "created": _iso(record.created),
            "modified": _iso(record.modified), "uuid": record.uuid or "",
        }  # fmt: skip
        custom = [""] * len(columns)
        taken: set[int] = set()
        for name, value, protected in record.custom:
            index = next(i for i, key in enumerate(columns) if key == (name, protected) and i not in taken)
            taken.add(index)
            custom[index] = value
        writer.writerow([values[c] for c in OUR_COLUMNS] + custom)
    return out.getvalue()


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


# ---- import -----------------------------------------------------------------------------------


def import_csv(path: object, dialect: Dialect | None = None) -> Parsed:
    """Read a CSV file. ``dialect`` None: recognise KeePassXC's and Bitwarden's headers, else
    read it as generic (a header row naming the columns).

    Raises:
        UsageError: unreadable, not UTF-8, malformed CSV, or no usable header row.
    """
    return parse_csv(read_text(path), dialect)


def parse_csv(text: str, dialect: Dialect | None = None) -> Parsed:
    rows = _rows(text)
    try:
        first_line, header = next(rows)
    except StopIteration:
        raise UsageError("The CSV file is empty; there is nothing to import.") from None
    names = [h.strip() for h in header]
    if dialect is None:
        dialect = detect(names)
    reader = {"keepassxc": _keepassxc, "bitwarden": _bitwarden, "generic": _generic}[dialect]
    return reader(names, rows, first_line)


def detect(header: Sequence[str]) -> Dialect:
    """KeePassXC's export (the first six columns, old or new), Bitwarden's, or generic."""
    if tuple(header[:6]) == KEEPASSXC_HEADER[:6]:
        return "keepassxc"
    lowered = {h.casefold() for h in header}
    if {"login_username", "login_password"} <= lowered or {"name", "type", "login_uri"} <= lowered:
        return "bitwarden"
    return "generic"


Rows = Iterator[tuple[int, list[str]]]


def _rows(text: str) -> Rows:
    """(first line number, fields) for every non-blank row."""
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UsageError(
                f"The CSV file is malformed near line {line} ({exc}); fix it or export it again."
            ) from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield start, row


def _cells(header: Sequence[str], row: list[str], line: int, parsed: Parsed) -> list[str] | None:
    if len(row) == len(header):
        return row
    if len(row) > len(header) and not any(cell.strip() for cell in row[len(header) :]):
        return row[: len(header)]  # trailing empty cells (a spreadsheet's habit)
    parsed.skipped.append(Problem(line, f"has {len(row)} fields but the header has {len(header)}"))
    return None


def _time(value: str, line: int, column: str, parsed: Parsed) -> datetime | None:
    """ISO 8601 or Unix seconds; a naive time is UTC; an unreadable one is noted and dropped."""
    text = value.strip()
    if not text:
        return None
    try:
        if text.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(text), UTC)
        parsed_time = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except (ValueError, OverflowError, OSError):
        parsed.notes.append(Problem(line, f"{column} {text!r} is not a date; left out"))
        return None
    return parsed_time if parsed_time.tzinfo is not None else parsed_time.replace(tzinfo=UTC)


def _flag(value: str) -> bool:
    return value.strip().casefold() in ("1", "true", "yes", "y", "x", "on")


def _tags(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.replace(";", ",").split(",") if t.strip())


def _add(parsed: Parsed, line: int, record_fields: dict[str, object]) -> None:
    title = title_for(
        str(record_fields.get("title", "")), str(record_fields.get("url", "")),
        str(record_fields.get("username", "")),
    )  # fmt: skip
    if not title:
        has_content = any(record_fields.get(k) for k in ("password", "notes", "totp", "custom"))
        if has_content:
            parsed.skipped.append(Problem(line, "has no title, username or URL to name the entry by"))
        return
    record_fields["title"] = title
    parsed.records.append(Record(line=line, **record_fields))  # type: ignore[arg-type]


def _generic(header: list[str], rows: Rows, header_line: int) -> Parsed:
    parsed = Parsed()
    meaning: list[tuple[str, str]] = []  # per column: (kind, name) kind in field/custom/protected
    for name in header:
        key = name.casefold()
        if key.startswith(PROTECTED_PREFIX):
            meaning.append(("protected", name[len(PROTECTED_PREFIX) :]))
        elif key.startswith(CUSTOM_PREFIX):
            meaning.append(("custom", name[len(CUSTOM_PREFIX) :]))
        elif key in ALIASES:
            meaning.append(("field", ALIASES[key]))
        else:
            meaning.append(("custom", name or "Field"))
    if not any(kind == "field" and name in ("title", "url", "username") for kind, name in meaning):
        raise UsageError(
            f"Line {header_line} of the CSV file is not a header naming the columns (title, username, "
            "password, url, notes, totp, tags, folder); add one, or choose the KeePassXC or Bitwarden "
            "dialect."
        )
    unknown = [
        name for (kind, name), raw in zip(meaning, header, strict=True) if kind == "custom" and name == raw
    ]
    if unknown:
        parsed.notes.append(Problem(header_line, f"columns kept as custom fields: {', '.join(unknown)}"))
    for line, row in rows:
        cells = _cells(header, row, line, parsed)
        if cells is None:
            continue
        fields: dict[str, object] = {}
        custom: list[tuple[str, str, bool]] = []
        for (kind, name), value in zip(meaning, cells, strict=True):
            if kind != "field":
                if value:
                    custom.append((name, value, kind == "protected"))
            elif name in ("created", "modified", "expires"):
                fields[name] = _time(value, line, name, parsed)
            elif name == "favourite":
                fields[name] = _flag(value)
            elif name == "tags":
                fields[name] = _tags(value)
            elif name == "uuid":
                fields[name] = value.strip() or None
            elif name not in fields or not fields[name]:
                fields[name] = value
        if custom:
            fields["custom"] = tuple(custom)
        _add(parsed, line, fields)
    return parsed


def _keepassxc(header: list[str], rows: Rows, header_line: int) -> Parsed:
    """KeePassXC's ``Group, Title, Username, Password, URL, Notes[, TOTP, Icon, Last Modified,
    Created]``; the first group segment (the root group's name) is dropped."""
    parsed = Parsed()
    width = len(header)
    if tuple(header[:6]) != KEEPASSXC_HEADER[:6]:
        raise UsageError(
            f"Line {header_line} is not KeePassXC's CSV header ({', '.join(KEEPASSXC_HEADER)}); "
            "choose the generic dialect for other files."
        )
    column = {name: i for i, name in enumerate(header)}
    for line, row in rows:
        cells = _cells(header[:width], row, line, parsed)
        if cells is None:
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = column.get(name)
            return "" if index is None else cells[index]

        group = cell("Group").replace("\\", "/").split("/")[1:]
        _add(parsed, line, {
            "folder": "/".join(group), "title": cell("Title"), "username": cell("Username"),
            "password": cell("Password"), "url": cell("URL"), "notes": cell("Notes"), "totp": cell("TOTP"),
            "modified": _time(cell("Last Modified"), line, "Last Modified", parsed),
            "created": _time(cell("Created"), line, "Created", parsed),
        })  # fmt: skip
    return parsed


def _bitwarden(header: list[str], rows: Rows, header_line: int) -> Parsed:
    """Bitwarden's individual or organisation CSV export (login and secure-note items)."""
    parsed = Parsed()
    column = {name.casefold(): i for i, name in enumerate(header)}
    if "name" not in column:
        raise UsageError(
            f"Line {header_line} is not Bitwarden's CSV header (it has no 'name' column); choose the "
            "generic dialect for other files."
        )
    known = {*BITWARDEN_HEADER, "collections", "uri", "username", "password", "totp"}
    extra = [(i, name) for i, name in enumerate(header) if name.casefold() not in known]
    if extra:
        names = ", ".join(name or "(unnamed)" for _, name in extra)
        parsed.notes.append(Problem(header_line, f"columns kept as custom fields: {names}"))
    for line, row in rows:
        cells = _cells(header, row, line, parsed)
        if cells is None:
            continue

        def cell(*names: str, cells: list[str] = cells) -> str:
            for name in names:
                index = column.get(name)
                if index is not None and cells[index]:
                    return cells[index]
            return ""

        kind = cell("type").strip().casefold()
        if kind not in ("", "login", "note"):
            parsed.skipped.append(Problem(line, f"Bitwarden item type {kind!r} is not a login or note"))
            continue
        custom: list[tuple[str, str, bool]] = []
        for field_line in cell("fields").splitlines():
            name, sep, value = field_line.rpartition(": ")
            custom.append((name, value, False) if sep else ("Field", field_line, False))
        uris = next(csv.reader([cell("login_uri", "uri")]), []) if cell("login_uri", "uri") else []
        custom.extend((f"URL {n}", uri, False) for n, uri in enumerate(uris[1:], start=2))
        if cell("reprompt").strip() == "1":
            custom.append(("Bitwarden reprompt", "1", False))
        custom.extend((name or "Field", cells[i], False) for i, name in extra if cells[i])
        _add(parsed, line, {
            "title": cell("name"), "username": cell("login_username", "username"),
            "password": cell("login_password", "password"), "url": uris[0] if uris else "",
            "notes": cell("notes"), "totp": cell("login_totp", "totp"), "folder": cell("folder"),
            "favourite": _flag(cell("favorite")), "tags": _tags(cell("collections")), "custom": tuple(custom),
        })  # fmt: skip
    return parsed
