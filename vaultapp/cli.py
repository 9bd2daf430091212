"""``vaultapp-cli``: a thin command line over ``vaultapp.core``.

Parse, call the core, print, and map errors to exit codes in one place (``main``). Heavy modules
(cryptography, argon2, the vault) are imported inside the commands that need them, so
``--version`` and ``--help`` start fast.

Exit codes: 0 success, 1 other error, 2 usage, 3 wrong passphrase, 4 damaged or unsupported
file, 5 entry not found, 6 vault locked by another process or changed on disk.
"""

from __future__ import annotations

import os
import sys

from vaultapp import __version__
from vaultapp.core.errors import UsageError, VaultError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, Any, NoReturn

    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault

PROG = "vaultapp-cli"
MASK = "********"


class Passphrases:
    """Reads passphrases: without echo from a terminal, else one line each from standard input."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stdin

    @property
    def interactive(self) -> bool:
        return self._stream.isatty()

    def read(self, prompt: str, what: str, *, confirm: bool = False) -> str:
        if self.interactive:
            import getpass

            value = getpass.getpass(f"{prompt}: ")
            if confirm and getpass.getpass(f"{prompt} (again): ") != value:
                raise UsageError("The two passphrases do not match; nothing was changed.")
            return value
        line = self._stream.readline()
        if not line:
            raise UsageError(f"Expected {what} as a line on standard input, but the input ended.")
        return line.removesuffix("\n").removesuffix("\r")


# ---- output helpers ---------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _summary(entry: Entry) -> dict[str, Any]:
    return {
        "uuid": entry.uuid,
        "title": entry.title,
        "username": entry.username,
        "url": entry.url,
        "tags": list(entry.tags),
        "folder": entry.folder,
        "modified": _iso(entry.modified),
    }


def _print_json(obj: Any) -> None:
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _sorted(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.folder.casefold(), e.title.casefold(), e.uuid))


def _print_table(entries: list[Entry]) -> None:
    if not entries:
        return
    rows = [(e.uuid, e.title, e.username, e.url, e.folder) for e in entries]
    title_w = min(40, max(len(r[1]) for r in rows))
    user_w = min(32, max(len(r[2]) for r in rows))
    lines = [
        f"{uuid}  {title[:title_w]:<{title_w}}  {user[:user_w]:<{user_w}}  {url}"
        + (f"  [{folder}]" if folder else "")
        for uuid, title, user, url, folder in rows
    ]
    sys.stdout.write("\n".join(line.rstrip() for line in lines) + "\n")


# ---- commands ---------------------------------------------------------------------------------


def _open(args: argparse.Namespace, pw: Passphrases, *, writable: bool = False) -> Vault:
    from pathlib import Path

    from vaultapp.core.storage import read_bytes
    from vaultapp.core.vault import Vault

    if not Path(args.vault).is_file():
        read_bytes(Path(args.vault))  # raises the clear "no vault at ..." error before any prompt
    passphrase = pw.read(f"Passphrase for {args.vault}", "the vault passphrase")
    return Vault.open(args.vault, passphrase, writable=writable)


def cmd_init(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.kdf import check_unlock_ms
    from vaultapp.core.vault import Vault

    check_unlock_ms(args.unlock_ms)
    if os.path.exists(args.vault):  # noqa: PTH110 - pathlib stays off the start-up path
        raise UsageError(f"{args.vault} exists already; choose another name or delete it first.")
    passphrase = pw.read("New vault passphrase", "the new passphrase", confirm=True)
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
        _print_json(info)
        return 0
    print(f"File:        {args.vault}")
    print(f"Format:      vaultapp {header.version}")
    print(f"KDF:         {header.kdf.describe()}")
    print(f"Salt:        {len(header.kdf.salt)} bytes")
    print(f"Encryption:  Fernet (AES-128-CBC + HMAC-SHA256), {header.compression} compressed")
    return 0


def _read_entry_password(args: argparse.Namespace, pw: Passphrases) -> str | None:
    if getattr(args, "generate", False):
        from vaultapp.generators.password import generate_password

        return generate_password().value
    value = pw.read("Password for the entry (empty for none)", "the entry's password (or use --generate)")
    return value or None


def cmd_add(args: argparse.Namespace, pw: Passphrases) -> int:
    with _open(args, pw, writable=True) as vault:
        password = _read_entry_password(args, pw)
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


def _print_listing(entries: list[Entry], as_json: bool, empty_message: str) -> None:
    if as_json:
        _print_json([_summary(e) for e in entries])
    elif not entries:
        sys.stderr.write(empty_message + "\n")
    else:
        _print_table(entries)


def cmd_ls(args: argparse.Namespace, pw: Passphrases) -> int:
    with _open(args, pw) as vault:
        entries = _sorted(vault.entries)
    _print_listing(
        entries, args.json, f"The vault is empty. Add an entry: {PROG} add {args.vault} --title TITLE"
    )
    return 0


def cmd_search(args: argparse.Namespace, pw: Passphrases) -> int:
    with _open(args, pw) as vault:
        entries = _sorted(vault.search(args.text))
    _print_listing(entries, args.json, f"No entry matches {args.text!r}.")
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


def _field_value(vault: Vault, entry: Entry, name: str) -> str:
    if name in ("password", "totp"):
        sealed = getattr(entry, name)
        return "" if sealed is None else vault.reveal(sealed)
    if name == "tags":
        return ", ".join(entry.tags)
    if name in ("created", "modified", "expires"):
        return _iso(getattr(entry, name)) or ""
    if name in FIELDS:
        return str(getattr(entry, name))
    from vaultapp.core.entry import Sealed

    for custom in entry.custom:
        if custom.name == name:
            return vault.reveal(custom.value) if isinstance(custom.value, Sealed) else custom.value
    names = ", ".join((*FIELDS, *(c.name for c in entry.custom)))
    raise UsageError(f"Entry {entry.title!r} has no field {name!r}; its fields are: {names}.")


def cmd_show(args: argparse.Namespace, pw: Passphrases) -> int:
    with _open(args, pw) as vault:
        entry = vault.find(args.query)
        value = None if args.field is None else _field_value(vault, entry, args.field)
        if args.json:
            _print_json(_details(entry, args.field, value))
        elif value is not None:
            sys.stdout.write(value + "\n")
        else:
            _print_details(entry)
    return 0


def _details(entry: Entry, field: str | None, value: str | None) -> dict[str, Any]:
    from vaultapp.core.entry import Sealed

    obj = _summary(entry)
    obj["notes"] = entry.notes
    obj["password"] = None if entry.password is None else MASK
    obj["totp"] = None if entry.totp is None else MASK
    obj["custom"] = [
        {"name": c.name, "value": MASK if isinstance(c.value, Sealed) else c.value, "protected": c.protected}
        for c in entry.custom
    ]
    obj.update(
        created=_iso(entry.created),
        expires=_iso(entry.expires),
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

    with _open(args, pw, writable=True) as vault:
        entry = vault.find(args.query)
        password: Any = UNSET
        if args.password_stdin:
            password = pw.read("New password for the entry", "the entry's new password") or None
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
    with _open(args, pw, writable=True) as vault:
        entry = vault.find(args.query)
        vault.remove(entry.uuid)
        vault.save()
        print(f"Deleted entry {entry.title!r} ({entry.uuid}).")
    return 0


def cmd_passwd(args: argparse.Namespace, pw: Passphrases) -> int:
    with _open(args, pw, writable=True) as vault:
        new = pw.read("New passphrase", "the new passphrase", confirm=True)
        vault.change_passphrase(new)
        print(f"Passphrase changed for {vault.path}; the backup file uses the new passphrase too.")
    return 0


# ---- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
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
        "file, 5 entry not found, 6 vault locked or changed on disk.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("vault", metavar="VAULT", help="path of the vault file")
        return p

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

    p = command("add", cmd_add, "Add an entry; prints its UUID. Reads its password as the next input line.")
    p.add_argument("--title", required=True)
    p.add_argument("--username", default="")
    p.add_argument("--url", default="")
    p.add_argument("--notes", default="")
    p.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    p.add_argument("--folder", default="", help="folder path such as Work/Email")
    p.add_argument("--totp", metavar="URI_OR_SECRET", help="otpauth:// URI or base32 secret")
    p.add_argument("--generate", action="store_true", help="generate a 20-character password")

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
    p.add_argument("--totp", metavar="URI_OR_SECRET")
    p.add_argument("--password-stdin", action="store_true", help="read the new password as the next line")

    p = command("rm", cmd_rm, "Delete an entry (a tombstone stays for merging).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")

    command("passwd", cmd_passwd, "Change the master passphrase (re-encrypts everything).")
    return parser


def main(argv: Sequence[str] | None = None, *, stdin: IO[str] | None = None) -> int:
    """Run the command line; returns the exit status. Never shows a traceback."""
    if (sys.argv[1:] if argv is None else list(argv)) == ["--version"]:
        sys.stdout.write(f"{PROG} {__version__}\n")  # the one answer that needs no parser
        return 0
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, Passphrases(stdin)))
    except VaultError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted; nothing was saved.\n")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a line
        sys.stderr.write(f"{PROG}: error: unexpected {type(exc).__name__}: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
