"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vaultapp.core import TEST_POLICY, Vault

VECTORS = Path(__file__).parent / "vectors"
PASSPHRASE = "correct horse battery staple"


def load_vectors(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def open_vault(path: Path, passphrase: str = PASSPHRASE, *, writable: bool = False) -> Vault:
    return Vault.open(path, passphrase, writable=writable, policy=TEST_POLICY)
