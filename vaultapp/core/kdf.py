"""Key derivation: parameters and their bounds, policy floors, salts, deriving a key.

Two KDFs are supported: Argon2id (argon2-cffi's low-level API, the default) and scrypt
(``cryptography``). Parameters always travel with their salt in a frozen dataclass, are stored in
the file header, and are checked against ``BOUNDS`` before anything is allocated, so a hostile
file cannot make the program allocate gigabytes or spin for hours. What a derivation costs on
this machine (calibration, the cost check of someone else's parameters) is ``kdf_cost``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal

from vaultapp.core.errors import KdfParamsRejectedError, UsageError, VaultError

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


def check_unlock_ms(target_ms: int) -> int:
    if not UNLOCK_MS_MIN <= target_ms <= UNLOCK_MS_MAX:
        raise UsageError(
            f"--unlock-ms must be between {UNLOCK_MS_MIN} and {UNLOCK_MS_MAX} milliseconds, not {target_ms}."
        )
    return target_ms


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
    "KdfName",
    "KdfParams",
    "KdfPolicy",
    "ScryptParams",
    "check_unlock_ms",
    "derive_timed",
    "new_salt",
    "params_from_header",
]
