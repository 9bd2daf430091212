"""Passphrase normalisation and the HKDF-SHA256 key schedule.

::

    passphrase --NFC--> UTF-8 --KDF(salt, params)--> master (32 bytes)
    master --HKDF-SHA256(info=LABEL_HEADER_MAC)--> header MAC key
    master --HKDF-SHA256(info=LABEL_PAYLOAD)-----> Fernet key for the payload
    master --HKDF-SHA256(info=LABEL_FIELD)-------> Fernet key for secret fields
    master --HKDF-SHA256(info=LABEL_AUDIT)-------> audit-log MAC key (core.audit)
    master --HKDF-SHA256(info=LABEL_HEALTH)------> key for password tags (reuse, strength cache)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from typing import Final

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vaultapp.core.errors import DamagedFileError, UsageError

LABEL_HEADER_MAC: Final = b"vaultapp header-mac v1"
LABEL_PAYLOAD: Final = b"vaultapp fernet v1"
LABEL_FIELD: Final = b"vaultapp field v1"
LABEL_AUDIT: Final = b"vaultapp audit v1"
LABEL_HEALTH: Final = b"vaultapp health v1"


def same_secret(a: str | bytes, b: str | bytes) -> bool:
    """Compare two secrets (or MACs) in time independent of where they differ."""
    a_bytes = a.encode("utf-8") if isinstance(a, str) else a
    b_bytes = b.encode("utf-8") if isinstance(b, str) else b
    return hmac.compare_digest(a_bytes, b_bytes)


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC-normalise and UTF-8-encode a passphrase, so NFC and NFD input unlock the same vault.

    Raises:
        UsageError: the passphrase is empty.
    """
    if not passphrase:
        raise UsageError("The passphrase must not be empty.")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def hkdf_sha256(key_material: bytes, *, info: bytes, length: int = 32, salt: bytes | None = None) -> bytes:
    """HKDF-SHA256 (RFC 5869) from ``cryptography``."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(key_material)


class Keyring:
    """The subkeys of one master key. Holds no passphrase; ``repr`` never shows a key."""

    __slots__ = ("_audit", "_field", "_header_mac", "_health", "_payload")

    def __init__(self, master: bytes) -> None:
        self._header_mac = hkdf_sha256(master, info=LABEL_HEADER_MAC)
        self._payload = Fernet(base64.urlsafe_b64encode(hkdf_sha256(master, info=LABEL_PAYLOAD)))
        self._field = Fernet(base64.urlsafe_b64encode(hkdf_sha256(master, info=LABEL_FIELD)))
        self._audit = hkdf_sha256(master, info=LABEL_AUDIT)
        self._health = hkdf_sha256(master, info=LABEL_HEALTH)

    def __repr__(self) -> str:
        return "Keyring(<keys hidden>)"

    def header_mac(self, data: bytes) -> bytes:
        return hmac.new(self._header_mac, data, hashlib.sha256).digest()

    def header_mac_matches(self, data: bytes, mac: bytes) -> bool:
        """Constant-time check of a stored header MAC."""
        return hmac.compare_digest(self.header_mac(data), mac)

    @property
    def audit_key(self) -> bytes:
        return self._audit

    def secret_tag(self, secret: str) -> str:
        """A keyed hash of a password (HMAC-SHA256, 128 bits, base64): equal passwords give equal
        tags, and without the vault key a tag tells nothing about the password."""
        digest = hmac.new(self._health, secret.encode("utf-8"), hashlib.sha256).digest()[:16]
        return base64.b64encode(digest).decode("ascii").rstrip("=")

    def encrypt_payload(self, plaintext: bytes) -> bytes:
        """Encrypt the payload; returns the raw (base64-decoded) Fernet token.

        The token's timestamp is set to 0, so the file reveals nothing the file system does not.
        """
        return base64.urlsafe_b64decode(self._payload.encrypt_at_time(plaintext, 0))

    def decrypt_payload(self, raw_token: bytes) -> bytes:
        """Decrypt a raw Fernet token. Raises DamagedFileError when it does not verify."""
        try:
            return self._payload.decrypt(base64.urlsafe_b64encode(raw_token))
        except InvalidToken:
            raise DamagedFileError(
                "The vault's contents are damaged or were altered (the payload does not verify). "
                "Restore the backup file next to the vault or another copy."
            ) from None

    def seal(self, secret: str) -> str:
        """Encrypt one secret field on its own; returns the Fernet token as text."""
        return self._field.encrypt_at_time(secret.encode("utf-8"), 0).decode("ascii")

    def unseal(self, token: str) -> str:
        """Decrypt one secret field. Raises DamagedFileError when it does not verify."""
        try:
            return self._field.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise DamagedFileError(
                "A secret field in the vault is damaged. Restore the backup file next to the vault."
            ) from None
