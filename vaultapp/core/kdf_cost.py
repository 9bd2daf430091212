"""What key derivation costs on this machine: calibrating parameters to an unlock time, and
estimating (and refusing above a ceiling) the cost of someone else's parameters before deriving.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from vaultapp.core.errors import SlowKdfError, UsageError
from vaultapp.core.kdf import (
    ARGON2_DEFAULT_MEMORY_KIB,
    ARGON2_MAX_PARALLELISM_DEFAULT,
    BOUNDS,
    DEFAULT_POLICY,
    MIB_IN_KIB,
    UNLOCK_MS_DEFAULT,
    Argon2idParams,
    KdfName,
    KdfParams,
    KdfPolicy,
    ScryptParams,
    check_unlock_ms,
    new_salt,
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """What ``calibrate`` chose and why."""

    params: KdfParams
    target_ms: int
    probe_ms: float  # the last timed probe, at ``params`` (or at the scaled-down estimate)
    notes: tuple[str, ...] = ()


def available_memory() -> int | None:
    """Bytes of memory the machine can give without swapping, or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


Timer = Callable[[KdfParams], float]


def _time_derivation(params: KdfParams) -> float:
    start = time.perf_counter()
    params.derive(b"calibration probe")
    return (time.perf_counter() - start) * 1000


def calibrate(
    name: KdfName = "argon2id",
    target_ms: int = UNLOCK_MS_DEFAULT,
    *,
    policy: KdfPolicy = DEFAULT_POLICY,
    cpu_count: int | None = None,
    memory_available: int | None = None,
    timer: Timer = _time_derivation,
) -> Calibration:
    """Choose KDF parameters that take about ``target_ms`` for one derivation on this machine.

    Argon2id: 256 MiB, parallelism min(4, CPUs), passes raised to reach the target. Memory is
    lowered only when one derivation at 256 MiB and the minimum passes already exceeds the
    target, or when the machine lacks the free memory; ``notes`` then says so. Never below
    ``policy``'s floors. The returned parameters carry a fresh random salt.

    Raises:
        UsageError: ``target_ms`` is outside 50..10000 or ``name`` is unknown.
    """
    check_unlock_ms(target_ms)
    if memory_available is None:
        memory_available = available_memory()
    budget_kib = None if memory_available is None else memory_available // 2 // 1024
    if name == "argon2id":
        return _calibrate_argon2id(target_ms, policy, cpu_count or os.cpu_count() or 1, budget_kib, timer)
    if name == "scrypt":
        return _calibrate_scrypt(target_ms, policy, budget_kib, timer)
    raise UsageError(f"Unknown KDF {name!r}; choose argon2id or scrypt.")


