"""Bitwarden's password-protected JSON export: the key from the export's own password, and the
``EncString`` values it is sealed in.

The export holds ``salt``, ``kdfType`` (0 PBKDF2-SHA256, 1 Argon2id), ``kdfIterations``,
``kdfMemory`` (MiB) and ``kdfParallelism``; ``encKeyValidation_DO_NOT_EDIT`` (any text, sealed:
it opens only with the right password) and ``data`` (the unencrypted export's JSON, sealed).
The password gives a 32-byte key: PBKDF2-HMAC-SHA256 over the salt's UTF-8, or Argon2id over
the SHA-256 of the salt's UTF-8. HKDF-Expand (SHA-256, info ``enc`` and ``mac``) stretches it to
an encryption and a MAC key. A sealed value is ``2.IV|CIPHERTEXT|MAC`` (base64 each): AES-256-CBC
with PKCS#7 padding, and HMAC-SHA256 over IV and ciphertext, checked (in constant time) first.

An export "restricted to the account" (``passwordProtected`` false) is sealed with the Bitwarden
account's own key, which only Bitwarden holds: it cannot be read here, and the message says so.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Final

from vaultapp.core.errors import DamagedFileError, KdfParamsRejectedError, UsageError, WrongPassphraseError

PBKDF2: Final = 0
ARGON2ID: Final = 1
# Bitwarden's own limits (its KDF settings): a file asking for more was not made by Bitwarden,
# and deriving it would tie up the machine (or its memory) for as long as the file wishes.
PBKDF2_ITERATIONS_MAX: Final = 2_000_000
ARGON2_ITERATIONS_MAX: Final = 10
ARGON2_MEMORY_MAX: Final = 1024  # MiB
ARGON2_PARALLELISM_MAX: Final = 16
SALT_MAX: Final = 1024


class PasswordNeededError(UsageError):
    """The export is password-protected and no password was given (the front end asks)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """What a password-protected export says about its key, and the sealed data."""

    salt: str
    kdf: int
    iterations: int
    memory: int  # MiB (Argon2id only)
    parallelism: int  # (Argon2id only)
    validation: str
    data: str

    def __repr__(self) -> str:
        return f"Envelope(kdf={self.kdf}, iterations={self.iterations}, memory={self.memory})"


def envelope_of(export: dict[str, Any]) -> Envelope | None:
    """The envelope of a password-protected export, None for an unencrypted one.

    Raises:
        UsageError: an export restricted to the Bitwarden account (not readable here).
        KdfParamsRejectedError: key-derivation parameters beyond Bitwarden's own limits.
        DamagedFileError: a field of the envelope is missing or malformed.
    """
    if export.get("encrypted") is not True:
        return None
    if export.get("passwordProtected") is not True:
        raise UsageError(
            "This is an encrypted Bitwarden export restricted to your Bitwarden account (sealed with the "
            'account\'s own key, which only Bitwarden holds); export again choosing "Password protected" '
            "(or the unencrypted .json format) and import that file."
        )
    salt, kdf = export.get("salt"), export.get("kdfType")
    validation, data = export.get("encKeyValidation_DO_NOT_EDIT"), export.get("data")
    if not (isinstance(salt, str) and 0 < len(salt) <= SALT_MAX and isinstance(validation, str)
            and isinstance(data, str)):  # fmt: skip
        raise DamagedFileError(
            "The Bitwarden export lacks its salt, data or key check (or they are not text): it is "
            "damaged; export it again from Bitwarden."
        )
    numbers = [export.get(k) for k in ("kdfIterations", "kdfMemory", "kdfParallelism")]
    iterations, memory, parallelism = (n if type(n) is int else None for n in numbers)
    if kdf == PBKDF2:
        if iterations is None or not 1 <= iterations <= PBKDF2_ITERATIONS_MAX:
            raise KdfParamsRejectedError(
                f"The Bitwarden export asks for PBKDF2 with {numbers[0]!r} iterations, where Bitwarden "
                f"uses 1 to {PBKDF2_ITERATIONS_MAX:,}: it was not made by Bitwarden; export it again."
            )
        return Envelope(salt, kdf, iterations, 0, 0, validation, data)
    if kdf == ARGON2ID:
        if (
            iterations is None or memory is None or parallelism is None
            or not 1 <= iterations <= ARGON2_ITERATIONS_MAX
            or not 1 <= memory <= ARGON2_MEMORY_MAX
            or not 1 <= parallelism <= ARGON2_PARALLELISM_MAX
        ):  # fmt: skip
            raise KdfParamsRejectedError(
                f"The Bitwarden export asks for Argon2id with {numbers[0]!r} iterations, {numbers[1]!r} MiB "
                f"and {numbers[2]!r} threads, where Bitwarden uses at most {ARGON2_ITERATIONS_MAX}, "
                f"{ARGON2_MEMORY_MAX:,} MiB and {ARGON2_PARALLELISM_MAX}: it was not made by Bitwarden; "
                "export it again."
            )
        return Envelope(salt, kdf, iterations, memory, parallelism, validation, data)
    raise KdfParamsRejectedError(
        f"The Bitwarden export uses key derivation {kdf!r}, where Bitwarden knows 0 (PBKDF2) and "
        "1 (Argon2id); export it again from Bitwarden."
    )


