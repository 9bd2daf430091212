"""The tamper-evident audit log: ``NAME.vault.log`` beside the vault, one JSON record per line.

Records say what happened (an event type), when, and to which entry (its UUID); never a secret,
never a title. Each record is chained to the one before it: an authenticated record carries
``mac = HMAC-SHA256(audit key, prev_tag || content)``, with the audit key derived from the vault
key (``Keyring.audit_key``), so nobody without the passphrase can edit, delete, reorder or insert
records without ``verify`` noticing. A failed unlock has no key yet: it is written with an
unkeyed ``hash`` in the same chain and shown as unauthenticated; the next authenticated record
covers it, so only the records after the last authenticated one could have been forged.

Truncation (cutting records off the end) is caught by two anchors: the vault itself stores the
log's head (sequence number and tag) at every save, and this device remembers the last record it
wrote per log (``Anchors``). When an append finds the log behind an anchor, it first writes an
authenticated ``log.truncated`` record, so the evidence stays in the chain for good.

The log is bounded: past ``MAX_RECORDS`` the file is rotated to
``NAME.vault.log.1`` (one older file is kept), and the new file starts with a ``log.rotated``
record chained to the old one. See docs/FORMAT.md section 9.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from vaultapp.core.errors import VaultError
from vaultapp.core.storage import StateFile

MAX_RECORDS: Final = 10_000  # per file; one rotated file is kept, so at most twice this
UNAUTHENTICATED_SLACK: Final = 1_000  # failed unlocks past a full file are dropped, not stored
GENESIS: Final = bytes(32)
_UNAUTH_LABEL: Final = b"vaultapp audit unauthenticated v1"
_TAIL_READ: Final = 8192
LOCK_TIMEOUT: Final = 5.0

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
    "vault.exported": "Exported",
    "vault.imported": "Imported",
    "vault.merged": "Merged another copy",
    "backup.restored": "Restored a backup",
    "settings.changed": "Vault settings changed",
    "log.rotated": "Log rotated (older records in .log.1)",
    "log.restarted": "Log restarted",
    "log.truncated": "Records were found cut off the end of the log",
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
    """One parsed line of the log."""

    seq: int
    time: datetime
    event: str
    uuid: str | None
    detail: dict[str, Any]
    authenticated: bool
    tag: bytes = field(repr=False)

    @property
    def description(self) -> str:
        return EVENTS.get(self.event, self.event)

    @property
    def details(self) -> str:
        """The detail as short text for people, e.g. ``fields: password, url``."""
        parts = []
        for key, value in sorted(self.detail.items()):
            if key == "prev":
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
        return obj


@dataclass(slots=True)
class Verification:
    """The result of ``AuditLog.verify``: the records read and what is wrong (empty: intact)."""

    records: list[Record]
    problems: list[str]
    rotated_out: bool = False  # the file before the rotated one is gone (normal after two rotations)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unauthenticated(self) -> int:
        return sum(not r.authenticated for r in self.records)


class Anchors(StateFile):
    """What this device last wrote to each log: ``{"<log path>": [seq, "<tag base64>"]}``.

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
            else:
                data[key] = [seq, _b64(tag)]

        update_state(self.path, change)


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
    return obj, Record(seq, time, event, uuid, detail, False, digest or b"")


