"""The tamper-evident audit log: ``NAME.vault.log`` beside the vault, one JSON record per line.

Records say what happened (an event type), when, and to which entry (its UUID); never a secret,
never a title. Each record is chained to the one before it: an authenticated record carries
``mac = HMAC-SHA256(audit key, prev_tag || content)``, with the audit key derived from the vault
key (``Keyring.audit_key``), so nobody without the passphrase can edit, delete, reorder or insert
records without ``verify`` noticing. A failed unlock has no key yet: it is written with an
unkeyed ``hash`` in the same chain and shown as unauthenticated; the next authenticated record
covers it. Any other event without a MAC is a forgery and is reported as one.

Each authenticated record names its key (``k``, a key id). A passphrase change does not rewrite
the log: the vault keeps the audit keys of its earlier passphrases (inside its encrypted
payload), so records of every epoch verify, including those a process that unlocked with the old
passphrase writes after the change.

Truncation (cutting records off the end) is caught by two anchors: the vault itself stores the
log's head (sequence number and tag) at every save, and this device remembers the last record it
wrote per log (``Anchors``). When an append finds the log behind an anchor, it first writes an
authenticated ``log.truncated`` record, so the evidence stays in the chain for good.

The log is bounded: past ``MAX_RECORDS`` authenticated records the file is rotated to
``NAME.vault.log.1`` (one older file is kept), and the new file starts with a ``log.rotated``
record chained to the old one; failed unlocks are capped on their own (``MAX_UNAUTHENTICATED``
per file) and never cause a rotation. See docs/FORMAT.md section 9.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from vaultapp.core.errors import VaultError
from vaultapp.core.storage import StateFile, open_private

MAX_RECORDS: Final = 10_000  # authenticated records per file; one rotated file is kept
MAX_UNAUTHENTICATED: Final = 1_000  # failed unlocks per file; past that they are not stored
MAX_FILE_BYTES: Final = 64 * 1024**2  # far above what the two bounds above allow
GENESIS: Final = bytes(32)
_UNAUTH_LABEL: Final = b"vaultapp audit unauthenticated v1"
_KEY_ID_LABEL: Final = b"vaultapp audit key id v1"
LOCK_TIMEOUT: Final = 5.0
UNAUTHENTICATED_EVENTS: Final = frozenset({"unlock.failed"})
# Events only a writer of the vault makes; a process holding a superseded key cannot make them.
_CHANGES: Final = frozenset({
    "vault.created", "passphrase.changed", "entry.created", "entry.changed", "entry.trashed",
    "entry.restored", "entry.deleted", "vault.imported", "vault.merged", "backup.restored",
})  # fmt: skip

EVENTS: Final = {
    "vault.created": "Vault created",
    "vault.unlocked": "Unlocked",
    "unlock.failed": "Failed unlock (wrong passphrase)",
    "passphrase.changed": "Passphrase changed",
    "entry.created": "Entry created",
    "entry.changed": "Entry changed",
    "entry.trashed": "Entry moved to the Trash",
    "entry.restored": "Entry restored from the Trash",
    "entry.deleted": "Entry deleted",
    "entry.revealed": "Secret shown",
    "entry.copied": "Copied to the clipboard",
    "entry.sent": "Sent to a browser",
    "vault.exported": "Exported",
    "vault.imported": "Imported",
    "vault.merged": "Merged another copy",
    "backup.restored": "Restored a backup",
    "settings.changed": "Vault settings changed",
    "log.rotated": "Log rotated (older records in .log.1)",
    "log.restarted": "Log restarted",
    "log.truncated": "Records were found cut off the end of the log",
    "log.repaired": "A record cut by a crash was removed",
}


def log_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".log")


def archive_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".log.1")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes | None:
    if type(text) is not str:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return None


def key_id(key: bytes) -> str:
    """The short, public name of an audit key that authenticated records carry (``k``)."""
    return _b64(hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).digest()[:9])


def canonical(content: dict[str, Any]) -> bytes:
    """The bytes a record's tag covers: its fields except ``mac``/``hash``, as sorted compact JSON."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def tag_of(prev: bytes, content: bytes, key: bytes | None) -> bytes:
    """HMAC-SHA256 with the audit key, or (no key: a failed unlock) an unkeyed SHA-256."""
    if key is None:
        return hashlib.sha256(_UNAUTH_LABEL + prev + content).digest()
    return hmac.new(key, prev + content, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Record:
    """One parsed line of the log. ``forged``: unauthenticated although only failed unlocks may be."""

    seq: int
    time: datetime
    event: str
    uuid: str | None
    detail: dict[str, Any]
    authenticated: bool
    tag: bytes = field(repr=False)
    forged: bool = False

    @property
    def description(self) -> str:
        return EVENTS.get(self.event, self.event)

    @property
    def details(self) -> str:
        """The detail as short text for people, e.g. ``fields: password, url``."""
        parts = []
        for key, value in sorted(self.detail.items()):
            if key in ("prev", "first"):
                continue
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            parts.append(f"{key.replace('_', ' ')}: {text}")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {"seq": self.seq, "time": self.time.isoformat(), "event": self.event}
        if self.uuid is not None:
            obj["uuid"] = self.uuid
        if self.detail:
            obj["detail"] = self.detail
        obj["authenticated"] = self.authenticated
        if self.forged:
            obj["forged"] = True
        return obj


@dataclass(slots=True)
class Verification:
    """The result of ``AuditLog.verify``: the records read, what is wrong (``problems``, empty:
    intact) and what is worth knowing but is no tampering (``notes``: a record cut by a crash,
    events that could not be logged, records written with a superseded passphrase)."""

    records: list[Record]
    problems: list[str]
    rotated_out: bool = False  # the file before the rotated one is gone (normal after two rotations)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unauthenticated(self) -> int:
        return sum(not r.authenticated and not r.forged for r in self.records)

    @property
    def forged(self) -> int:
        return sum(r.forged for r in self.records)


class Anchors(StateFile):
    """What this device last wrote to each log: ``{"<log path>": [seq, "<tag base64>"]}``, and
    the events it could not write there: ``{"gaps:<log path>": [["<time>", count, [events]]]}``.

    Holds no secret (tags are MACs). Kept in the state folder, beside ``seen.json``.
    """

    FILE_NAME = "audit-heads.json"

    def get(self, log: Path) -> tuple[int, bytes] | None:
        value = self._load().get(str(log.resolve()))
        if isinstance(value, list) and len(value) == 2 and type(value[0]) is int:
            tag = _unb64(value[1])
            if tag is not None:
                return value[0], tag
        return None

    def set(self, log: Path, seq: int, tag: bytes | None) -> None:
        """Best effort: a device that cannot write its state still logs. ``tag=None`` forgets
        the log (a new vault, or a log restarted on purpose)."""
        from vaultapp.core.storage import update_state

        key = str(log.resolve())

        def change(data: dict[str, Any]) -> None:
            if tag is None:
                data.pop(key, None)
                data.pop("gaps:" + key, None)
            else:
                data[key] = [seq, _b64(tag)]

        update_state(self.path, change)

    def gaps(self, log: Path) -> list[Gap]:
        return gaps_from(self._load().get("gaps:" + str(log.resolve())))

    def add_gap(self, log: Path, gap: Gap) -> None:
        from vaultapp.core.storage import update_state

        key = "gaps:" + str(log.resolve())

        def change(data: dict[str, Any]) -> None:
            data[key] = add_gap(data.get(key), gap)

        update_state(self.path, change)


@dataclass(frozen=True, slots=True)
class Gap:
    """Events that could not be written to the log (it was busy, or the disk refused)."""

    time: str
    events: tuple[str, ...]

    def to_json(self) -> list[Any]:
        return [self.time, len(self.events), list(self.events)]

    def describe(self, where: str) -> str:
        count = len(self.events)
        what = "event" if count == 1 else "events"
        return (
            f"{count} {what} ({', '.join(sorted(set(self.events)))}) could not be logged at {self.time} "
            f"(the log was busy or could not be written; {where} kept the count)."
        )


GAPS_MAX: Final = 100


def gaps_from(value: object) -> list[Gap]:
    """Gaps as stored (``[["<time>", count, [events]], ...]``); anything malformed is skipped."""
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, list) and len(item) == 3 and type(item[0]) is str and isinstance(item[2], list):
            out.append(Gap(item[0], tuple(str(e) for e in item[2])))
    return out


