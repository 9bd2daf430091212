"""What the commands print: entry tables and summaries, JSON, and the texts they share."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    from typing import Any

    from vaultapp.core.entry import Entry


PROG = "vaultapp-cli"
MASK = "********"
ARGV_RISK = "visible to other users of this computer in the process list while the command runs"


def iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def summary(entry: Entry) -> dict[str, Any]:
    return {
        "uuid": entry.uuid,
        "title": entry.title,
        "username": entry.username,
        "url": entry.url,
        "tags": list(entry.tags),
        "folder": entry.folder,
        "modified": iso(entry.modified),
    }


def print_json(obj: Any) -> None:
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def sorted_entries(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.folder.casefold(), e.title.casefold(), e.uuid))


def print_table(entries: list[Entry]) -> None:
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


def print_listing(entries: list[Entry], as_json: bool, empty_message: str) -> None:
    if as_json:
        print_json([summary(e) for e in entries])
    elif not entries:
        sys.stderr.write(empty_message + "\n")
    else:
        print_table(entries)
