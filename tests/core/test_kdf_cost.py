"""A file's KDF parameters are costed before deriving; what would tie up the machine is refused
(SlowKdfError) unless the caller allows it. No test here derives the large parameters."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSPHRASE
from vaultapp.core import (
    TEST_PARAMS,
    TEST_POLICY,
    SlowKdfError,
    UsageError,
    Vault,
    WrongPassphraseError,
    kdf,
    kdf_cost,
)
from vaultapp.core import format as fmt
from vaultapp.core.kdf import Argon2idParams, KdfParams, ScryptParams, new_salt
from vaultapp.core.kdf_cost import check_cost, estimate_cost, kdf_work
from vaultapp.core.keys import Keyring

GIB = 1024**3
HUGE_ARGON2 = Argon2idParams(time_cost=16, memory_kib=4 * 1024 * 1024, parallelism=1, salt=new_salt())
HUGE_SCRYPT = ScryptParams(log2_n=22, r=8, p=4, salt=new_salt())


class ProbeTimer:
    """Stands in for the timed probe: says each probe took ``ms`` and remembers what it was given."""

    def __init__(self, ms: float) -> None:
        self.ms = ms
        self.seen: list[KdfParams] = []

    def __call__(self, params: KdfParams) -> float:
        self.seen.append(params)
        return self.ms


def hostile_file(path: Path, params: KdfParams) -> Path:
    """A well-formed vault whose header asks for ``params`` (keyed by a random master key: built
    without deriving anything)."""
    data, _ = fmt.encode(fmt.build_header(params), Keyring(os.urandom(32)), b'{"format":1}')
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("params", "probe_ms", "expected_s"), [(HUGE_ARGON2, 16.0, 65.5), (HUGE_SCRYPT, 16.0, 16.4)]
)
def test_estimate_scales_a_small_probe_and_never_runs_the_parameters(
    params: KdfParams, probe_ms: float, expected_s: float
) -> None:
    """Argon2 4 GiB x 16 passes and scrypt N=2^22 r=8 p=4 are estimated from one 16 MiB probe."""
    timer = ProbeTimer(probe_ms)
    cost = estimate_cost(params, timer=timer, memory_available=64 * GIB, cpu_count=2)
    assert [p.memory_bytes for p in timer.seen] == [16 * 1024**2]
    assert cost.ms / 1000 == pytest.approx(expected_s, rel=0.01)
    assert cost.memory_bytes == 4 * GIB


def test_huge_parameters_are_refused_before_deriving() -> None:
    """Over 20 s (20 x the default 1 s unlock) is refused with a message naming the parameters."""
    expected = r"Argon2id, 4096 MiB, 16 passes.*about 66 s.*more than 20 s"
    with pytest.raises(SlowKdfError, match=expected) as info:
        check_cost(HUGE_ARGON2, "gift.vault", timer=ProbeTimer(16.0), memory_available=64 * GIB, cpu_count=2)
    assert "gift.vault" in str(info.value)
    assert isinstance(info.value, UsageError)  # exit 2: the user decides
    assert info.value.memory_bytes == 4 * GIB


def test_more_memory_than_half_the_free_memory_is_refused() -> None:
    """2 GiB, 1 pass is quick on a fast machine but more than half of 3 GiB free: refused."""
    params = Argon2idParams(time_cost=1, memory_kib=2 * 1024 * 1024, parallelism=1, salt=new_salt())
    with pytest.raises(SlowKdfError, match=r"half the 3\.0 GiB of free memory"):
        check_cost(params, "v.vault", timer=ProbeTimer(1.0), memory_available=3 * GIB, cpu_count=2)
    fine = check_cost(params, "v.vault", timer=ProbeTimer(1.0), memory_available=8 * GIB, cpu_count=2)
    assert fine.too_much == []


def test_our_own_default_sizes_are_never_refused_for_memory() -> None:
    """256 MiB (vaultapp's default memory) passes even where less than 512 MiB is free."""
    params = Argon2idParams(time_cost=4, memory_kib=256 * 1024, parallelism=2, salt=new_salt())
    assert check_cost(params, "v.vault", timer=ProbeTimer(5.0), memory_available=300 * 1024**2).too_much == []


def test_cheap_parameters_are_not_even_probed() -> None:
    """Test-size and single-pass default-size work needs no probe."""
    timer = ProbeTimer(1e9)
    assert estimate_cost(TEST_PARAMS, timer=timer, memory_available=None).ms == 0
    one_pass = Argon2idParams(time_cost=1, memory_kib=256 * 1024, parallelism=1, salt=new_salt())
    assert estimate_cost(one_pass, timer=timer, memory_available=GIB).ms == 0
    assert timer.seen == []


def test_parallel_lanes_count_once_per_cpu() -> None:
    """Argon2 lanes run in threads: 4 lanes on 4 CPUs take a quarter of the one-lane time."""
    params = Argon2idParams(time_cost=8, memory_kib=1024 * 1024, parallelism=4, salt=new_salt())
    assert kdf_work(params, cpu_count=4) * 4 == kdf_work(params, cpu_count=1) == 8 * GIB


def test_vault_open_refuses_a_4_gib_file_and_derives_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a file with 4 GiB x 16 parameters raises SlowKdfError; no derivation at those
    parameters happened (spy), and no failed unlock was logged."""
    path = hostile_file(tmp_path / "gift.vault", HUGE_ARGON2)
    derived: list[int] = []
    real = kdf.argon2id_raw

    def spy(*args: Any, **kwargs: Any) -> bytes:
        derived.append(kwargs["memory_kib"])
        return real(*args, **kwargs)

    monkeypatch.setattr(kdf, "argon2id_raw", spy)
    monkeypatch.setattr(kdf_cost, "available_memory", lambda: 2 * GIB)  # refused here on any machine
    with pytest.raises(SlowKdfError):
        Vault.open(path, PASSPHRASE, policy=TEST_POLICY)
    assert all(m <= 16 * 1024 for m in derived)  # at most the 16 MiB probe
    assert not (tmp_path / "gift.vault.log").exists()


def test_vault_open_with_allow_slow_kdf_derives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With allow_slow_kdf the check is skipped and the file's parameters are used (stubbed here:
    the spy returns at once, so the header MAC simply does not match)."""
    path = hostile_file(tmp_path / "gift.vault", HUGE_ARGON2)
    derived: list[int] = []
    monkeypatch.setattr(kdf, "argon2id_raw", lambda *a, **k: derived.append(k["memory_kib"]) or b"\0" * 32)
    with pytest.raises(WrongPassphraseError):
        Vault.open(path, PASSPHRASE, policy=TEST_POLICY, allow_slow_kdf=True, audit=False)
    assert derived == [4 * 1024 * 1024]


def test_vault_open_of_an_ordinary_vault_is_unaffected(tmp_path: Path) -> None:
    """A vault with our own parameters opens as before."""
    path = tmp_path / "v.vault"
    Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    Vault.open(path, PASSPHRASE, policy=TEST_POLICY).close()
