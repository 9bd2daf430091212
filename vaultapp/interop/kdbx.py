"""KeePass/KeePassXC databases (KDBX 3.1 and 4) through ``pykeepass``: opening them safely.

Import refuses hostile key-derivation settings before deriving (``check_header``), names
KeePass 1 and KDBX 2 files, checks a key file, tries an empty password both ways KeePass writes
one, and hands pykeepass's decrypted XML tree to ``keepass_xml.read_tree`` (one pass, so a
10,000-entry database imports in about the time pykeepass needs to open it), which owns the
mapping. Export is ``kdbx_export.export_kdbx`` (re-exported here).
"""

from __future__ import annotations

import io
import os
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from vaultapp.core.errors import (
    DamagedFileError,
    KdfParamsRejectedError,
    UnsupportedVersionError,
    UsageError,
    WrongPassphraseError,
)
from vaultapp.core.kdf import UNLOCK_MS_MAX, UNLOCK_MS_MIN, Argon2idParams
from vaultapp.core.kdf_cost import check_cost
from vaultapp.interop.records import FILE_MAX, Parsed, read_import_bytes

AES_KDF_UUID: Final = bytes.fromhex("c9d9f39a628a4460bf740d08c18a4fea")
ARGON2_UUIDS: Final = (
    bytes.fromhex("ef636ddf8c29444b91f7a9a403e30a0c"),  # Argon2d
    bytes.fromhex("9e298b1956db4773b23dfc3ec6f0a1e6"),  # Argon2id
)
# Hostile-file bounds, checked on the header before pykeepass derives anything.
ARGON2_MEMORY_MAX: Final = 4 * 2**30
ARGON2_PASSES_MAX: Final = 1000
ARGON2_WORK_MAX: Final = 64 * 2**30  # memory x passes
ARGON2_LANES_MAX: Final = 64
AES_ROUNDS_MAX: Final = 100_000_000


@dataclass(frozen=True, slots=True)
class KdbxKdf:
    """Argon2d settings for an exported database: KeePassXC's shape for a new database (64 MiB,
    2 lanes) with the passes it calibrates (``calibrated``); tests pass a small one explicitly."""

    memory: int = 64 * 2**20
    passes: int = 14
    lanes: int = 2

    @classmethod
    def calibrated(cls, target_ms: float, *, timer: Callable[[KdbxKdf], float] | None = None) -> KdbxKdf:
        """64 MiB and 2 lanes, with passes raised until one derivation takes about ``target_ms``
        on this machine, as KeePassXC sets up a new database (its default target is 1 s).
        The target is kept within 50..10000 ms; at least 2 passes, at most what import accepts."""
        target = min(max(target_ms, UNLOCK_MS_MIN), UNLOCK_MS_MAX)
        timer = timer or _time_argon2d
        low, high = cls(passes=2), cls(passes=10)
        low_ms = timer(low)
        if low_ms >= target:
            return low
        # Time = a fixed part (allocating and touching 64 MiB, about 30 ms here) + a cost per pass:
        # two probes fit both, where scaling one small probe would give too few passes.
        per_pass = max((timer(high) - low_ms) / (high.passes - low.passes), 0.01)
        fixed = max(low_ms - low.passes * per_pass, 0.0)
        passes = round((target - fixed) / per_pass)
        return cls(passes=min(max(passes, low.passes), ARGON2_PASSES_MAX))


def _time_argon2d(kdf: KdbxKdf) -> float:
    from argon2.low_level import Type, hash_secret_raw

    start = time.perf_counter()
    hash_secret_raw(
        b"calibration probe", os.urandom(32), time_cost=kdf.passes, memory_cost=kdf.memory // 1024,
        parallelism=kdf.lanes, hash_len=32, type=Type.D,
    )  # fmt: skip
    return (time.perf_counter() - start) * 1000


KEYFILE_MAX: Final = 64 * 1024 * 1024  # KeePass accepts any file as a key file; it is read whole


# ---- import -----------------------------------------------------------------------------------


