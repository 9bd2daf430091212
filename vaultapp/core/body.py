"""The decrypted body: JSON Lines. Line 1 is the envelope, then one line per entry.

One line per entry lets a save reuse the encoded text of every entry that did not change
(entries are immutable, so "did not change" is "is the same object"), which keeps saving a
10,000-entry vault cheap. See docs/FORMAT.md section 5.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from vaultapp.core.entry import (
    Draft,
    Entry,
    Tombstone,
    blob_ids,
    draft_from_json,
    draft_to_json,
    entry_from_json,
    entry_to_json,
    tombstone_from_json,
    tombstone_to_json,
)
from vaultapp.core.errors import DamagedFileError
from vaultapp.core.heap import collector_paused

BODY_FORMAT: Final = 1
_HINT: Final = "Restore the backup file next to the vault."


def _damaged(what: str) -> DamagedFileError:
    return DamagedFileError(f"The vault's contents are malformed ({what}). {_HINT}")


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Body:
    meta: dict[str, Any]
    entries: dict[str, Entry] = field(default_factory=dict)
    tombstones: dict[str, Tombstone] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)
    # uuid -> (entry, its encoded line); valid while ``entries[uuid] is`` that entry.
    lines: dict[str, tuple[Entry, str]] = field(default_factory=dict)
    # The envelope's "attachments" (docs/FORMAT.md §10): the attachment key and the blob index,
    # as stored; ``core.attachments.BlobStore`` reads and writes it.
    blobs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # meta holds earlier audit keys and keyed password tags: counts only, never the values
        counts = f"{len(self.entries)} entries, {len(self.tombstones)} tombstones, {len(self.drafts)} drafts"
        return f"Body({counts})"

    def blob_ids(self) -> set[str]:
        """Every blob an entry, a history version or a draft refers to."""
        found: set[str] = set()
        for entry in self.entries.values():
            found |= blob_ids(entry)
        for draft in self.drafts.values():
            found |= blob_ids(draft.entry)
        return found

    def encode(self) -> bytes:
        envelope = {
            "format": BODY_FORMAT,
            "meta": self.meta,
            "tombstones": [tombstone_to_json(t) for t in self.tombstones.values()],
            "count": len(self.entries),
        }
        if self.drafts:
            envelope["drafts"] = [draft_to_json(d) for d in self.drafts.values()]
        if self.blobs:
            envelope["attachments"] = self.blobs
        out = [_dumps(envelope)]
        lines: dict[str, tuple[Entry, str]] = {}
        for uuid, entry in self.entries.items():
            cached = self.lines.get(uuid)
            text = cached[1] if cached is not None and cached[0] is entry else _dumps(entry_to_json(entry))
            lines[uuid] = (entry, text)
            out.append(text)
        self.lines = lines
        return "\n".join(out).encode("utf-8")


def decode(data: bytes | list[bytes]) -> Body:
    """Parse a body, checking its structure and every entry. Given ``[data]``, the list's only
    reference to the bytes is dropped once they are read as text, so they are freed before the
    entries are built (55 MB less at the peak of 100,000 entries).

    Raises:
        DamagedFileError: not UTF-8, not JSON Lines of the expected shape, or duplicate UUIDs.
    """
    if isinstance(data, list):
        data = data.pop()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged("not UTF-8") from None
    del data
    parts = text.split("\n")
    del text  # the parts are kept (as the line cache); the whole text is not
    try:
        envelope = json.loads(parts[0])
    except (ValueError, RecursionError):
        raise _damaged("the first line is not JSON") from None
    if not isinstance(envelope, dict) or envelope.get("format") != BODY_FORMAT:
        raise DamagedFileError("The vault's contents have an unknown layout; open it with a newer vaultapp.")
    meta, tombstones, count = envelope.get("meta"), envelope.get("tombstones"), envelope.get("count")
    if not isinstance(meta, dict) or type(meta.get("generation")) is not int:
        raise _damaged("no valid save counter")
    if not isinstance(tombstones, list):
        raise _damaged("tombstones are not a list")
    entry_lines = parts[1:] if len(parts) > 1 else []
    if count != len(entry_lines):
        raise _damaged("the entry count does not match")
    drafts = envelope.get("drafts", [])
    if not isinstance(drafts, list):
        raise _damaged("drafts are not a list")
    blobs = envelope.get("attachments", {})
    if not isinstance(blobs, dict):
        raise _damaged("the attachments' index is not an object")
    body = Body(
        meta,
        tombstones={t.uuid: t for t in map(tombstone_from_json, tombstones)},
        drafts={d.entry.uuid: d for d in map(draft_from_json, drafts)},
        blobs=blobs,
    )
    with collector_paused():  # see core.heap: a third of the time at 100,000 entries
        _decode_entries(body, entry_lines)
    return body


def _decode_entries(body: Body, entry_lines: list[str]) -> None:
    decoder = json.JSONDecoder()
    for line in entry_lines:
        try:
            obj, end = decoder.raw_decode(line)
        except (ValueError, RecursionError):
            raise _damaged("an entry line is not JSON") from None
        if end != len(line):
            raise _damaged("an entry line holds more than one value")
        entry = entry_from_json(obj)
        if entry.uuid in body.entries:
            raise _damaged("two entries share one UUID")
        body.entries[entry.uuid] = entry
        body.lines[entry.uuid] = (entry, line)
