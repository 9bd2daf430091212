"""What unlocks a vault: its passphrase, a key file, a YubiKey's HMAC-SHA1 answer, and the
KDF input they make together (docs/FORMAT.md §3.1).

A vault of format 1.x takes its passphrase alone: the KDF input is the passphrase's UTF-8 (NFC),
as before. A vault that also (or instead) takes a key file or a YubiKey is of format 2.0; its
header names the factors (``Factors``), and the KDF input is::

    P     = UTF-8(NFC(passphrase))                       -- when "passphrase" is a factor, else empty
    F     = the key file's 32-byte key (core.keyfile)     -- when "keyfile" is a factor, else 32 zero bytes
    R     = HMAC-SHA1(YubiKey slot secret, pad(C))       -- when "yubikey" is a factor, else empty
    input = HMAC-SHA256(key = F, msg = "vaultapp factors v1" || 0x00 || flags || SHA-256(P) || R)

``flags`` is one byte: 1 passphrase, 2 key file, 4 YubiKey. ``C`` is the header's 32-byte
challenge (``factors.yubikey.challenge``), drawn anew whenever the factors or the passphrase
change, and ``pad`` is PKCS#7 to 64 bytes (what KeePassXC sends its key). The YubiKey itself is
reached through a ``ChallengeResponse`` given by the front end (``vaultapp.yubikey`` is the
yubikey-manager one); the core never talks to a device.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from vaultapp.core.errors import DamagedFileError, UsageError, VaultError
from vaultapp.core.keys import normalize_passphrase

LABEL_FACTORS: Final = b"vaultapp factors v1"
FLAG_PASSPHRASE: Final = 1
FLAG_KEYFILE: Final = 2
FLAG_YUBIKEY: Final = 4
CHALLENGE_LENGTH: Final = 32
PADDED_CHALLENGE: Final = 64
RESPONSE_LENGTH: Final = 20
YUBIKEY_SLOTS: Final = (1, 2)


class FactorMissingError(UsageError):
    """The vault needs a factor that was not given (its key file, its YubiKey), or was given one it
    does not use. The header says which factors a vault takes, so this is told plainly (exit 2)."""


class YubiKeyError(VaultError):
    """The YubiKey could not answer: none plugged in, the slot not programmed for HMAC-SHA1
    challenge-response, the touch timed out, or yubikey-manager is not installed."""


class ChallengeResponse(Protocol):
    """The driver boundary to a YubiKey: HMAC-SHA1 challenge-response on slot 1 or 2."""

    def challenge_response(self, slot: int, challenge: bytes) -> bytes:
        """Send the 64-byte ``challenge`` to ``slot``; return the 20-byte HMAC-SHA1 answer.

        Raises:
            YubiKeyError: no key, the slot is not set up, or the user did not touch it in time.
        """
        ...


@dataclass(frozen=True, slots=True)
class Factors:
    """What a vault's keys are made from (the header's ``factors``, format 2.0)."""

    passphrase: bool = True
    keyfile: bool = False
    yubikey_slot: int | None = None
    challenge: bytes = field(default=b"", repr=False)  # the YubiKey's (32 bytes), when it has one

    @property
    def second(self) -> bool:
        """True when anything besides the passphrase is needed (then the file is format 2.0)."""
        return self.keyfile or self.yubikey_slot is not None

    @property
    def flags(self) -> int:
        return (
            (FLAG_PASSPHRASE if self.passphrase else 0)
            | (FLAG_KEYFILE if self.keyfile else 0)
            | (FLAG_YUBIKEY if self.yubikey_slot is not None else 0)
        )

    def describe(self) -> str:
        """``passphrase and key file``, ``key file and YubiKey (slot 2)``…"""
        parts = ["passphrase"] if self.passphrase else []
        if self.keyfile:
            parts.append("key file")
        if self.yubikey_slot is not None:
            parts.append(f"YubiKey (slot {self.yubikey_slot})")
        return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"

    def to_header(self) -> dict[str, Any]:
        obj: dict[str, Any] = {"passphrase": self.passphrase, "keyfile": self.keyfile}
        if self.yubikey_slot is not None:
            obj["yubikey"] = {
                "slot": self.yubikey_slot,
                "challenge": base64.b64encode(self.challenge).decode("ascii"),
            }
        return obj

    def check(self) -> None:
        """Raise UsageError unless at least one factor is left and the slot is 1 or 2."""
        if not (self.passphrase or self.second):
            raise UsageError("A vault needs a passphrase, a key file or a YubiKey; it cannot have none.")
        if self.yubikey_slot is not None and self.yubikey_slot not in YUBIKEY_SLOTS:
            raise UsageError(f"A YubiKey slot is 1 or 2, not {self.yubikey_slot}.")

    def with_new_challenge(self) -> Factors:
        """The same factors with a fresh YubiKey challenge (at every change of the key)."""
        if self.yubikey_slot is None:
            return self
        return Factors(
            self.passphrase, self.keyfile, self.yubikey_slot, secrets.token_bytes(CHALLENGE_LENGTH)
        )


PASSPHRASE_ONLY: Final = Factors()


def factors_from_header(obj: object) -> Factors:
    """Read a header's ``factors`` (format 2.0), checking every type.

    Raises:
        DamagedFileError: it is missing, of the wrong shape, or names no factor at all.
    """

    def damaged(what: str) -> DamagedFileError:
        return DamagedFileError(
            f"The vault's list of what unlocks it is damaged ({what}). "
            "Restore the backup file next to the vault or another copy."
        )

    if not isinstance(obj, Mapping):
        raise damaged("not an object")
    passphrase, keyfile = obj.get("passphrase"), obj.get("keyfile")
    if type(passphrase) is not bool or type(keyfile) is not bool:
        raise damaged("'passphrase' and 'keyfile' must be true or false")
    slot, challenge = None, b""
    yubikey = obj.get("yubikey")
    if yubikey is not None:
        if not isinstance(yubikey, Mapping) or type(yubikey.get("slot")) is not int:
            raise damaged("'yubikey' needs a slot")
        slot = yubikey["slot"]
        try:
            challenge = base64.b64decode(str(yubikey.get("challenge", "")), validate=True)
        except binascii.Error:
            raise damaged("the YubiKey challenge is not base64") from None
        if slot not in YUBIKEY_SLOTS or len(challenge) != CHALLENGE_LENGTH:
            raise damaged("the YubiKey slot or challenge is out of range")
    factors = Factors(passphrase, keyfile, slot, challenge)
    if not factors.second:
        raise damaged("a format 2.0 vault takes a key file or a YubiKey")
    return factors


KeyFileArg = Path | str | bytes
"""A key file given to the core: its path, or its 32-byte key already read (``core.keyfile``)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the user gives to unlock (or to re-key) a vault. ``passphrase`` None: none given
    (a vault that takes a key file or YubiKey only). ``keyfile``: a path or a 32-byte key."""

    passphrase: str | None = field(default=None, repr=False)
    keyfile: KeyFileArg | None = field(default=None, repr=False)
    yubikey: ChallengeResponse | None = field(default=None, repr=False)

    def keyfile_key(self) -> bytes | None:
        """The key file's 32-byte key (read from disk when a path was given)."""
        if self.keyfile is None:
            return None
        if isinstance(self.keyfile, bytes):
            if len(self.keyfile) != 32:
                raise UsageError("A key file's key is 32 bytes.")
            return self.keyfile
        from vaultapp.core.keyfile import read_key_file

        return read_key_file(self.keyfile)