def _calibrate_argon2id(
    target_ms: int, policy: KdfPolicy, cpus: int, budget_kib: int | None, timer: Timer
) -> Calibration:
    notes: list[str] = []
    lanes = max(policy.argon2_min_parallelism, min(ARGON2_MAX_PARALLELISM_DEFAULT, cpus))
    floor_kib = max(policy.argon2_min_memory_kib, 8 * lanes)
    passes = max(policy.argon2_min_time_cost, 1)
    memory = ARGON2_DEFAULT_MEMORY_KIB
    if budget_kib is not None and budget_kib < memory:
        memory = max(floor_kib, budget_kib // MIB_IN_KIB * MIB_IN_KIB)
        notes.append(
            f"Memory lowered from 256 MiB to {memory // MIB_IN_KIB} MiB: "
            "the machine has too little free memory."
        )
    params = Argon2idParams(time_cost=passes, memory_kib=memory, parallelism=lanes, salt=new_salt())
    elapsed = timer(params)
    if elapsed > target_ms:
        first = elapsed
        # Cost per MiB is not linear (caches, page faults): scale, measure, and scale again.
        for _ in range(3):
            scaled = int(params.memory_kib * target_ms / elapsed * 0.95) // MIB_IN_KIB * MIB_IN_KIB
            scaled = max(floor_kib, min(memory, scaled))
            if scaled == params.memory_kib:
                break
            params = dataclasses.replace(params, memory_kib=scaled)
            elapsed = timer(params)
            if 0.8 * target_ms <= elapsed <= target_ms:
                break
        notes.append(
            f"Memory lowered from {memory // MIB_IN_KIB} MiB to {params.memory_kib // MIB_IN_KIB} MiB: "
            f"one derivation at {memory // MIB_IN_KIB} MiB took {first:.0f} ms, longer than the "
            f"{target_ms} ms target."
        )
        if elapsed > target_ms * 1.5:
            notes.append(
                f"The minimum safe parameters take {elapsed:.0f} ms here, above the {target_ms} ms "
                "target; unlocking will take that long."
            )
        return Calibration(params, target_ms, elapsed, tuple(notes))
    # Passes scale linearly; estimate, then measure once more and refine downwards.
    estimate = max(passes, int(passes * target_ms / elapsed))
    params = dataclasses.replace(params, time_cost=min(estimate, BOUNDS.argon2_time_cost_max))
    elapsed = timer(params)
    refined = max(passes, round(params.time_cost * target_ms / elapsed))
    if refined != params.time_cost:
        refined = min(refined, BOUNDS.argon2_time_cost_max)
        elapsed = elapsed * refined / params.time_cost
        params = dataclasses.replace(params, time_cost=refined)
    return Calibration(params, target_ms, elapsed, tuple(notes))


def _calibrate_scrypt(target_ms: int, policy: KdfPolicy, budget_kib: int | None, timer: Timer) -> Calibration:
    notes: list[str] = []
    r = max(8, policy.scrypt_min_r)
    probe = ScryptParams(log2_n=14, r=r, p=1, salt=new_salt())
    per_unit = timer(probe) / (1 << probe.log2_n)
    log2_n = policy.scrypt_min_log2_n
    while (
        log2_n < BOUNDS.scrypt_log2_n_max
        and per_unit * (1 << (log2_n + 1)) <= target_ms
        and (budget_kib is None or 128 * r * (1 << (log2_n + 1)) // 1024 <= budget_kib)
    ):
        log2_n += 1
    params = dataclasses.replace(probe, log2_n=log2_n)
    estimate = per_unit * (1 << log2_n)
    if estimate > target_ms * 1.5:
        notes.append(
            f"The minimum safe scrypt parameters (N=2^{log2_n}) take about {estimate:.0f} ms here, "
            f"above the {target_ms} ms target; unlocking will take that long."
        )
    if log2_n == BOUNDS.scrypt_log2_n_max and estimate < target_ms / 2:
        notes.append("scrypt's N is at its maximum of 2^22; unlocking will be faster than the target.")
    return Calibration(params, target_ms, estimate, tuple(notes))


def default_params(name: KdfName, target_ms: int = UNLOCK_MS_DEFAULT) -> KdfParams:
    """Calibrated parameters with a fresh salt (convenience wrapper over ``calibrate``)."""
    return calibrate(name, target_ms).params


# ---- the cost of someone else's parameters -----------------------------------------------------
#
# BOUNDS keeps a file from asking for the impossible, but what it allows can still take minutes
# (Argon2 4 GiB x 16 passes: about 3 minutes and 4 GiB here). A vault, backup or copy from
# someone else is therefore costed before deriving, from its parameters and one small timed
# probe per KDF and process, and refused (SlowKdfError) above a ceiling unless the user agrees.

SLOW_KDF_FACTOR: Final = 20  # x the default calibrated unlock (UNLOCK_MS_DEFAULT)
SLOW_KDF_MS: Final = SLOW_KDF_FACTOR * UNLOCK_MS_DEFAULT
# Work (bytes of memory filled, x passes, / lanes at once) below which no probe is needed: at most
# one pass over the default 256 MiB, less than any vault vaultapp calibrates by default.
CHEAP_WORK: Final = ARGON2_DEFAULT_MEMORY_KIB * 1024
_MS_PER_BYTE: dict[str, float] = {}  # measured once per process and KDF by estimate_cost


@dataclass(frozen=True, slots=True)
class KdfCost:
    """What one derivation is expected to cost on this machine: an estimate from a small timed
    probe, scaled linearly (real costs at gigabytes are often higher: caches, page faults)."""

    ms: float
    memory_bytes: int
    memory_available: int | None

    @property
    def too_much(self) -> list[str]:
        """Which ceilings the estimate passes (empty: fine): time over ``SLOW_KDF_MS``, memory over
        half of what is free (and over the 256 MiB vaultapp itself uses by default)."""
        reasons = []
        if self.ms > SLOW_KDF_MS:
            reasons.append(f"{SLOW_KDF_MS // 1000} s")
        if (
            self.memory_available is not None
            and self.memory_bytes > self.memory_available // 2
            and self.memory_bytes > ARGON2_DEFAULT_MEMORY_KIB * 1024
        ):
            reasons.append(f"half the {self.memory_available / 1024**3:.1f} GiB of free memory")
        return reasons


def kdf_work(params: KdfParams, cpu_count: int | None = None) -> int:
    """Bytes of memory one derivation works through: Argon2 memory x passes, over the lanes that
    run at once (one thread each, at most one per CPU); scrypt 128 * r * N * p (p runs in turn)."""
    if isinstance(params, Argon2idParams):
        lanes = max(1, min(params.parallelism, cpu_count or os.cpu_count() or 1))
        return params.memory_bytes * params.time_cost // lanes
    return params.memory_bytes * params.p


def _probe(name: KdfName) -> KdfParams:
    if name == "argon2id":
        return Argon2idParams(time_cost=1, memory_kib=16 * MIB_IN_KIB, parallelism=1, salt=new_salt())
    return ScryptParams(log2_n=14, r=8, p=1, salt=new_salt())


def estimate_cost(
    params: KdfParams,
    *,
    timer: Timer = _time_derivation,
    memory_available: int | None = None,
    cpu_count: int | None = None,
) -> KdfCost:
    """Estimate one derivation's time and memory without doing it. Parameters whose work is at
    most ``CHEAP_WORK`` cost nothing to check; others time a 16 MiB probe (once per process and
    KDF; a test passes its own ``timer``). ``memory_available`` defaults to what is free now.
    """
    if memory_available is None:
        memory_available = available_memory()
    work = kdf_work(params, cpu_count)
    if work <= CHEAP_WORK:
        return KdfCost(0.0, params.memory_bytes, memory_available)
    if timer is _time_derivation and params.name in _MS_PER_BYTE:
        per_byte = _MS_PER_BYTE[params.name]
    else:
        probe = _probe(params.name)
        per_byte = timer(probe) / kdf_work(probe, cpu_count)
        if timer is _time_derivation:
            _MS_PER_BYTE[params.name] = per_byte
    return KdfCost(per_byte * work, params.memory_bytes, memory_available)


def check_cost(
    params: KdfParams,
    what: str,
    *,
    timer: Timer = _time_derivation,
    memory_available: int | None = None,
    cpu_count: int | None = None,
) -> KdfCost:
    """Refuse parameters that would tie up this machine, before deriving (see ``estimate_cost``).

    Raises:
        SlowKdfError: the estimate passes a ceiling; the caller may ask the user and, with their
            yes, derive anyway (the CLI's ``--allow-slow-kdf``).
    """
    cost = estimate_cost(params, timer=timer, memory_available=memory_available, cpu_count=cpu_count)
    if cost.too_much:
        raise SlowKdfError(
            f"{what} asks for {params.describe()}: about {cost.ms / 1000:.0f} s and "
            f"{cost.memory_bytes / 1024**2:,.0f} MiB of memory to unlock on this computer, more than "
            f"{' and '.join(cost.too_much)}. A vault made by vaultapp takes about a second; a file "
            "from someone else can be made to tie up the machine. Nothing was derived.",
            ms=cost.ms,
            memory_bytes=cost.memory_bytes,
        )
    return cost
