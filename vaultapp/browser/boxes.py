"""The protocol's bytes: base64, 24-byte nonces and their increment, NaCl boxes (X25519 +
XSalsa20-Poly1305 from PyNaCl), and one client ID's session keys with the nonces it has used."""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Final

from nacl.exceptions import CryptoError
from nacl.public import Box, PrivateKey, PublicKey

NONCE_BYTES: Final = 24
KEY_BYTES: Final = 32
MAX_NONCES: Final = 100_000  # nonces remembered per session against replays


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes | None:
    """Base64 text to bytes (of exactly ``size`` bytes when given), or None."""
    if not isinstance(text, str):
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if size is None or len(data) == size else None


def increment(nonce: bytes) -> bytes:
    """``nonce`` + 1 as a little-endian number, wrapping (libsodium's ``sodium_increment``)."""
    value = (int.from_bytes(nonce, "little") + 1) % (1 << (8 * len(nonce)))
    return value.to_bytes(len(nonce), "little")


def seal_bytes(plain: bytes, nonce: bytes, their_public: bytes, our_secret: bytes) -> str:
    """``plain`` in a NaCl box; base64 of the ciphertext (MAC first) without the nonce."""
    return b64(Box(PrivateKey(our_secret), PublicKey(their_public)).encrypt(plain, nonce).ciphertext)


def seal(payload: dict[str, Any], nonce: bytes, their_public: bytes, our_secret: bytes) -> str:
    """``payload`` as compact JSON in a NaCl box (see ``seal_bytes``)."""
    return seal_bytes(
        json.dumps(payload, separators=(",", ":")).encode("utf-8"), nonce, their_public, our_secret
    )


def open_box(message: str, nonce: bytes, their_public: bytes, our_secret: bytes) -> dict[str, Any] | None:
    """The JSON object inside a box, or None when it does not open or is not an object."""
    data = unb64(message)
    if data is None:
        return None
    try:
        plain = Box(PrivateKey(our_secret), PublicKey(their_public)).decrypt(data, nonce)
        value = json.loads(plain.decode("utf-8"))
    except (CryptoError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


@dataclass(slots=True)
class Session:
    """One client ID's keys: the extension's session public key and ours."""

    client_public: bytes
    host_key: PrivateKey = field(default_factory=PrivateKey.generate)
    seen: OrderedDict[bytes, None] = field(default_factory=OrderedDict)
    associated: str | None = None  # the association this session proved (associate/test-associate)

    def fresh(self, nonce: bytes) -> bool:
        """Remember ``nonce``; False if it was used already in this session."""
        if nonce in self.seen:
            return False
        self.seen[nonce] = None
        if len(self.seen) > MAX_NONCES:
            self.seen.popitem(last=False)
        return True
