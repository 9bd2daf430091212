"""Key derivation: parameters, bounds, policy floors, and calibration.

Two KDFs are supported: Argon2id (argon2-cffi's low-level API, the default) and scrypt
(``cryptography``). Parameters always travel with their salt in a frozen dataclass, are stored in
the file header, and are checked against ``BOUNDS`` before anything is allocated, so a hostile
file cannot make the program allocate gigabytes or spin for hours.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal

from vaultapp.core.errors import KdfParamsRejectedError, SlowKdfError, UsageError, VaultError

KdfName = Literal["argon2id", "scrypt"]
KDF_NAMES: Final[tuple[KdfName, ...]] = ("argon2id", "scrypt")

KEY_LENGTH: Final = 32
SALT_LENGTH: Final = 32
MIB_IN_KIB: Final = 1024

UNLOCK_MS_DEFAULT: Final = 1000
UNLOCK_MS_MIN: Final = 50
UNLOCK_MS_MAX: Final = 10_000

ARGON2_VERSION: Final = 0x13
ARGON2_DEFAULT_MEMORY_KIB: Final = 256 * MIB_IN_KIB  # four times KeePassXC's 64 MiB
ARGON2_MAX_PARALLELISM_DEFAULT: Final = 4


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a file may ask for. Anything outside is refused before any allocation."""

    salt_min: int = 16
    salt_max: int = 64
    argon2_memory_kib_max: int = 4 * 1024 * MIB_IN_KIB  # 4 GiB
    argon2_time_cost_max: int = 1000
    argon2_parallelism_max: int = 64
    # memory x passes: 64 GiB-passes is about a minute on a 2-core 2026 laptop.
    argon2_work_kib_max: int = 64 * 1024 * MIB_IN_KIB
    scrypt_log2_n_min: int = 10
    scrypt_log2_n_max: int = 22
    scrypt_r_max: int = 32
    scrypt_p_max: int = 16
    scrypt_memory_max: int = 4 * 1024**3  # 128 * r * n bytes
    scrypt_work_max: int = 16 * 1024**3  # 128 * r * n * p bytes processed


BOUNDS: Final = Bounds()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True, slots=True)
class Argon2idParams:
    """Argon2id (RFC 9106) with version 0x13 and a 32-byte output."""

    name: ClassVar[KdfName] = "argon2id"
    time_cost: int
    memory_kib: int
    parallelism: int
    salt: bytes = field(default=b"", repr=False)

    @property
    def memory_bytes(self) -> int:
        return self.memory_kib * 1024

    def describe(self) -> str:
        return (
            f"Argon2id, {self.memory_kib / MIB_IN_KIB:g} MiB, {self.time_cost} passes, "
            f"{self.parallelism} lanes"
        )

    def to_header(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": ARGON2_VERSION,
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
            "salt": _b64(self.salt),
        }

    def check_bounds(self, bounds: Bounds = BOUNDS) -> None:
        """Raise KdfParamsRejectedError unless every parameter is within ``bounds``."""
        _check_salt(self.salt, bounds)
        _check_range("Argon2 parallelism", self.parallelism, 1, bounds.argon2_parallelism_max)
        _check_range(
            "Argon2 memory (KiB)", self.memory_kib, 8 * self.parallelism, bounds.argon2_memory_kib_max
        )
        _check_range("Argon2 passes", self.time_cost, 1, bounds.argon2_time_cost_max)
        if self.memory_kib * self.time_cost > bounds.argon2_work_kib_max:
            raise KdfParamsRejectedError(
                f"The vault asks for Argon2 work of {self.memory_kib // MIB_IN_KIB} MiB x "
                f"{self.time_cost} passes, more than this program accepts. The file is damaged or "
                "hostile; open a backup copy instead."
            )

    def derive(self, secret: bytes) -> bytes:
        """Check the bounds, then derive 32 bytes from ``secret``.

        Raises:
            KdfParamsRejectedError: a parameter is outside ``BOUNDS`` (nothing is allocated).
            VaultError: the memory could not be allocated.
        """
        self.check_bounds()
        return argon2id_raw(
            secret,
            self.salt,
            time_cost=self.time_cost,
            memory_kib=self.memory_kib,
            parallelism=self.parallelism,
        )


