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
per file) and never cause a rotation. See docs/FORMAT.md section 9. What a record is, its tag,
and the check of a chain of them are in ``audit_records``; this module is the log file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from vaultapp.core.audit_records import (
    EVENTS,
    GENESIS,
    UNAUTHENTICATED_EVENTS,
    Gap,
    Verification,
    add_gap,
    b64,
    canonical,
    check_chain,
    gaps_from,
    key_id,
    parse_line,
    split_lines,
    tag_of,
    unb64,
)
from vaultapp.core.errors import VaultError
from vaultapp.core.locks import StateFile
from vaultapp.core.storage import open_private

MAX_RECORDS: Final = 10_000  # authenticated records per file; one rotated file is kept
MAX_UNAUTHENTICATED: Final = 1_000  # failed unlocks per file; past that they are not stored
MAX_FILE_BYTES: Final = 64 * 1024**2  # far above what the two bounds above allow
LOCK_TIMEOUT: Final = 5.0


def log_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".log")


def archive_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".log.1")


class Anchors(StateFile):
    """What this device last wrote to each log: ``{"<log path>": [seq, "<tag base64>"]}``, and
    the events it could not write there: ``{"gaps:<log path>": [["<time>", count, [events]]]}``.

    Holds no secret (tags are MACs). Kept in the state folder, beside ``seen.json``.
    """

    FILE_NAME = "audit-heads.json"

    def get(self, log: Path) -> tuple[int, bytes] | None:
        value = self._load().get(str(log.resolve()))
        if isinstance(value, list) and len(value) == 2 and type(value[0]) is int:
            tag = unb64(value[1])
            if tag is not None:
                return value[0], tag
        return None

    def set(self, log: Path, seq: int, tag: bytes | None) -> None:
        """Best effort: a device that cannot write its state still logs. ``tag=None`` forgets
        the log (a new vault, or a log restarted on purpose)."""
        from vaultapp.core.locks import update_state

        key = str(log.resolve())

        def change(data: dict[str, Any]) -> None:
            if tag is None:
                data.pop(key, None)
                data.pop("gaps:" + key, None)
            else:
                data[key] = [seq, b64(tag)]

        update_state(self.path, change)

    def gaps(self, log: Path) -> list[Gap]:
        return gaps_from(self._load().get("gaps:" + str(log.resolve())))

    def add_gap(self, log: Path, gap: Gap) -> None:
        from vaultapp.core.locks import update_state

        key = "gaps:" + str(log.resolve())

        def change(data: dict[str, Any]) -> None:
            data[key] = add_gap(data.get(key), gap)

        update_state(self.path, change)


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


