"""One audit record and its chain, in memory: the events, the key id a record names, the bytes
its tag covers and the tag (HMAC-SHA256 with the audit key, or an unkeyed hash for a failed
unlock), parsing a line, gaps (events that could not be logged), and checking a chain of
records read from the log (``check_chain``). The log file itself (appending under its lock,
rotation, anchors, reading) is ``audit``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

GENESIS: Final = bytes(32)
_UNAUTH_LABEL: Final = b"vaultapp audit unauthenticated v1"
_KEY_ID_LABEL: Final = b"vaultapp audit key id v1"
UNAUTHENTICATED_EVENTS: Final = frozenset({"unlock.failed"})
# Events only a writer of the vault makes; a process holding a superseded key cannot make them.
CHANGES: Final = frozenset({
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
    "entry.typed": "Auto-typed into a window",
    "entry.used": "Given to a program (run, inject)",
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


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object) -> bytes | None:
    if type(text) is not str:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return None


def key_id(key: bytes) -> str:
    """The short, public name of an audit key that authenticated records carry (``k``)."""
    return b64(hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).digest()[:9])


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


def parse_line(line: str) -> tuple[dict[str, Any], Record] | None:
    """A record line -> (its content, the Record), or None when it is not a well-formed record."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if type(obj) is not dict:
        return None
    mac, digest = unb64(obj.pop("mac", None)), unb64(obj.pop("hash", None))
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


def split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """(the complete lines, the torn tail): a last line without its newline is the half of a
    record whose writer was killed, or a whole record whose newline never made it to disk."""
    cut = data.rfind(b"\n") + 1
    return [line for line in data[:cut].split(b"\n") if line.strip()], data[cut:]


def check_chain(
    archive_file: tuple[str, bytes],
    current_file: tuple[str, bytes],
    keys: list[bytes],
    anchors: list[tuple[str, tuple[int, bytes] | None]],
) -> Verification:
    """Check the chain of records in the rotated file and the current one (each as its name and
    its bytes) with the vault's audit ``keys`` (oldest first) against ``anchors``: the heads
    this device and the vault know, each as (who, (seq, tag) or None)."""
    (archive_name, archive_data), (current_name, current_data) = archive_file, current_file
    problems: list[str] = []
    notes: list[str] = []
    records: list[Record] = []
    archive, _ = split_lines(archive_data)
    current, torn = split_lines(current_data)
    if torn and parse_line(torn.decode("utf-8", errors="replace")) is not None:
        current, torn = [*current, torn], torn[:0]  # whole, only its newline never reached the disk
    epochs = {key_id(k): n for n, k in enumerate(keys)}
    epoch = 0
    rotated_out = False
    prev: bytes | None = GENESIS
    expected = 0
    named = [(archive_name, x) for x in archive] + [(current_name, x) for x in current]
    for number, (name, raw) in enumerate(named):
        parsed = parse_line(raw.decode("utf-8", errors="replace"))
        if parsed is None:
            problems.append(f"A line of {name} is not a readable record (damaged or edited).")
            prev = None
            continue
        content, record = parsed
        starts_current = number == len(archive)
        if not records and number == 0:
            if record.event == "log.rotated":  # older records were rotated out: start here
                rotated_out = record.seq > 0
                prev, expected = unb64(record.detail.get("prev")), record.seq
                if starts_current and record.seq > 0:
                    first = record.detail.get("first", "?")
                    problems.append(
                        f"The older log file {archive_name} (records {first} to "
                        f"{record.seq - 1}) is missing: it was deleted or moved."
                    )
                    rotated_out = False
            elif record.seq != 0:
                problems.append(f"The log's beginning is missing: it starts at record {record.seq}.")
                prev, expected = None, record.seq
        elif starts_current and record.event == "log.rotated":
            linked = unb64(record.detail.get("prev"))
            if prev is not None and (linked is None or not hmac.compare_digest(linked, prev)):
                problems.append(
                    f"Record {record.seq} does not continue {archive_name}: the older file "
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
            _check_tag(record, content, prev, keys, epochs, problems)
        if record.authenticated:
            kid = content.get("k")
            number_of = epochs.get(kid) if type(kid) is str else None
            if number_of is not None and number_of < epoch:
                if record.event in CHANGES:
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
    return Verification(records, problems, rotated_out, notes)


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
