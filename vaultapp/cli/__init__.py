"""``vaultapp-cli``: a thin command line over ``vaultapp.core``.

Parse, call the core, print, and map errors to exit codes in one place (``main``). Heavy modules
(cryptography, argon2, the vault) are imported inside the commands that need them, so
``--version`` and ``--help`` start fast.

Exit codes: 0 success, 1 other error, 2 usage, 3 wrong passphrase, 4 damaged or unsupported
file, 5 entry not found, 6 vault locked by another process or changed on disk, 7 the passphrase
was changed but some backups still open with the old one.
"""

from __future__ import annotations

import os
import sys

from vaultapp import __version__
from vaultapp.cli.generate import (
    PASSWORD_OPTIONS,
    add_generate_parser,
    add_password_options,
    given,
    make_passwords,
    refuse,
)
from vaultapp.cli.output import ARGV_RISK, MASK, PROG, iso, print_json, print_listing, sorted_entries, summary
from vaultapp.cli.passphrases import Passphrases
from vaultapp.cli.totp import add_totp_parser
from vaultapp.cli.unlock import OPENED, SLOW_KDF_HELP, accept_weak, open_vault, warn_audit
from vaultapp.core.errors import UsageError, VaultError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, Any, NoReturn

    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault

FAST_COMMANDS = ("generate", "totp")  # no vault: only their own parser is built


