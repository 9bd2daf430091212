"""Moving entries between files: ``export``, ``import`` and ``merge``."""

from __future__ import annotations

import os
import sys

from vaultapp.cli.output import PROG
from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError, VaultError

REPORT_SHOWN = 50  # lines on what an import could not bring in; --report FILE has them all
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


def cmd_merge(args: argparse.Namespace, pw: Passphrases) -> int:
    if args.conflict_copies:
        if args.other is not None:
            raise UsageError("Give either OTHER or --conflict-copies, not both.")
        return _merge_conflict_copies(args, pw)
    if args.other is None:
        raise UsageError(
            f"Name the copy to merge (OTHER), or add --conflict-copies to merge the sync tool's "
            f"conflict copies beside {args.vault}."
        )
    from vaultapp.core.vault import Vault

    with open_vault(args, pw, writable=True) as vault:
        other_pass = pw.read(
            f"Passphrase for {args.other} (empty: the vault's)",
            "the other copy's passphrase (empty: the vault's)",
        )
        with Vault.open(
            args.other, other_pass or pw.first or "", audit=False, allow_slow_kdf=args.allow_slow_kdf
        ) as other:
            result = vault.merge_from(other)
        if result.changes:
            vault.save()
        print(f"Merged {args.other} into {args.vault}: {result.summary()}.")
        if (future := result.future_warning()) is not None:
            sys.stderr.write(f"{PROG}: warning: {future}\n")
    return 0


def _merge_conflict_copies(args: argparse.Namespace, pw: Passphrases) -> int:
    """Merge every conflict copy a sync tool left beside VAULT (opened with the vault's keys),
    save once, then set each merged copy aside as ``….merged``. A copy that does not open with
    the vault's passphrase is named and left where it is (merge it with OTHER)."""
    from pathlib import Path

    from vaultapp.core.storage import find_conflict_copies, set_aside

    copies = find_conflict_copies(Path(args.vault))
    if not copies:
        print(f"No conflict copies beside {args.vault}.")
        return 0
    merged: list[Path] = []
    skipped = changed = 0
    with open_vault(args, pw, writable=True, conflict_note=False) as vault:
        for copy_path in copies:
            try:
                with vault.open_copy(copy_path) as copy:
                    result = vault.merge_from(copy)
            except VaultError as exc:
                skipped += 1
                sys.stderr.write(f"{PROG}: warning: {copy_path.name} was not merged: {exc}\n")
                continue
            merged.append(copy_path)
            changed += result.changes
            print(f"Merged {copy_path.name}: {result.summary()}.")
            if (future := result.future_warning()) is not None:
                sys.stderr.write(f"{PROG}: warning: {future}\n")
        if changed:
            vault.save()
    for copy_path in merged:  # only once the merge is on disk
        try:
            aside = set_aside(copy_path)
        except OSError as exc:
            sys.stderr.write(f"{PROG}: warning: merged, but could not set {copy_path.name} aside: {exc}\n")
        else:
            print(f"Set {copy_path.name} aside as {aside.name}.")
    return 1 if skipped else 0


def _file_passphrase(pw: Passphrases, what: str, *, confirm: bool) -> str:
    note = "(empty: the vault's)"
    return pw.read(f"Passphrase for the {what} {note}", f"the {what} passphrase {note}", confirm=confirm)


def _choose_format(args: argparse.Namespace, path: str, allowed: tuple[str, ...]) -> None:
    from vaultapp.interop.formats import choose_format

    args.format = choose_format(path, args.format, allowed)


