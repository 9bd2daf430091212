"""The neutral form every importer produces and every exporter consumes.

A ``Record`` is one entry with its secrets in plain text: it exists only while a file is being
read or written. Importers turn other programs' files into records (``Parsed``, with the rows
they could not take and why); ``plan_records`` turns records into sealed entries through the
vault's own rules (``Vault.make_entry``) and the merge rules (``Vault.plan_import``), so an
import is decided in memory and applied in one save — a cancelled or failed import leaves the
vault as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from vaultapp.core.errors import ImportCancelledError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from vaultapp.core.entry import Attachment, Entry
    from vaultapp.core.merge import MergePlan
    from vaultapp.core.vault import Vault

#: ``progress(done, total)``; returns False to cancel. Called every ``PROGRESS_EVERY`` records.
Progress = Callable[[int, int], bool]
PROGRESS_EVERY = 200
FILE_MAX = 256 * 1024 * 1024  # no password export is this large; refuse before reading


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One entry in plain text. ``custom`` holds (name, value, protected) triples."""

    title: str
    username: str = ""
    password: str = ""
    url: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    folder: str = ""
    totp: str = ""
    custom: tuple[tuple[str, str, bool], ...] = ()
    created: datetime | None = None
    modified: datetime | None = None
    expires: datetime | None = None
    favourite: bool = False
    uuid: str | None = None
    trashed: datetime | None = None
    # Earlier versions, oldest first, each a Record of its own (its own history empty), and
    # attachments as (name, content). Importers fill them; plan_records brings in what the
    # vault can hold and notes the rest.
    history: tuple[Record, ...] = ()
    attachments: tuple[tuple[str, bytes], ...] = ()
    line: int = 0  # where it came from, for messages (0: not from a line-based file)

    def __repr__(self) -> str:
        """The password, one-time-code seed and protected custom values masked, as ``Sealed`` does."""
        custom = tuple(
            (name, "***" if protected else value, protected) for name, value, protected in self.custom
        )
        return (
            f"Record(title={self.title!r}, username={self.username!r}, password=***, url={self.url!r}, "
            f"totp={'***' if self.totp else ''!r}, folder={self.folder!r}, tags={self.tags!r}, "
            f"custom={custom!r}, uuid={self.uuid!r}, line={self.line})"
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that could not be imported (or a value that was kept another way)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass(slots=True)
class Parsed:
    """What an importer read: the records, the rows it skipped, and notes on values it kept
    another way (a TOTP value it did not understand becomes a protected custom field)."""

    records: list[Record] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    unchanged: int = 0  # records an importer found already in the vault and dropped


def records_of(
    vault: Vault, *, folder: str | None = None, tag: str | None = None, trash: bool = False,
    history: bool = False, attachments: bool = False,
) -> Iterator[Record]:  # fmt: skip
    """The vault's live entries (and with ``trash`` those in the Trash; with ``history`` their
    earlier versions) as records, optionally only one folder (with its subfolders) or one tag;
    sorted by folder and title. ``attachments``: with their files' content (decrypted as each
    record is made; exports that cannot carry files leave it off)."""
    from vaultapp.core.entry import normalize_folder

    wanted_folder = None if folder is None else normalize_folder(folder).casefold()
    wanted_tag = None if tag is None else tag.strip().casefold()
    chosen = [*vault.entries, *vault.trashed_entries] if trash else vault.entries
    entries = sorted(chosen, key=lambda e: (e.folder.casefold(), e.title.casefold(), e.uuid))
    for entry in entries:
        if wanted_folder is not None:
            own = entry.folder.casefold()
            if own != wanted_folder and not own.startswith(wanted_folder + "/"):
                continue
        if wanted_tag is not None and wanted_tag not in (t.casefold() for t in entry.tags):
            continue
        yield record_of(vault, entry, history=history, attachments=attachments)


def record_of(vault: Vault, entry: Entry, *, history: bool = True, attachments: bool = False) -> Record:
    """``entry`` in plain text, with its history versions (oldest first) unless ``history`` is
    False; with ``attachments``, its files' content too (read and decrypted now: without it
    nothing of the attachments is read)."""
    from vaultapp.core.entry import Sealed

    return Record(
        uuid=entry.uuid,
        title=entry.title,
        username=entry.username,
        password="" if entry.password is None else vault.reveal(entry.password),
        url=entry.url,
        notes=entry.notes,
        tags=entry.tags,
        folder=entry.folder,
        totp="" if entry.totp is None else vault.reveal(entry.totp),
        custom=tuple(
            (c.name, vault.reveal(c.value), True) if isinstance(c.value, Sealed) else (c.name, c.value, False)
            for c in entry.custom
        ),
        created=entry.created,
        modified=entry.modified,
        expires=entry.expires,
        favourite=entry.favourite,
        trashed=entry.trashed,
        attachments=tuple((a.name, vault.attachment_content(a)) for a in entry.attachments)
        if attachments
        else (),
        history=tuple(record_of(vault, old, history=False, attachments=attachments) for old in entry.history)
        if history
        else (),
    )


def plan_records(vault: Vault, parsed: Parsed, progress: Progress | None = None) -> MergePlan:
    """Seal ``parsed.records`` with the vault's keys and plan their import; changes nothing.

    A record the vault's rules refuse (an unusable TOTP value, a bad UUID) is kept as well as it
    can be and noted in ``parsed.notes``; nothing the file held is silently dropped.

    Raises:
        ImportCancelledError: ``progress`` returned False (the vault is unchanged).
    """
    _distinct_ids(parsed)
    entries: list[Entry] = []
    total = len(parsed.records)
    for done, record in enumerate(parsed.records):
        if progress is not None and done % PROGRESS_EVERY == 0 and not progress(done, total):
            raise ImportCancelledError("Import cancelled; the vault is unchanged.")
        entries.append(_entry(vault, record, parsed.notes))
    if progress is not None and not progress(total, total):
        raise ImportCancelledError("Import cancelled; the vault is unchanged.")
    result = vault.plan_import(entries)
    result.unchanged += parsed.unchanged
    return result


def _distinct_ids(parsed: Parsed) -> None:
    """A file that gives two items one id (an export's bug, an item copied by hand) would have
    the second replace the first on import: the second gets a new UUID and a note."""
    import dataclasses

    seen: set[str] = set()
    for index, record in enumerate(parsed.records):
        if record.uuid is None:
            continue
        key = record.uuid.strip().casefold()
        if key in seen:
            parsed.records[index] = dataclasses.replace(record, uuid=None)
            why = f"{record.title!r} has the id of an earlier item; it was given a new one"
            parsed.notes.append(Problem(record.line, why))
        seen.add(key)


def _entry(vault: Vault, record: Record, notes: list[Problem]) -> Entry:
    """The sealed entry for ``record``, its history versions included (the newest
    ``vault.history_max``); whatever the vault cannot hold is named in ``notes``."""
    entry = _one_entry(vault, record, notes)
    if not record.history:
        return entry
    import dataclasses

    from vaultapp.core.causal import LEGACY_DEVICE, version_of

    keep = vault.history_max
    old = record.history[-keep:] if keep > 0 else ()
    dropped = len(record.history) - len(old)
    if dropped:
        notes.append(
            Problem(
                record.line,
                f"{record.title!r}: its {dropped} oldest of {len(record.history)} earlier "
                f"versions not brought in (the vault keeps {keep}; raise it in the settings "
                "and import again to keep them)",
            )
        )
    silent: list[Problem] = []  # a version's own notes repeat the entry's
    # Imported versions are numbered as versions migrated from before versions existed are
    # (docs/FORMAT.md 5.2): the i-th oldest kept is the legacy device's edit i, so two copies
    # that import the same file agree on them, and the entry has seen all of them.
    history = tuple(
        dataclasses.replace(
            _one_entry(vault, replace_title(version, record.title), silent).content(),
            uuid=entry.uuid,
            rank=i + 1,
            device=LEGACY_DEVICE,
            seq=i + 1,
        )
        for i, version in enumerate(old)
    )
    return dataclasses.replace(entry, history=history, version=version_of({LEGACY_DEVICE: len(history)}))


def replace_title(record: Record, title: str) -> Record:
    """``record`` with ``title`` when its own is empty (a history version without one)."""
    import dataclasses

    return record if record.title.strip() else dataclasses.replace(record, title=title)


def _one_entry(vault: Vault, record: Record, notes: list[Problem]) -> Entry:
    custom = list(record.custom)
    totp: str | None = record.totp.strip() or None
    if totp is not None:
        from vaultapp.core.entry import normalize_totp

        try:
            normalize_totp(totp)
        except UsageError as exc:
            notes.append(Problem(record.line, f"{record.title!r}: TOTP kept as custom field 'TOTP' ({exc})"))
            custom.append(("TOTP", totp, True))
            totp = None
    uuid = record.uuid
    if uuid is not None:
        import uuid as uuid_module

        try:
            uuid_module.UUID(uuid)
        except ValueError:
            notes.append(
                Problem(record.line, f"{record.title!r}: {uuid!r} is not a UUID; a new one was made")
            )
            uuid = None
    entry = vault.make_entry(
        record.title,
        uuid=uuid,
        username=record.username,
        password=record.password or None,
        url=record.url,
        notes=record.notes,
        tags=record.tags,
        folder=record.folder,
        totp=totp,
        custom=[(name or "Field", value, protected) for name, value, protected in custom],
        created=record.created,
        modified=record.modified,
        expires=record.expires,
        favourite=record.favourite,
        trashed=record.trashed,
    )
    if not record.attachments:
        return entry
    import dataclasses

    return dataclasses.replace(entry, attachments=_attachments(vault, record, notes))


def _attachments(vault: Vault, record: Record, notes: list[Problem]) -> tuple[Attachment, ...]:
    """A record's files as the vault's attachments: a name the vault cannot use (empty, with a
    ``/``) or one the entry has already is changed, a file over the limits left out, each noted."""
    from vaultapp.core.attachments import check_name

    kept: list[Attachment] = []
    names: set[str] = set()
    for raw_name, content in record.attachments:
        name = raw_name.replace("/", "_").replace("\0", "_").strip() or "attachment"
        try:
            check_name(name)
        except UsageError:
            name = name.encode("utf-8")[:200].decode("utf-8", "ignore") or "attachment"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        if name != raw_name:
            notes.append(Problem(record.line, f"{record.title!r}: attachment {raw_name!r} kept as {name!r}"))
        try:
            kept.append(vault.new_attachment(name, content))
        except UsageError as exc:
            why = f"{record.title!r}: attachment {raw_name!r} not imported: {exc}"
            notes.append(Problem(record.line, why))
            continue
        names.add(name)
    return tuple(kept)


def title_for(title: str, url: str, username: str) -> str:
    """The title to use for a row: its own, else the URL's host, else the username."""
    if title.strip():
        return title.strip()
    if url.strip():
        from urllib.parse import urlsplit

        text = url.strip()
        host = urlsplit(text if "://" in text else f"//{text}").hostname
        return host or text
    return username.strip()


def read_text(path: str | object) -> str:
    """A text file's content (UTF-8, a byte-order mark dropped), refusing huge or non-UTF-8 files.

    Raises:
        UsageError: missing, a folder, too large, or not UTF-8 (the message says what to do).
    """
    from pathlib import Path

    file = Path(str(path))
    data = read_import_bytes(file, FILE_MAX, "an import file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{file.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and import again."
        ) from None


def read_import_bytes(file: Path, limit: int, what: str) -> bytes:
    """``storage.read_limited`` with its errors as one clear UsageError each: ``what`` (say, "a
    key file") names the kind of file in the size message.

    Raises:
        UsageError: missing, a folder, a FIFO or device, too large, or unreadable.
    """
    from vaultapp.core.storage import (
        FileTooLargeError,
        NotRegularFileError,
        describe_mode,
        describe_size,
        read_limited,
    )

    try:
        return read_limited(file, limit)
    except FileNotFoundError:
        raise UsageError(f"There is no file at {file}.") from None
    except IsADirectoryError:
        raise UsageError(f"{file} is not a file: it is a folder; name the file itself.") from None
    except NotRegularFileError as exc:
        kind = describe_mode(exc.mode)
        raise UsageError(f"{file} is not a file: it is {kind}; name a regular file.") from None
    except FileTooLargeError:
        size = describe_size(limit)
        raise UsageError(f"{file.name} is larger than {size}; {what} may be at most {size}.") from None
    except PermissionError:
        raise UsageError(f"{file} cannot be read (permission denied).") from None
    except OSError as exc:
        raise UsageError(f"{file} cannot be read: {exc.strerror or exc}.") from None


def write_private(path: str | object, chunks: Iterable[str]) -> None:
    """Create ``path`` (never overwriting) readable by the owner only (0600) with ``chunks`` as
    UTF-8: written and fsynced under a temp name, read back and compared, and only then given
    its name (``saving.publish_new``), so a kill or a full disk never leaves half a file there.

    Raises:
        UsageError: the file exists already.
        SaveFailedError: writing failed; nothing was left at ``path``.
    """
    import hmac
    from pathlib import Path

    from vaultapp.core.errors import DamagedFileError
    from vaultapp.core.saving import publish_new
    from vaultapp.core.storage import read_limited

    file = Path(str(path))
    data = "".join(chunks).encode("utf-8")

    def verify(written: Path) -> None:
        if not hmac.compare_digest(read_limited(written, len(data) + 1), data):
            raise DamagedFileError(f"{file.name} did not read back as written; nothing was left behind.")

    publish_new(file, data, verify=verify)
