"""KeePass/KeePassXC databases (KDBX 3.1 and 4) through ``pykeepass``.

Import opens the database with pykeepass (which decrypts it and its protected values) and reads
the XML tree it holds directly — one pass, so a 10,000-entry database imports in about the time
pykeepass needs to open it. Export builds a KDBX 4 database with pykeepass's own API.

Mapping (both ways): Title, UserName, Password, URL, Notes; Tags; the group path (without the
root group) as the folder; KeePassXC's ``otp`` attribute as the TOTP (its older ``TOTP Seed`` /
``TOTP Settings`` pair is read too); every other attribute as a custom field, protected when
KeePass protects it; creation, modification and expiry times; the entry UUID. Entries in the
recycle bin come in as Trash. Our favourite flag travels as the entry CustomData item
``vaultapp.favourite`` (KeePassXC keeps CustomData; it has no favourites of its own).
"""

from __future__ import annotations

import base64
import io
import os
import re
import struct
import time
import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from vaultapp.core.errors import (
    DamagedFileError,
    KdfParamsRejectedError,
    UsageError,
    WrongPassphraseError,
)
from vaultapp.core.kdf import UNLOCK_MS_DEFAULT, UNLOCK_MS_MAX, UNLOCK_MS_MIN, Argon2idParams, check_cost
from vaultapp.core.storage import publish_new
from vaultapp.interop.records import FILE_MAX, Parsed, Problem, Record, read_import_bytes, title_for

STANDARD: Final = ("Title", "UserName", "Password", "URL", "Notes")
FAVOURITE_KEY: Final = "vaultapp.favourite"
EPOCH: Final = datetime(1, 1, 1, tzinfo=UTC)
AES_KDF_UUID: Final = bytes.fromhex("c9d9f39a628a4460bf740d08c18a4fea")
ARGON2_UUIDS: Final = (
    bytes.fromhex("ef636ddf8c29444b91f7a9a403e30a0c"),  # Argon2d
    bytes.fromhex("9e298b1956db4773b23dfc3ec6f0a1e6"),  # Argon2id
)
# Hostile-file bounds, checked on the header before pykeepass derives anything.
ARGON2_MEMORY_MAX: Final = 4 * 2**30
ARGON2_PASSES_MAX: Final = 1000
ARGON2_WORK_MAX: Final = 64 * 2**30  # memory x passes
ARGON2_LANES_MAX: Final = 64
AES_ROUNDS_MAX: Final = 100_000_000


@dataclass(frozen=True, slots=True)
class KdbxKdf:
    """Argon2d settings for an exported database: KeePassXC's shape for a new database (64 MiB,
    2 lanes) with the passes it calibrates (``calibrated``); tests pass a small one explicitly."""

    memory: int = 64 * 2**20
    passes: int = 14
    lanes: int = 2

    @classmethod
    def calibrated(cls, target_ms: float, *, timer: Callable[[KdbxKdf], float] | None = None) -> KdbxKdf:
        """64 MiB and 2 lanes, with passes raised until one derivation takes about ``target_ms``
        on this machine, as KeePassXC sets up a new database (its default target is 1 s).
        The target is kept within 50..10000 ms; at least 2 passes, at most what import accepts."""
        target = min(max(target_ms, UNLOCK_MS_MIN), UNLOCK_MS_MAX)
        timer = timer or _time_argon2d
        low, high = cls(passes=2), cls(passes=10)
        low_ms = timer(low)
        if low_ms >= target:
            return low
        # Time = a fixed part (allocating and touching 64 MiB, about 30 ms here) + a cost per pass:
        # two probes fit both, where scaling one small probe would give too few passes.
        per_pass = max((timer(high) - low_ms) / (high.passes - low.passes), 0.01)
        fixed = max(low_ms - low.passes * per_pass, 0.0)
        passes = round((target - fixed) / per_pass)
        return cls(passes=min(max(passes, low.passes), ARGON2_PASSES_MAX))