def _lines(path: Path) -> list[str]:
    """The file's records as text. A last line without its newline is the half of a record whose
    writer was killed; it never was a record (the next append cuts it off), so it is left out."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise VaultError(f"Cannot read the audit log {path}: {exc.strerror or exc}.") from None
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    return [line for line in lines[:-1] if line.strip()]


class AuditLog:
    """The log of one vault. ``key`` is the audit key (None: only failed unlocks can be written)."""

    def __init__(self, vault_path: Path, key: bytes | None, *, anchors: Anchors | None = None) -> None:
        self.vault_path = vault_path
        self.path = log_path(vault_path)
        self.archive = archive_path(vault_path)
        self._key = key
        self.anchors = anchors

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r}, {'keyed' if self._key else 'unkeyed'})"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from vaultapp.core.storage import ExclusiveLock, LockTimeoutError

        lock = ExclusiveLock(self.path.with_name(self.path.name + ".lock"), timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except LockTimeoutError:
            raise VaultError(f"The audit log {self.path.name} is busy; the event was not logged.") from None
        except OSError as exc:
            raise VaultError(f"Cannot lock the audit log {self.path}: {exc.strerror or exc}.") from None
        try:
            yield
        finally:
            lock.release()

    # ---- writing ----------------------------------------------------------------------------

    def _tail(self) -> tuple[int, bytes, int]:
        """(last seq, last tag, seq of the file's first record); (-1, GENESIS, 0) for no log.

        A last line without its newline is a half-written record of a crashed process: it is cut
        off before appending (it never was a record)."""
        try:
            with self.path.open("r+b") as handle:
                size = handle.seek(0, os.SEEK_END)
                if size == 0:
                    return -1, GENESIS, 0
                start = max(0, size - _TAIL_READ)
                handle.seek(start)
                tail = handle.read()
                if not tail.endswith(b"\n"):
                    cut = tail.rfind(b"\n")
                    handle.truncate(start + cut + 1 if cut >= 0 else start)
                    tail = tail[: cut + 1] if cut >= 0 else b""
                handle.seek(0)
                first_line = handle.readline()
        except FileNotFoundError:
            return -1, GENESIS, 0
        lines = [line for line in tail.split(b"\n") if line.strip()]
        if not lines:
            return (-1, GENESIS, 0) if start == 0 else self._tail_slow()
        last = _parse(lines[-1].decode("utf-8", errors="replace"))
        first = _parse(first_line.decode("utf-8", errors="replace"))
        if last is None:  # a damaged last record: chain on from its bytes; verify reports it
            return -1, hashlib.sha256(lines[-1]).digest(), 0
        return last[1].seq, last[1].tag, 0 if first is None else first[1].seq

    def _tail_slow(self) -> tuple[int, bytes, int]:
        lines = _lines(self.path)
        parsed = [p for p in map(_parse, lines) if p is not None]
        if not parsed:
            return -1, GENESIS, 0
        return parsed[-1][1].seq, parsed[-1][1].tag, parsed[0][1].seq

    def head(self) -> tuple[int, bytes]:
        """The last record's (seq, tag); (-1, GENESIS) when the log is empty."""
        seq, tag, _ = self._tail()
        return seq, tag

    def _write_line(self, path: Path, content: dict[str, Any], prev: bytes, key: bytes | None) -> bytes:
        tag = tag_of(prev, canonical(content), key)
        line = dict(content)
        line["mac" if key is not None else "hash"] = _b64(tag)
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
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
    ) -> None:
        """Add one record (authenticated when the log has a key).

        Raises:
            VaultError: the log cannot be written (the caller decides whether that matters).
        """
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        when = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
        try:
            with self._locked():
                seq, prev, first = self._tail()
                if self._key is not None and self.anchors is not None:
                    seq, prev = self._notice(self.anchors.get(self.path), "this device", seq, prev, when)
                if seq + 1 - first >= MAX_RECORDS:
                    if self._key is None:
                        if seq + 1 - first >= MAX_RECORDS + UNAUTHENTICATED_SLACK:
                            return  # bounded: unauthenticated noise never grows the log without end
                    else:
                        self.path.replace(self.archive)
                        seq += 1
                        rotated = {"seq": seq, "time": when, "event": "log.rotated",
                                   "detail": {"prev": _b64(prev)}}  # fmt: skip
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

    def _notice(
        self, anchor: tuple[int, bytes] | None, who: str, seq: int, prev: bytes, when: str
    ) -> tuple[int, bytes]:
        """If the log ends before ``anchor`` (or at it with another record), log that first."""
        if anchor is None or anchor[0] < seq or (anchor[0] == seq and hmac.compare_digest(anchor[1], prev)):
            return seq, prev
        content = {"seq": seq + 1, "time": when, "event": "log.truncated",
                   "detail": {"known": anchor[0], "found": seq, "by": who}}  # fmt: skip
        return seq + 1, self._write_line(self.path, content, prev, self._key)

    def check_head(self, head: tuple[int, bytes] | None, who: str = "the vault") -> None:
        """Before a new head replaces ``head`` (the vault's), keep any truncation on record."""
        if self._key is None or head is None:
            return
        when = datetime.now(UTC).replace(microsecond=0).isoformat()
        try:
            with self._locked():
                seq, prev, _ = self._tail()
                self._notice(head, who, seq, prev, when)
        except OSError as exc:
            raise VaultError(f"Cannot write the audit log {self.path}: {exc.strerror or exc}.") from None

    # ---- reading and verifying --------------------------------------------------------------

    def verify(self, *, vault_head: tuple[int, bytes] | None = None) -> Verification:
        """Read both files and check the chain; needs the key (without it every MAC fails).

        ``vault_head`` is the head the vault stored at its last save."""
        problems: list[str] = []
        records: list[Record] = []
        archive, current = _lines(self.archive), _lines(self.path)
        rotated_out = False
        prev: bytes | None = GENESIS
        expected = 0
        for number, (name, line) in enumerate(
            [(self.archive.name, x) for x in archive] + [(self.path.name, x) for x in current]
        ):
            parsed = _parse(line)
            if parsed is None:
                problems.append(f"A line of {name} is not a readable record (damaged or edited).")
                prev = None
                continue
            content, record = parsed
            if not records and number == 0:
                if record.event == "log.rotated":  # older records were rotated out: start here
                    rotated_out = record.seq > 0
                    prev, expected = _unb64(record.detail.get("prev")), record.seq
                elif record.seq != 0:
                    problems.append(f"The log's beginning is missing: it starts at record {record.seq}.")
                    prev, expected = None, record.seq
            elif number == len(archive) and record.event == "log.rotated":
                linked = _unb64(record.detail.get("prev"))
                if prev is not None and (linked is None or not hmac.compare_digest(linked, prev)):
                    problems.append(f"Record {record.seq} does not continue the rotated file.")
            if record.seq != expected:
                what = "missing" if record.seq > expected else "out of order or repeated"
                problems.append(f"Records are {what} before record {record.seq} (expected {expected}).")
            if prev is not None:
                want = tag_of(prev, canonical(content), self._key if record.authenticated else None)
                if not hmac.compare_digest(want, record.tag):
                    problems.append(
                        f"Record {record.seq} ({record.event}) was altered, or a record before it "
                        "was removed or changed: its MAC does not verify."
                        if record.authenticated
                        else f"Record {record.seq} ({record.event}) does not match its hash."
                    )
            if record.event == "log.truncated":
                d = record.detail
                problems.append(
                    f"Records {d.get('found', -1) + 1} to {d.get('known')} were cut off the end of the "
                    f"log (or an older copy was put back); {d.get('by', 'vaultapp')} noticed it at "
                    f"record {record.seq}."
                )
            prev, expected = record.tag, record.seq + 1
            records.append(record)
        anchors = [("this device", self.anchors.get(self.path) if self.anchors else None)]
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
        return Verification(records, problems, rotated_out)

    # ---- passphrase change ------------------------------------------------------------------

    def rechain(self, new_key: bytes) -> Rechain:
        """Prepare the log for a new audit key (a passphrase change): if it verifies under the
        current key, re-tag every record under the new key; if not, keep the old files aside
        (renamed ``.before-rekey``) and start again with a ``log.restarted`` record. Nothing is
        written until ``Rechain.commit``; hold on to the returned object only briefly."""
        check = self.verify()
        return Rechain(self, new_key, check)


