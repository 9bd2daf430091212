"""KeePass's XML tree, read into records: shared by KDBX import (pykeepass decrypts the database
and hands over this tree) and KeePass 2 XML import (``keepassxc-cli export -f xml``, KeePass 2's
"KeePass XML (2.x)" export), which hold the same ``<KeePassFile>`` document.

What each entry brings (README, "Moving your data"):

- Title, UserName, Password, URL, Notes, Tags, times, UUID; the group path as the folder; entries
  in the recycle bin as Trash (their folder the path below the bin, where a deleted group keeps
  them); every history version (oldest first) with its own times;
  attachments (``Record.attachments``).
- One-time codes in every form KeePassXC and KeePass 2 store (``keepass_otp``).
- Every other attribute as a custom field, protected when KeePass protects it; KeePassXC's
  passkey attributes (``KPEX_PASSKEY_*``) as they are, the private key and user handle protected.
- Field references (``{REF:P@I:…}``, ``{REF:U@T:…}``, …) are resolved at import as KeePassXC
  resolves them (exact match, first entry in tree order, up to 10 levels deep): vaultapp has no
  live references, so the value is copied and a note names each field that held one.
- What KeePass has and vaultapp has no field for is kept as a custom field with the reserved
  prefix ``kdbx:`` so a KDBX export gives it back: ``kdbx:AutoType`` (the auto-type settings and
  window associations, as KeePass's XML), ``kdbx:IconID``, ``kdbx:CustomIcon`` (the icon image,
  base64), ``kdbx:ForegroundColor``, ``kdbx:BackgroundColor``, ``kdbx:OverrideURL``,
  ``kdbx:QualityCheck``, and ``kdbx:CustomData:KEY`` per entry CustomData item.
- A custom field exported under ``vaultapp:NAME`` (its name collided with a KeePass field; see
  ``kdbx.export_kdbx``) comes back as ``NAME``.
"""

from __future__ import annotations

import base64
import re
import struct
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError, UsageError
from vaultapp.core.passkeys import PROTECTED as PASSKEY_PROTECTED
from vaultapp.interop.keepass_otp import totp_of
from vaultapp.interop.records import FILE_MAX, Parsed, Problem, Record, read_import_bytes, title_for

STANDARD: Final = ("Title", "UserName", "Password", "URL", "Notes")
# Names KeePassXC reads as something else than a plain attribute.
INTERPRETED: Final = ("otp", "TOTP Seed", "TOTP Settings")
FAVOURITE_KEY: Final = "vaultapp.favourite"
RESERVED: Final = "kdbx:"  # KeePass-only settings kept as custom fields
ESCAPE: Final = "vaultapp:"  # a custom field whose name KeePass would read as its own
EPOCH: Final = datetime(1, 1, 1, tzinfo=UTC)
REF_DEPTH: Final = 10  # KeePassXC's limit for nested references
# Entry children that are read into the record's own fields (or are defaults not worth keeping).
_HANDLED: Final = frozenset({"UUID", "Times", "String", "Binary", "History", "Tags", "CustomData",
                             "AutoType", "IconID", "CustomIconUUID", "PreviousParentGroup"})  # fmt: skip
_OTP_NAMES: Final = frozenset(INTERPRETED)
_OTP_PREFIXES: Final = ("TimeOtp-", "HmacOtp-")
_REF: Final = re.compile(r"\{REF:([TUPANI])@([TUPANIO]):([^}]*)\}", re.IGNORECASE)
_FIELD_OF: Final = {"T": "Title", "U": "UserName", "P": "Password", "A": "URL", "N": "Notes"}