def import_kdbx(
    path: Path | str,
    passphrase: str | None,
    *,
    keyfile: Path | str | None = None,
    allow_slow_kdf: bool = False,
) -> Parsed:
    """Read every entry of a KDBX database (``keepass_xml.read_tree``). ``passphrase`` "" or
    None: the database has an empty password or none (KeePassXC makes the first, KeePass 2 the
    second; both are tried). Argon2 settings that would tie up this machine are refused before
    deriving unless ``allow_slow_kdf`` (see ``core.kdf_cost.check_cost``).

    Raises:
        UsageError: no such file, or the file is too large.
        UnsupportedVersionError: a KeePass 1 (.kdb) or KDBX 2 database.
        WrongPassphraseError: the passphrase or key file does not open it.
        DamagedFileError: the key file is damaged (an XML key file whose hash does not match).
        KdfParamsRejectedError: its key-derivation settings are beyond the accepted bounds.
        SlowKdfError: its Argon2 settings would take over 20 s or half the free memory here.
        DamagedFileError: not a KDBX database, or damaged.
    """
    path = Path(path)
    name = path.name
    # Read once, bounded (never a FIFO or device); pykeepass then parses these bytes, not the path.
    data = read_import_bytes(path, FILE_MAX, "a database to import")
    check_signature(path, data)
    aes = check_header(path, data, allow_slow_kdf=allow_slow_kdf)
    key_data = None if keyfile is None else _read_keyfile(Path(keyfile))
    if key_data is not None:
        _check_keyfile(Path(keyfile or ""), key_data)
    # An empty password is a key component of its own in KeePass ("" hashed), and KeePassXC
    # writes it; KeePass 2 with a key file only writes none. Try the likelier one first.
    tries: list[str | None] = [passphrase] if passphrase else ([None, ""] if key_data else ["", None])
    for password in tries:
        kp = _open(data, password, key_data, aes, name)
        if kp is not None:
            return _read(kp)
    hint = (
        "check the passphrase and that this is the database's key file (leave the passphrase "
        "empty if the database has only a key file)"
        if keyfile is not None
        else "enter the database's own passphrase, and give its key file if it has one"
    )
    raise WrongPassphraseError(
        f"The passphrase or key file for {name} is wrong; {hint}. (A database that also needs a "
        "YubiKey or other hardware key cannot be imported: remove that in KeePassXC first.)"
    )


def _open(data: bytes, password: str | None, key_data: bytes | None, aes: tuple[bytes, int] | None,
          name: str) -> Any:  # fmt: skip
    """The opened database, or None when the credentials do not open it."""
    from pykeepass import PyKeePass
    from pykeepass.exceptions import CredentialsError
    from pykeepass.kdbx_parsing.common import compute_key_composite

    # AES-KDF (KeePassXC 2.7's default for KDBX 3.1) runs in native code here: pykeepass loops
    # over the rounds in Python, about 2 s per million rounds.
    transformed = None if aes is None else aes_kdf(*aes, compute_key_composite(password, _stream(key_data)))
    try:
        return PyKeePass(
            io.BytesIO(data), password=password, keyfile=_stream(key_data), transformed_key=transformed
        )
    except CredentialsError:
        return None
    except Exception as exc:  # noqa: BLE001 - pykeepass raises construct/lxml/zlib errors of many kinds
        raise DamagedFileError(
            f"{name} is not a KeePass database or it is damaged ({type(exc).__name__})."
        ) from None


def _read(kp: Any) -> Parsed:
    from vaultapp.interop.keepass_xml import read_tree, xml_binaries

    try:
        # KDBX 3.1: Meta/Binaries by their ID attribute. KeePassXC does not list them in ID order,
        # and pykeepass's ``binaries`` then puts them at the wrong places (attachments swapped
        # between entries).
        binaries = list(kp.binaries) if kp.version >= (4, 0) else xml_binaries(kp.tree.getroot())
    except UsageError:
        raise  # an attachment inflating past the limit: said in one line
    except Exception:  # noqa: BLE001 - a damaged Meta/Binaries (KDBX 3.1) of any kind
        binaries = []
    return read_tree(kp.tree.getroot(), kdbx4=kp.version >= (4, 0), binaries=binaries)


KDB1_SIGNATURE: Final = bytes.fromhex("03d9a29a65fb4bb5")
KDBX_SIGNATURE: Final = bytes.fromhex("03d9a29a67fb4bb5")


def check_signature(path: Path, data: bytes) -> None:
    """Name KeePass 1 and KDBX 2 databases precisely, before anything else reads them.

    Raises:
        UnsupportedVersionError: a KeePass 1 (.kdb) or KDBX 2.x database.
    """
    if data[:8] == KDB1_SIGNATURE:
        raise UnsupportedVersionError(
            f"{path.name} is a KeePass 1 database: not supported; open it in KeePassXC and save it as "
            "KDBX 4 (Database > Import > KeePass 1 database), then import that."
        )
    if data[:8] == KDBX_SIGNATURE and len(data) >= 12 and struct.unpack("<H", data[10:12])[0] < 3:
        raise UnsupportedVersionError(
            f"{path.name} is a KDBX 2 database (KeePass 2.0x): not supported; open it in KeePassXC or "
            "KeePass and save it again (KDBX 4), then import that."
        )


def _check_keyfile(keyfile: Path, data: bytes) -> None:
    """pykeepass fails on a damaged XML key file with bare assertion and base64 errors."""
    from pykeepass.kdbx_parsing.common import compute_key_composite

    try:
        compute_key_composite(None, io.BytesIO(data))
    except (AssertionError, ValueError, OSError, TypeError, AttributeError):
        raise DamagedFileError(
            f"The key file {keyfile.name} is damaged (a KeePass XML key file whose data or check hash "
            "does not read); use an intact copy of it."
        ) from None