def _time_argon2d(kdf: KdbxKdf) -> float:
    from argon2.low_level import Type, hash_secret_raw

    start = time.perf_counter()
    hash_secret_raw(
        b"calibration probe", os.urandom(32), time_cost=kdf.passes, memory_cost=kdf.memory // 1024,
        parallelism=kdf.lanes, hash_len=32, type=Type.D,
    )  # fmt: skip
    return (time.perf_counter() - start) * 1000


KEYFILE_MAX: Final = 64 * 1024 * 1024  # KeePass accepts any file as a key file; it is read whole


# ---- import -----------------------------------------------------------------------------------


def import_kdbx(
    path: Path | str, passphrase: str, *, keyfile: Path | str | None = None, allow_slow_kdf: bool = False
) -> Parsed:
    """Read every entry of a KDBX database. Argon2 settings that would tie up this machine are
    refused before deriving unless ``allow_slow_kdf`` (see ``core.kdf.check_cost``).

    Raises:
        UsageError: no such file, or the file is too large.
        WrongPassphraseError: the passphrase or key file does not open it.
        KdfParamsRejectedError: its key-derivation settings are beyond the accepted bounds.
        SlowKdfError: its Argon2 settings would take over 20 s or half the free memory here.
        DamagedFileError: not a KDBX database, or damaged.
    """
    path = Path(path)
    name = path.name
    # Read once, bounded (never a FIFO or device); pykeepass then parses these bytes, not the path.
    data = read_import_bytes(path, FILE_MAX, "a database to import")
    aes = check_header(path, data, allow_slow_kdf=allow_slow_kdf)
    key_data = None if keyfile is None else _read_keyfile(Path(keyfile))
    from pykeepass import PyKeePass
    from pykeepass.exceptions import CredentialsError
    from pykeepass.kdbx_parsing.common import compute_key_composite

    password = passphrase or None
    # AES-KDF (KeePassXC 2.7's default for KDBX 3.1) runs in native code here: pykeepass loops
    # over the rounds in Python, about 2 s per million rounds.
    transformed = None if aes is None else aes_kdf(*aes, compute_key_composite(password, _stream(key_data)))
    try:
        kp = PyKeePass(
            io.BytesIO(data), password=password, keyfile=_stream(key_data), transformed_key=transformed
        )
    except CredentialsError:
        hint = (
            "check the passphrase and that this is the database's key file (leave the passphrase "
            "empty if the database has only a key file)"
            if keyfile is not None
            else "enter the database's own passphrase, and give its key file if it has one"
        )
        raise WrongPassphraseError(f"The passphrase or key file for {name} is wrong; {hint}.") from None
    except Exception as exc:  # noqa: BLE001 - pykeepass raises construct/lxml/zlib errors of many kinds
        raise DamagedFileError(
            f"{name} is not a KeePass database or it is damaged ({type(exc).__name__})."
        ) from None
    return _read_tree(kp)


def _read_keyfile(keyfile: Path) -> bytes:
    """A key file can be any file (KeePass hashes what is not a key file format), so only that it
    is a regular file and its size are checked: it is read whole into memory, once."""
    if not keyfile.exists():
        raise UsageError(f"There is no key file at {keyfile}.")
    return read_import_bytes(keyfile, KEYFILE_MAX, "a key file")


def _stream(data: bytes | None) -> io.BytesIO | None:
    return None if data is None else io.BytesIO(data)