def _lines(path: Path) -> list[str]:
    lines, _ = split_lines(_read(path))
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
        from vaultapp.core.locks import ExclusiveLock, LockTimeoutError

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
        from vaultapp.core.locks import ExclusiveLock, LockTimeoutError

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
        lines, torn = split_lines(data)
        cut = 0
        if torn and repair:
            fd = open_private(self.path, os.O_WRONLY)
            try:
                if parse_line(torn.decode("utf-8", errors="replace")) is not None:
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
        last = parse_line(lines[-1].decode("utf-8", errors="replace"))
        first = parse_line(lines[0].decode("utf-8", errors="replace"))
        first_seq = 0 if first is None else first[1].seq
        if last is None:  # a damaged last record: chain on from its bytes; verify reports it
            return _Tail(-1, hashlib.sha256(lines[-1]).digest(), len(lines) - unauth, unauth, first_seq), cut
        return _Tail(last[1].seq, last[1].tag, len(lines) - unauth, unauth, first_seq), cut

    def head(self) -> tuple[int, bytes]:
        """The last record's (seq, tag); (-1, GENESIS) when the log is empty."""
        tail, _ = self._tail()
        return tail.seq, tail.tag

    def _line(self, content: dict[str, Any], prev: bytes, key: bytes | None) -> tuple[bytes, bytes]:
        """One record's line (with its newline) chained to ``prev``, and its tag."""
        if key is not None:
            content = dict(content, k=key_id(key))
        tag = tag_of(prev, canonical(content), key)
        line = dict(content)
        line["mac" if key is not None else "hash"] = b64(tag)
        return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"), tag

    def _write_out(self, path: Path, data: bytes) -> None:
        """Append whole records with one write and one fsync; on an error nothing stays."""
        fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)  # 0600, never a link or FIFO
        try:
            size = os.fstat(fd).st_size
            try:
                _write_all(fd, data)
                os.fsync(fd)
            except OSError:  # a full disk: take the partial records back, never leave one torn
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)

    def _write_line(self, path: Path, content: dict[str, Any], prev: bytes, key: bytes | None) -> bytes:
        data, tag = self._line(content, prev, key)
        self._write_out(path, data)
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
        return self.append_many([(event, uuid, detail)], now=now, wait=wait)

    def append_many(
        self,
        events: Sequence[tuple[str, str | None, dict[str, Any] | None]],
        *,
        now: datetime | None = None,
        wait: bool = True,
    ) -> bool:
        """Add one record per ``(event, uuid, detail)``, in order, as ``append`` would one by
        one, but under one lock, with one read of the log and one write and fsync (two around
        each rotation): the events of a save with many changes. Returns False when failed
        unlocks were left out (see ``append``). A write that fails leaves no partial record of
        its batch; when a rotation happened in between, the records before it stay written.

        Raises:
            VaultError: the log cannot be written (the caller decides whether that matters).
        """
        for event, _, _ in events:
            if event not in EVENTS:
                raise ValueError(f"unknown audit event {event!r}")
            if self._key is None and event not in UNAUTHENTICATED_EVENTS:
                raise ValueError(f"{event!r} needs the audit key")
        if not events:
            return True
        when = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
        stored = True
        try:
            with self._locked(wait=wait):
                tail, cut = self._tail(repair=True)
                seq, prev = tail.seq, tail.tag
                if self._key is None:
                    room = max(MAX_UNAUTHENTICATED - tail.unauthenticated, 0)
                    stored, events = len(events) <= room, events[:room]
                    if not events:
                        return False  # bounded: failed unlocks never grow the log without end
                else:
                    if self.anchors is not None:
                        seq, prev = self._notice(self.anchors.get(self.path), "this device", seq, prev, when)
                    if cut:
                        repaired = {"seq": seq + 1, "time": when, "event": "log.repaired",
                                    "detail": {"cut_bytes": cut}}  # fmt: skip
                        seq, prev = seq + 1, self._write_line(self.path, repaired, prev, self._key)
                chunks: list[bytes] = []
                authenticated, first = tail.authenticated, tail.first
                for event, uuid, detail in events:
                    if self._key is not None and authenticated >= MAX_RECORDS:
                        if chunks:
                            self._write_out(self.path, b"".join(chunks))
                            chunks = []
                        self.path.replace(self.archive)
                        seq += 1
                        rotated = {"seq": seq, "time": when, "event": "log.rotated",
                                   "detail": {"prev": b64(prev), "first": first}}  # fmt: skip
                        line, prev = self._line(rotated, prev, self._key)
                        chunks.append(line)
                        authenticated, first = 1, seq
                    seq += 1
                    content: dict[str, Any] = {"seq": seq, "time": when, "event": event}
                    if uuid is not None:
                        content["uuid"] = uuid
                    if detail:
                        content["detail"] = detail
                    line, prev = self._line(content, prev, self._key)
                    chunks.append(line)
                    authenticated += self._key is not None
                self._write_out(self.path, b"".join(chunks))
                if self.anchors is not None and self._key is not None:
                    self.anchors.set(self.path, seq, prev)
        except OSError as exc:
            raise VaultError(f"Cannot write the audit log {self.path}: {exc.strerror or exc}.") from None
        return stored

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
        """Read both files and check the chain (``audit_records.check_chain``); needs the key
        (without it every MAC fails).

        ``vault_head`` is the head the vault stored at its last save, ``gaps`` the events it
        recorded as not logged."""
        # Under the log's lock, so that no rotation happens between the two reads; the device's
        # anchor first: a writer moves it only after its record is on disk.
        with self._locked_if_free():
            device = self.anchors.get(self.path) if self.anchors else None
            archive_data, current_data = _read(self.archive), _read(self.path)
        keys = [*self._old_keys, *([self._key] if self._key is not None else [])]
        result = check_chain(
            (self.archive.name, archive_data), (self.path.name, current_data), keys,
            [("this device", device), ("the vault", vault_head)],
        )  # fmt: skip
        result.notes += [gap.describe("the vault") for gap in gaps]
        if self.anchors is not None:
            result.notes += [gap.describe("this device") for gap in self.anchors.gaps(self.path)]
        return result


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a short write on a nearly full disk is not an end)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
