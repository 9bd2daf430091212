"""The audit trail of one open vault: when its events are written to the log (``core.audit``),
events held until a save lands, gaps the log refused, and what the vault keeps of the log in its
``meta`` (the head at the last save, the gaps, the audit keys of earlier passphrases).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vaultapp.core.audit import Anchors, AuditLog, archive_path, log_path
from vaultapp.core.audit_records import Gap, Verification, add_gap, gaps_from
from vaultapp.core.errors import UsageError, VaultError

Event = tuple[str, str | None, dict[str, Any] | None]  # (event, uuid, detail)


class AuditTrail:
    """The audit wiring of the vault file at ``path``; ``meta`` returns the vault's ``meta``.
    Nothing is written until ``start`` (backups and copies being read have no trail)."""

    def __init__(self, path: Path, meta: Callable[[], dict[str, Any]]) -> None:
        self.path = path
        self._meta = meta
        self.log_file: AuditLog | None = None
        self.pending: list[Event] = []  # changes made, logged once saved
        self.unlogged: list[tuple[str, str]] = []  # (time, event) the log refused: a gap to record
        self.warning: str | None = None  # set when the audit log could not be written

    @property
    def log_path(self) -> Path:
        return log_path(self.path)

    def start(self, audit_key: bytes, *, orphans: bool = False) -> None:
        """Open the log for writing; with ``orphans`` (a new vault) a log left by an earlier vault
        of the same name is kept aside as ``NAME.vault.log.orphaned``."""
        if orphans:
            for old in (log_path(self.path), archive_path(self.path)):
                if old.exists():
                    with contextlib.suppress(OSError):
                        old.replace(old.with_name(old.name + ".orphaned"))
        anchors = Anchors.default()
        self.log_file = AuditLog(self.path, audit_key, anchors=anchors, old_keys=self.old_keys())
        if orphans:
            anchors.set(self.log_file.path, -1, None)  # a new vault: forget the old log's head

    def log(
        self, event: str, uuid: str | None = None, detail: dict[str, Any] | None = None, *,
        now: datetime | None = None,
    ) -> None:  # fmt: skip
        """Write one record now (best effort: a log that cannot be written never blocks the
        vault; ``warning`` says why). An event that could not be written is a gap: the next
        save keeps it inside the vault (or, without one, this device does at ``keep_gaps``),
        so ``verify`` reports it."""
        if self.log_file is None:
            return
        try:  # once the log was busy, later events do not wait for it again
            self.log_file.append(event, uuid=uuid, detail=detail, now=now, wait=not self.unlogged)
        except VaultError as exc:
            self.unlogged.append(((now or datetime.now(UTC)).replace(microsecond=0).isoformat(), event))
            count = len(self.unlogged)
            self.warning = (
                f"{exc} {count} event{'s were' if count != 1 else ' was'} not logged; the gap is "
                "recorded and 'log --verify' reports it."
            )

    def note(self, event: str, uuid: str | None = None, detail: dict[str, Any] | None = None) -> None:
        """For front ends: log that a secret of entry ``uuid`` was shown (``entry.revealed``) or
        copied (``entry.copied``), with ``detail={"field": ...}`` (a field kind, never a value);
        an export the vault did not write itself (``vault.exported``), a change of the app's
        own settings (``settings.changed``), an entry handed to a browser (``entry.sent``, with
        ``detail={"host": ..., "client": ...}``), an entry auto-typed (``entry.typed``, with
        ``detail={"fields": [...]}``), entries' fields given to a program (``entry.used``,
        ``detail={"entries": [uuids], "fields": [...], "by": "run", "command": ...}``)."""
        if event not in (
            "entry.revealed",
            "entry.copied",
            "entry.sent",
            "entry.typed",
            "entry.used",
            "vault.exported",
            "settings.changed",
        ):
            raise UsageError(f"{event!r} is logged by the vault itself, not by a front end.")
        self.log(event, uuid, detail)

    def later(self, event: str, uuid: str | None = None, detail: dict[str, Any] | None = None) -> None:
        """Log ``event`` once the change is saved (a change that never lands is not logged)."""
        self.pending.append((event, uuid, detail))

    def flush(self) -> None:
        """The changes were saved: log them."""
        pending, self.pending = self.pending, []
        for event, uuid, detail in pending:
            self.log(event, uuid, detail)

    def verify(self, audit_key: bytes) -> Verification:
        """Read and check the log (see ``core.audit``) against what the vault keeps of it."""
        log = self.log_file or AuditLog(
            self.path, audit_key, anchors=Anchors.default(), old_keys=self.old_keys()
        )
        return log.verify(vault_head=self.head(), gaps=gaps_from(self._meta().get("audit_gaps")))

    def old_keys(self) -> list[bytes]:
        """The audit keys of this vault's earlier passphrases, oldest first (``meta.audit_keys``)."""
        keys: list[bytes] = []
        stored = self._meta().get("audit_keys")
        for text in stored if isinstance(stored, list) else []:
            with contextlib.suppress(ValueError, TypeError):
                keys.append(base64.b64decode(text, validate=True))
        return keys

    def retire_key(self, old_audit_key: bytes) -> None:
        """Before a re-key: keep the old audit key in the vault, so the log's records made with
        it keep verifying (the log is never rewritten)."""
        meta = self._meta()
        stored = meta.get("audit_keys")
        previous = list(stored) if isinstance(stored, list) else []
        meta["audit_keys"] = [*previous, base64.b64encode(old_audit_key).decode("ascii")]

    def rekey(self, audit_key: bytes) -> None:
        """After a re-key was saved: new records use the new audit key."""
        if self.log_file is not None:
            self.log_file.rekey(audit_key, self.old_keys())

    def keep_gaps(self) -> None:
        """Events the log refused, not yet kept by a save: this device remembers them."""
        if self.unlogged and self.log_file is not None and self.log_file.anchors is not None:
            gap = Gap(self.unlogged[0][0], tuple(event for _, event in self.unlogged))
            self.log_file.anchors.add_gap(self.log_file.path, gap)
        self.unlogged = []

    def head(self) -> tuple[int, bytes] | None:
        """The head of this log that the vault stored at its last save.

        A synced vault is saved on several machines, each with its own log beside its copy, so
        the vault keeps one head per log (``meta.audit_heads``, by ``log_key``); files from
        before that hold one ``meta.audit_head``, the log of whichever machine saved last."""
        meta = self._meta()
        heads = meta.get("audit_heads")
        if isinstance(heads, dict):
            return _head_from(heads.get(log_key(self.log_path)))
        return _head_from(meta.get("audit_head"))

    @contextlib.contextmanager
    def stamping(self, *, head: bool) -> Iterator[None]:
        """Around a save: put the log's head (with ``head``) and the gaps not yet kept into the
        vault's ``meta``; if the save fails, the gaps are taken out again (still pending,
        recorded once); once it succeeded, they are no longer pending."""
        meta = self._meta()
        if head and self.log_file is not None:
            with contextlib.suppress(VaultError, OSError):
                checked = self.log_file.check_head(self.head(), "the vault")
                heads = meta.get("audit_heads")
                meta["audit_heads"] = {
                    **(heads if isinstance(heads, dict) else {}),
                    log_key(self.log_path): [checked[0], base64.b64encode(checked[1]).decode("ascii")],
                }
                meta.pop("audit_head", None)
        unlogged, gaps_before = self.unlogged, meta.get("audit_gaps")
        if unlogged:  # events the log refused: the vault keeps the gap, authenticated
            gap = Gap(unlogged[0][0], tuple(event for _, event in unlogged))
            meta["audit_gaps"] = add_gap(meta.get("audit_gaps"), gap)
        try:
            yield
        except BaseException:
            if unlogged:
                meta.pop("audit_gaps", None)
                if gaps_before is not None:
                    meta["audit_gaps"] = gaps_before
            raise
        if unlogged:
            self.unlogged = self.unlogged[len(unlogged) :]


def log_key(log: Path) -> str:
    """Which log a head belongs to: this machine's name and the log's full path, hashed (the
    same vault synced to two machines has a log on each)."""
    import platform

    return hashlib.sha256(f"{platform.node()}\0{log.resolve()}".encode()).hexdigest()[:16]


def _head_from(value: object) -> tuple[int, bytes] | None:
    if isinstance(value, list) and len(value) == 2 and type(value[0]) is int and type(value[1]) is str:
        with contextlib.suppress(ValueError):
            return value[0], base64.b64decode(value[1], validate=True)
    return None


def merge_heads(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Merging another copy: keep every log's newest head (``meta.audit_heads``) in ``mine``.
    A log only grows, so the larger sequence number is the later head."""
    ours, other = mine.get("audit_heads"), theirs.get("audit_heads")
    if not isinstance(other, dict):
        return
    merged = dict(ours) if isinstance(ours, dict) else {}
    for key, head in other.items():
        found, known = _head_from(head), _head_from(merged.get(key))
        if found is not None and (known is None or found[0] > known[0]):
            merged[key] = head
    mine["audit_heads"] = merged
