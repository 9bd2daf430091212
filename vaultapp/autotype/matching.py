"""Which entries auto-type offers for a window, from its title, and what each entry types.
Pure: entries in, matches out.

An entry's auto-type settings live in its custom fields (names compared without case), so they
travel with the vault and are merged, exported and kept in history like any other field:

- ``AutoType-Sequence``: the entry's own sequence (the default sequence otherwise);
- ``AutoType-Window``, and any field whose name starts with ``AutoType-Window`` (such as
  ``AutoType-Window-2``): window associations, one per line, each a title pattern where ``*``
  matches any run of characters and ``?`` one character (``//regex//`` for a regular
  expression), optionally followed by `` => `` and the sequence for that window;
- ``AutoType-Enabled``: ``false`` (or ``no``, ``0``, ``off``) leaves the entry out.

An entry imported from KeePass or KeePassXC keeps its auto-type settings as KeePass XML in a
``kdbx:AutoType`` field (``interop``); its ``Enabled``, ``DefaultSequence`` and window
``Association`` elements count too, after the fields above.

Besides its associations, an entry matches a window whose title contains the entry's title, or
its URL's host (both settings, on by default, as in KeePassXC). Entries in the Trash never match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from vaultapp.autotype.sequence import DEFAULT_SEQUENCE
from vaultapp.core.entry import Entry

SEQUENCE_FIELD: Final = "autotype-sequence"
WINDOW_FIELD: Final = "autotype-window"
ENABLED_FIELD: Final = "autotype-enabled"
KEEPASS_FIELD: Final = "kdbx:autotype"
SEPARATOR: Final = " => "
OFF: Final = frozenset({"false", "no", "0", "off"})


@dataclass(frozen=True, slots=True)
class Association:
    """A window title pattern and the sequence typed there (None: the entry's sequence)."""

    window: str
    sequence: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    sequence: str


def _plain(entry: Entry, name: str) -> str | None:
    """A custom field's value (an unprotected one: auto-type settings are not secrets)."""
    for custom in entry.custom:
        if custom.name.strip().lower() == name and isinstance(custom.value, str):
            return custom.value
    return None


def _keepass(entry: Entry) -> Any:
    """The ``<AutoType>`` element of an entry imported from KeePass, or None."""
    text = _plain(entry, KEEPASS_FIELD)
    if not text:
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        element = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return element if element.tag == "AutoType" else None


def enabled(entry: Entry) -> bool:
    value = _plain(entry, ENABLED_FIELD)
    if value is None:
        keepass = _keepass(entry)
        value = None if keepass is None else keepass.findtext("Enabled")
    return value is None or value.strip().lower() not in OFF


def entry_sequence(entry: Entry, default: str = DEFAULT_SEQUENCE) -> str:
    own = _plain(entry, SEQUENCE_FIELD)
    if not own or not own.strip():
        keepass = _keepass(entry)
        own = None if keepass is None else keepass.findtext("DefaultSequence")
    return own.strip() if own and own.strip() else default


def associations(entry: Entry) -> list[Association]:
    found: list[Association] = []
    for custom in entry.custom:
        if not custom.name.strip().lower().startswith(WINDOW_FIELD) or not isinstance(custom.value, str):
            continue
        for line in custom.value.splitlines():
            window, _, sequence = line.partition(SEPARATOR)
            if window.strip():
                found.append(Association(window.strip(), sequence.strip() or None))
    keepass = _keepass(entry)
    for element in [] if keepass is None else keepass.iterfind("Association"):
        window, sequence = element.findtext("Window") or "", element.findtext("KeystrokeSequence") or ""
        if window.strip():
            found.append(Association(window.strip(), sequence.strip() or None))
    return found


def window_matches(pattern: str, title: str) -> bool:
    """Whether ``title`` matches a window pattern (``*`` and ``?`` wildcards, no case;
    ``//regex//`` searched without case). A bad regular expression matches nothing."""
    if len(pattern) > 4 and pattern.startswith("//") and pattern.endswith("//"):
        try:
            return re.search(pattern[2:-2], title, re.IGNORECASE) is not None
        except re.error:
            return False
    wildcard = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(wildcard, title, re.IGNORECASE | re.DOTALL) is not None


def url_host(url: str) -> str:
    """The host of an entry's URL (``example.com`` from ``https://www.example.com/login``)."""
    text = url.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def find_matches(
    title: str,
    entries: Iterable[Entry],
    default: str = DEFAULT_SEQUENCE,
    *,
    match_title: bool = True,
    match_url: bool = True,
) -> list[Match]:
    """The entries to offer for a window titled ``title``, each with the sequence to type; an
    entry whose associations match uses the first matching association's sequence."""
    title = title.strip()
    if not title:
        return []
    folded = title.casefold()
    matches: list[Match] = []
    for entry in entries:
        if entry.trashed is not None or not enabled(entry):
            continue
        sequence = None
        for association in associations(entry):
            if window_matches(association.window, title):
                sequence = association.sequence or entry_sequence(entry, default)
                break
        if sequence is None:
            host = url_host(entry.url) if match_url else ""
            if (match_title and entry.title.strip() and entry.title.strip().casefold() in folded) or (
                host and host.casefold() in folded
            ):
                sequence = entry_sequence(entry, default)
        if sequence is not None:
            matches.append(Match(entry, sequence))
    return matches