def open_envelope(envelope: Envelope, password: str) -> str:
    """The unencrypted export's JSON text sealed in ``envelope``.

    Raises:
        WrongPassphraseError: the password does not open it.
        DamagedFileError: the data does not match its MAC, or is not UTF-8 text.
    """
    enc_key, mac_key = stretch(master_key(envelope, password))
    try:
        unseal(envelope.validation, enc_key, mac_key)
    except _MacMismatchError:
        raise WrongPassphraseError(
            "The password for this Bitwarden export is wrong; type the password chosen when exporting "
            "(the file password, not the account's master password unless they are the same)."
        ) from None
    try:
        plain = unseal(envelope.data, enc_key, mac_key)
        return plain.decode("utf-8")
    except (_MacMismatchError, UnicodeDecodeError):
        raise DamagedFileError(
            "The Bitwarden export opens with this password but its data is damaged (it does not match "
            "its checksum); export it again."
        ) from None


def master_key(envelope: Envelope, password: str) -> bytes:
    """The 32-byte key the export's password and KDF settings give."""
    secret = password.encode("utf-8")
    if envelope.kdf == PBKDF2:
        return hashlib.pbkdf2_hmac("sha256", secret, envelope.salt.encode("utf-8"), envelope.iterations, 32)
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret, hashlib.sha256(envelope.salt.encode("utf-8")).digest(), time_cost=envelope.iterations,
        memory_cost=envelope.memory * 1024, parallelism=envelope.parallelism, hash_len=32, type=Type.ID,
    )  # fmt: skip


def stretch(key: bytes) -> tuple[bytes, bytes]:
    """The encryption and MAC keys: HKDF-Expand of ``key`` with info ``enc`` and ``mac``."""
    from cryptography.hazmat.primitives.hashes import SHA256
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

    return (
        HKDFExpand(algorithm=SHA256(), length=32, info=b"enc").derive(key),
        HKDFExpand(algorithm=SHA256(), length=32, info=b"mac").derive(key),
    )


class _MacMismatchError(Exception):
    """The value was not sealed with these keys (or was changed since)."""


def unseal(value: str, enc_key: bytes, mac_key: bytes) -> bytes:
    """The plaintext of a type-2 ``EncString`` (``2.IV|CIPHERTEXT|MAC``).

    Raises:
        _MacMismatchError: the MAC does not match (a wrong key, or the value was changed).
        DamagedFileError: the value is not a type-2 EncString.
    """
    kind, _, rest = value.partition(".")
    parts = rest.split("|")  # IV, ciphertext, MAC
    try:
        iv, ciphertext, mac = (base64.b64decode(p, validate=True) for p in parts)
    except (ValueError, binascii.Error):  # not three parts, or not base64
        iv = ciphertext = mac = b""
    if kind != "2" or not mac:  # type 2: AES-256-CBC with HMAC-SHA256
        raise DamagedFileError(
            "A sealed value in the Bitwarden export is not of the form 2.IV|DATA|MAC; the file is damaged "
            "or from a newer Bitwarden; export it again."
        ) from None
    if len(iv) != 16 or len(mac) != 32 or not ciphertext or len(ciphertext) % 16:
        raise DamagedFileError("A sealed value in the Bitwarden export has the wrong size; export it again.")
    if not hmac.compare_digest(hmac.new(mac_key, iv + ciphertext, hashlib.sha256).digest(), mac):
        raise _MacMismatchError
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.padding import PKCS7

    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:  # authentic yet badly padded: not made by Bitwarden
        raise DamagedFileError(
            "A sealed value in the Bitwarden export is badly padded; export it again."
        ) from None