def _time(text: str | None, kdbx4: bool) -> datetime | None:
    if not text:
        return None
    try:
        if kdbx4 and not text.endswith("Z") and "-" not in text:
            return EPOCH + timedelta(seconds=struct.unpack("<q", base64.b64decode(text, validate=True))[0])
        value = datetime.fromisoformat(text)
    except (ValueError, struct.error, OverflowError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _uuid(text: str | None) -> str | None:
    try:
        return str(uuid_module.UUID(bytes=base64.b64decode(text or "", validate=True)))
    except ValueError:
        return None


@dataclass(slots=True)
class _Raw:
    """One entry (or history version) as read, before references are resolved."""

    strings: dict[str, tuple[str, bool]]
    times: dict[str, str | None]
    uuid: str | None
    tags: str
    favourite: bool
    extra: list[tuple[str, str]]  # kdbx: fields
    attachments: list[tuple[str, bytes]]
    history: list[_Raw] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # attachments whose content is not in the file


def _xml(element: Any) -> str:
    from lxml import etree

    copy = etree.fromstring(etree.tostring(element))  # without the tail
    for node in copy.iter():
        if node.text is not None and not node.text.strip() and len(node):
            node.text = None
        node.tail = None
    return str(etree.tostring(copy, encoding="unicode"))


def _default_autotype(element: Any) -> bool:
    for child in element:
        text = (child.text or "").strip()
        if child.tag == "Enabled" and text.casefold() != "true":
            return False
        if child.tag == "DataTransferObfuscation" and text not in ("", "0"):
            return False
        if child.tag in ("DefaultSequence", "Association") and (text or len(child)):
            return False
    return True


class _Reader:
    def __init__(self, root: Any, kdbx4: bool, binaries: Sequence[bytes], parsed: Parsed) -> None:
        self.kdbx4 = kdbx4
        self.binaries = binaries
        self.parsed = parsed
        self.icons: dict[str, str] = {}
        for icon in root.iterfind("Meta/CustomIcons/Icon"):
            self.icons[icon.findtext("UUID") or ""] = "".join((icon.findtext("Data") or "").split())

    def raw(self, element: Any) -> _Raw:
        strings: dict[str, tuple[str, bool]] = {}
        entry = _Raw(strings, {}, None, "", False, [], [])
        for child in element:
            tag = child.tag
            if tag == "String":
                key, text, protected = "", "", False
                for part in child:
                    if part.tag == "Key":
                        key = part.text or ""
                    elif part.tag == "Value":
                        text = part.text or ""
                        flag = part.get("Protected") or part.get("ProtectInMemory") or ""
                        protected = flag.casefold() == "true"
                strings[key] = (text, protected or key in PASSKEY_PROTECTED)
            elif tag == "Binary":
                self._attachment(child, entry)
            elif tag == "Times":
                entry.times = {part.tag: part.text for part in child}
            elif tag == "UUID":
                entry.uuid = _uuid(child.text)
            elif tag == "Tags":
                entry.tags = child.text or ""
            elif tag == "CustomData":
                for item in child.iterfind("Item"):
                    key, value = item.findtext("Key") or "", item.findtext("Value") or ""
                    if key == FAVOURITE_KEY:
                        entry.favourite = value == "true"
                    elif key:
                        entry.extra.append((f"{RESERVED}CustomData:{key}", value))
            elif tag == "AutoType":
                if not _default_autotype(child):
                    entry.extra.append((f"{RESERVED}AutoType", _xml(child)))
            elif tag == "IconID":
                if (child.text or "0").strip() != "0":
                    entry.extra.append((f"{RESERVED}IconID", (child.text or "").strip()))
            elif tag == "CustomIconUUID":
                data = self.icons.get(child.text or "")
                if data:
                    entry.extra.append((f"{RESERVED}CustomIcon", data))
            elif tag == "History":
                entry.history = [self.raw(old) for old in child.iterfind("Entry")]
            elif tag not in _HANDLED and (child.text or "").strip() and not len(child):
                entry.extra.append((f"{RESERVED}{tag}", (child.text or "").strip()))
        return entry

    def _attachment(self, child: Any, entry: _Raw) -> None:
        name = child.findtext("Key") or "attachment"
        value = child.find("Value")
        if value is None:
            return
        ref = value.get("Ref")
        if ref is None:  # KeePass 1-style inline content (KeePass 2 XML of old versions)
            try:
                data = base64.b64decode("".join((value.text or "").split()), validate=True)
                if value.get("Compressed", "").casefold() == "true":
                    data = gunzip(data)
            except UsageError:
                raise
            except ValueError:
                entry.missing.append(name)
                return
            entry.attachments.append((name, data))
            return
        try:
            entry.attachments.append((name, self.binaries[int(ref)]))
        except (ValueError, IndexError):
            entry.missing.append(name)


class _Resolver:
    """KeePassXC's field references, resolved against every current entry in tree order."""

    def __init__(self, entries: Sequence[_Raw]) -> None:
        self.entries = entries

    def find(self, search_in: str, text: str) -> _Raw | None:
        for entry in self.entries:
            if search_in == "I":
                if entry.uuid is not None and entry.uuid.replace("-", "") == text.strip().lower():
                    return entry
            elif search_in == "O":
                if any(v == text for k, (v, _) in entry.strings.items() if k not in STANDARD):
                    return entry
            elif entry.strings.get(_FIELD_OF[search_in], ("", False))[0] == text:
                return entry
        return None

    def resolve(self, value: str, depth: int = 0) -> tuple[str, bool]:
        """``value`` with its references replaced; and whether one could not be resolved."""
        if "{REF:" not in value.upper() or depth >= REF_DEPTH:
            return value, depth >= REF_DEPTH
        broken = False

        def one(match: re.Match[str]) -> str:
            nonlocal broken
            wanted, search_in, text = match.group(1).upper(), match.group(2).upper(), match.group(3)
            target = self.find(search_in, text)
            if target is None:
                broken = True
                return match.group(0)
            if wanted == "I":
                return (target.uuid or "").replace("-", "").upper()
            found, deeper = self.resolve(target.strings.get(_FIELD_OF[wanted], ("", False))[0], depth + 1)
            broken = broken or deeper
            return found

        return _REF.sub(one, value), broken


def read_tree(root: Any, *, kdbx4: bool, binaries: Sequence[bytes]) -> Parsed:
    """Every entry of a ``<KeePassFile>`` tree (pykeepass's, or a KeePass XML file's) as records.
    ``binaries``: attachment contents by their index (KDBX 4's inner header, or Meta/Binaries)."""
    parsed = Parsed()
    recycle = root.findtext("Meta/RecycleBinUUID")
    top = root.find("Root/Group")
    if top is None:
        raise DamagedFileError("The KeePass database has no root group.")
    reader = _Reader(root, kdbx4, binaries, parsed)
    found: list[tuple[_Raw, str, bool]] = []
    stack: list[tuple[Any, str, bool]] = [(top, "", False)]
    while stack:
        group, folder, in_bin = stack.pop()
        if group is not top and folder:
            _note_group(group, folder, parsed)
        for element in group.iterfind("Entry"):
            found.append((reader.raw(element), folder, in_bin))
        for child in reversed(group.findall("Group")):
            name = (child.findtext("Name") or "Group").replace("/", "-")
            if recycle is not None and child.findtext("UUID") == recycle:
                stack.append((child, "", True))  # deleted entries keep the folder they had
            else:
                stack.append((child, f"{folder}/{name}" if folder else name, in_bin))
    resolver = _Resolver([raw for raw, _, _ in found])
    for raw, folder, in_bin in found:
        record = _record(raw, folder, in_bin, kdbx4, parsed, resolver)
        if record is not None:
            parsed.records.append(record)
    return parsed


def _note_group(group: Any, folder: str, parsed: Parsed) -> None:
    """Name what a group holds that a vault folder cannot: its notes, or being empty."""
    if (group.findtext("Notes") or "").strip():
        parsed.notes.append(
            Problem(0, f"group {folder!r}: its notes were not brought in (folders have none)")
        )
    if group.find("Entry") is None and group.find("Group") is None:
        parsed.notes.append(Problem(0, f"group {folder!r} is empty; it was not brought in as a folder"))


def _record(
    raw: _Raw, folder: str, in_bin: bool, kdbx4: bool, parsed: Parsed, resolver: _Resolver,
    *, name_hint: str = "",
) -> Record | None:  # fmt: skip
    strings = dict(raw.strings)
    shown = strings.get("Title", ("", False))[0] or name_hint or "an entry"
    referenced: list[str] = []
    for key, (value, protected) in list(strings.items()):
        if "{" not in value:
            continue
        resolved, broken = resolver.resolve(value)
        if resolved != value:
            referenced.append(key)
            strings[key] = (resolved, protected)
        if broken and not name_hint:
            parsed.notes.append(
                Problem(0, f"{shown!r}: field {key!r} holds a reference to no entry; kept as written")
            )
    for missing in raw.missing:
        parsed.notes.append(
            Problem(0, f"{shown!r}: attachment {missing!r} points at content the file does not hold")
        )
    if referenced and not name_hint:
        fields = ", ".join(repr(k) for k in referenced)
        parsed.notes.append(
            Problem(0, f"{shown!r}: {fields} referred to another entry; the value was copied "
                       "(vaultapp has no live field references)")
        )  # fmt: skip

    def take(key: str) -> str:
        return strings.pop(key, ("", False))[0]

    title, username, password = take("Title"), take("UserName"), take("Password")
    url, notes = take("URL"), take("Notes")
    totp = ""
    used: tuple[str, ...] = ()
    try:
        if any(k in _OTP_NAMES or k.startswith(_OTP_PREFIXES) for k in strings):
            totp, used = totp_of({k: v for k, (v, _) in strings.items()}, title, username)
    except UsageError as exc:
        if not name_hint:
            parsed.notes.append(Problem(0, f"{shown!r}: one-time code kept as custom fields ({exc})"))
    else:
        for key in used:
            strings.pop(key, None)
    custom = [
        (key[len(ESCAPE) :] if key.startswith(ESCAPE) else key, value, protected)
        for key, (value, protected) in strings.items()
    ]
    custom += [(key, value, False) for key, value in raw.extra]

    def when(tag: str) -> datetime | None:
        return _time(raw.times.get(tag), kdbx4)

    expires = when("ExpiryTime") if (raw.times.get("Expires") or "").casefold() == "true" else None
    modified = when("LastModificationTime")
    tags = tuple(t.strip() for t in raw.tags.replace(",", ";").split(";") if t.strip())
    name = title_for(title, url, username) or name_hint
    if not name:
        name = "Untitled" if password or notes or custom or totp or raw.attachments else ""
    if not name:
        parsed.skipped.append(Problem(0, "an entry with no title, username, URL, password or notes"))
        return None
    history: list[Record] = []
    for old in raw.history:
        version = _record(old, folder, False, kdbx4, parsed, resolver, name_hint=name)
        if version is not None:
            history.append(replace(version, uuid=None))
    history.sort(key=lambda r: r.modified or EPOCH)
    return Record(
        uuid=raw.uuid, title=name, username=username, password=password, url=url,
        notes=notes, tags=tags, folder=folder, totp=totp, custom=tuple(custom), created=when("CreationTime"),
        modified=modified, expires=expires, favourite=raw.favourite,
        trashed=(when("LocationChanged") or modified or datetime.now(UTC)) if in_bin else None,
        history=tuple(history), attachments=tuple(raw.attachments),
    )  # fmt: skip


ATTACHMENT_MAX: Final = 64 * 2**20  # the largest attachment a vault will hold (issue 19)


def gunzip(data: bytes, limit: int = ATTACHMENT_MAX) -> bytes:
    """gzip content, refused past ``limit`` bytes before it is all inflated (a small file can
    hold gigabytes of zeros).

    Raises:
        UsageError: the content inflates beyond ``limit``.
        ValueError: it is not gzip (zlib.error is caught by the caller as OSError/ValueError).
    """
    import zlib

    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ValueError(str(exc)) from None
    if len(out) > limit:
        raise UsageError(
            f"An attachment in the file inflates beyond {limit // 2**20} MiB; it cannot be imported."
        )
    return out


def xml_binaries(root: Any) -> list[bytes]:
    """Meta/Binaries of a KeePass XML file (and of a KDBX 3.1 tree): base64, gzip when Compressed."""
    found: dict[int, bytes] = {}
    for element in root.iterfind("Meta/Binaries/Binary"):
        data = base64.b64decode("".join((element.text or "").split()))
        if (element.get("Compressed") or "").casefold() == "true":
            data = gunzip(data)
        found[int(element.get("ID", len(found)))] = data
    return [found.get(i, b"") for i in range(max(found, default=-1) + 1)]


def import_keepass_xml(path: object) -> Parsed:
    """A KeePass 2 XML file (KeePass's "KeePass XML (2.x)" export, ``keepassxc-cli export -f xml``):
    unencrypted, so its values arrive as plain text.

    Raises:
        UsageError: missing, too large, or not a KeePass XML file (the message says what it is).
    """
    from lxml import etree

    path = Path(str(path))
    data = read_import_bytes(path, FILE_MAX, "a KeePass XML file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UsageError(
            f"{path.name} is not well-formed XML ({exc.msg}); export it from KeePass again."
        ) from None
    if root.tag != "KeePassFile":
        raise UsageError(
            f"{path.name} is XML but not a KeePass export (its root is <{root.tag}>); in KeePassXC use "
            "Database > Export > XML File, in KeePass File > Export > KeePass XML (2.x)."
        )
    try:
        binaries = xml_binaries(root)
    except UsageError:
        raise
    except (ValueError, OSError, EOFError):
        raise UsageError(f"{path.name} holds attachment content that is not valid base64/gzip.") from None
    return read_tree(root, kdbx4=False, binaries=binaries)
