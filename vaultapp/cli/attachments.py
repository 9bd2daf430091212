"""The attachment commands: ``attach``, ``attachments``, ``detach``; and ``show --attachment``."""

from __future__ import annotations

import sys

from vaultapp.cli.output import PROG, print_json
from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault


def _size(size: int) -> str:
    from vaultapp.core.storage import describe_size

    return describe_size(size)


def cmd_attach(args: argparse.Namespace, pw: Passphrases) -> int:
    from pathlib import Path

    from vaultapp.core.attachments import read_file

    files = [Path(f) for f in args.files]
    if args.name is not None and len(files) != 1:
        raise UsageError("--name names one attachment: give one FILE with it.")
    contents = [read_file(f) for f in files]  # every file is read (bounded) before the vault opens
    with open_vault(args, pw, writable=True) as vault:
        entry = vault.find(args.query)
        for path, content in zip(files, contents, strict=True):
            name = args.name if args.name is not None else path.name
            vault.attach(entry.uuid, name, content, replace=args.replace)
        vault.save()
        entry = vault.get(entry.uuid)
        for path in files:
            name = args.name if args.name is not None else path.name
            attachment = next(a for a in entry.attachments if a.name == name)
            print(f"Attached {name!r} ({_size(attachment.size)}) to entry {entry.title!r}.")
    return 0


def cmd_attachments(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw) as vault:
        entry = vault.find(args.query)
        if args.json:
            print_json([{"name": a.name, "size": a.size, "id": a.blob} for a in entry.attachments])
            return 0
        if not entry.attachments:
            print(f"Entry {entry.title!r} has no attachments.")
            return 0
        width = max(len(_size(a.size)) for a in entry.attachments)
        for a in entry.attachments:
            print(f"{_size(a.size):>{width}}  {a.name}")
    return 0


def cmd_detach(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw, writable=True) as vault:
        entry = vault.find(args.query)
        vault.detach(entry.uuid, args.name)
        vault.save()
        print(f"Removed attachment {args.name!r} from entry {entry.title!r} (its history keeps it).")
    return 0


def show_attachment(vault: Vault, entry: Entry, name: str, out: str | None) -> int:
    """``show QUERY --attachment NAME``: the content to the file ``out`` (a new file, 0600), or
    to standard output with ``--out -`` only."""
    from vaultapp.core.attachments import write_file

    if out is None:
        raise UsageError(
            f"An attachment is a file: give --out FILE to save {name!r}, or --out - to write it to "
            "standard output."
        )
    attachment = vault.attachment(entry.uuid, name)
    content = vault.attachment_content(attachment)  # verified and decrypted only now
    vault.note("entry.revealed", entry.uuid, {"field": "attachment"})
    if out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    write_file(out, content)
    sys.stderr.write(f"{PROG}: saved {name!r} ({_size(len(content))}) to {out}\n")
    return 0


def _attach_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("attach", cmd_attach, "Attach files to an entry (each at most 64 MiB).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument("files", metavar="FILE", nargs="+", help="the files to attach")
    p.add_argument("--name", help="the attachment's name (default: the file's name; one FILE only)")
    p.add_argument(
        "--replace", action="store_true", help="replace an attachment of the same name (it stays in history)"
    )


def _attachments_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("attachments", cmd_attachments, "List an entry's attachments (names and sizes).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument("--json", action="store_true")


def _detach_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("detach", cmd_detach, "Remove an attachment from an entry (its history keeps it).")
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument("name", metavar="NAME", help="the attachment's name")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "attach": _attach_parser,
    "attachments": _attachments_parser,
    "detach": _detach_parser,
}