def argon2id_raw(
    secret: bytes, salt: bytes, *, time_cost: int, memory_kib: int, parallelism: int, length: int = KEY_LENGTH
) -> bytes:
    """Argon2id v1.3 through argon2-cffi, without bounds checks (for ``derive`` and test vectors)."""
    from argon2.exceptions import HashingError
    from argon2.low_level import Type, hash_secret_raw

    try:
        return hash_secret_raw(
            secret,
            salt,
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=length,
            type=Type.ID,
            version=ARGON2_VERSION,
        )
    except HashingError as exc:
        raise VaultError(
            f"Key derivation failed ({exc}); it needs {memory_kib // MIB_IN_KIB} MiB of "
            "memory. Close other programs and try again."
        ) from None


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt (RFC 7914) through ``cryptography``, 32-byte output."""

    name: ClassVar[KdfName] = "scrypt"
    log2_n: int
    r: int
    p: int
    salt: bytes = field(default=b"", repr=False)

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * (1 << self.log2_n)

    def describe(self) -> str:
        return f"scrypt, N=2^{self.log2_n} r={self.r} p={self.p} ({self.memory_bytes / 1024**2:g} MiB)"

    def to_header(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "log2_n": self.log2_n,
            "r": self.r,
            "p": self.p,
            "salt": _b64(self.salt),
        }

    def check_bounds(self, bounds: Bounds = BOUNDS) -> None:
        """Raise KdfParamsRejectedError unless every parameter is within ``bounds``."""
        _check_salt(self.salt, bounds)
        _check_range("scrypt log2(N)", self.log2_n, bounds.scrypt_log2_n_min, bounds.scrypt_log2_n_max)
        _check_range("scrypt r", self.r, 1, bounds.scrypt_r_max)
        _check_range("scrypt p", self.p, 1, bounds.scrypt_p_max)
        if self.memory_bytes > bounds.scrypt_memory_max:
            raise KdfParamsRejectedError(
                f"The vault asks for {self.memory_bytes // 1024**2} MiB of scrypt memory, more than "
                "this program accepts. The file is damaged or hostile; open a backup copy instead."
            )
        if self.memory_bytes * self.p > bounds.scrypt_work_max:
            raise KdfParamsRejectedError(
                "The vault asks for more scrypt work than this program accepts. The file is "
                "damaged or hostile; open a backup copy instead."
            )

    def derive(self, secret: bytes) -> bytes:
        """Check the bounds, then derive 32 bytes from ``secret``.

        Raises:
            KdfParamsRejectedError: a parameter is outside ``BOUNDS`` (nothing is allocated).
            VaultError: the memory could not be allocated.
        """
        self.check_bounds()
        return scrypt_raw(secret, self.salt, log2_n=self.log2_n, r=self.r, p=self.p)


def scrypt_raw(secret: bytes, salt: bytes, *, log2_n: int, r: int, p: int, length: int = KEY_LENGTH) -> bytes:
    """scrypt through ``cryptography``, without bounds checks (for ``derive`` and test vectors)."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    try:
        return Scrypt(salt=salt, length=length, n=1 << log2_n, r=r, p=p).derive(secret)
    except MemoryError:
        raise VaultError(
            f"Key derivation failed: scrypt needs {128 * r * (1 << log2_n) // 1024**2} MiB of memory. "
            "Close other programs and try again."
        ) from None


KdfParams = Argon2idParams | ScryptParams

# The explicit test setting: tiny parameters for unit tests, like argon2-cffi's CHEAPEST profile.
# Never a default; code only uses it when a caller passes it in.
TEST_PARAMS: Final = Argon2idParams(time_cost=1, memory_kib=64, parallelism=1)


def _check_salt(salt: bytes, bounds: Bounds) -> None:
    if not bounds.salt_min <= len(salt) <= bounds.salt_max:
        raise KdfParamsRejectedError(
            f"The vault's salt is {len(salt)} bytes; {bounds.salt_min} to {bounds.salt_max} are "
            "accepted. The file is damaged; open a backup copy instead."
        )


def _check_range(what: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        shown = str(value) if abs(value) < 10**20 else f"a {len(str(abs(value)))}-digit number"
        raise KdfParamsRejectedError(
            f"The vault asks for {what} = {shown}; this program accepts {low} to {high}. "
            "The file is damaged or hostile; open a backup copy instead."
        )


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_LENGTH)