def cmd_export(args: argparse.Namespace, pw: Passphrases) -> int:
    _choose_format(args, args.out, ("backup", "csv", "kdbx", "env"))
    plaintext = args.format in ("csv", "env")
    if plaintext and not args.yes_plaintext:
        raise UsageError(
            f"A {args.format.upper()} export holds your passwords in PLAIN TEXT, readable by anything that "
            "reads the file; add --yes-plaintext if you mean it (or use --format backup or kdbx)."
        )
    if args.format == "backup" and (args.folder or args.tag):
        raise UsageError("A backup holds the whole vault; --folder and --tag apply to csv, kdbx and env.")
    if os.path.exists(args.out):  # noqa: PTH110 - pathlib stays off the start-up path
        raise UsageError(f"{args.out} exists already; choose another name (nothing is overwritten).")
    passphrase = pw.read(f"Passphrase for {args.vault}", "the vault passphrase")
    from vaultapp.core.rollback import SeenVaults
    from vaultapp.core.vault import Vault
    from vaultapp.interop.formats import export_file
    from vaultapp.interop.records import Problem

    with Vault.open(
        args.vault, passphrase, seen=SeenVaults.default(), allow_slow_kdf=args.allow_slow_kdf
    ) as vault:
        file_pass = None
        if not plaintext:
            what = "backup" if args.format == "backup" else "KeePass database"
            file_pass = _file_passphrase(pw, what, confirm=True) or passphrase
        notes: list[Problem] = []
        count = export_file(
            vault, args.out, args.format, passphrase=file_pass, folder=args.folder, tag=args.tag, notes=notes,
            unlock_ms=args.unlock_ms,
        )  # fmt: skip
    if args.format == "backup":
        print(f"Wrote an encrypted backup of {count} entries to {args.out} and checked that it reads back.")
    elif args.format == "kdbx":
        print(f"Wrote {count} entries to the KeePass database {args.out}.")
    else:
        what = f"{count} variables" if args.format == "env" else f"{count} entries"
        print(f"Wrote {what} to {args.out} (readable by you only).")
        sys.stderr.write(
            f"{PROG}: warning: {args.out} holds passwords in PLAIN TEXT; delete it when you are done.\n"
        )
    for note in notes:
        print(f"  note: {note}")
    return 0


