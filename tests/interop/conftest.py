"""Fixtures for the interop tests: a vault holding every kind of field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

T0 = datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)
T1 = datetime(2025, 6, 2, 18, 4, 5, tzinfo=UTC)
T2 = datetime(2031, 1, 1, tzinfo=UTC)


def fill(vault: Vault) -> None:
    """Entries exercising every field and the awkward characters a file format must carry."""
    vault.add(
        "GitHub", username="octo@example.com", password='p,a"ss\nword ü', url="https://github.com/login",
        notes='line one\nline "two", with comma\n\nlast', tags=("dev", "work"), folder="Work/Code",
        totp="otpauth://totp/GitHub:octo?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        custom=[("Recovery code", "abcd-efgh", True), ("Account id", "12345", False)],
        expires=T2, favourite=True, now=T0,
    )  # fmt: skip
    vault.add("Bank", username="jane", password="s3cr3t=;#'x", url="bank.example", folder="Finance")
    vault.add("Wi-Fi at home", password="hunter2 with spaces", notes="Router in the hall", now=T0)
    vault.add("Ünïcödé ✓ 日本", username="用户", password="пароль", tags=("intl",), now=T1)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Vault]:
    vault = Vault.create(tmp_path / "filled.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY)
    fill(vault)
    vault.save()
    yield vault
    vault.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Vault]:
    vault = Vault.create(tmp_path / "target.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY)
    yield vault
    vault.close()
