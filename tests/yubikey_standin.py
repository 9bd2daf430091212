"""A software YubiKey: HMAC-SHA1 challenge-response as a programmed slot computes it, for the tests
(injected where the front ends take a ``ChallengeResponse``; the real one is ``vaultapp.yubikey``)."""

from __future__ import annotations

import hashlib
import hmac

from vaultapp.core.factors import YubiKeyError

SECRET = bytes.fromhex("3132333435363738393031323334353637383930")  # RFC 2202-style 20-byte secret


class SoftYubiKey:
    """Slots 1 and 2, each with a 20-byte HMAC-SHA1 secret (or none: not programmed). Records the
    challenges it was sent."""

    def __init__(self, slot2: bytes | None = SECRET, slot1: bytes | None = None) -> None:
        self.secrets = {1: slot1, 2: slot2}
        self.challenges: list[tuple[int, bytes]] = []

    def challenge_response(self, slot: int, challenge: bytes) -> bytes:
        self.challenges.append((slot, challenge))
        secret = self.secrets.get(slot)
        if secret is None:
            raise YubiKeyError(f"Slot {slot} of the YubiKey is not set up for HMAC-SHA1 challenge-response.")
        return hmac.new(secret, challenge, hashlib.sha1).digest()