class Rechain:
    """A prepared re-keying of a log (see ``AuditLog.rechain``)."""

    def __init__(self, log: AuditLog, new_key: bytes, check: Verification) -> None:
        self.log, self.key, self.check = log, new_key, check
        self.files: dict[Path, bytes] = {}
        prev, first = GENESIS, True
        if check.ok:
            for path in (log.archive, log.path):
                out = []
                for line in _lines(path):
                    parsed = _parse(line)
                    if parsed is None:  # verified just before; changed since: restart instead
                        self.check.problems.append("The log changed while it was being re-keyed.")
                        break
                    content, record = parsed
                    if record.event == "log.rotated":
                        if first:  # chained to a record rotated out long ago: keep that link
                            prev = _unb64(record.detail.get("prev")) or GENESIS
                        else:
                            content["detail"] = dict(content["detail"], prev=_b64(prev))
                    first = False
                    tag = tag_of(prev, canonical(content), new_key if record.authenticated else None)
                    content["mac" if record.authenticated else "hash"] = _b64(tag)
                    out.append(json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n")
                    prev = tag
                if out:
                    self.files[path] = "".join(out).encode("utf-8")
        ok = check.ok and check.records
        self.head = (check.records[-1].seq, prev) if ok else (-1, GENESIS)

    def commit(self, now: datetime | None = None) -> None:
        """Write the re-keyed files (atomically each) or restart the log; then the new key rules."""
        from vaultapp.core.storage import atomic_write

        log = self.log
        if self.check.ok:
            for path, data in self.files.items():
                atomic_write(path, data, backup=False)
            if log.anchors is not None and self.head[0] >= 0:
                log.anchors.set(log.path, *self.head)
        else:
            for path in (log.archive, log.path):
                if path.exists():
                    path.replace(path.with_name(path.name + ".before-rekey"))
            if log.anchors is not None:
                log.anchors.set(log.path, -1, None)
        log._key = self.key
        if not self.check.ok:
            log.append("log.restarted", detail={"reason": "the old log did not verify"}, now=now)
