"""``.env`` files for developers who keep API keys in the vault.

Export writes ``NAME=value`` lines: the name made from the entry's title (``Stripe live key`` →
``STRIPE_LIVE_KEY``), the value its password — plain text, so the file is created 0600 and
starts with a warning comment. Every value is written so that ``source`` in bash, zsh and dash,
python-dotenv (with its default ``${VAR}`` expansion) and python-decouple all read back exactly
the value and run nothing: bare when it holds only ``A-Z a-z 0-9 _ . / : @ + , % = -``, else in
single quotes, else (it holds a ``'``) in double quotes. None of those readers agree on any
escape, so a value that needs one is left out with a note naming the entry: a line break, a NUL,
``${…}``, ``\\\\`` or a final ``\\``, or a ``'`` together with ``$``, a backtick, ``\\`` or ``"``.

Import reads with python-dotenv's parser (``export NAME=…``, quotes, comments); each variable
becomes an entry titled by its name with the value as password. A variable whose name matches
exactly one entry in the target folder updates that entry's password (the old one goes into
its history) instead of adding a twin, so refreshing keys from a new ``.env`` just works.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from vaultapp.core.keys import same_secret
from vaultapp.interop.records import Parsed, Problem, Record, read_text, write_private

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault

BARE: Final = re.compile(r"[A-Za-z0-9_./:@+,%=-]+")  # no tilde: a shell would expand it
DOTENV_EXPANDS: Final = re.compile(r"\$\{[^}]*\}")  # python-dotenv expands these in every quoting
NAMED_LINE: Final = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=")
HEADER: Final = (
    "# Exported by vaultapp on {when}. PLAIN TEXT SECRETS: keep this file private, never commit it,\n"
    "# and delete it when you no longer need it.\n"
)


def env_name(title: str) -> str:
    """An environment variable name from a title: letters, digits and ``_``, upper case."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").upper()
    return f"_{name}" if name[:1].isdigit() else name


def unwritable(value: str) -> str | None:
    """Why ``value`` cannot go into a ``.env`` file that every reader reads back alike, or None."""
    if "\n" in value or "\r" in value:
        return "has a line break"
    if "\0" in value:
        return "has a NUL character"
    if DOTENV_EXPANDS.search(value):
        return "contains ${…}, which python-dotenv would replace"
    if quote(value) is None:
        return "mixes ' with $, `, \\ or \" (or ends in \\, or holds \\\\), which no .env quoting carries"
    return None


def quote(value: str) -> str | None:
    """``value`` as shells, python-dotenv and python-decouple all read it back, or None.

    Single quotes are literal to shells and to python-decouple, and to python-dotenv unless they
    hold ``\\\\`` or end in ``\\`` (it unescapes ``\\\\`` and ``\\'``); double quotes are literal to
    all three only without ``$``, backticks, ``\\`` and ``"``. There is no third form.
    """
    if "\n" in value or "\r" in value or "\0" in value or DOTENV_EXPANDS.search(value):
        return None
    if BARE.fullmatch(value):
        return value
    if "'" not in value and "\\\\" not in value and not value.endswith("\\"):
        return f"'{value}'"
    if not any(c in value for c in '$`\\"'):
        return f'"{value}"'
    return None


def env_text(records: Iterable[Record], notes: list[Problem] | None = None) -> tuple[str, int]:
    """The file's text and the number of variables in it. Entries without a password or a
    usable name are left out (and noted); a repeated name gets ``_2``, ``_3``…"""
    lines = [HEADER.format(when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    bindings = env_bindings(records, notes)
    lines += [f"{name}={quote(record.password)}\n" for name, record in bindings]
    return "".join(lines), len(bindings)


def env_bindings(
    records: Iterable[Record],
    notes: list[Problem] | None = None,
    refuse: Callable[[str], str | None] = unwritable,
) -> list[tuple[str, Record]]:
    """Each record's variable name (from its title; a repeated name gets ``_2``, ``_3``…) for
    the records whose password becomes the value. Left out (and noted): no password, no letters
    or digits to name it by, or a password ``refuse`` gives a reason for (by default one no
    ``.env`` reader reads back alike; ``vaultapp-cli run`` refuses only a NUL)."""
    bindings: list[tuple[str, Record]] = []
    used: set[str] = set()
    for record in records:
        name = env_name(record.title)
        why = (
            "has no password" if not record.password
            else "has no letters or digits to name it by" if not name
            else None if (bad := refuse(record.password)) is None
            else f"has a password that {bad}"
        )  # fmt: skip
        if why is not None:
            if notes is not None:
                notes.append(Problem(0, f"{record.title!r} {why}; left out"))
            continue
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}_{n}", n + 1
        if unique != name and notes is not None:
            notes.append(Problem(0, f"{record.title!r} is written as {unique} ({name} was taken)"))
        used.add(unique)
        bindings.append((unique, record))
    return bindings


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
        if binding.error:  # never quote the line: it may hold a secret
            named = NAMED_LINE.match(binding.original.string)
            parsed.skipped.append(
                Problem(line, f"the value of {named[1]} is not valid .env syntax (an unclosed quote?)")
                if named
                else Problem(line, "not a NAME=value line (its text is not shown: it may hold a secret)")
            )
        elif binding.key is not None and binding.value is None:
            word = "a word without '=' and a value (not shown: it may be a secret)"
            parsed.skipped.append(Problem(line, word))
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
