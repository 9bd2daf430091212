"""Hostile and damaged files: over 10,000 mutations of real vaults, backups, CSV and KDBX files.

Every mutated vault or backup gives WrongPassphraseError or DamagedFileError (its subclasses
included) — never another exception, never accepted with altered content — and hostile KDF
parameters are refused before anything is derived (so before any time or memory is spent; the
time figure is in ``scripts/fuzz.py``, not a threshold here). CSV has no integrity of its own,
so a mutated CSV may import other values, but only ever fails with a clear VaultError. Hypothesis
adds mutations of its own choosing on top of the deterministic loop.

``python scripts/fuzz.py --n 100000`` is the full run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.torture.harness import PASS, content, rich_vault
from tests.torture.mutate import FuzzStats, byte_mutations, fuzz, vault_mutations
from vaultapp.core import (
    TEST_PARAMS,
    TEST_POLICY,
    DamagedFileError,
    Vault,
    VaultError,
    WrongPassphraseError,
    vault_reading,
)

VAULT_N, BACKUP_N, CSV_N, KDBX_N = 20_000, 1_200, 1_000, 300
REFUSED = (WrongPassphraseError, DamagedFileError)
DERIVE_LIMIT = 4 * 2**20  # bytes: the largest KDF the mutator can make that is not hostile


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The memory (bytes) of every key derivation the open path actually runs."""
    sizes: list[int] = []
    real = vault_reading.derive_timed

    def spy(params: Any, secret: bytes) -> tuple[bytes, float]:
        sizes.append(params.memory_bytes)
        return real(params, secret)

    monkeypatch.setattr(vault_reading, "derive_timed", spy)
    return sizes


def test_mutated_vaults_are_refused_never_misread(tmp_path: Path, derived: list[int]) -> None:
    path, snapshot = rich_vault(tmp_path)
    other = tmp_path / "other.vault"
    with Vault.create(other, PASS, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Other", password="other")
        vault.save()
    original = path.read_bytes()
    target = tmp_path / "mutant.vault"

    def attempt(p: Path) -> object:
        with Vault.open(p, PASS, policy=TEST_POLICY, audit=False) as vault:
            return content(vault)

    stats = FuzzStats()
    fuzz(target, original, attempt, REFUSED, vault_mutations(original, VAULT_N, "vault", other.read_bytes()),
         stats, accept=lambda got: got == snapshot)  # fmt: skip
    assert stats.runs > VAULT_N * 0.98  # a few mutations are no-ops and skipped
    assert stats.outcomes.get("KdfParamsRejectedError", 0) > 100  # hostile headers were reached
    assert stats.outcomes.get("WrongPassphraseError", 0) > 100  # so were header MACs
    assert stats.outcomes.get("DamagedFileError", 0) > 1000
    assert stats.outcomes.get("accepted unchanged", 0) == 0
    assert max(derived) <= DERIVE_LIMIT  # nothing hostile was ever derived
    assert stats.rss_growth_kib < 32 * 1024


def test_mutated_backups_are_refused_on_import(tmp_path: Path) -> None:
    from vaultapp.interop.formats import export_file, plan_file_import

    path, _ = rich_vault(tmp_path)
    backup = tmp_path / "export.vault"
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        export_file(vault, backup, "backup", passphrase=PASS)
    original = backup.read_bytes()
    target = tmp_path / "mutant-backup.vault"
    stats = FuzzStats()
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:

        def attempt(p: Path) -> object:
            return plan_file_import(vault, p, "backup", passphrase=PASS).plan.summary()

        fuzz(target, original, attempt, REFUSED, vault_mutations(original, BACKUP_N, "backup"), stats)
    assert stats.runs > BACKUP_N * 0.98
    assert stats.outcomes.get("accepted unchanged", 0) == 0


def test_mutated_csv_fails_only_with_a_clear_error(tmp_path: Path) -> None:
    from vaultapp.interop.formats import export_file, plan_file_import

    path, _ = rich_vault(tmp_path)
    csv = tmp_path / "export.csv"
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        export_file(vault, csv, "csv")
        original = csv.read_bytes()
        target = tmp_path / "mutant.csv"
        stats = FuzzStats()

        def attempt(p: Path) -> object:
            return plan_file_import(vault, p, "csv")

        fuzz(target, original, attempt, (VaultError,), byte_mutations(original, CSV_N, "csv"), stats,
             accept=lambda _: True, accepted="imported")  # fmt: skip
    assert stats.runs > CSV_N * 0.98


def test_mutated_kdbx_is_refused(tmp_path: Path) -> None:
    from vaultapp.interop.formats import plan_file_import
    from vaultapp.interop.kdbx import KdbxKdf, export_kdbx, import_kdbx
    from vaultapp.interop.records import records_of

    path, _ = rich_vault(tmp_path)
    kdbx = tmp_path / "export.kdbx"
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        export_kdbx(kdbx, records_of(vault), PASS, kdf=KdbxKdf(memory=1 << 20, passes=1, lanes=1))
        original = kdbx.read_bytes()
        expected_records = import_kdbx(kdbx, PASS).records
        target = tmp_path / "mutant.kdbx"
        stats = FuzzStats()

        def attempt(p: Path) -> object:
            return import_kdbx(p, PASS).records

        fuzz(target, original, attempt, REFUSED, byte_mutations(original, KDBX_N, "kdbx"), stats,
             accept=lambda got: got == expected_records)  # fmt: skip
        plan_file_import(vault, kdbx, "kdbx", passphrase=PASS)  # the real one still imports
    assert stats.runs > KDBX_N * 0.98


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=4000), junk=st.binary(max_size=64), keep=st.integers(0, 4000))
def test_hypothesis_splices_are_refused(tmp_path_factory: pytest.TempPathFactory, cut: int, junk: bytes,
                                       keep: int) -> None:  # fmt: skip
    """Hypothesis-chosen splices: the first ``cut`` bytes, ``junk``, then the file from ``keep``."""
    folder = tmp_path_factory.mktemp("hyp")
    path, snapshot = _cached_vault(tmp_path_factory)
    data = path.read_bytes()
    mutated = data[:cut] + junk + data[keep:]
    if mutated == data:
        return
    target = folder / "h.vault"
    target.write_bytes(mutated)
    try:
        with Vault.open(target, PASS, policy=TEST_POLICY, audit=False) as vault:
            assert content(vault) == snapshot
    except REFUSED:
        pass


_CACHE: dict[str, tuple[Path, list[tuple[Any, ...]]]] = {}


def _cached_vault(factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[Any, ...]]]:
    if "vault" not in _CACHE:
        _CACHE["vault"] = rich_vault(factory.mktemp("hyp-src"))
    return _CACHE["vault"]