def add_gap(value: object, gap: Gap) -> list[Any]:
    """``value`` (stored gaps) with ``gap`` added; at most GAPS_MAX kept (the oldest merge)."""
    gaps = [*gaps_from(value), gap]
    while len(gaps) > GAPS_MAX:
        first, second = gaps[0], gaps[1]
        gaps[:2] = [Gap(first.time, first.events + second.events)]
    return [g.to_json() for g in gaps]


def _parse(line: str) -> tuple[dict[str, Any], Record] | None:
    """A record line -> (its content, the Record), or None when it is not a well-formed record."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if type(obj) is not dict:
        return None
    mac, digest = _unb64(obj.pop("mac", None)), _unb64(obj.pop("hash", None))
    seq, when, event = obj.get("seq"), obj.get("time"), obj.get("event")
    uuid, detail = obj.get("uuid"), obj.get("detail", {})
    if (mac is None) == (digest is None) or type(seq) is not int or type(event) is not str:
        return None
    if (uuid is not None and type(uuid) is not str) or type(detail) is not dict:
        return None
    try:
        time = datetime.fromisoformat(when)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if mac is not None:
        return obj, Record(seq, time, event, uuid, detail, True, mac)
    forged = event not in UNAUTHENTICATED_EVENTS or uuid is not None or bool(detail) or "k" in obj
    return obj, Record(seq, time, event, uuid, detail, False, digest or b"", forged)


def _read(path: Path) -> bytes:
    """The file's bytes (b"" when missing), bounded by MAX_FILE_BYTES."""
    try:
        fd = open_private(path, os.O_RDONLY)  # never a link, a FIFO or a device
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise VaultError(f"Cannot read the audit log {path}: {exc.strerror or exc}.") from None
    chunks, total = [], 0
    try:
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise VaultError(f"Cannot read the audit log {path}: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise VaultError(
            f"The audit log {path.name} is larger than {MAX_FILE_BYTES // 1024**2} MiB, which vaultapp "
            "never writes; move it aside to start a new log."
        )
    return data


