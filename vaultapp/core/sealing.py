"""Whole-body work on sealed values: the content digest (the same for two copies whatever
their keys), the integrations' sealed data in ``meta.integrations`` (FORMAT.md §5), and sealing
everything again under new keys (a re-key). Pure: the body and the keys are handed in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from vaultapp.core.body import Body
from vaultapp.core.entry import Entry, Sealed, entry_to_json
from vaultapp.core.keys import Keyring


def digest(body: Body, keys: Keyring) -> str:
    """SHA-256 over every entry's content with secrets revealed (history and Trash included),
    independent of keys and token encryption: two copies with the same content match."""

    def plain(entry: Entry) -> dict[str, object]:
        obj = entry_to_json(entry)
        for name in ("password", "totp"):
            if name in obj:
                obj[name] = keys.unseal(obj[name])
        for custom in obj.get("custom", []):
            if custom.get("protected"):
                custom["value"] = keys.unseal(custom["value"])
        if "history" in obj:
            obj["history"] = [plain(old) for old in entry.history]
        for attachment in obj.get("attachments", []):
            del attachment["blob"]  # an id under this vault's attachment key: a copy has its own
        return obj

    found = hashlib.sha256()
    for uuid in sorted(body.entries):
        found.update(json.dumps(plain(body.entries[uuid]), sort_keys=True).encode("utf-8"))
    for uuid in sorted(body.tombstones):
        grave = body.tombstones[uuid]
        found.update(f"{uuid}:{grave.deleted.isoformat()}:{grave.version}:{grave.legacy}".encode())
    return found.hexdigest()


def integration_data(body: Body, keys: Keyring, name: str) -> dict[str, Any]:
    """What the integration ``name`` (``browser``…) keeps in this vault: a JSON object, sealed
    like a secret field in ``meta.integrations`` (FORMAT.md §5); ``{}`` when it has none."""
    stored = body.meta.get("integrations", {})
    token = stored.get(name) if isinstance(stored, dict) else None
    if not isinstance(token, str):
        return {}
    try:
        value = json.loads(keys.unseal(token))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def set_integration_data(body: Body, keys: Keyring, name: str, data: dict[str, Any]) -> None:
    """Keep ``data`` (JSON-able) for the integration ``name``, sealed; an empty dict removes it."""
    stored = body.meta.get("integrations")
    integrations: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
    if data:
        integrations[name] = keys.seal(json.dumps(data, separators=(",", ":")))
    else:
        integrations.pop(name, None)
    if integrations:
        body.meta["integrations"] = integrations
    else:
        body.meta.pop("integrations", None)


def reseal_all(body: Body, old_keys: Keyring, new_keys: Keyring) -> None:
    """Seal every secret of ``body`` (history, drafts and integration data included) with
    ``new_keys`` instead of ``old_keys``."""
    from vaultapp.core.merge import reseal_entry

    def move(sealed: Sealed) -> Sealed:
        return Sealed(new_keys.seal(old_keys.unseal(sealed.token)))

    body.entries = {uuid: reseal_entry(e, move) for uuid, e in body.entries.items()}
    body.drafts = {
        key: dataclasses.replace(d, entry=reseal_entry(d.entry, move)) for key, d in body.drafts.items()
    }
    stored = body.meta.get("integrations")
    if isinstance(stored, dict):
        body.meta["integrations"] = {
            name: new_keys.seal(old_keys.unseal(token)) if isinstance(token, str) else token
            for name, token in stored.items()
        }
