"""KeePassXC's (and KeeAgent's) per-entry SSH agent settings: the ``KeeAgent.settings`` attachment,
an XML ``EntrySettings`` document (UTF-16 or UTF-8), read into vaultapp's ``KeySettings`` so that
entries brought in from KeePassXC keep their keys and choices. Pure; read only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Final

from vaultapp.core.errors import UsageError

SETTINGS_ATTACHMENT: Final = "KeeAgent.settings"
SIZE_MAX: Final = 64 * 1024


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        text = data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be")
    else:
        text = data.decode("utf-8-sig")
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[1]  # its encoding= names the bytes, which are decoded already
    return text


def read_keeagent(data: bytes, *, title: str) -> tuple[bool, bool, bool, int | None, str | None]:
    """``(use_key, add_on_open, confirm, lifetime, attachment)`` from a ``KeeAgent.settings``.

    Raises:
        UsageError: not such a document (too large, not XML, a DTD, a bad number).
    """
    where = f"Entry {title!r}, attachment {SETTINGS_ATTACHMENT!r}"
    if len(data) > SIZE_MAX:
        raise UsageError(f"{where} is over {SIZE_MAX // 1024} KiB: it is not KeePassXC's SSH agent settings.")
    try:
        text = _text(data)
    except UnicodeDecodeError:
        raise UsageError(f"{where} is not text: it is not KeePassXC's SSH agent settings.") from None
    if "<!" in text:  # no DTD, no entities: KeePassXC writes neither
        raise UsageError(f"{where} has a DTD or entities; KeePassXC's SSH agent settings have none.")
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DTD (refused above), at most 64 KiB
    except ET.ParseError as exc:
        raise UsageError(f"{where} is not valid XML ({exc}).") from None
    if root.tag != "EntrySettings":
        raise UsageError(f"{where} is not KeePassXC's SSH agent settings (its root is <{root.tag}>).")

    def flag(name: str) -> bool:
        return (root.findtext(name) or "").strip().casefold() == "true"

    lifetime: int | None = None
    if flag("UseLifetimeConstraintWhenAdding"):
        value = (root.findtext("LifetimeConstraintDuration") or "").strip()
        try:
            lifetime = int(value)
        except ValueError:
            raise UsageError(f"{where}: the lifetime {value!r} is not a whole number of seconds.") from None
        lifetime = lifetime if lifetime > 0 else None
    kind = (root.findtext("Location/SelectedType") or "").strip().casefold()
    attachment = (root.findtext("Location/AttachmentName") or "").strip() or None
    return (
        flag("AllowUseOfSshKey"),
        flag("AddAtDatabaseOpen"),
        flag("UseConfirmConstraintWhenAdding"),
        lifetime,
        attachment if kind == "attachment" else None,
    )