def _split(data: bytes) -> tuple[list[bytes], bytes]:
    """(the complete lines, the torn tail): a last line without its newline is the half of a
    record whose writer was killed, or a whole record whose newline never made it to disk."""
    cut = data.rfind(b"\n") + 1
    return [line for line in data[:cut].split(b"\n") if line.strip()], data[cut:]


def _lines(path: Path) -> list[str]:
    lines, _ = _split(_read(path))
    return [line.decode("utf-8", errors="replace") for line in lines]


@dataclass(slots=True)
class _Tail:
    seq: int  # the last record's seq (-1: none)
    tag: bytes
    authenticated: int  # records of each kind in the current file
    unauthenticated: int
    first: int  # the file's first seq (0 when empty)


class AuditLog:
    """The log of one vault. ``key`` is the audit key (None: only failed unlocks can be written);
    ``old_keys`` are the audit keys of the vault's earlier passphrases (oldest first)."""

    def __init__(
        self,
        vault_path: Path,
        key: bytes | None,
        *,
        anchors: Anchors | None = None,
        old_keys: Sequence[bytes] = (),
    ) -> None:
        self.vault_path = vault_path
        self.path = log_path(vault_path)
        self.archive = archive_path(vault_path)
        self._key = key
        self._old_keys = tuple(old_keys)
        self.anchors = anchors

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r}, {'keyed' if self._key else 'unkeyed'})"

    def rekey(self, key: bytes, old_keys: Sequence[bytes]) -> None:
        """From now on write under ``key`` (a passphrase change); nothing is rewritten."""
        self._key, self._old_keys = key, tuple(old_keys)

    @contextlib.contextmanager
    def _locked(self, *, wait: bool = True) -> Iterator[None]:
        from vaultapp.core.storage import ExclusiveLock, LockTimeoutError

        lock = ExclusiveLock(  # removed on release: no NAME.log.lock is left beside the vault
            self.path.with_name(self.path.name + ".lock"), timeout=LOCK_TIMEOUT if wait else 0, remove=True
        )
        try:
            lock.acquire()
        except LockTimeoutError:
            raise VaultError(
                f"The audit log {self.path.name} is busy (another process holds its lock)."
            ) from None
        except OSError as exc:
            raise VaultError(f"Cannot lock the audit log {self.path}: {exc.strerror or exc}.") from None
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def _locked_if_free(self) -> Iterator[None]:
        """The log's lock for reading; a busy or unlockable log is read without it."""
        from vaultapp.core.storage import ExclusiveLock, LockTimeoutError

        lock = ExclusiveLock(
            self.path.with_name(self.path.name + ".lock"), timeout=min(LOCK_TIMEOUT, 1.0), remove=True
        )
        try:
            lock.acquire()
        except (LockTimeoutError, OSError):
            yield
            return
        try:
            yield
        finally:
            lock.release()

    # ---- writing ----------------------------------------------------------------------------

    def _tail(self, *, repair: bool = False) -> tuple[_Tail, int]:
        """The current file's last record and counts; with ``repair``, a torn last line is
        mended first: completed with its newline when it is a whole record, else cut off.
        Returns the tail and the number of bytes cut (0: nothing was torn)."""
        data = _read(self.path)
        lines, torn = _split(data)
        cut = 0
        if torn and repair:
            fd = open_private(self.path, os.O_WRONLY)
            try:
                if _parse(torn.decode("utf-8", errors="replace")) is not None:
                    os.lseek(fd, 0, os.SEEK_END)
                    _write_all(fd, b"\n")
                    lines.append(torn)
                else:
                    os.ftruncate(fd, len(data) - len(torn))
                    cut = len(torn)
                os.fsync(fd)
            finally:
                os.close(fd)
        unauth = sum(1 for line in lines if b'"hash":"' in line)
        if not lines:
            return _Tail(-1, GENESIS, 0, 0, 0), cut
        last = _parse(lines[-1].decode("utf-8", errors="replace"))
        first = _parse(lines[0].decode("utf-8", errors="replace"))
        first_seq = 0 if first is None else first[1].seq
        if last is None:  # a damaged last record: chain on from its bytes; verify reports it
            return _Tail(-1, hashlib.sha256(lines[-1]).digest(), len(lines) - unauth, unauth, first_seq), cut
        return _Tail(last[1].seq, last[1].tag, len(lines) - unauth, unauth, first_seq), cut

    def head(self) -> tuple[int, bytes]:
        """The last record's (seq, tag); (-1, GENESIS) when the log is empty."""
        tail, _ = self._tail()
        return tail.seq, tail.tag

    def _write_line(self, path: Path, content: dict[str, Any], prev: bytes, key: bytes | None) -> bytes:
        if key is not None:
            content = dict(content, k=key_id(key))
        tag = tag_of(prev, canonical(content), key)
        line = dict(content)
        line["mac" if key is not None else "hash"] = _b64(tag)
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)  # 0600, never a link or FIFO
        try:
            size = os.fstat(fd).st_size
            try:
                _write_all(fd, data)
                os.fsync(fd)
            except OSError:  # a full disk: take the partial record back, never leave it torn
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)
        return tag

    def append(
        self,
        event: str,
        *,
        uuid: str | None = None,
        detail: dict[str, Any] | None = None,
        now: datetime | None = None,
        wait: bool = True,
    ) -> bool:
        """Add one record (authenticated when the log has a key). Returns False when a failed
        unlock was not stored because the file holds MAX_UNAUTHENTICATED of them already.
        ``wait=False``: do not wait LOCK_TIMEOUT for a busy lock (it was busy a moment ago).

        Raises:
            VaultError: the log cannot be written (the caller decides whether that matters).
        """
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        if self._key is None and event not in UNAUTHENTICATED_EVENTS:
            raise ValueError(f"{event!r} needs the audit key")
        when = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
        try:
            with self._locked(wait=wait):
                tail, cut = self._tail(repair=True)
                seq, prev = tail.seq, tail.tag
                if self._key is None:
                    if tail.unauthenticated >= MAX_UNAUTHENTICATED:
                        return False  # bounded: failed unlocks never grow the log without end
                else:
                    if self.anchors is not None:
                        seq, prev = self._notice(self.anchors.get(self.path), "this device", seq, prev, when)
                    if cut:
                        repaired = {"seq": seq + 1, "time": when, "event": "log.repaired",
                                    "detail": {"cut_bytes": cut}}  # fmt: skip
                        seq, prev = seq + 1, self._write_line(self.path, repaired, prev, self._key)
                    if tail.authenticated >= MAX_RECORDS:
                        self.path.replace(self.archive)
                        seq += 1
                        rotated = {"seq": seq, "time": when, "event": "log.rotated",
                                   "detail": {"prev": _b64(prev), "first": tail.first}}  # fmt: skip
                        prev = self._write_line(self.path, rotated, prev, self._key)
                content: dict[str, Any] = {"seq": seq + 1, "time": when, "event": event}
                if uuid is not None:
                    content["uuid"] = uuid
                if detail:
                    content["detail"] = detail
                tag = self._write_line(self.path, content, prev, self._key)
                if self.anchors is not None and self._key is not None:
                    self.anchors.set(self.path, seq + 1, tag)
        except OSError as exc:
            raise VaultError(f"Cannot write the audit log {self.path}: {exc.strerror or exc}.") from None
        return True

    def _notice(
        self, anchor: tuple[int, bytes] | None, who: str, seq: int, prev: bytes, when: str
    ) -> tuple[int, bytes]:
        """If the log ends before ``anchor`` (or at it with another record), log that first."""
        if anchor is None or anchor[0] < seq or (anchor[0] == seq and hmac.compare_digest(anchor[1], prev)):
            return seq, prev
        content = {"seq": seq + 1, "time": when, "event": "log.truncated",
                   "detail": {"known": anchor[0], "found": seq, "by": who}}  # fmt: skip
        return seq + 1, self._write_line(self.path, content, prev, self._key)

    def check_head(self, head: tuple[int, bytes] | None, who: str = "the vault") -> tuple[int, bytes]:
        """Before a new head replaces ``head`` (the vault's), keep any truncation on record;
        returns the log's head, read under the same lock."""
        when = datetime.now(UTC).replace(microsecond=0).isoformat()
        try:
            with self._locked():
                tail, _ = self._tail()
                if self._key is None or head is None:
                    return tail.seq, tail.tag
                return self._notice(head, who, tail.seq, tail.tag, when)
        except OSError as exc:
            raise VaultError(f"Cannot write the audit log {self.path}: {exc.strerror or exc}.") from None

    # ---- reading and verifying --------------------------------------------------------------

    def verify(
        self, *, vault_head: tuple[int, bytes] | None = None, gaps: Sequence[Gap] = ()
    ) -> Verification:
        """Read both files and check the chain; needs the key (without it every MAC fails).

        ``vault_head`` is the head the vault stored at its last save, ``gaps`` the events it
        recorded as not logged."""
        problems: list[str] = []
        notes: list[str] = []
        records: list[Record] = []
        # Under the log's lock, so that no rotation happens between the two reads; the device's
        # anchor first: a writer moves it only after its record is on disk.
        with self._locked_if_free():
            device = self.anchors.get(self.path) if self.anchors else None
            archive_data, current_data = _read(self.archive), _read(self.path)
        archive, _ = _split(archive_data)
        current, torn = _split(current_data)
        if torn and _parse(torn.decode("utf-8", errors="replace")) is not None:
            current, torn = [*current, torn], torn[:0]  # whole, only its newline never reached the disk
        keys = [*self._old_keys, *([self._key] if self._key is not None else [])]
        epochs = {key_id(k): n for n, k in enumerate(keys)}
        epoch = 0
        rotated_out = False
        prev: bytes | None = GENESIS
        expected = 0
        named = [(self.archive.name, x) for x in archive] + [(self.path.name, x) for x in current]
        for number, (name, raw) in enumerate(named):
            parsed = _parse(raw.decode("utf-8", errors="replace"))
            if parsed is None:
                problems.append(f"A line of {name} is not a readable record (damaged or edited).")
                prev = None
                continue
            content, record = parsed
            starts_current = number == len(archive)
            if not records and number == 0:
                if record.event == "log.rotated":  # older records were rotated out: start here
                    rotated_out = record.seq > 0
                    prev, expected = _unb64(record.detail.get("prev")), record.seq
                    if starts_current and record.seq > 0:
                        first = record.detail.get("first", "?")
                        problems.append(
                            f"The older log file {self.archive.name} (records {first} to "
                            f"{record.seq - 1}) is missing: it was deleted or moved."
                        )
                        rotated_out = False
                elif record.seq != 0:
                    problems.append(f"The log's beginning is missing: it starts at record {record.seq}.")
                    prev, expected = None, record.seq
            elif starts_current and record.event == "log.rotated":
                linked = _unb64(record.detail.get("prev"))
                if prev is not None and (linked is None or not hmac.compare_digest(linked, prev)):
                    problems.append(
                        f"Record {record.seq} does not continue {self.archive.name}: the older file "
                        "was replaced or cut short."
                    )
            if record.seq != expected:
                what = "missing" if record.seq > expected else "out of order or repeated"
                problems.append(f"Records are {what} before record {record.seq} (expected {expected}).")
            if record.forged:
                problems.append(
                    f"Record {record.seq} ({record.event}) has no MAC: only failed unlocks are written "
                    "without the key, so it was forged by someone who could write the log."
                )
            elif prev is not None:
                self._check_tag(record, content, prev, keys, epochs, problems)
            if record.authenticated:
                kid = content.get("k")
                number_of = epochs.get(kid) if type(kid) is str else None
                if number_of is not None and number_of < epoch:
                    if record.event in _CHANGES:
                        problems.append(
                            f"Record {record.seq} ({record.event}) was made with a passphrase that "
                            "had already been changed; vaultapp never writes that."
                        )
                    else:
                        notes.append(
                            f"Record {record.seq} ({record.event}) was written with the earlier "
                            "passphrase by a program that had unlocked before it was changed."
                        )
                elif number_of is not None:
                    epoch = number_of
            if record.event == "log.truncated":
                d = record.detail
                problems.append(
                    f"Records {d.get('found', -1) + 1} to {d.get('known')} were cut off the end of the "
                    f"log (or an older copy was put back); {d.get('by', 'vaultapp')} noticed it at "
                    f"record {record.seq}."
                )
            elif record.event == "log.repaired" and record.authenticated:
                notes.append(
                    f"A record was cut by a crash (an unfinished write); removed at record {record.seq}."
                )
            prev, expected = record.tag, record.seq + 1
            records.append(record)
        if torn:
            notes.append(
                "The last record was cut by a crash (an unfinished write); it is removed at the next change."
            )
        anchors = [("this device", device)]
        anchors.append(("the vault", vault_head))
        for who, anchor in anchors:
            if anchor is None or anchor[0] < 0:
                continue
            seq, tag = anchor
            found = next((r for r in reversed(records) if r.seq == seq), None)
            last = records[-1].seq if records else -1
            if found is None and seq > last:
                problems.append(
                    f"The log ends at record {last}, but {who} knows of record {seq}: records were "
                    "cut off the end (or an older copy of the log was put back)."
                )
            elif found is not None and not hmac.compare_digest(found.tag, tag):
                problems.append(f"Record {seq} is not the one {who} knows: the log was replaced.")
        notes += [gap.describe("the vault") for gap in gaps]
        if self.anchors is not None:
            notes += [gap.describe("this device") for gap in self.anchors.gaps(self.path)]
        return Verification(records, problems, rotated_out, notes)

    @staticmethod
    def _check_tag(
        record: Record,
        content: dict[str, Any],
        prev: bytes,
        keys: list[bytes],
        epochs: dict[str, int],
        problems: list[str],
    ) -> None:
        data = canonical(content)
        if not record.authenticated:
            if not hmac.compare_digest(tag_of(prev, data, None), record.tag):
                problems.append(f"Record {record.seq} ({record.event}) does not match its hash.")
            return
        kid = content.get("k")
        if kid is not None:
            number = epochs.get(kid) if type(kid) is str else None
            if number is None:
                problems.append(
                    f"Record {record.seq} ({record.event}) names an audit key this vault does not "
                    "know: it was forged, or it belongs to another vault."
                )
                return
            candidates = [keys[number]]
        else:  # written before records named their key
            candidates = keys
        if not any(hmac.compare_digest(tag_of(prev, data, k), record.tag) for k in candidates):
            problems.append(
                f"Record {record.seq} ({record.event}) was altered, or a record before it "
                "was removed or changed: its MAC does not verify."
            )


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a short write on a nearly full disk is not an end)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
