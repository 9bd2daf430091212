"""One entry point per direction for every file format, used by the CLI and the window alike.

``export_file`` writes the vault (or one folder or tag of it) in a format; ``plan_file_import``
reads a file and plans its import without changing the vault; the caller shows the plan (or
not), then ``vault.apply(plan)`` and ``vault.save()``. Nothing here asks questions: passphrases
and confirmations are the front ends' business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from vaultapp.core.errors import UsageError
from vaultapp.core.kdf import check_unlock_ms
from vaultapp.interop.catalog import MORE_FORMATS, MoreFormat
from vaultapp.interop.records import Parsed, Problem, Progress, plan_records, records_of

if TYPE_CHECKING:
    from vaultapp.core.merge import MergePlan
    from vaultapp.core.vault import Vault
    from vaultapp.interop.csv_io import Dialect

ExportFormat = Literal["backup", "csv", "kdbx", "env"]
ImportFormat = Literal["backup", "csv", "kdbx", "bitwarden-json", "env"] | MoreFormat
EXPORT_FORMATS: Final = ("backup", "csv", "kdbx", "env")
IMPORT_FORMATS: Final = ("backup", "csv", "kdbx", "bitwarden-json", "env", *MORE_FORMATS)
PLAINTEXT_FORMATS: Final = ("csv", "env")
NEEDS_PASSPHRASE: Final = ("backup", "kdbx")
SUFFIXES: Final = {".vault": "backup", ".csv": "csv", ".kdbx": "kdbx", ".env": "env"}
"""The only names that tell the format: anything else (``.json``, ``.txt``, none) is asked for."""


def guess_format(path: Path | str) -> ImportFormat | None:
    """The format a file's name says without doubt: ``.vault`` (a vault or backup), ``.csv``,
    ``.kdbx``, ``.env`` (and ``.env.NAME``); or, before the name, the format another program's
    export says by its content (``catalog.detect``: a header row or structure only that program
    writes). None when neither says it, ``.json`` included (a Bitwarden export or any other
    JSON), or when the content fits several formats, so the front end asks instead of guessing."""
    path = Path(path)
    if path.name == ".env" or path.name.startswith(".env."):
        return "env"
    if path.suffix.casefold() not in (".vault", ".kdbx", ".env"):
        from vaultapp.interop.catalog import detect  # the content of another program's export

        found = detect(path)
        if found:
            return found[0] if len(found) == 1 else None  # type: ignore[return-value]
    return SUFFIXES.get(path.suffix.casefold())  # type: ignore[return-value]


def choose_format(path: Path | str, given: str | None, allowed: tuple[str, ...]) -> str:
    """``given`` when the user chose a format, else the one ``path``'s name says (``guess_format``).

    Raises:
        UsageError: the name says no format (or one not in ``allowed``); the message names --format.
    """
    if given is not None:
        return given
    from vaultapp.interop.catalog import ambiguous, detect

    named = Path(path).suffix.casefold() in (".vault", ".kdbx", ".env")
    fits = () if named else tuple(f for f in detect(path) if f in allowed)
    if len(fits) > 1:
        raise UsageError(ambiguous(Path(path).name, fits))
    guessed = fits[0] if fits else guess_format(path)
    if guessed in allowed:
        return guessed
    name = Path(path).name
    choices = ", ".join(allowed)
    if Path(path).suffix.casefold() == ".json" and "bitwarden-json" in allowed:
        raise UsageError(
            f"{name} may be a Bitwarden export or another JSON file; add --format bitwarden-json if it "
            "is Bitwarden's unencrypted export, keeper-json or protonpass-json if it is Keeper's or "
            f"Proton Pass's (formats: {choices})."
        )
    raise UsageError(
        f"The name {name} does not say which format to use; add --format with one of: {choices} "
        "(only .vault, .csv, .kdbx and .env names choose one)."
    )


@dataclass(slots=True)
class ImportOutcome:
    """The planned import and what the reader had to say about the file."""

    plan: MergePlan
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def tally(self) -> str:
        """``skipped N`` and, when there are any, how many notes on what was not brought in."""
        notes = (
            f", {len(self.notes)} notes on fields not brought in or kept another way" if self.notes else ""
        )
        return f"skipped {len(self.skipped)}{notes}"

    def lines(self) -> list[str]:
        """One line per skipped entry and per note, for the front ends to show before applying."""
        return [f"skipped {p}" for p in self.skipped] + [f"note: {n}" for n in self.notes]


def export_file(
    vault: Vault,
    path: Path | str,
    fmt: ExportFormat,
    *,
    passphrase: str | None = None,
    folder: str | None = None,
    tag: str | None = None,
    notes: list[Problem] | None = None,
    unlock_ms: int | None = None,
) -> int:
    """Write the vault's live entries to a new file (never overwriting). ``passphrase`` protects
    a backup or KeePass database (None: the vault's own is not known here, so it is required).
    A KeePass database's Argon2d is calibrated to take ``unlock_ms`` to open, by default as long
    as this vault took (a backup keeps the vault's own KDF). Returns the number of entries (or
    variables) written.

    Raises:
        UsageError: the file exists, a passphrase is missing, or --folder/--tag with a backup.
        SaveFailedError: writing failed; nothing is left behind.
    """
    if unlock_ms is not None:
        check_unlock_ms(unlock_ms)
        if fmt != "kdbx":
            raise UsageError("--unlock-ms applies to a KeePass (kdbx) export only.")
    if fmt == "backup":
        if folder is not None or tag is not None:
            raise UsageError("A backup holds the whole vault; a folder or tag applies to csv, kdbx and env.")
        if not passphrase:
            raise UsageError("A backup needs a passphrase.")
        return vault.export_backup(path, passphrase)
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
    # A whole-vault KeePass export carries the Trash as KeePass's recycle bin.
    whole = fmt == "kdbx" and folder is None and tag is None
    kdbx = fmt == "kdbx"
    records = list(records_of(vault, folder=folder, tag=tag, trash=whole, history=kdbx, attachments=kdbx))
    if not kdbx and notes is not None:
        attached = {e.uuid: len(e.attachments) for e in vault.entries if e.attachments}
        for record in records:
            if attached.get(record.uuid or ""):
                n = attached[record.uuid or ""]
                notes.append(
                    Problem(
                        0,
                        f"{record.title!r}: its {n} attachment{'s are' if n != 1 else ' is'} not in a "
                        f"{fmt} file (a backup or a kdbx export carries {'them' if n != 1 else 'it'})",
                    )
                )
    if fmt == "kdbx":
        from vaultapp.interop.kdbx import KdbxKdf, export_kdbx

        kdf = KdbxKdf.calibrated(vault.kdf_ms if unlock_ms is None else unlock_ms)
        count = export_kdbx(path, records, passphrase or "", kdf=kdf, notes=notes)
    elif fmt == "csv":
        from vaultapp.interop.csv_io import export_csv

        count = export_csv(path, records)
    else:
        from vaultapp.interop.dotenv import export_env

        count = export_env(path, records, notes)
    vault.note("vault.exported", None, {"format": fmt, "entries": count})
    return count


def read_plain(
    path: Path | str,
    fmt: ImportFormat,
    *,
    csv_dialect: Dialect | None = None,
    folder: str = "",
    tags: tuple[str, ...] = (),
) -> Parsed | None:
    """Parse a file that needs no passphrase (csv, bitwarden-json, env, the catalog's); None for the
    others and for a password-protected Bitwarden export (``plan_file_import`` reads it with its password).

    Raises:
        UsageError: the file is unusable (the message says why and what to do).
    """
    if fmt in MORE_FORMATS:
        from vaultapp.interop.catalog import read

        return read(path, fmt)
    if fmt == "csv":
        from vaultapp.interop.csv_io import import_csv

        return import_csv(path, csv_dialect)
    if fmt == "bitwarden-json":  # None for a password-protected export: its password comes next
        from vaultapp.interop.bitwarden import read_bitwarden_json

        return read_bitwarden_json(path)
    if fmt == "env":
        from vaultapp.interop.dotenv import import_env

        return import_env(path, folder=folder, tags=tags)
    return None


def plan_file_import(
    vault: Vault,
    path: Path | str,
    fmt: ImportFormat,
    *,
    passphrase: str | None = None,
    keyfile: Path | str | None = None,
    parsed: Parsed | None = None,
    csv_dialect: Dialect | None = None,
    folder: str = "",
    tags: tuple[str, ...] = (),
    progress: Progress | None = None,
    allow_slow_kdf: bool = False,
) -> ImportOutcome:
    """Read ``path`` and plan importing it into ``vault`` by the merge rules; changes nothing.
    ``parsed``: the result of an earlier ``read_plain`` (so errors came before any question).
    ``keyfile``: a KDBX database's key file (KeePass "composite key": passphrase and/or key file).

    Raises:
        UsageError, WrongPassphraseError, DamagedFileError, KdfParamsRejectedError: the file.
        PasswordNeededError: a password-protected Bitwarden export and no ``passphrase``.
        SlowKdfError: a backup whose KDF would tie up the machine (unless ``allow_slow_kdf``).
        ImportCancelledError: ``progress`` returned False.
    """
    if fmt not in IMPORT_FORMATS:
        raise UsageError(f"Unknown import format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}.")
    if keyfile is not None and fmt not in ("kdbx", "backup"):
        raise UsageError(
            "A key file belongs to a KeePass (KDBX) database or a vault backup; other formats have none."
        )
    if fmt == "backup":
        from vaultapp.core.vault import Vault as VaultClass

        takes_passphrase = VaultClass.read_header(path).factors.passphrase  # a key-file-only backup: none
        with VaultClass.open(
            path, (passphrase or "") if takes_passphrase else None, keyfile=keyfile, policy=vault.policy,
            audit=False, allow_slow_kdf=allow_slow_kdf,
        ) as backup:  # fmt: skip
            return ImportOutcome(vault.plan_merge(backup))
    if fmt == "kdbx":
        from vaultapp.interop.kdbx import import_kdbx

        parsed = import_kdbx(path, passphrase or "", keyfile=keyfile, allow_slow_kdf=allow_slow_kdf)
    elif fmt == "bitwarden-json" and parsed is None:
        from vaultapp.interop.bitwarden import import_bitwarden_json

        parsed = import_bitwarden_json(path, passphrase)  # PasswordNeededError: protected, no password
    elif parsed is None:
        parsed = read_plain(path, fmt, csv_dialect=csv_dialect, folder=folder, tags=tags)
    assert parsed is not None  # noqa: S101 - every other format is a plain one
    if fmt == "env":
        from vaultapp.interop.dotenv import link_existing

        link_existing(vault, parsed)
    return ImportOutcome(plan_records(vault, parsed, progress), parsed.skipped, parsed.notes)
