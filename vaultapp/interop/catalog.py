"""The other password managers' and browsers' exports vaultapp imports, and how a file is told
to be one of them.

``MORE_IMPORTS`` names each format (the ``--format`` value) with the label the window shows.
``detect`` looks at a file's content where the layout says it without doubt: a CSV header row
only one program writes, a JSON structure only one program writes, a zip holding
``export.data`` (1PUX), ``data.json`` (Proton Pass) or ``credentials.csv`` (Dashlane). A file
that fits more than one format is not guessed: ``ambiguous`` names the ``--format`` values that
fit. This module imports nothing heavy, so the command line can build its parser from it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from vaultapp.interop.records import Parsed

MoreFormat = Literal[
    "1pux", "1password-csv", "lastpass-csv", "chrome-csv", "firefox-csv", "safari-csv", "dashlane-csv",
    "protonpass-json", "protonpass-csv", "nordpass-csv", "keeper-json", "keepass-xml",
]  # fmt: skip
MORE_IMPORTS: Final = {
    "1pux": "1Password export (.1pux)",
    "1password-csv": "1Password CSV (1Password 8, or 7 for Mac or Windows)",
    "lastpass-csv": "LastPass CSV export",
    "chrome-csv": "Chrome, Edge or Brave passwords CSV",
    "firefox-csv": "Firefox logins CSV",
    "safari-csv": "Safari or Apple Passwords CSV",
    "dashlane-csv": "Dashlane CSV export (its zip, or credentials.csv, securenotes.csv, payments.csv…)",
    "protonpass-json": "Proton Pass JSON export (unencrypted; data.json or its zip)",
    "protonpass-csv": "Proton Pass CSV export",
    "nordpass-csv": "NordPass CSV export",
    "keeper-json": "Keeper JSON export",
    "keepass-xml": "KeePass / KeePassXC XML export (unencrypted)",
}
MORE_FORMATS: Final = tuple(MORE_IMPORTS)
HEAD_BYTES: Final = 64 * 1024  # enough for any header row or the start of a JSON export


def reader(fmt: str) -> Callable[[object], Parsed]:
    """The function that reads a file of format ``fmt`` (one of ``MORE_FORMATS``)."""
    if fmt == "1pux":
        from vaultapp.interop.onepassword import import_1pux

        return import_1pux
    if fmt == "1password-csv":
        from vaultapp.interop.onepassword import import_1password_csv

        return import_1password_csv
    if fmt == "lastpass-csv":
        from vaultapp.interop.lastpass import import_lastpass_csv

        return import_lastpass_csv
    if fmt in ("chrome-csv", "firefox-csv", "safari-csv"):
        from vaultapp.interop import browsers

        return {"chrome-csv": browsers.import_chrome_csv, "firefox-csv": browsers.import_firefox_csv,
                "safari-csv": browsers.import_safari_csv}[fmt]  # fmt: skip
    if fmt == "dashlane-csv":
        from vaultapp.interop.dashlane import import_dashlane_csv

        return import_dashlane_csv
    if fmt in ("protonpass-json", "protonpass-csv"):
        from vaultapp.interop import protonpass

        return (
            protonpass.import_protonpass_json
            if fmt == "protonpass-json"
            else protonpass.import_protonpass_csv
        )
    if fmt == "nordpass-csv":
        from vaultapp.interop.nordpass import import_nordpass_csv

        return import_nordpass_csv
    if fmt == "keeper-json":
        from vaultapp.interop.keeper import import_keeper_json

        return import_keeper_json
    if fmt == "keepass-xml":
        from vaultapp.interop.keepass_xml import import_keepass_xml

        return import_keepass_xml
    raise KeyError(fmt)


def read(path: object, fmt: str) -> Parsed:
    """Parse ``path`` as ``fmt``.

    Raises:
        UsageError: the file is missing or unreadable.
        DamagedFileError: the file is not that format (the message says what to do).
    """
    return reader(fmt)(path)


# ---- detection --------------------------------------------------------------------------------


def _head(path: Path) -> bytes:
    import os

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, HEAD_BYTES)
    except OSError:
        return b""
    finally:
        os.close(fd)


def detect_csv(header: list[str]) -> tuple[str, ...]:
    """The formats whose CSV header row ``header`` is (several when it fits several)."""
    from vaultapp.interop import browsers, dashlane, lastpass, nordpass, onepassword, protonpass

    exact = tuple(header)
    lowered = tuple(h.casefold() for h in header)
    found: list[str] = []
    if exact in (browsers.CHROME_HEADER, browsers.CHROME_HEADER[:4]):
        found.append("chrome-csv")
    if lowered == tuple(h.casefold() for h in browsers.FIREFOX_HEADER):
        found.append("firefox-csv")
    if exact == browsers.SAFARI_HEADER:
        found.append("safari-csv")
    if lowered in (lastpass.HEADER, tuple(h for h in lastpass.HEADER if h != "totp")):
        found.append("lastpass-csv")
    if exact == onepassword.CSV8_HEADER or _onepassword7(header):
        found.append("1password-csv")
    if lowered == protonpass.CSV_HEADER_FOLDED:
        found.append("protonpass-csv")
    if lowered[:6] == nordpass.HEADER[:6] and "type" in lowered and "cardnumber" in lowered:
        found.append("nordpass-csv")
    kind = dashlane.kind_of(header)
    if kind == "notes":
        found.extend(("csv", "dashlane-csv"))  # title,note: Dashlane's notes, or any generic file
    elif kind is not None:
        found.append("dashlane-csv")
    return tuple(found)


def _onepassword7(header: list[str]) -> bool:
    names = set(header)
    mac = {"Title", "Type", "Notes"} <= names and any(h.endswith(")") and "(" in h for h in header)
    windows = {"title", "uuid"} <= names and ("notesPlain" in names or "ainfo" in names)
    return mac or windows


def detect(path: Path | str) -> tuple[str, ...]:
    """The formats ``path``'s content says it is in (empty: it says none of ours; several: it
    fits several). Reads at most the first 64 KiB of a regular file (a FIFO or device, or a link
    to one, is opened without blocking and left unread)."""
    from pathlib import Path

    file = Path(path)
    head = _head(file)
    if not head:
        return ()
    if head[:4] == b"PK\x03\x04":
        return _detect_zip(file)
    text = head.decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _detect_json(stripped)
    if stripped.startswith("<") and re.search(r"<KeePassFile[\s>]", stripped[:4096]):
        return ("keepass-xml",)  # KeePass 2 XML: its root element, after the XML declaration
    first = text.split("\n", 1)[0]
    if "\n" not in text and len(head) == HEAD_BYTES:
        return ()  # no header row in the first 64 KiB: not an export of ours
    from vaultapp.interop.sources import csv_header

    return detect_csv(csv_header(first))


def _detect_zip(file: Path) -> tuple[str, ...]:
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist()[:100_000])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ()
    if "export.data" in names and "export.attributes" in names:
        return ("1pux",)
    if any(name.rsplit("/", 1)[-1] == "data.json" for name in names):
        return ("protonpass-json",)
    if any(name.rsplit("/", 1)[-1] == "credentials.csv" for name in names):
        return ("dashlane-csv",)
    return ()


def _detect_json(start: str) -> tuple[str, ...]:
    """Proton Pass's export starts with its version, user and ``vaults``; Keeper's holds
    ``records`` whose items have a ``uid``. Only the first 64 KiB are looked at."""
    if re.search(r'"vaults"\s*:\s*\{', start) and re.search(r'"(userId|encrypted)"\s*:', start):
        return ("protonpass-json",)
    if re.search(r'"records"\s*:\s*\[', start) and re.search(r'"uid"\s*:', start):
        return ("keeper-json",)
    return ()


def ambiguous(name: str, fits: tuple[str, ...]) -> str:
    """The one line for a file that fits several formats."""
    return (
        f"{name} fits more than one format ({', '.join(fits)}); add --format with the one that made it "
        f"(--format {' or --format '.join(fits)})."
    )
