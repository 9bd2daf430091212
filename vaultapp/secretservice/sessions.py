"""The Secret Service's transfer sessions: ``plain`` and ``dh-ietf1024-sha256-aes128-cbc-pkcs7``
(the spec's only two algorithms). Pure: no D-Bus, no Qt.

The DH algorithm, as the spec defines it: the client sends its public value in the 1024-bit MODP
group of RFC 2409 (group 2, generator 2) as big-endian bytes; the service answers with its own. The
shared value, big-endian and padded to the prime's 128 bytes (as libsecret makes it), goes through
HKDF-SHA256 with no salt and no info to a 16-byte AES-128 key. Each secret then travels AES-128-CBC
encrypted with PKCS#7 padding, its 16-byte IV in the secret's ``parameters``.
"""

from __future__ import annotations

import functools
import secrets
import warnings
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import dh
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PLAIN: Final = "plain"
DH_AES: Final = "dh-ietf1024-sha256-aes128-cbc-pkcs7"
ALGORITHMS: Final = (PLAIN, DH_AES)

# RFC 2409 section 6.2, the Second Oakley Group: 2^1024 - 2^960 - 1 + 2^64 * (floor(2^894 pi) + 129093).
RFC2409_PRIME_1024: Final = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF",
    16,
)
PRIME_BYTES: Final = 128
IV_BYTES: Final = 16


class NotSupportedError(Exception):
    """An algorithm the service does not offer (answered as ``org.freedesktop.DBus.Error.NotSupported``)."""


class SessionError(Exception):
    """A client's key or secret that cannot be used (a bad public value, a bad IV or padding)."""


@dataclass(slots=True)
class Session:
    """One client's session: ``key`` is None for ``plain``."""

    algorithm: str
    key: bytes | None = field(default=None, repr=False)

    def encrypt(self, secret: bytes) -> tuple[bytes, bytes]:
        """(parameters, value) to send ``secret`` to the client."""
        if self.key is None:
            return b"", secret
        iv = secrets.token_bytes(IV_BYTES)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(secret) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return iv, encryptor.update(padded) + encryptor.finalize()

    def decrypt(self, parameters: bytes, value: bytes) -> bytes:
        """The secret a client sent.

        Raises:
            SessionError: a bad IV, a value not a whole number of blocks, or bad padding.
        """
        if self.key is None:
            return value
        if len(parameters) != IV_BYTES or not value or len(value) % 16:
            raise SessionError("The secret is not AES-128-CBC with a 16-byte IV.")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(parameters)).decryptor()
        padded = decryptor.update(value) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise SessionError("The secret's padding is wrong (another session's key?).") from None


@functools.cache
def _group() -> dh.DHParameters:
    """The group, checked once (OpenSSL tests the prime each time parameters are loaded: 25 ms)."""
    # cryptography deprecates finite-field DH, but the spec's one encrypted algorithm is exactly
    # that; the warning is about new designs, not this interoperable one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dh.DHParameterNumbers(RFC2409_PRIME_1024, 2).parameters()


def open_session(algorithm: str, client_input: bytes) -> tuple[Session, bytes]:
    """A new session and the output the client gets back (the service's public value, or b"").

    Raises:
        NotSupportedError: an unknown algorithm.
        SessionError: a DH public value out of range.
    """
    if algorithm == PLAIN:
        return Session(PLAIN), b""
    if algorithm != DH_AES:
        raise NotSupportedError(f"Algorithm {algorithm!r} is not supported; use {PLAIN!r} or {DH_AES!r}.")
    peer = int.from_bytes(client_input, "big")
    if not 1 < peer < RFC2409_PRIME_1024 - 1:
        raise SessionError("The client's DH public value is out of range.")
    with warnings.catch_warnings():  # see _group: the spec's algorithm is finite-field DH
        warnings.simplefilter("ignore")
        private = _group().generate_private_key()
        # cryptography checks the peer's value against the group when it loads it (about 25 ms a
        # session, for the prime's test); the exchange stays in the library, not in our code.
        peer_key = dh.DHPublicNumbers(peer, _group().parameter_numbers()).public_key()
        shared = private.exchange(peer_key).rjust(PRIME_BYTES, b"\0")
    key = HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"").derive(shared)
    public = private.public_key().public_numbers().y.to_bytes(PRIME_BYTES, "big")
    return Session(DH_AES, key), public
