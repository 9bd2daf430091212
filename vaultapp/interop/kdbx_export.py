"""Writing records as a KDBX 4 database (pykeepass for the container and its encryption; each
entry's XML built here, so no value can break a pykeepass XPath query).

Rules (README, "Moving your data"), each chosen so that KeePassXC reads the result and
an import gives the vault back:

- Records from the Trash (``trashed``) go to KeePass's recycle bin, in their folder's path below
  it; they are not counted in the number returned.
- History versions become the entry's ``<History>`` (with their own times and attachments);
  attachments are stored once per distinct content.
- A one-time code kept as a bare base32 secret is written as a full ``otpauth://`` URI (issuer
  the title, account the username): KeePassXC reads a bare ``otp`` value with its own defaults
  and showed wrong codes for it.
- A custom field whose name KeePass reads as its own (``Title``, ``UserName``, ``Password``,
  ``URL``, ``Notes``, ``otp``, ``TOTP Seed``, ``TOTP Settings``), or that starts with
  ``vaultapp:``, or that repeats a name of the same entry, is written as ``vaultapp:NAME``
  (prefixed again until unique); import takes one ``vaultapp:`` off.
- KeePassXC's passkey attributes are custom fields already (``core.passkeys``); the private key
  and user handle are always written protected.
- ``kdbx:`` fields (see ``keepass_xml``) go back to their KeePass places: auto-type, icon,
  custom icon, colours, override URL, quality check, entry CustomData.
- Characters XML cannot carry (NUL and other C0 control characters but tab, newline and carriage
  return; U+FFFE, U+FFFF, lone surrogates) are left out, and a note names each entry and field
  that lost some. Nothing in the content makes the export fail.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from vaultapp.core.errors import UsageError
from vaultapp.core.passkeys import PROTECTED as PASSKEY_PROTECTED
from vaultapp.core.saving import publish_new
from vaultapp.interop.keepass_xml import ESCAPE, FAVOURITE_KEY, INTERPRETED, RESERVED, STANDARD
from vaultapp.interop.records import Problem, Record

if TYPE_CHECKING:
    from vaultapp.interop.kdbx import KdbxKdf

_LEAVES: Final = ("ForegroundColor", "BackgroundColor", "OverrideURL", "QualityCheck")


def export_kdbx(
    path: Path | str,
    records: Iterable[Record],
    passphrase: str,
    *,
    kdf: KdbxKdf | None = None,
    notes: list[Problem] | None = None,
) -> int:
    """Write ``records`` as a new KDBX 4 database protected by ``passphrase`` (Argon2d, ``kdf``;
    None: calibrated to 1 s, KeePassXC's default), readable by the owner only. Returns the
    number of entries written. What a KDBX file cannot carry is left out and reported in
    ``notes`` (see the module's rules); the content never makes the export fail.

    Raises:
        UsageError: the file exists already, or the passphrase is empty.
        SaveFailedError: writing failed (nothing is left behind).
    """
    from pykeepass import PyKeePass
    from pykeepass.pykeepass import BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD

    from vaultapp.core.kdf import UNLOCK_MS_DEFAULT
    from vaultapp.interop.kdbx import KdbxKdf

    path = Path(path)
    if not passphrase:
        raise UsageError("A KeePass database needs a passphrase; choose one (or use the vault's).")
    if os.path.lexists(path):  # a dangling symbolic link too: nothing is written through it
        raise UsageError(f"{path} exists already; choose another name (nothing is overwritten).")
    kdf = kdf or KdbxKdf.calibrated(UNLOCK_MS_DEFAULT)
    kp = PyKeePass(BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD)
    kp.password = passphrase
    kp.keyfile = None
    params = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    params["M"].value, params["I"].value, params["P"].value = kdf.memory, kdf.passes, kdf.lanes
    writer = _Writer(kp)
    count = 0
    for record in records:
        record = _carryable(record, notes)
        group = writer.group(record.folder, trashed=record.trashed is not None)
        group.append(writer.entry(record, record.uuid or str(uuid_module.uuid4()), notes))
        count += record.trashed is None
    buffer = io.BytesIO()  # pykeepass writes to a stream, never to a path of its choosing
    kp.save(buffer)
    publish_new(path, buffer.getvalue())  # 0600 from the first byte, O_EXCL, never through a link
    return count


def _b64_uuid(text: str) -> str:
    return base64.b64encode(uuid_module.UUID(text).bytes).decode("ascii")


def full_otp_uri(totp: str, title: str, username: str) -> str:
    """An ``otpauth://`` URI for ``totp``: as it is when it is one, else the bare secret's."""
    from vaultapp.core.otpauth import build_uri, parse

    text = totp.strip()
    if not text or text.lower().startswith("otpauth:"):
        return text
    try:
        params = parse(text)
    except UsageError:
        return text  # not usable either way: written as it is
    return build_uri(replace(params, issuer=title.replace(":", " "), account=username))


class _Writer:
    def __init__(self, kp: Any) -> None:
        self.kp = kp
        self.groups: dict[str, Any] = {"": kp.root_group._element}
        self.binaries: dict[bytes, int] = {}
        self.icons: dict[str, str] = {}

    def group(self, folder: str, *, trashed: bool = False) -> Any:
        key = f"\0{folder}" if trashed else folder  # the recycle bin's folders: "\0" + path
        if key in self.groups:
            return self.groups[key]
        if key == "\0":
            return self._recycle_bin()
        parent_path, _, name = folder.rpartition("/")
        parent = self.group(parent_path, trashed=trashed)
        group = self.kp.add_group(self.kp.root_group, name)._element  # then moved under its parent
        parent.append(group)
        self.groups[key] = group
        return group

    def _recycle_bin(self) -> Any:
        """KeePass's recycle bin, made when the first entry from the Trash is written."""
        from lxml.builder import E

        group = self.kp.add_group(self.kp.root_group, "Recycle Bin", icon="43")._element
        meta = self.kp.tree.getroot().find("Meta")
        for tag, value in (("RecycleBinEnabled", "True"), ("RecycleBinUUID", group.findtext("UUID"))):
            element = meta.find(tag)
            if element is None:
                element = E(tag)
                meta.append(element)
            element.text = value
        self.groups["\0"] = group
        return group

    def _time(self, value: datetime | None) -> str:
        return str(self.kp._encode_time(value or datetime.now(UTC)))

    def _binary(self, data: bytes) -> int:
        key = hashlib.sha256(data).digest()
        if key not in self.binaries:
            self.binaries[key] = self.kp.add_binary(data, protected=False)
        return self.binaries[key]

    def _icon(self, data: str) -> str | None:
        if data in self.icons:
            return self.icons[data]
        from lxml.builder import E

        try:
            base64.b64decode(data, validate=True)
        except ValueError:
            return None
        meta = self.kp.tree.getroot().find("Meta")
        icons = meta.find("CustomIcons")
        if icons is None:
            icons = E.CustomIcons()
            meta.append(icons)
        uuid = base64.b64encode(uuid_module.uuid4().bytes).decode("ascii")
        icons.append(E.Icon(E.UUID(uuid), E.Data(data)))
        self.icons[data] = uuid
        return uuid

    def entry(self, record: Record, uuid: str, notes: list[Problem] | None, *, history: bool = True) -> Any:
        from lxml import etree
        from lxml.builder import E

        created = record.created or record.modified
        modified = record.modified or created
        element = E.Entry(E.UUID(_b64_uuid(uuid)))
        strings = [
            ("Title", record.title, False), ("UserName", record.username, False),
            ("Password", record.password, True), ("URL", record.url, False), ("Notes", record.notes, False),
        ]  # fmt: skip
        if record.totp:
            strings.append(("otp", full_otp_uri(record.totp, record.title, record.username), True))
        used = {*STANDARD, *INTERPRETED}
        icon_id, custom_icon, autotype = "0", None, None
        leaves: dict[str, str] = {}
        custom_data: list[tuple[str, str]] = []
        if record.favourite:
            custom_data.append((FAVOURITE_KEY, "true"))
        for name, value, protected in record.custom:
            if name.startswith(RESERVED) and not protected:
                kind = name[len(RESERVED) :]
                if kind == "IconID" and value.strip().isdigit():
                    icon_id = value.strip()
                    continue
                if kind == "CustomIcon" and (found := self._icon(value.strip())) is not None:
                    custom_icon = found
                    continue
                if kind in _LEAVES:
                    leaves[kind] = value
                    continue
                if kind.startswith("CustomData:") and kind != f"CustomData:{FAVOURITE_KEY}":
                    custom_data.append((kind[len("CustomData:") :], value))
                    continue
                if kind == "AutoType" and (parsed := _autotype(value)) is not None:
                    autotype = parsed
                    continue
            key = name or "Field"
            if key in used or key.startswith(ESCAPE):
                key = ESCAPE + key
                while key in used:
                    key = ESCAPE + key
            used.add(key)
            strings.append((key, value, protected or name in PASSKEY_PROTECTED))
        element.append(E.IconID(icon_id))
        if custom_icon is not None:
            element.append(E.CustomIconUUID(custom_icon))
        for tag in ("ForegroundColor", "BackgroundColor", "OverrideURL"):
            element.append(getattr(E, tag)(leaves.get(tag, "")))
        if "QualityCheck" in leaves:
            element.append(E.QualityCheck(leaves["QualityCheck"]))
        element.append(E.Tags(";".join(record.tags)))
        element.append(
            E.Times(
                E.CreationTime(self._time(created)),
                E.LastModificationTime(self._time(modified)),
                E.LastAccessTime(self._time(modified)),
                E.ExpiryTime(self._time(record.expires or modified)),
                E.Expires(str(record.expires is not None)),
                E.UsageCount("0"),
                E.LocationChanged(self._time(record.trashed or modified)),
            )
        )
        for key, value, protected in strings:
            element.append(
                E.String(E.Key(key), E.Value(value, Protected="True") if protected else E.Value(value))
            )
        for name, data in record.attachments:
            element.append(E.Binary(E.Key(name), E.Value(Ref=str(self._binary(data)))))
        if autotype is None:
            autotype = E.AutoType(E.Enabled("True"), E.DataTransferObfuscation("0"), E.DefaultSequence())
        element.append(autotype)
        if custom_data:
            element.append(E.CustomData(*(E.Item(E.Key(k), E.Value(v)) for k, v in custom_data)))
        if history:
            element.append(
                E.History(*(self.entry(old, uuid, notes, history=False) for old in record.history))
            )
        etree.cleanup_namespaces(element)
        return element


def _autotype(text: str) -> Any:
    """The ``<AutoType>`` element a ``kdbx:AutoType`` field holds, or None if it holds another thing."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        element = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None
    return element if element.tag == "AutoType" else None


# XML 1.0's characters (what a KDBX file, and lxml, can hold): no NUL, no other C0 control
# character but tab, newline and carriage return, no U+FFFE/U+FFFF and no lone surrogate.
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _carryable(record: Record, notes: list[Problem] | None, *, what: str = "") -> Record:
    """``record`` (and its history) without the characters a KDBX file cannot carry; a note names
    the entry and the fields that lost some."""
    lost: list[str] = []

    def clean(text: str, field: str) -> str:
        kept, count = _NOT_XML.subn("", text)
        if count and field not in lost:
            lost.append(field)
        return kept

    texts: dict[str, Any] = {
        name: clean(getattr(record, name), name)
        for name in ("title", "username", "password", "url", "notes", "totp", "folder")
    }
    tags = tuple(clean(tag, "tags") for tag in record.tags)
    custom = []
    for name, value, protected in record.custom:
        label = f"custom field {_NOT_XML.sub('', name)!r}"
        custom.append((clean(name, label), clean(value, label), protected))
    attachments = tuple(
        (clean(name, f"the name of attachment {name!r}"), data) for name, data in record.attachments
    )
    history = tuple(
        _carryable(old, notes, what=f"{record.title!r} (an earlier version)") for old in record.history
    )
    if lost and notes is not None:
        message = "characters KeePass cannot store (NUL or other control characters) were left out of"
        notes.append(Problem(0, f"{what or repr(texts['title'])}: {message} its {', '.join(lost)}"))
    if not texts["title"].strip():
        texts["title"] = "Untitled"
    return replace(record, **texts, tags=tags, custom=tuple(custom), attachments=attachments, history=history)