def check_header(path: Path, data: bytes, *, allow_slow_kdf: bool = False) -> tuple[bytes, int] | None:
    """Refuse a database (``data``, read from ``path``) whose key-derivation settings would
    exhaust memory or time. Returns the AES-KDF seed and rounds when the database uses AES-KDF."""
    from construct import ConstructError
    from pykeepass.kdbx_parsing.kdbx import KDBX

    try:
        header = KDBX.subcons[0].subcon.parse(data[: 64 * 1024]).value.dynamic_header
        settings = _kdf_settings(path, header)
    except (ConstructError, OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        # A damaged header parses into odd shapes (missing maps, bytes where numbers belong).
        raise DamagedFileError(
            f"{path.name} is not a KeePass database (KDBX 3.1 or 4), or it is damaged."
        ) from None
    if isinstance(settings, Argon2idParams):
        if not allow_slow_kdf:
            check_cost(settings, path.name)  # Argon2d costs what Argon2id does
        return None
    return settings


def _kdf_settings(path: Path, header: Any) -> tuple[bytes, int] | Argon2idParams:
    kdf = _header_field(header, "kdf_parameters")
    if kdf is not None:
        params = {k: v.value for k, v in kdf.dict.items()}
        if params.get("$UUID") in ARGON2_UUIDS:
            memory, passes, lanes = int(params.get("M", 0)), int(params.get("I", 0)), int(params.get("P", 0))
            if not (
                0 < memory <= ARGON2_MEMORY_MAX and 0 < passes <= ARGON2_PASSES_MAX
                and memory * passes <= ARGON2_WORK_MAX and 0 < lanes <= ARGON2_LANES_MAX
            ):  # fmt: skip
                raise KdfParamsRejectedError(
                    f"{path.name} asks for Argon2 with {memory // 2**20} MiB, {passes} passes and {lanes} "
                    "lanes, beyond what vaultapp accepts; lower them in KeePassXC (Database settings, "
                    "Encryption) first."
                )
            return Argon2idParams(time_cost=passes, memory_kib=memory // 1024, parallelism=lanes)
        if params.get("$UUID") == AES_KDF_UUID:
            return params["S"], _check_rounds(path, int(params["R"]))
        raise DamagedFileError(f"{path.name} uses a key derivation this program does not know.")
    rounds = _header_field(header, "transform_rounds")
    seed = _header_field(header, "transform_seed")
    if rounds is None or seed is None:
        raise DamagedFileError(f"{path.name} is a KeePass database without key-derivation settings.")
    return seed, _check_rounds(path, int(rounds))


def aes_kdf(seed: bytes, rounds: int, composite: bytes) -> bytes:
    """KeePass's AES-KDF: each 16-byte half of ``composite`` encrypted ``rounds`` times with
    AES-256 keyed by ``seed``, then SHA-256. Repeated ECB encryption of one block equals CBC over
    zero blocks with that block as IV (c1 = E(iv), c2 = E(c1), ...), so ``cryptography`` does the
    rounds in native code, a chunk at a time."""
    import hashlib

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    chunk = 1 << 16  # blocks per update (1 MiB of zeros)
    zeros = bytes(16 * min(rounds, chunk))
    out = b""
    for half in (composite[:16], composite[16:]):
        encryptor = Cipher(algorithms.AES(seed), modes.CBC(half)).encryptor()
        last, remaining = half, rounds
        while remaining:
            n = min(remaining, chunk)
            last = encryptor.update(zeros if n == chunk else zeros[: 16 * n])[-16:]
            remaining -= n
        out += last
    return hashlib.sha256(out).digest()


def _check_rounds(path: Path, rounds: int) -> int:
    if not 0 <= rounds <= AES_ROUNDS_MAX:
        raise KdfParamsRejectedError(
            f"{path.name} asks for {rounds} AES-KDF rounds, beyond what vaultapp accepts; lower them in "
            "KeePassXC first."
        )
    return rounds


def _header_field(header: Any, name: str) -> Any:
    item = header.get(name)
    return None if item is None else item.data


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


def _read_tree(kp: Any) -> Parsed:
    parsed = Parsed()
    kdbx4 = kp.version >= (4, 0)
    root = kp.tree.getroot()
    recycle = root.findtext("Meta/RecycleBinUUID")
    top = root.find("Root/Group")
    if top is None:
        raise DamagedFileError("The KeePass database has no root group.")
    stack: list[tuple[Any, str, bool]] = [(top, "", False)]
    while stack:
        group, folder, in_bin = stack.pop()
        for element in group.iterfind("Entry"):
            record = _record(element, folder, in_bin, kdbx4, parsed)
            if record is not None:
                parsed.records.append(record)
        for child in reversed(group.findall("Group")):
            name = (child.findtext("Name") or "Group").replace("/", "-")
            is_bin = in_bin or (recycle is not None and child.findtext("UUID") == recycle)
            stack.append((child, name if group is top else f"{folder}/{name}", is_bin))
    return parsed


def _record(element: Any, folder: str, in_bin: bool, kdbx4: bool, parsed: Parsed) -> Record | None:
    # One pass over the children (lxml path lookups cost about 3 us each; 10,000 entries add up).
    strings: dict[str, tuple[str, bool]] = {}
    order: list[str] = []
    time_texts: dict[str, str | None] = {}
    uuid_text = tags_text = None
    favourite = False
    for child in element:
        tag = child.tag
        if tag == "String":
            key, text, protected = "", "", False
            for part in child:
                if part.tag == "Key":
                    key = part.text or ""
                elif part.tag == "Value":
                    text = part.text or ""
                    protected = part.get("Protected", "").casefold() == "true"
            if key not in strings:
                order.append(key)
            strings[key] = (text, protected)
        elif tag == "Times":
            time_texts = {part.tag: part.text for part in child}
        elif tag == "UUID":
            uuid_text = child.text
        elif tag == "Tags":
            tags_text = child.text
        elif tag == "CustomData":
            favourite = any(
                item.findtext("Key") == FAVOURITE_KEY and item.findtext("Value") == "true" for item in child
            )

    def take(key: str) -> str:
        return strings.pop(key, ("", False))[0]

    title, username, password = take("Title"), take("UserName"), take("Password")
    url, notes = take("URL"), take("Notes")
    totp = take("otp")
    seed, settings = strings.get("TOTP Seed", ("", False))[0], strings.get("TOTP Settings", ("", False))[0]
    period, _, digits = settings.partition(";")
    if not totp and seed and digits != "S":  # KeePassXC's older pair; Steam codes stay custom fields
        take("TOTP Seed"), take("TOTP Settings")
        totp = f"otpauth://totp/{title or 'entry'}?secret={seed.replace(' ', '')}&period={period or 30}"
        totp += f"&digits={digits or 6}"
    custom = tuple((key, *strings[key]) for key in order if key in strings)

    def when(tag: str) -> datetime | None:
        return _time(time_texts.get(tag), kdbx4)

    expires = when("ExpiryTime") if time_texts.get("Expires") == "True" else None
    modified = when("LastModificationTime")
    tags = tuple(t.strip() for t in (tags_text or "").replace(",", ";").split(";") if t.strip())
    name = title_for(title, url, username) or ("Untitled" if password or notes or custom or totp else "")
    if not name:
        parsed.skipped.append(Problem(0, "an entry with no title, username, URL, password or notes"))
        return None
    if lost := _not_kept(element):
        parsed.notes.append(
            Problem(0, f"{name!r}: {', '.join(lost)} not brought in (vaultapp holds none yet)")
        )
    return Record(
        uuid=_uuid(uuid_text), title=name, username=username, password=password, url=url,
        notes=notes, tags=tags, folder=folder, totp=totp, custom=custom, created=when("CreationTime"),
        modified=modified, expires=expires, favourite=favourite,
        trashed=(when("LocationChanged") or modified or datetime.now(UTC)) if in_bin else None,
    )  # fmt: skip


DEFAULT_AUTOTYPE: Final = "{USERNAME}{TAB}{PASSWORD}{ENTER}"  # KeePass's own: nothing to keep


def _not_kept(element: Any) -> list[str]:
    """What an entry holds that this importer does not bring in yet, for the import's notes."""
    lost = []
    if count := len(element.findall("Binary")):
        lost.append(f"{count} attachment{'s' if count > 1 else ''}")
    history = element.find("History")
    if history is not None and (count := len(history)):
        lost.append(f"{count} earlier version{'s' if count > 1 else ''}")
    if element.findtext("CustomIconUUID"):
        lost.append("its custom icon")
    auto = element.find("AutoType")
    sequence = "" if auto is None else (auto.findtext("DefaultSequence") or "").strip()
    windows = [] if auto is None else [a.findtext("Window") for a in auto.iterfind("Association")]
    if sequence not in ("", DEFAULT_AUTOTYPE) or any(windows):
        lost.append("its auto-type settings")
    return lost


# ---- export -----------------------------------------------------------------------------------


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
    number of entries written. Characters XML cannot carry (NUL and other control characters)
    are left out of the values, and each entry that lost some is reported in ``notes``.

    Raises:
        UsageError: the file exists already, or the passphrase is empty.
        SaveFailedError: writing failed (nothing is left behind).
    """
    from pykeepass import PyKeePass
    from pykeepass.pykeepass import BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD

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
    groups: dict[str, Any] = {"": kp.root_group}
    count = 0
    for record in records:
        record = _carryable(record, notes)
        _add_entry(kp, _group(kp, groups, record.folder), record)
        count += 1
    buffer = io.BytesIO()  # pykeepass writes to a stream, never to a path of its choosing
    kp.save(buffer)
    publish_new(path, buffer.getvalue())  # 0600 from the first byte, O_EXCL, never through a link
    return count


def _group(kp: Any, groups: dict[str, Any], folder: str) -> Any:
    if folder in groups:
        return groups[folder]
    parent_path, _, name = folder.rpartition("/")
    group = kp.add_group(_group(kp, groups, parent_path), name)
    groups[folder] = group
    return group


def _add_entry(kp: Any, group: Any, record: Record) -> None:
    from lxml.builder import E

    entry = kp.add_entry(
        group, record.title, record.username, record.password, url=record.url or None,
        notes=record.notes or None, tags=list(record.tags) or None, otp=record.totp or None,
        force_creation=True,
    )  # fmt: skip
    if record.uuid:
        entry.uuid = uuid_module.UUID(record.uuid)
    used = {*STANDARD, "otp"}
    for name, value, protected in record.custom:
        key, n = name, 2
        while key in used or not key:
            key, n = f"{name} ({n})", n + 1
        used.add(key)
        entry.set_custom_property(key, value, protect=protected)
    if record.created is not None:
        entry.ctime = record.created
    if record.modified is not None:
        entry.mtime = record.modified
    if record.expires is not None:
        entry.expiry_time = record.expires
        entry.expires = True
    if record.favourite:
        entry._element.append(E.CustomData(E.Item(E.Key(FAVOURITE_KEY), E.Value("true"))))


# XML 1.0's characters (what a KDBX file, and lxml, can hold): no NUL, no other C0 control
# character but tab, newline and carriage return, no U+FFFE/U+FFFF and no lone surrogate.
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _carryable(record: Record, notes: list[Problem] | None) -> Record:
    """``record`` without the characters a KDBX file cannot carry; a note names what was dropped."""
    lost: list[str] = []

    def clean(text: str, what: str) -> str:
        kept, count = _NOT_XML.subn("", text)
        if count and what not in lost:
            lost.append(what)
        return kept

    texts: dict[str, Any] = {
        name: clean(getattr(record, name), name)
        for name in ("title", "username", "password", "url", "notes", "totp", "folder")
    }
    tags = tuple(clean(tag, "tags") for tag in record.tags)
    custom = tuple(
        (clean(name, "custom fields"), clean(value, "custom fields"), protected)
        for name, value, protected in record.custom
    )
    if not lost:
        return record
    if notes is not None:
        message = "characters KeePass cannot store (NUL or other control characters) were left out of"
        notes.append(Problem(0, f"{texts['title']!r}: {message} its {', '.join(lost)}"))
    return replace(record, **texts, tags=tags, custom=custom)
