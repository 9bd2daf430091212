"""What the importers of other programs' exports share: bounded reading, CSV tables by header
name, bounded JSON, zip members with size limits, which field names hold secrets, and times.

Every problem with the content of a file (not CSV, not JSON, not a zip, columns missing, sizes
no export has) is a ``DamagedFileError`` (exit 4) with one line saying what to do; nothing is
built from the file before its size is checked.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid as uuid_module
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from vaultapp.core.errors import DamagedFileError, UsageError
from vaultapp.interop.records import FILE_MAX, Parsed, Problem, Record, read_import_bytes, title_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

ROWS_MAX: Final = 200_000
FIELD_MAX: Final = 64 * 1024 * 1024
ZIP_MEMBERS_MAX: Final = 100_000
ZIP_MEMBER_MAX: Final = 64 * 1024 * 1024  # one attachment, as the vault allows
ZIP_TOTAL_MAX: Final = 1024 * 1024 * 1024  # all attachments, as the vault allows
NAMESPACE: Final = uuid_module.UUID("9b2f4a57-2f0e-4c55-9d51-6f7a3c0e1d42")

# Words that make a field's value a secret (compared with the casefolded name, as words).
_SECRET_WORDS: Final = (
    "password", "passcode", "passphrase", "pin", "cvv", "cvc", "cvv2", "csc", "security code",
    "verification", "secret", "private", "key", "token", "recovery", "backup code", "answer",
    "ssn", "social security", "card number", "cardnumber", "cc_number", "ccnum", "account number",
    "account_number", "accountnumber", "iban", "routing", "license key", "licence key", "seed",
    "mnemonic", "credential", "otp", "one-time", "totp", "passport", "tax", "national id",
)  # fmt: skip
_WORD: Final = re.compile(r"[a-z0-9]+")


def is_secret(name: str) -> bool:
    """Whether a field called ``name`` holds something to protect (a card number, a CVC, a
    PIN, a recovery code, a private key…): any of the secret words, matched as whole words."""
    words = " ".join(_WORD.findall(name.casefold().replace("_", " ")))
    squashed = words.replace(" ", "")
    for secret in _SECRET_WORDS:
        target = " ".join(_WORD.findall(secret.replace("_", " ")))
        if f" {target} " in f" {words} " or (len(target) > 6 and target.replace(" ", "") in squashed):
            return True
    return False


def stable_uuid(source: str, ident: object) -> str | None:
    """A UUID derived from another program's item id, so importing the same export twice adds
    nothing; None without an id. A real UUID is kept as it is."""
    text = str(ident or "").strip().strip("{}")
    if not text:
        return None
    try:
        return str(uuid_module.UUID(text))
    except ValueError:
        return str(uuid_module.uuid5(NAMESPACE, f"{source}:{text}"))


# ---- reading ----------------------------------------------------------------------------------


def read_source(path: object, what: str) -> bytes:
    """The file's bytes, at most ``FILE_MAX``; a larger file is refused before reading (exit 4).

    Raises:
        UsageError: missing, a folder, a device, unreadable.
        DamagedFileError: larger than any export of ``what``.
    """
    from pathlib import Path

    from vaultapp.core.storage import describe_size

    file = Path(str(path))
    try:
        size = file.stat().st_size
    except OSError:
        size = 0
    if size > FILE_MAX:
        limit = describe_size(FILE_MAX)
        raise DamagedFileError(f"{file.name} is larger than {limit}, far more than {what}; it is not one.")
    return read_import_bytes(file, FILE_MAX, what)


def text_of(data: bytes, name: str, what: str) -> str:
    """UTF-8 text (a byte-order mark dropped).

    Raises:
        DamagedFileError: not UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DamagedFileError(
            f"{name} is not UTF-8 text (byte {exc.start}), so it is not {what}; export it again."
        ) from None


