"""Fixtures of the core's tests."""

from __future__ import annotations

import pytest

from vaultapp.core import Vault


@pytest.fixture
def two_saves(new_vault: Vault) -> Vault:
    """A new vault saved twice (created, then with one entry "first"): the next save keeps a backup."""
    new_vault.add("first", password="1")
    new_vault.save()
    return new_vault
