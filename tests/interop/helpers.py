"""Comparing vault contents field by field, secrets revealed."""

from __future__ import annotations

from typing import Any

from vaultapp.core import Vault
from vaultapp.interop.records import record_of


def contents(vault: Vault, *, whole_seconds: bool = False) -> dict[str, dict[str, Any]]:
    """Every live entry as plain values, keyed by title."""
    result = {}
    for entry in vault.entries:
        record = record_of(vault, entry)
        values = {
            name: getattr(record, name)
            for name in ("uuid", "title", "username", "password", "url", "notes", "tags", "folder", "totp",
                         "custom", "created", "modified", "expires", "favourite")
        }  # fmt: skip
        if whole_seconds:
            for name in ("created", "modified", "expires"):
                if values[name] is not None:
                    values[name] = values[name].replace(microsecond=0)
        result[record.title] = values
    return result