def load_json(text: str, what: str) -> Any:
    """Parse JSON after checking its depth and size (``bitwarden.check_json_size``).

    Raises:
        DamagedFileError: not JSON, or nested or sized as no export is.
    """
    from vaultapp.interop.bitwarden import check_json_size

    try:
        check_json_size(text)
    except UsageError:
        raise DamagedFileError(
            f"The file nests deeper or holds more values than {what} does; it is not one. Export it again."
        ) from None
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise DamagedFileError(
            f"The file is not JSON (line {exc.lineno}: {exc.msg}), so it is not {what}; export it again."
        ) from None
    except ValueError:
        raise DamagedFileError(
            "The file holds a number too long for a password export; export it again."
        ) from None


@dataclass(slots=True)
class Archive:
    """A zip file read whole into memory, its members checked before any is inflated."""

    members: dict[str, zipfile.ZipInfo]
    zip: zipfile.ZipFile
    what: str
    inflated: int = 0
    taken: set[str] = field(default_factory=set)  # the members read

    @classmethod
    def open(cls, data: bytes, what: str) -> Archive:
        """Raises: DamagedFileError: not a zip, or more or larger members than any export."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise DamagedFileError(
                f"The file is not a readable zip ({exc}), so it is not {what}; export it again."
            ) from None
        if len(infos) > ZIP_MEMBERS_MAX:
            raise DamagedFileError(
                f"The zip holds {len(infos):,} files, more than {what} has; it is not one."
            )
        if sum(info.file_size for info in infos) > ZIP_TOTAL_MAX + FILE_MAX:
            raise DamagedFileError(f"The zip unpacks to more than 1 GiB; {what} this large is not imported.")
        return cls({info.filename: info for info in infos}, archive, what)

    def read(self, name: str, limit: int = ZIP_MEMBER_MAX) -> bytes:
        """One member, inflated at most to ``limit`` bytes (its declared size is not trusted).

        Raises:
            DamagedFileError: larger than ``limit``, damaged, or encrypted.
        """
        info = self.members[name]
        if info.file_size > limit:
            raise DamagedFileError(f"{name} in the zip is larger than {limit // (1024 * 1024)} MiB.")
        try:
            with self.zip.open(info) as stream:
                data = stream.read(limit + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError) as exc:
            raise DamagedFileError(f"{name} in the zip cannot be read ({exc}); export it again.") from None
        if len(data) > limit:
            raise DamagedFileError(f"{name} in the zip is larger than {limit // (1024 * 1024)} MiB.")
        self.inflated += len(data)
        self.taken.add(name)
        if self.inflated > ZIP_TOTAL_MAX + FILE_MAX:
            raise DamagedFileError(
                f"The zip unpacks to more than 1 GiB; {self.what} this large is not imported."
            )
        return data


# ---- CSV tables -------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One CSV row by header name (names as the file spells them, looked up case-insensitively)."""

    line: int
    cells: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)  # casefolded → as spelled
    used: set[str] = field(default_factory=set)

    def get(self, *names: str) -> str:
        """The first non-empty cell of ``names``; it and the empty ones before it are marked as
        used (a later one with a value of its own is left for ``rest``)."""
        for name in names:
            key = name.casefold()
            if key in self.cells:
                self.used.add(key)
                if self.cells[key]:
                    return self.cells[key]
        return ""

    def rest(self) -> Iterator[tuple[str, str]]:
        """The non-empty cells not yet used, in column order."""
        for key, value in self.cells.items():
            if key not in self.used and value.strip():
                yield self.names.get(key, key), value


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[Row]
    names: dict[str, str]  # casefolded → as spelled