def _read_keyfile(keyfile: Path) -> bytes:
    """A key file can be any file (KeePass hashes what is not a key file format), so only that it
    is a regular file and its size are checked: it is read whole into memory, once."""
    if not keyfile.exists():
        raise UsageError(f"There is no key file at {keyfile}.")
    return read_import_bytes(keyfile, KEYFILE_MAX, "a key file")


def _stream(data: bytes | None) -> io.BytesIO | None:
    return None if data is None else io.BytesIO(data)


def check_header(path: Path, data: bytes, *, allow_slow_kdf: bool = False) -> tuple[bytes, int] | None:
    """Refuse a database (``data``, read from ``path``) whose key-derivation settings would
    exhaust memory or time. Returns the AES-KDF seed and rounds when the database uses AES-KDF."""
    from construct import ConstructError
    from pykeepass.kdbx_parsing.kdbx import KDBX

    try:
        header = KDBX.subcons[0].subcon.parse(data[: 64 * 1024]).value.dynamic_header
        settings = _kdf_settings(path, header)
    except (ConstructError, OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        # A damaged header parses into odd shapes (missing maps, bytes where numbers belong).
        raise DamagedFileError(
            f"{path.name} is not a KeePass database (KDBX 3.1 or 4), or it is damaged."
        ) from None
    if isinstance(settings, Argon2idParams):
        if not allow_slow_kdf:
            check_cost(settings, path.name)  # Argon2d costs what Argon2id does
        return None
    return settings


def _kdf_settings(path: Path, header: Any) -> tuple[bytes, int] | Argon2idParams:
    kdf = _header_field(header, "kdf_parameters")
    if kdf is not None:
        params = {k: v.value for k, v in kdf.dict.items()}
        if params.get("$UUID") in ARGON2_UUIDS:
            memory, passes, lanes = int(params.get("M", 0)), int(params.get("I", 0)), int(params.get("P", 0))
            if not (
                0 < memory <= ARGON2_MEMORY_MAX and 0 < passes <= ARGON2_PASSES_MAX
                and memory * passes <= ARGON2_WORK_MAX and 0 < lanes <= ARGON2_LANES_MAX
            ):  # fmt: skip
                raise KdfParamsRejectedError(
                    f"{path.name} asks for Argon2 with {memory // 2**20} MiB, {passes} passes and {lanes} "
                    "lanes, beyond what vaultapp accepts; lower them in KeePassXC (Database settings, "
                    "Encryption) first."
                )
            return Argon2idParams(time_cost=passes, memory_kib=memory // 1024, parallelism=lanes)
        if params.get("$UUID") == AES_KDF_UUID:
            return params["S"], _check_rounds(path, int(params["R"]))
        raise DamagedFileError(f"{path.name} uses a key derivation this program does not know.")
    rounds = _header_field(header, "transform_rounds")
    seed = _header_field(header, "transform_seed")
    if rounds is None or seed is None:
        raise DamagedFileError(f"{path.name} is a KeePass database without key-derivation settings.")
    return seed, _check_rounds(path, int(rounds))


def aes_kdf(seed: bytes, rounds: int, composite: bytes) -> bytes:
    """KeePass's AES-KDF: each 16-byte half of ``composite`` encrypted ``rounds`` times with
    AES-256 keyed by ``seed``, then SHA-256. Repeated ECB encryption of one block equals CBC over
    zero blocks with that block as IV (c1 = E(iv), c2 = E(c1), ...), so ``cryptography`` does the
    rounds in native code, a chunk at a time."""
    import hashlib

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    chunk = 1 << 16  # blocks per update (1 MiB of zeros)
    zeros = bytes(16 * min(rounds, chunk))
    out = b""
    for half in (composite[:16], composite[16:]):
        encryptor = Cipher(algorithms.AES(seed), modes.CBC(half)).encryptor()
        last, remaining = half, rounds
        while remaining:
            n = min(remaining, chunk)
            last = encryptor.update(zeros if n == chunk else zeros[: 16 * n])[-16:]
            remaining -= n
        out += last
    return hashlib.sha256(out).digest()


def _check_rounds(path: Path, rounds: int) -> int:
    if not 0 <= rounds <= AES_ROUNDS_MAX:
        raise KdfParamsRejectedError(
            f"{path.name} asks for {rounds} AES-KDF rounds, beyond what vaultapp accepts; lower them in "
            "KeePassXC first."
        )
    return rounds


def _header_field(header: Any, name: str) -> Any:
    item = header.get(name)
    return None if item is None else item.data


from vaultapp.interop.kdbx_export import export_kdbx  # noqa: E402 - kept importable from here

__all__ = ["KdbxKdf", "aes_kdf", "check_header", "export_kdbx", "import_kdbx"]
