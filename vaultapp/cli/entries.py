"""The entry commands: ``add``, ``ls``, ``search``, ``show``, ``edit``, ``rm``, ``trash``, ``restore``."""

from __future__ import annotations

import sys

from vaultapp.cli.generate import PASSWORD_OPTIONS, add_password_options, given, make_passwords, refuse
from vaultapp.cli.output import ARGV_RISK, MASK, PROG, iso, print_json, print_listing, sorted_entries, summary
from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    from vaultapp.cli.passphrases import Passphrases
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault


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
    if args.out is not None and args.attachment is None:
        raise UsageError("--out saves an attachment: give --attachment NAME with it.")
    if args.attachment is not None and (args.field is not None or args.json):
        raise UsageError("--attachment shows one attachment: leave out --field and --json.")
    with open_vault(args, pw) as vault:
        entry = vault.find(args.query)
        if args.attachment is not None:
            from vaultapp.cli.attachments import show_attachment

            return show_attachment(vault, entry, args.attachment, args.out)
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
        attachments=[{"name": a.name, "size": a.size, "id": a.blob} for a in entry.attachments],
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
        ("History", f"{len(entry.history)} earlier version{'s' if len(entry.history) != 1 else ''}"),
    ]
    if entry.attachments:
        names = ", ".join(a.name for a in entry.attachments[:3]) + (
            ", …" if len(entry.attachments) > 3 else ""
        )
        rows.append(("Attachments", f"{len(entry.attachments)}: {names}"))
    rows += [("UUID", entry.uuid)]
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
        options: dict[str, Any] = {
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


def _add_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("add", cmd_add, "Add an entry; prints its UUID. Reads its password as the next input line.")
    p.add_argument("--title", required=True)
    p.add_argument("--username", default="")
    p.add_argument("--url", default="")
    p.add_argument("--notes", default="")
    p.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    p.add_argument("--folder", default="", help="folder path such as Work/Email")
    _add_totp_options(p)
    p.add_argument("--generate", action="store_true", help="generate the password (options below)")
    add_password_options(p.add_argument_group("with --generate"))


def _ls_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("ls", cmd_ls, "List the entries.")
    p.add_argument("--json", action="store_true")


def _search_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("search", cmd_search, "List entries whose title, username, URL, tags or notes contain TEXT.")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--json", action="store_true")


def _show_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("show", cmd_show, "Show one entry (secrets masked unless --field names one).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument("--field", metavar="NAME", help="print only this field's value (e.g. password)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--attachment", metavar="NAME", help="save this attachment (with --out)")
    p.add_argument(
        "--out", metavar="FILE", help="with --attachment: a new file to save it to ('-': standard output)"
    )


def _edit_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("edit", cmd_edit, "Change fields of an entry (the old version goes into its history).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    for option in ("title", "username", "url", "notes", "folder"):
        p.add_argument(f"--{option}")
    p.add_argument("--tag", action="append", help="replace the tags (repeat for several)")
    _add_totp_options(p)
    p.add_argument("--password-stdin", action="store_true", help="read the new password as the next line")
    p.add_argument("--generate", action="store_true", help="generate a new password (options below)")
    add_password_options(p.add_argument_group("with --generate"))


def _rm_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("rm", cmd_rm, "Move an entry to the Trash; with --purge, delete it for good.")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument(
        "--purge", action="store_true", help="delete for good (also from the Trash); a tombstone stays"
    )


def _trash_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("trash", cmd_trash, "List the entries in the Trash.")
    p.add_argument("--json", action="store_true")


def _restore_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("restore", cmd_restore, "Take an entry out of the Trash.")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title of an entry in the Trash")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "add": _add_parser,
    "ls": _ls_parser,
    "search": _search_parser,
    "show": _show_parser,
    "edit": _edit_parser,
    "rm": _rm_parser,
    "trash": _trash_parser,
    "restore": _restore_parser,
}