def params_from_header(obj: object) -> KdfParams:
    """Build KDF parameters from a header's ``kdf`` object, checking types and bounds.

    Raises:
        KdfParamsRejectedError: a value is missing, of the wrong type, or out of bounds.
    """
    if not isinstance(obj, Mapping):
        raise KdfParamsRejectedError("The vault's KDF description is not an object; the file is damaged.")
    name = obj.get("name")
    try:
        salt = base64.b64decode(_field_str(obj, "salt"), validate=True)
    except binascii.Error:
        raise KdfParamsRejectedError("The vault's salt is not valid base64; the file is damaged.") from None
    params: KdfParams
    if name == "argon2id":
        if _field_int(obj, "version") != ARGON2_VERSION:
            raise KdfParamsRejectedError(
                "The vault uses an Argon2 version other than 1.3 (0x13); the file is damaged."
            )
        params = Argon2idParams(
            time_cost=_field_int(obj, "time_cost"),
            memory_kib=_field_int(obj, "memory_kib"),
            parallelism=_field_int(obj, "parallelism"),
            salt=salt,
        )
    elif name == "scrypt":
        params = ScryptParams(
            log2_n=_field_int(obj, "log2_n"), r=_field_int(obj, "r"), p=_field_int(obj, "p"), salt=salt
        )
    else:
        raise KdfParamsRejectedError(
            f"The vault uses an unknown key-derivation function {str(name)[:40]!r}; "
            "this program knows argon2id and scrypt."
        )
    params.check_bounds()
    return params


def _field_int(obj: Mapping[str, object], key: str) -> int:
    value = obj.get(key)
    if type(value) is not int:
        raise KdfParamsRejectedError(f"The vault's KDF field {key!r} is missing or not a whole number.")
    return value


def _field_str(obj: Mapping[str, object], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise KdfParamsRejectedError(f"The vault's KDF field {key!r} is missing or not text.")
    return value


@dataclass(frozen=True, slots=True)
class KdfPolicy:
    """The floors below which a vault is re-keyed at its next save (``needs_rehash``)."""

    argon2_min_memory_kib: int = 19 * MIB_IN_KIB  # OWASP: m=19 MiB, t=2, p=1
    argon2_min_time_cost: int = 2
    argon2_min_parallelism: int = 1
    scrypt_min_log2_n: int = 17  # OWASP: N=2^17, r=8, p=1
    scrypt_min_r: int = 8

    def needs_rehash(self, params: KdfParams) -> bool:
        return self.strengthen(params) != params

    def strengthen(self, params: KdfParams) -> KdfParams:
        """Raise every parameter below its floor to the floor (salt unchanged)."""
        if isinstance(params, Argon2idParams):
            parallelism = max(params.parallelism, self.argon2_min_parallelism)
            return dataclasses.replace(
                params,
                time_cost=max(params.time_cost, self.argon2_min_time_cost),
                memory_kib=max(params.memory_kib, self.argon2_min_memory_kib, 8 * parallelism),
                parallelism=parallelism,
            )
        return dataclasses.replace(
            params, log2_n=max(params.log2_n, self.scrypt_min_log2_n), r=max(params.r, self.scrypt_min_r)
        )


DEFAULT_POLICY: Final = KdfPolicy()
# Matches TEST_PARAMS, so test vaults are not re-keyed on every save. Tests pass it explicitly.
TEST_POLICY: Final = KdfPolicy(
    argon2_min_memory_kib=64, argon2_min_time_cost=1, scrypt_min_log2_n=10, scrypt_min_r=1
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """What ``calibrate`` chose and why."""

    params: KdfParams
    target_ms: int
    probe_ms: float  # the last timed probe, at ``params`` (or at the scaled-down estimate)
    notes: tuple[str, ...] = ()


def check_unlock_ms(target_ms: int) -> int:
    if not UNLOCK_MS_MIN <= target_ms <= UNLOCK_MS_MAX:
        raise UsageError(
            f"--unlock-ms must be between {UNLOCK_MS_MIN} and {UNLOCK_MS_MAX} milliseconds, not {target_ms}."
        )
    return target_ms


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


def derive_timed(params: KdfParams, secret: bytes) -> tuple[bytes, float]:
    """Derive and return the key with the elapsed milliseconds."""
    start = time.perf_counter()
    key = params.derive(secret)
    return key, (time.perf_counter() - start) * 1000


__all__ = [
    "BOUNDS",
    "DEFAULT_POLICY",
    "KDF_NAMES",
    "TEST_PARAMS",
    "TEST_POLICY",
    "Argon2idParams",
    "Bounds",
    "Calibration",
    "KdfCost",
    "KdfName",
    "KdfParams",
    "KdfPolicy",
    "ScryptParams",
    "available_memory",
    "calibrate",
    "check_cost",
    "check_unlock_ms",
    "derive_timed",
    "estimate_cost",
    "kdf_work",
    "new_salt",
    "params_from_header",
]
