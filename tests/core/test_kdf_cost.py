"""What key derivation costs here: calibration to an unlock time (with a fake timer), and a file's
KDF parameters costed before deriving; what would tie up the machine is refused (SlowKdfError)
unless the caller allows it. No test here derives the large parameters."""

from __future__ import annotations

import dataclasses
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
from vaultapp.core.kdf import BOUNDS, DEFAULT_POLICY, Argon2idParams, KdfParams, ScryptParams, new_salt
from vaultapp.core.kdf_cost import calibrate, check_cost, estimate_cost, kdf_work
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


# ---- calibration to an unlock time -----------------------------------------------------------


def _fake_timer(ms_per_mib_pass: float, fixed: float = 0.0) -> kdf_cost.Timer:
    def timer(params: KdfParams) -> float:
        assert isinstance(params, Argon2idParams)
        return fixed + ms_per_mib_pass * params.time_cost * params.memory_kib / 1024

    return timer


def test_calibration_keeps_256_mib_and_raises_passes_to_target() -> None:
    """With time to spare, memory stays 256 MiB and passes grow until the target is reached."""
    cal = calibrate("argon2id", 1000, cpu_count=8, memory_available=8 << 30, timer=_fake_timer(0.8))
    params = cal.params
    assert isinstance(params, Argon2idParams)
    assert params.memory_kib == 256 * 1024
    assert params.parallelism == 4  # min(4, CPUs)
    assert params.time_cost == 5  # 0.8 ms/MiB/pass * 256 MiB = 205 ms per pass; 5 is nearest 1000 ms
    assert cal.notes == ()
    assert len(params.salt) == 32


def test_calibration_lowers_memory_for_short_target_and_says_so() -> None:
    """A 50 ms target cannot fit one 256 MiB derivation: memory drops, never below 19 MiB, t=2."""
    cal = calibrate("argon2id", 50, cpu_count=2, memory_available=8 << 30, timer=_fake_timer(0.8))
    params = cal.params
    assert isinstance(params, Argon2idParams)
    assert 19 * 1024 <= params.memory_kib < 256 * 1024
    assert params.time_cost == 2
    assert params.parallelism == 2
    assert any("Memory lowered from 256 MiB" in note for note in cal.notes)


def test_calibration_never_goes_below_owasp_minimum_on_a_slow_machine() -> None:
    """On a very slow machine the floor holds, and the note says unlocking takes longer."""
    cal = calibrate("argon2id", 50, cpu_count=1, memory_available=8 << 30, timer=_fake_timer(20.0))
    params = cal.params
    assert isinstance(params, Argon2idParams)
    assert (params.memory_kib, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert any("above the 50 ms target" in note for note in cal.notes)


def test_calibration_fits_memory_the_machine_has_free() -> None:
    """With only 200 MiB available, memory is the largest that fits (half of it), with a note."""
    cal = calibrate("argon2id", 1000, cpu_count=2, memory_available=200 << 20, timer=_fake_timer(0.8))
    assert isinstance(cal.params, Argon2idParams)
    assert cal.params.memory_kib == 100 * 1024
    assert any("too little free memory" in note for note in cal.notes)


def test_calibration_scrypt_picks_power_of_two_within_target() -> None:
    """scrypt: r=8, p=1, N the largest power of two within the target, at least 2^17."""

    def timer(params: KdfParams) -> float:
        assert isinstance(params, ScryptParams)
        return 0.003 * (1 << params.log2_n)  # 2^17 -> 393 ms

    cal = calibrate("scrypt", 1000, memory_available=8 << 30, timer=timer)
    assert cal.params == dataclasses.replace(cal.params, log2_n=18, r=8, p=1)


@pytest.mark.parametrize("target", [0, 49, 10_001, -5])
def test_unlock_ms_outside_range_is_a_usage_error(target: int) -> None:
    """--unlock-ms accepts 50..10000 only."""
    with pytest.raises(UsageError, match="between 50 and 10000"):
        calibrate("argon2id", target)


def test_real_calibration_at_50_ms_meets_the_floors() -> None:
    """A real (unfaked) calibration for 50 ms keeps Argon2id at or above m=19 MiB, t=2."""
    params = calibrate("argon2id", 50).params
    assert isinstance(params, Argon2idParams)
    assert params.memory_kib >= 19 * 1024
    assert params.time_cost >= 2
    assert not DEFAULT_POLICY.needs_rehash(params)
    params.check_bounds(BOUNDS)