def pad_challenge(challenge: bytes) -> bytes:
    """PKCS#7 padding to 64 bytes, the length a YubiKey's HMAC-SHA1 slot takes."""
    fill = PADDED_CHALLENGE - len(challenge)
    return challenge + bytes([fill]) * fill


def kdf_input(factors: Factors, credentials: Credentials, *, name: str = "the vault") -> bytes:
    """The KDF input ``credentials`` give for a vault taking ``factors`` (module docstring).

    Raises:
        FactorMissingError: a factor the vault takes was not given, or one it does not take was.
        UsageError: the passphrase is empty.
        KeyFileError: the key file cannot be read.
        YubiKeyError: the YubiKey did not answer.
    """
    if not factors.second:
        if credentials.keyfile is not None:
            raise FactorMissingError(
                f"{name} does not use a key file; unlock it with its passphrase alone (drop the key file)."
            )
        if credentials.passphrase is None:
            raise FactorMissingError(f"{name} needs its passphrase.")
        return normalize_passphrase(credentials.passphrase)
    if factors.keyfile and credentials.keyfile is None:
        raise FactorMissingError(f"{name} needs its key file as well ({factors.describe()}).")
    if not factors.keyfile and credentials.keyfile is not None:
        raise FactorMissingError(f"{name} does not use a key file ({factors.describe()}); drop the key file.")
    if factors.passphrase and credentials.passphrase is None:
        raise FactorMissingError(f"{name} needs its passphrase ({factors.describe()}).")
    if factors.yubikey_slot is not None and credentials.yubikey is None:
        raise FactorMissingError(
            f"{name} needs its YubiKey in slot {factors.yubikey_slot} ({factors.describe()}); plug it in."
        )
    passphrase = (
        normalize_passphrase(credentials.passphrase)
        if factors.passphrase and credentials.passphrase is not None
        else b""
    )
    key = credentials.keyfile_key() if factors.keyfile else None
    response = b""
    if factors.yubikey_slot is not None and credentials.yubikey is not None:
        response = credentials.yubikey.challenge_response(
            factors.yubikey_slot, pad_challenge(factors.challenge)
        )
        if len(response) != RESPONSE_LENGTH:
            raise YubiKeyError("The YubiKey's answer is not 20 bytes; is the slot set up for HMAC-SHA1?")
    message = (
        LABEL_FACTORS + b"\x00" + bytes([factors.flags]) + hashlib.sha256(passphrase).digest() + response
    )
    return hmac.new(key or bytes(32), message, hashlib.sha256).digest()


__all__ = [
    "PASSPHRASE_ONLY",
    "ChallengeResponse",
    "Credentials",
    "FactorMissingError",
    "Factors",
    "KeyFileArg",
    "YubiKeyError",
    "factors_from_header",
    "kdf_input",
    "pad_challenge",
]