def cmd_import(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.interop.catalog import MORE_FORMATS

    if args.csv_dialect and args.format is None:
        args.format = "csv"  # a dialect names the format (a Chrome CSV read as generic, say)
    _choose_format(args, args.source, ("backup", "csv", "kdbx", "bitwarden-json", "env", *MORE_FORMATS))
    if args.csv_dialect and args.format != "csv":
        raise UsageError("--csv-dialect applies to --format csv only.")
    if args.keyfile and args.format != "kdbx":
        raise UsageError("--keyfile applies to --format kdbx only.")
    if args.no_password and args.format != "kdbx":
        raise UsageError("--no-password applies to --format kdbx only.")
    if not os.path.exists(args.source):  # noqa: PTH110 - pathlib stays off the start-up path
        raise UsageError(f"There is no file at {args.source}.")
    if os.path.isdir(args.source):  # noqa: PTH112 - (a FIFO or device is refused by the reader)
        raise UsageError(f"{args.source} is a folder; name the file to import.")
    if args.report and os.path.lexists(args.report):
        raise UsageError(
            f"{args.report} exists already; choose another name for --report (nothing is overwritten)."
        )
    from vaultapp.interop.formats import NEEDS_PASSPHRASE, plan_file_import, read_plain

    folder, tags = args.folder or "", tuple(args.tag or ())
    parsed = read_plain(args.source, args.format, csv_dialect=args.csv_dialect, folder=folder, tags=tags)
    with open_vault(args, pw, writable=True) as vault:
        file_pass = None
        if args.no_password:
            file_pass = ""  # the database has an empty password (or none): nothing is read
        elif args.format in NEEDS_PASSPHRASE:
            hint = " (empty if it has only the key file)" if args.keyfile else ""
            file_pass = pw.read(f"Passphrase for {args.source}{hint}", "the file's passphrase")
            # Empty: the vault's own passphrase, or with a key file, a database with a key file only.
            file_pass = file_pass if args.keyfile else file_pass or pw.first
        elif args.format == "bitwarden-json" and parsed is None:  # a password-protected export
            file_pass = (
                pw.read(
                    f"Password for {args.source} (the one chosen when exporting; empty: the vault's)",
                    "the export's password",
                )
                or pw.first
            )
        outcome = plan_file_import(
            vault, args.source, args.format, passphrase=file_pass, keyfile=args.keyfile, parsed=parsed,
            folder=folder, tags=tags, allow_slow_kdf=args.allow_slow_kdf,
        )  # fmt: skip
        vault.apply(outcome.plan, source=args.format)
        if outcome.plan.changes:
            vault.save()
        print(f"Imported {args.source}: {outcome.plan.summary()}, {outcome.tally()}.")
        _report(outcome.lines(), args.report)
    return 0


def _report(lines: list[str], report: str | None) -> None:
    """What the import could not bring in: the first ``REPORT_SHOWN`` lines here, all in ``report``."""
    for line in lines[:REPORT_SHOWN]:
        print(f"  {line}")
    if len(lines) > REPORT_SHOWN:
        more = f"written to {report}" if report else "--report FILE writes them all"
        print(f"  … and {len(lines) - REPORT_SHOWN} more ({more})")
    if report:
        from vaultapp.interop.records import write_private

        header = f"# What the import could not bring in ({len(lines)} lines)\n"
        write_private(report, [header, *(f"{line}\n" for line in lines)])


def _export_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("export", cmd_export, "Export the vault: an encrypted backup (checked by reading it "
                "back), a KeePass database, or plain-text CSV or .env.")  # fmt: skip
    p.add_argument("out", metavar="OUT", help="the file to create (never overwritten)")
    p.add_argument(
        "--format",
        choices=("backup", "csv", "kdbx", "env"),
        help="needed unless OUT's name ends in .vault (backup), .csv, .kdbx or .env",
    )
    p.add_argument(
        "--yes-plaintext", action="store_true", help="csv and env: yes, write secrets in plain text"
    )
    p.add_argument("--folder", metavar="F", help="csv, kdbx, env: only this folder (and its subfolders)")
    p.add_argument("--tag", metavar="T", help="csv, kdbx, env: only entries with this tag")
    p.add_argument("--unlock-ms", type=int, metavar="N",
                   help="kdbx: how long the database takes to open, 50 to 10000 ms (Argon2d calibrated "
                        "as KeePassXC does; default: as long as this vault)")  # fmt: skip


def _import__parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "import",
        cmd_import,
        "Import a backup, a KeePass database, CSV, Bitwarden JSON, .env or another program's export "
        "(1Password, LastPass, a browser, Dashlane, Proton Pass, NordPass, Keeper, KeePass XML) into VAULT "
        "(merge rules apply; prints what was added, what was skipped and what was not brought in).",
    )
    p.add_argument(
        "source",
        metavar="IN",
        help="the file; a backup's, database's or protected Bitwarden export's passphrase is the next line",
    )
    from vaultapp.interop.catalog import MORE_FORMATS

    formats = ("backup", "csv", "kdbx", "bitwarden-json", "env", *MORE_FORMATS)
    p.add_argument(
        "--format",
        choices=formats,
        help="needed unless IN's name ends in .vault (backup), .csv, .kdbx or .env, or its content "
        "is another program's export only that program writes",
    )
    p.add_argument("--csv-dialect", choices=("keepassxc", "bitwarden", "generic"),
                   help="default: recognised from the header row")  # fmt: skip
    p.add_argument("--keyfile", metavar="KEY",
                   help="kdbx: the database's key file; then an empty passphrase line means "
                        "the database has a key file only")  # fmt: skip
    p.add_argument("--no-password", action="store_true",
                   help="kdbx: the database has an empty password (or only a key file); no passphrase "
                        "line is read")  # fmt: skip
    p.add_argument("--folder", metavar="F", help="env: put the entries in this folder")
    p.add_argument("--tag", action="append", metavar="T", help="env: tag the entries (repeatable)")
    p.add_argument("--report", metavar="FILE",
                   help=f"write every line on what was not brought in to FILE (new, 0600); "
                        f"the output shows the first {REPORT_SHOWN}")  # fmt: skip


def _merge_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("merge", cmd_merge, "Merge another copy into VAULT (by the order of edits, not clocks).")
    p.add_argument("other", metavar="OTHER", nargs="?",
                   help="the other copy; its passphrase is the next input line")  # fmt: skip
    p.add_argument("--conflict-copies", action="store_true",
                   help="merge every conflict copy a sync tool left beside VAULT (Syncthing, Dropbox, "
                        "Nextcloud), then rename each to NAME.merged")  # fmt: skip


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "export": _export_parser,
    "import": _import__parser,
    "merge": _merge_parser,
}