def _check_arguments(argv: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 (its bytes reach Python as surrogates) in one line
    naming the option, never the value: it may be a secret such as a TOTP seed."""
    for index, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            option = arg.partition("=")[0] if arg.startswith("--") and "=" in arg else None
            if option is None and index and argv[index - 1].startswith("-"):
                option = argv[index - 1]
            if option:
                message = (
                    f"The value of {option} is not valid UTF-8 text; type it again with a UTF-8 terminal."
                )
            else:
                message = (f"Argument {index + 1} is not valid UTF-8 text; if it is a file name, rename the "
                           "file (vaultapp takes UTF-8 names only).")  # fmt: skip
            raise UsageError(message) from None


# ---- output helpers ---------------------------------------------------------------------------


# ---- commands ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.kdf import check_unlock_ms
    from vaultapp.core.vault import Vault

    check_unlock_ms(args.unlock_ms)
    if os.path.lexists(args.vault):  # also a symbolic link, even a dangling or looping one
        raise UsageError(f"{args.vault} exists already; choose another name or delete it first.")
    passphrase = pw.read("New vault passphrase", "the new passphrase", confirm=True)
    accept_weak(pw, passphrase, args.unlock_ms, "No vault was created")
    if pw.interactive:
        sys.stderr.write("Measuring this machine to pick the key-derivation cost...\n")
    with Vault.create(args.vault, passphrase, kdf_name=args.kdf, unlock_ms=args.unlock_ms) as vault:
        print(f"Created {vault.path}")
        print(f"Key derivation: {vault.kdf.describe()}; unlocking takes {vault.kdf_ms:.0f} ms here.")
        for note in vault.calibration.notes if vault.calibration else ():
            print(f"Note: {note}")
    return 0


def cmd_info(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.vault import Vault

    header = Vault.read_header(args.vault)
    kdf = {k: v for k, v in header.kdf.to_header().items() if k != "salt"}
    kdf["salt_bytes"] = len(header.kdf.salt)
    kdf["memory_mib"] = header.kdf.memory_bytes / 1024**2
    if args.json:
        info = {"path": str(args.vault), "format_version": header.version, "kdf": kdf}
        info["payload"] = {"cipher": "fernet", "compression": header.compression}
        print_json(info)
        return 0
    print(f"File:        {args.vault}")
    print(f"Format:      vaultapp {header.version}")
    print(f"KDF:         {header.kdf.describe()}")
    print(f"Salt:        {len(header.kdf.salt)} bytes")
    print(f"Encryption:  Fernet (AES-128-CBC + HMAC-SHA256), {header.compression} compressed")
    return 0


def _generated(args: argparse.Namespace) -> str | None:
    """The password ``--generate`` makes with the generator's options; None without it."""
    if not args.generate:
        refuse(given(args, *PASSWORD_OPTIONS), "without --generate")
        return None
    return str(make_passwords(args, 1)[0].value)


def _read_totp(args: argparse.Namespace, pw: Passphrases) -> str | None:
    """--totp's value, or with --totp-stdin the next input line (kept out of the process list)."""
    if getattr(args, "totp_stdin", False):
        return pw.read("TOTP secret or otpauth:// URI", "the TOTP secret or otpauth:// URI")
    return getattr(args, "totp", None)


def cmd_add(args: argparse.Namespace, pw: Passphrases) -> int:
    generated = _generated(args)  # bad generator options are refused before any question
    with open_vault(args, pw, writable=True) as vault:
        password = generated or (
            pw.read("Password for the entry (empty for none)", "the entry's password (or use --generate)")
            or None
        )
        args.totp = _read_totp(args, pw)
        entry = vault.add(
            args.title,
            username=args.username,
            password=password,
            url=args.url,
            notes=args.notes,
            tags=args.tag,
            folder=args.folder,
            totp=args.totp,
        )
        vault.save()
        print(entry.uuid)
    return 0


def cmd_ls(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw) as vault:
        entries = sorted_entries(vault.entries)
    print_listing(
        entries, args.json, f"The vault is empty. Add an entry: {PROG} add {args.vault} --title TITLE"
    )
    return 0


def cmd_search(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw) as vault:
        entries = sorted_entries(vault.search(args.text))
    print_listing(entries, args.json, f"No entry matches {args.text!r}.")
    return 0


FIELDS = (
    "title",
    "username",
    "password",
    "url",
    "notes",
    "tags",
    "folder",
    "totp",
    "uuid",
    "created",
    "modified",
    "expires",
)


def _secret_kind(entry: Entry, name: str) -> str | None:
    """'password', 'totp' or 'custom' when field ``name`` of ``entry`` is a secret, else None."""
    if name in ("password", "totp"):
        return name
    if name not in FIELDS and any(c.name == name and c.protected for c in entry.custom):
        return "custom"
    return None


def _field_value(vault: Vault, entry: Entry, name: str) -> str:
    if name in ("password", "totp"):
        sealed = getattr(entry, name)
        return "" if sealed is None else vault.reveal(sealed)
    if name == "tags":
        return ", ".join(entry.tags)
    if name in ("created", "modified", "expires"):
        return iso(getattr(entry, name)) or ""
    if name in FIELDS:
        return str(getattr(entry, name))
    from vaultapp.core.entry import Sealed

    for custom in entry.custom:
        if custom.name == name:
            return vault.reveal(custom.value) if isinstance(custom.value, Sealed) else custom.value
    names = ", ".join((*FIELDS, *(c.name for c in entry.custom)))
    raise UsageError(f"Entry {entry.title!r} has no field {name!r}; its fields are: {names}.")


def cmd_show(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw) as vault:
        entry = vault.find(args.query)
        value = None if args.field is None else _field_value(vault, entry, args.field)
        kind = None if value is None else _secret_kind(entry, args.field)
        if kind is not None:
            vault.note("entry.revealed", entry.uuid, {"field": kind})
        if args.json:
            print_json(_details(entry, args.field, value))
        elif value is not None:
            sys.stdout.write(value + "\n")
        else:
            _print_details(entry)
    return 0


def _details(entry: Entry, field: str | None, value: str | None) -> dict[str, Any]:
    from vaultapp.core.entry import Sealed

    obj = summary(entry)
    obj["notes"] = entry.notes
    obj["password"] = None if entry.password is None else MASK
    obj["totp"] = None if entry.totp is None else MASK
    obj["custom"] = [
        {"name": c.name, "value": MASK if isinstance(c.value, Sealed) else c.value, "protected": c.protected}
        for c in entry.custom
    ]
    obj.update(
        created=iso(entry.created),
        expires=iso(entry.expires),
        favourite=entry.favourite,
        history=len(entry.history),
    )
    if field is not None:
        if field in obj and field != "custom":
            obj[field] = value
        else:
            for custom in obj["custom"]:
                if custom["name"] == field:
                    custom["value"] = value
    return obj


def _print_details(entry: Entry) -> None:
    def when(value: Any) -> str:
        return "never" if value is None else value.strftime("%Y-%m-%d %H:%M:%S %Z")

    rows = [
        ("Title", entry.title),
        ("Username", entry.username),
        ("Password", MASK + " (--field password prints it)" if entry.password else "(none)"),
    ]
    optional = [
        ("URL", entry.url),
        ("Tags", ", ".join(entry.tags)),
        ("Folder", entry.folder),
        ("TOTP", MASK + " (--field totp prints it)" if entry.totp else ""),
    ]
    rows += [(name, value) for name, value in optional if value]
    rows += [(f"{c.name}", MASK if c.protected else str(c.value)) for c in entry.custom]
    rows += [
        ("Favourite", "yes" if entry.favourite else "no"),
        ("Created", when(entry.created)),
        ("Modified", when(entry.modified)),
        ("Expires", when(entry.expires)),
        ("History", f"{len(entry.history)} earlier version(s)"),
        ("UUID", entry.uuid),
    ]
    width = max(len(name) for name, _ in rows) + 1
    for name, value in rows:
        print(f"{name + ':':<{width}} {value}")
    if entry.notes:
        print("Notes:")
        for line in entry.notes.splitlines():
            print(f"  {line}")


def cmd_edit(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.vault import UNSET

    if args.generate and args.password_stdin:
        raise UsageError("Choose either --generate or --password-stdin, not both.")
    generated = _generated(args)
    with open_vault(args, pw, writable=True) as vault:
        entry = vault.find(args.query)
        password: Any = UNSET if generated is None else generated
        if args.password_stdin:
            password = pw.read("New password for the entry", "the entry's new password") or None
        args.totp = _read_totp(args, pw)
        options = {
            name: value
            for name in ("title", "username", "url", "notes", "folder", "totp")
            if (value := getattr(args, name)) is not None
        }
        if args.tag is not None:
            options["tags"] = args.tag
        if not options and password is UNSET:
            raise UsageError(
                "Nothing to change: give at least one of --title, --username, --url, --notes, ..."
            )
        updated = vault.update(entry.uuid, password=password, **options)
        if updated is entry:
            print(f"Entry {entry.title!r} already had those values; nothing was changed.")
            return 0
        vault.save()
        print(f"Updated entry {updated.title!r} ({updated.uuid}).")
    return 0


def cmd_rm(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.errors import EntryNotFoundError

    with open_vault(args, pw, writable=True) as vault:
        try:
            entry = vault.find(args.query)
        except EntryNotFoundError:
            try:
                entry = vault.find(args.query, in_trash=True)
            except EntryNotFoundError:
                raise EntryNotFoundError(
                    f"No entry titled {args.query!r}, in the vault or in its Trash (titles must match "
                    f"exactly; try '{PROG} search' or '{PROG} trash')."
                ) from None
            if not args.purge:
                raise EntryNotFoundError(
                    f"Entry {entry.title!r} is in the Trash already: '{PROG} rm --purge' deletes it for "
                    f"good, '{PROG} restore' brings it back."
                ) from None
        if args.purge:
            vault.purge(entry.uuid)
            vault.save()
            print(f"Deleted entry {entry.title!r} ({entry.uuid}) for good.")
        else:
            vault.trash(entry.uuid)
            vault.save()
            print(
                f"Moved entry {entry.title!r} ({entry.uuid}) to the Trash ('{PROG} restore' brings it back)."
            )
    return 0


def cmd_trash(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw) as vault:
        entries = sorted_entries(vault.trashed_entries)
    if args.json:
        print_json([summary(e) | {"trashed": iso(e.trashed)} for e in entries])
    else:
        print_listing(entries, False, "The Trash is empty.")
    return 0


def cmd_restore(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw, writable=True) as vault:
        entry = vault.restore(vault.find(args.query, in_trash=True).uuid)
        vault.save()
        print(f"Restored entry {entry.title!r} ({entry.uuid}) from the Trash.")
    return 0


def cmd_merge(args: argparse.Namespace, pw: Passphrases) -> int:
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
    _choose_format(args, args.source, ("backup", "csv", "kdbx", "bitwarden-json", "env"))
    if args.csv_dialect and args.format != "csv":
        raise UsageError("--csv-dialect applies to --format csv only.")
    if args.keyfile and args.format != "kdbx":
        raise UsageError("--keyfile applies to --format kdbx only.")
    if not os.path.exists(args.source):  # noqa: PTH110 - pathlib stays off the start-up path
        raise UsageError(f"There is no file at {args.source}.")
    if os.path.isdir(args.source):  # noqa: PTH112 - (a FIFO or device is refused by the reader)
        raise UsageError(f"{args.source} is a folder; name the file to import.")
    from vaultapp.interop.formats import NEEDS_PASSPHRASE, plan_file_import, read_plain

    folder, tags = args.folder or "", tuple(args.tag or ())
    parsed = read_plain(args.source, args.format, csv_dialect=args.csv_dialect, folder=folder, tags=tags)
    with open_vault(args, pw, writable=True) as vault:
        file_pass = None
        if args.format in NEEDS_PASSPHRASE:
            hint = " (empty if it has only the key file)" if args.keyfile else ""
            file_pass = pw.read(f"Passphrase for {args.source}{hint}", "the file's passphrase")
            # Empty: the vault's own passphrase, or with a key file, a database with a key file only.
            file_pass = file_pass if args.keyfile else file_pass or pw.first
        outcome = plan_file_import(
            vault, args.source, args.format, passphrase=file_pass, keyfile=args.keyfile, parsed=parsed,
            folder=folder, tags=tags, allow_slow_kdf=args.allow_slow_kdf,
        )  # fmt: skip
        vault.apply(outcome.plan, source=args.format)
        if outcome.plan.changes:
            vault.save()
        print(f"Imported {args.source}: {outcome.plan.summary()}, skipped {len(outcome.skipped)}.")
        for problem in outcome.skipped:
            print(f"  skipped {problem}")
        for note in outcome.notes:
            print(f"  note: {note}")
    return 0


def cmd_backups(args: argparse.Namespace, pw: Passphrases) -> int:
    changing = args.keep is not None or args.folder is not None or args.beside or args.restore is not None
    if args.folder is not None and args.beside:
        raise UsageError("Choose either --folder DIR or --beside, not both.")
    with open_vault(args, pw, writable=changing) as vault:
        if args.keep is not None:
            vault.backup_count = args.keep
        if args.folder is not None or args.beside:
            vault.backup_folder_setting = "" if args.beside else args.folder
        if args.restore is not None:
            found = vault.backups()
            if not 0 <= args.restore < len(found):
                raise UsageError(
                    f"There is no automatic backup number {args.restore}; run without --restore to list them."
                )
            vault.restore_backup(found[args.restore])
            print(f"Restored {found[args.restore].name}; the version before is now the newest backup.")
        if changing:
            vault.save()
        folder = vault.backup_folder_setting or "beside the vault"
        print(f"Keeps {vault.backup_count} automatic backups, in {folder} ({vault.backup_folder}).")
        import datetime

        stale = set(vault.stale_backups())
        for number, path in enumerate(vault.backups()):
            when = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            mark = "  (does not open with this passphrase: from before a change)" if path in stale else ""
            print(f"{number:3d}  {when}  {path}{mark}")
    return 0


def cmd_passwd(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw, writable=True) as vault:
        new = pw.read("New passphrase", "the new passphrase", confirm=True)
        accept_weak(pw, new, vault.kdf_ms, "The passphrase was not changed")
        vault.change_passphrase(new)
        print(f"Passphrase changed for {vault.path}; its automatic backups use the new passphrase too.")
    return 0


def cmd_check(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.health.report import check

    if args.max_age_days < 1:
        raise UsageError(f"--max-age-days must be at least 1, not {args.max_age_days}.")
    # writable, to keep the strength cache in the vault; read-only when the file is read-only
    with open_vault(args, pw, writable=True, or_read_only=True) as vault:
        report = check(vault, max_age_days=args.max_age_days)
        if report.cache_changed and vault.writable and vault.rollback_warning is None:
            try:
                vault.save(backup=False)
            except VaultError as exc:
                sys.stderr.write(f"{PROG}: warning: the strength cache was not kept: {exc}\n")
    if args.json:
        print_json(
            {
                "score": report.score,
                "passwords": len(report.entries),
                "without_password": report.without_password,
                "findings": [f.to_json() for f in report.findings],
                "entries": [
                    {
                        "uuid": e.uuid,
                        "title": e.title,
                        "strength": e.label,
                        "score": e.score,
                        "guesses_log10": e.guesses_log10,
                        "crack_time": e.crack_time,
                        "common": e.common,
                        "reused_with": list(e.reused_with),
                        "password_age_days": e.password_age_days,
                        "expired": e.expired,
                    }
                    for e in report.entries
                ],
            }
        )
        return 0
    print(report.summary())
    if report.findings:
        title_w = min(32, max(len(f.title) for f in report.findings))
        for f in report.findings:
            name = f"{f.title[:title_w]:<{title_w}}"
            print(f"{f.severity_name:<6}  {name}  {f.kind:<8}  {f.detail}  -> {f.action}")
    return 0


def cmd_log(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.audit import EVENTS
    from vaultapp.core.errors import DamagedFileError

    with open_vault(args, pw) as vault:
        result = vault.verify_log()
        titles = {e.uuid: e.title for e in (*vault.entries, *vault.trashed_entries)}
    records = result.records[-args.last :] if args.last else result.records
    if args.json:
        print_json(
            {
                "verified": result.ok if args.verify else None,
                "problems": result.problems if args.verify else [],
                "notes": result.notes if args.verify else [],
                "records": [r.to_json() for r in records],
            }
        )
    else:
        for r in records:
            mark = "" if r.authenticated else "  (FORGED: no MAC)" if r.forged else "  (unauthenticated)"
            what = EVENTS.get(r.event, r.event)
            target = "" if r.uuid is None else f"  {titles.get(r.uuid, r.uuid)}"
            extra = f"  ({r.details})" if r.details else ""
            when = r.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{r.seq:6d}  {when}  {what}{target}{extra}{mark}")
    if args.verify:
        if not result.ok:
            raise DamagedFileError(
                "The audit log does not verify: " + " ".join(result.problems)
                + " Someone changed it, or it was damaged; the vault itself is not affected."
            )  # fmt: skip
        unauth = (
            f", {result.unauthenticated} unauthenticated (failed unlocks)" if result.unauthenticated else ""
        )
        sys.stderr.write(f"Audit log verified: {len(result.records)} records{unauth}; intact.\n")
        for note in result.notes:
            sys.stderr.write(f"Note: {note}\n")
    return 0


# ---- generators ---------------------------------------------------------------------------------


GLUED = ("--symbols", "--exclude", "--extra", "--separator")
"""Options whose value may start with '-' (``--symbols '-_!@'``): the next word is always their value."""


def _glue(argv: list[str]) -> list[str]:
    """``--symbols -_!@`` as ``--symbols=-_!@``, so argparse does not take the value for an option."""
    out: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            return [*out, word, *words]
        value = next(words, None) if word in GLUED else None
        out.append(word if value is None else f"{word}={value}")
    return out


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; a usage error exits 2 with one line that names the right --help."""
    argv = _glue(argv)
    words = [a for a in argv if not a.startswith("-")]
    first = words[0] if words else None
    kind = words[1] if first == "generate" and len(words) > 1 else None
    args, extra = build_parser(first if first in FAST_COMMANDS else None, kind).parse_known_args(argv)
    if extra:
        command = args.parser.prog.removeprefix(f"{PROG} ")
        args.parser.error(f"{' '.join(extra)}: not an option of {command}, or does not apply to it")
    for name in ("symbols", "exclude", "extra", "separator"):
        if getattr(args, name, None) == []:  # argparse drops a value of exactly '--'
            setattr(args, name, "--")
    return args


# ---- parser -----------------------------------------------------------------------------------


def build_parser(only: str | None = None, kind: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``only``) just the one subcommand about to run (and of ``generate``,
    just ``kind``'s options): building every subcommand's options costs a one-shot ``generate``
    more than generating does."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a usage error as one line and exit status 2."""

        def error(self, message: str) -> NoReturn:
            sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
            raise SystemExit(2)

    parser = _Parser(
        prog=PROG,
        description="Drive a vaultapp vault from scripts and terminals. Passphrases are read without "
        "echo from a terminal, or one per line from standard input; never from arguments.",
        epilog="Exit codes: 0 ok, 1 other error, 2 usage, 3 wrong passphrase, 4 damaged or unsupported "
        "file, 5 entry not found, 6 vault locked or changed on disk, 7 passphrase changed but some "
        "backups still open with the old one (named).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def wanted(name: str) -> bool:
        return only is None or only == name

    def command(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func, parser=p)
        p.add_argument("vault", metavar="VAULT", help="path of the vault file")
        if name not in ("init", "info"):  # the others derive a key from the file's parameters
            p.add_argument("--allow-slow-kdf", action="store_true", help=SLOW_KDF_HELP)
        if name in ("add", "edit", "rm", "restore", "passwd", "merge", "import", "backups"):
            p.add_argument(
                "--accept-rollback",
                action="store_true",
                help="save even though this copy is older than one this device has seen",
            )
        return p

    if only is None or only not in FAST_COMMANDS:
        p = command("init", cmd_init, "Create a new vault (asks for the passphrase twice).")
        p.add_argument("--kdf", choices=("argon2id", "scrypt"), default="argon2id", help="default: argon2id")
        p.add_argument(
            "--unlock-ms",
            type=int,
            default=1000,
            metavar="N",
            help="target unlock time in ms, 50 to 10000 (default 1000); the KDF is calibrated to it",
        )
        p = command("info", cmd_info, "Show the file's format and KDF parameters (no passphrase).")
        p.add_argument("--json", action="store_true")

        p = command(
            "add", cmd_add, "Add an entry; prints its UUID. Reads its password as the next input line."
        )
        p.add_argument("--title", required=True)
        p.add_argument("--username", default="")
        p.add_argument("--url", default="")
        p.add_argument("--notes", default="")
        p.add_argument("--tag", action="append", default=[], help="repeat for several tags")
        p.add_argument("--folder", default="", help="folder path such as Work/Email")
        _add_totp_options(p)
        p.add_argument("--generate", action="store_true", help="generate the password (options below)")
        add_password_options(p.add_argument_group("with --generate"))

        for name, func, text in (
            ("ls", cmd_ls, "List the entries."),
            ("search", cmd_search, "List entries whose title, username, URL, tags or notes contain TEXT."),
        ):
            p = command(name, func, text)
            if name == "search":
                p.add_argument("text", metavar="TEXT")
            p.add_argument("--json", action="store_true")

        p = command("show", cmd_show, "Show one entry (secrets masked unless --field names one).")
        p.add_argument("query", metavar="QUERY", help="UUID or exact title")
        p.add_argument("--field", metavar="NAME", help="print only this field's value (e.g. password)")
        p.add_argument("--json", action="store_true")

        p = command("edit", cmd_edit, "Change fields of an entry (the old version goes into its history).")
        p.add_argument("query", metavar="QUERY", help="UUID or exact title")
        for option in ("title", "username", "url", "notes", "folder"):
            p.add_argument(f"--{option}")
        p.add_argument("--tag", action="append", help="replace the tags (repeat for several)")
        _add_totp_options(p)
        p.add_argument("--password-stdin", action="store_true", help="read the new password as the next line")
        p.add_argument("--generate", action="store_true", help="generate a new password (options below)")
        add_password_options(p.add_argument_group("with --generate"))

        p = command("rm", cmd_rm, "Move an entry to the Trash; with --purge, delete it for good.")
        p.add_argument("query", metavar="QUERY", help="UUID or exact title")
        p.add_argument(
            "--purge", action="store_true", help="delete for good (also from the Trash); a tombstone stays"
        )
        p = command("trash", cmd_trash, "List the entries in the Trash.")
        p.add_argument("--json", action="store_true")
        p = command("restore", cmd_restore, "Take an entry out of the Trash.")
        p.add_argument("query", metavar="QUERY", help="UUID or exact title of an entry in the Trash")

        command("passwd", cmd_passwd, "Change the master passphrase (re-encrypts everything).")
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
        p = command(
            "import",
            cmd_import,
            "Import a backup, a KeePass database, CSV, Bitwarden JSON or .env into VAULT "
            "(merge rules apply; prints what was added and what was skipped).",
        )
        p.add_argument(
            "source", metavar="IN", help="the file; a backup's or database's passphrase is the next line"
        )
        formats = ("backup", "csv", "kdbx", "bitwarden-json", "env")
        p.add_argument(
            "--format",
            choices=formats,
            help="needed unless IN's name ends in .vault (backup), .csv, .kdbx or .env",
        )
        p.add_argument("--csv-dialect", choices=("keepassxc", "bitwarden", "generic"),
                       help="default: recognised from the header row")  # fmt: skip
        p.add_argument("--keyfile", metavar="KEY",
                       help="kdbx: the database's key file; then an empty passphrase line means "
                            "the database has a key file only")  # fmt: skip
        p.add_argument("--folder", metavar="F", help="env: put the entries in this folder")
        p.add_argument("--tag", action="append", metavar="T", help="env: tag the entries (repeatable)")
        p = command(
            "backups",
            cmd_backups,
            "List the automatic backups; change how many are kept and where; restore one.",
        )
        p.add_argument("--keep", type=int, metavar="N", help="keep N earlier versions (0 to 100; default 5)")
        p.add_argument("--folder", metavar="DIR", help="keep them in DIR (an existing folder)")
        p.add_argument("--beside", action="store_true", help="keep them beside the vault again (the default)")
        p.add_argument(
            "--restore", type=int, metavar="NUMBER", help="make backup NUMBER (0 = newest) current"
        )
        p = command(
            "check", cmd_check, "Password health: weak, reused, common (leaked), old and expired passwords."
        )
        p.add_argument("--max-age-days", type=int, default=365, metavar="N",
                       help="a password unchanged for longer is 'old' (default 365)")  # fmt: skip
        p.add_argument("--json", action="store_true")
        p = command("log", cmd_log, "Show the vault's audit log (events, never secrets or titles).")
        p.add_argument(
            "--verify",
            action="store_true",
            help="check the chain of MACs; exit 4 when records were edited, removed or reordered",
        )
        p.add_argument("--last", type=int, default=0, metavar="N", help="only the last N records")
        p.add_argument("--json", action="store_true")
        p = command("merge", cmd_merge, "Merge another copy into VAULT (by the order of edits, not clocks).")
        p.add_argument("other", metavar="OTHER", help="the other copy; its passphrase is the next input line")

    if wanted("generate"):
        add_generate_parser(sub, kind)
    if wanted("totp"):
        add_totp_parser(sub)
    return parser


def _add_totp_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--totp",
        metavar="URI_OR_SECRET",
        help=f"otpauth:// URI or base32 secret ({ARGV_RISK}; prefer --totp-stdin)",
    )
    group.add_argument(
        "--totp-stdin", action="store_true",
        help="read the otpauth:// URI or base32 secret as the next input line (after any password line)",
    )  # fmt: skip


def _interrupted(landed_before: int) -> str:
    """What a Ctrl-C left behind: files put in place by this command are named (the replace is
    atomic, so each is either wholly saved or untouched)."""
    storage = sys.modules.get("vaultapp.core.storage")
    landed = [] if storage is None else list(dict.fromkeys(storage.LANDED[landed_before:]))
    if not landed:
        return "interrupted; nothing was saved."
    names = ", ".join(str(p) for p in landed)
    return (
        f"interrupted after {names} was saved: that change is on disk; "
        "whatever the command had left to do was not done."
    )


def _os_error_line(exc: OSError) -> str:
    import errno

    where = f" {exc.filename}" if exc.filename is not None else ""
    reason = exc.strerror or type(exc).__name__
    advice = {
        errno.EACCES: "Check that you may read and write there, or choose another place.",
        errno.EPERM: "Check that you may read and write there, or choose another place.",
        errno.EROFS: "That file system is read-only; choose another place.",
        errno.ELOOP: "A symbolic link there points to itself (a loop); remove it or choose another name.",
        errno.ENOSPC: "The disk is full; free some space and try again.",
        errno.ENOTDIR: "A part of the path is a file, not a folder; check the path.",
        errno.EISDIR: "That is a folder; name a file.",
    }.get(exc.errno or 0, "Check the path and try again.")
    return f"Could not use{where}: {reason}. {advice}"


def main(argv: Sequence[str] | None = None, *, stdin: IO[str] | None = None) -> int:
    """Run the command line; returns the exit status. Never shows a traceback."""
    if (sys.argv[1:] if argv is None else list(argv)) == ["--version"]:
        sys.stdout.write(f"{PROG} {__version__}\n")  # the one answer that needs no parser
        return 0
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _check_arguments(argv)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return exc.exit_code
    args = _parse(argv)
    storage = sys.modules.get("vaultapp.core.storage")  # imported lazily: fast commands skip it
    landed_before = len(storage.LANDED) if storage is not None else 0
    try:
        OPENED.clear()
        status = int(args.func(args, Passphrases(stdin)))
        warn_audit()  # (after an error, its one line is what counts; the gap is kept all the same)
        return status
    except VaultError as exc:
        from vaultapp.core.errors import RollbackError, SlowKdfError

        hint = (
            " Run the command again with --accept-rollback to keep this copy."
            if isinstance(exc, RollbackError)
            else " If you trust the file, run the command again with --allow-slow-kdf."
            if isinstance(exc, SlowKdfError)
            else ""
        )
        sys.stderr.write(f"{PROG}: error: {exc}{hint}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: {_interrupted(landed_before)}\n")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file or folder the command could not use: say which, and why
        sys.stderr.write(f"{PROG}: error: {_os_error_line(exc)}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a line
        sys.stderr.write(f"{PROG}: error: unexpected {type(exc).__name__}: {exc}\n")
        return 1
