"""``.env`` files for developers who keep API keys in the vault.

Export writes ``NAME=value`` lines: the name made from the entry's title (``Stripe live key`` →
``STRIPE_LIVE_KEY``), the value its password — plain text, so the file is created 0600 and
starts with a warning comment. Values that need it are quoted the way python-dotenv, Docker
Compose and shells read them back (single quotes when that is enough, else double quotes with
``\\\\ \\" \\n \\r \\t`` escapes).

Import reads with python-dotenv's parser (``export NAME=…``, quotes, comments); each variable
becomes an entry titled by its name with the value as password. A variable whose name matches
exactly one entry in the target folder updates that entry's password (the old one goes into
its history) instead of adding a twin, so refreshing keys from a new ``.env`` just works.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from vaultapp.core.keys import same_secret
from vaultapp.interop.records import Parsed, Problem, Record, read_text, write_private

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault

SAFE: Final = re.compile(r"[A-Za-z0-9_./:@+,%^~=-]*")
HEADER: Final = (
    "# Exported by vaultapp on {when}. PLAIN TEXT SECRETS: keep this file private, never commit it,\n"
    "# and delete it when you no longer need it.\n"
)


def env_name(title: str) -> str:
    """An environment variable name from a title: letters, digits and ``_``, upper case."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").upper()
    return f"_{name}" if name[:1].isdigit() else name


def quote(value: str) -> str:
    if SAFE.fullmatch(value):
        return value
    if "'" not in value and "\n" not in value and "\r" not in value:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + escaped.replace("\t", "\\t") + '"'


def env_text(records: Iterable[Record], notes: list[Problem] | None = None) -> tuple[str, int]:
    """The file's text and the number of variables in it. Entries without a password or a
    usable name are left out (and noted); a repeated name gets ``_2``, ``_3``…"""
    lines = [HEADER.format(when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    used: set[str] = set()
    for record in records:
        name = env_name(record.title)
        if not record.password or not name:
            if notes is not None:
                why = "has no password" if not record.password else "has no letters or digits to name it by"
                notes.append(Problem(0, f"{record.title!r} {why}; left out"))
            continue
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}_{n}", n + 1
        if unique != name and notes is not None:
            notes.append(Problem(0, f"{record.title!r} is written as {unique} ({name} was taken)"))
        used.add(unique)
        lines.append(f"{unique}={quote(record.password)}\n")
    return "".join(lines), len(used)


def export_env(path: object, records: Iterable[Record], notes: list[Problem] | None = None) -> int:
    """Write a ``.env`` file readable by the owner only. Returns the number of variables.

    Raises:
        UsageError: the file exists already.
        SaveFailedError: writing failed (no partial file is left).
    """
    text, count = env_text(records, notes)
    write_private(path, [text])
    return count


def import_env(path: object, *, folder: str = "", tags: tuple[str, ...] = ()) -> Parsed:
    """Read a ``.env`` file into records (title = name, password = value) in ``folder``.

    Raises:
        UsageError: unreadable or not UTF-8.
    """
    return parse_env(read_text(path), folder=folder, tags=tags)


def parse_env(text: str, *, folder: str = "", tags: tuple[str, ...] = ()) -> Parsed:
    from dotenv.parser import parse_stream

    parsed = Parsed()
    now = datetime.now(UTC)
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error:
            first = (
                binding.original.string.strip().splitlines()[0][:40]
                if binding.original.string.strip()
                else ""
            )
            parsed.skipped.append(Problem(line, f"not a NAME=value line: {first!r}"))
        elif binding.key is not None and binding.value is None:
            parsed.skipped.append(Problem(line, f"{binding.key} has no '=' and no value"))
        elif binding.key is not None:
            parsed.records.append(
                Record(title=binding.key, password=binding.value or "", folder=folder, tags=tags,
                       created=now, modified=now, line=line)
            )  # fmt: skip
    return parsed


def link_existing(vault: Vault, parsed: Parsed) -> None:
    """Point each record at the one live entry of the same title in the same folder, keeping
    that entry's other fields; a record whose value is already that entry's password is
    dropped (nothing to do). Names that match several entries are added as new entries."""
    from vaultapp.core.entry import normalize_folder
    from vaultapp.interop.records import record_of

    by_key: dict[tuple[str, str], list[str]] = {}
    for entry in vault.entries:
        by_key.setdefault((entry.title, entry.folder), []).append(entry.uuid)
    kept: list[Record] = []
    for record in parsed.records:
        matches = by_key.get((record.title, normalize_folder(record.folder)), [])
        if len(matches) != 1:
            kept.append(record)
            continue
        current = record_of(vault, vault.get(matches[0]))
        if same_secret(current.password, record.password):
            parsed.unchanged += 1
        else:
            kept.append(
                replace(current, password=record.password, modified=record.modified, line=record.line)
            )
    parsed.records = kept