def read_table(text: str, what: str, required: Sequence[str], parsed: Parsed) -> Table:
    """A CSV file's rows by header name; rows with the wrong number of cells are skipped and
    noted in ``parsed.skipped``.

    Raises:
        DamagedFileError: empty, malformed, too many rows, or a column of ``required`` missing.
    """
    csv.field_size_limit(FIELD_MAX)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DamagedFileError(
                f"The file is not readable CSV near line {line} ({exc}), so it is not {what}; "
                "export it again."
            ) from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            rows.append((start, row))
        if len(rows) > ROWS_MAX + 1:
            raise DamagedFileError(
                f"The file holds more than {ROWS_MAX:,} rows; split it and import the parts."
            )
    if not rows:
        raise DamagedFileError(f"The file is empty; there is nothing to import from {what}.")
    _, header = rows[0]
    header = [h.strip() for h in header]
    names = {h.casefold(): h for h in header}
    missing = [name for name in required if name.casefold() not in names]
    if missing:
        raise DamagedFileError(
            f"The file's first line has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}, "
            f"so it is not {what}; export it again (or choose another --format)."
        )
    table = Table(header, [], names)
    width = len(header)
    for number, cells in rows[1:]:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            parsed.skipped.append(Problem(number, f"has {len(cells)} fields but the header has {width}"))
            continue
        table.rows.append(Row(number, {h.casefold(): c for h, c in zip(header, cells, strict=True)}, names))
    return table


def csv_header(text: str) -> list[str]:
    """The first row of a CSV text (for detection), or [] if there is none."""
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []
    return [cell.strip() for cell in row]


# ---- building records -------------------------------------------------------------------------


@dataclass(slots=True)
class Fields:
    """Custom fields collected for one record, with the rule that secrets are protected."""

    items: list[tuple[str, str, bool]] = field(default_factory=list)

    def add(self, name: str, value: object, protected: bool | None = None) -> None:
        text = "" if value is None else str(value)
        if not text.strip():
            return
        name = name.strip() or "Field"
        self.items.append(
            (name, text, is_secret(name) if protected is None else protected or is_secret(name))
        )


def finish(
    parsed: Parsed, line: int, what: str, *, title: str, url: str = "", username: str = "", **values: Any
) -> None:
    """Add a record named ``title`` (else by URL host or username); a nameless one with content
    is skipped and said, an empty one left out. Without a TOTP, the first custom field holding
    an ``otpauth://totp/`` URI becomes it (a one-time code field is always a working TOTP)."""
    name = title_for(title, url, username)
    if not name:
        content = any(values.get(k) for k in ("password", "notes", "totp", "custom", "attachments"))
        if content:
            parsed.skipped.append(Problem(line, f"{what} has no title, username or URL to name the entry by"))
        return
    custom = list(values.get("custom") or ())
    if not values.get("totp"):
        for index, (field_name, value, _protected) in enumerate(custom):
            if value.strip().casefold().startswith("otpauth://totp/"):
                values["totp"] = value.strip()
                del custom[index]
                values["custom"] = tuple(custom)
                parsed.notes.append(Problem(line, f"{name!r}: field {field_name!r} became the entry's TOTP"))
                break
    parsed.records.append(Record(line=line, title=name, url=url, username=username, **values))


def note_totp_extra(
    parsed: Parsed, line: int, title: str, extra: Iterable[str | tuple[str, str]], fields: Fields
) -> None:
    """A second (third…) one-time-code secret: an entry holds one TOTP, so the others are kept
    as protected fields (named by their label, else ``TOTP 2``…) and said."""
    for number, item in enumerate(extra, start=2):
        label, value = item if isinstance(item, tuple) else ("", item)
        name = label.strip() or f"TOTP {number}"
        fields.add(name, value, True)
        parsed.notes.append(Problem(line, f"{title!r}: a second one-time code kept as field {name!r}"))


# ---- times ------------------------------------------------------------------------------------


def epoch(value: object, *, millis: bool = False) -> datetime | None:
    """Seconds (or milliseconds) since 1970 as a UTC time; None for empty, zero or negative."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
        if number <= 0:
            return None
        return datetime.fromtimestamp(number / 1000 if millis else number, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def iso_or_epoch(value: str) -> datetime | None:
    """An ISO 8601 time (naive is UTC) or Unix seconds; None if it is neither."""
    text = value.strip()
    if not text:
        return None
    if text.replace(".", "", 1).isdigit():
        return epoch(text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
