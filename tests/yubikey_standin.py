"""A software YubiKey: HMAC-SHA1 challenge-response as a programmed slot computes it, for the tests
(injected where the front ends take a ``ChallengeResponse``; the real one is ``vaultapp.yubikey``)."""

from __future__ import annotations

import hashlib
import hmac

from vaultapp.core.factors import YubiKeyError

SECRET = bytes.fromhex("3132333435363738393031323334353637383930")  # RFC 2202-style 20-byte secret


def answer(secret: bytes, challenge: bytes, *, variable: bool = True) -> bytes:
    """What a programmed slot answers. ``variable`` (HMAC_LT64, what ``ykman otp chalresp`` sets):
    the 64-byte challenge loses its trailing bytes equal to its last byte (the padding) first;
    otherwise all 64 bytes are hashed."""
    if variable:
        challenge = challenge.rstrip(challenge[-1:])
    return hmac.new(secret, challenge, hashlib.sha1).digest()


class SoftYubiKey:
    """Slots 1 and 2, each with a 20-byte HMAC-SHA1 secret (or none: not programmed), in
    variable-length mode unless ``variable`` is false. Records the challenges it was sent."""

    def __init__(
        self, slot2: bytes | None = SECRET, slot1: bytes | None = None, *, variable: bool = True
    ) -> None:
        self.secrets = {1: slot1, 2: slot2}
        self.variable = variable
        self.challenges: list[tuple[int, bytes]] = []

    def challenge_response(self, slot: int, challenge: bytes) -> bytes:
        self.challenges.append((slot, challenge))
        secret = self.secrets.get(slot)
        if secret is None:
            raise YubiKeyError(f"Slot {slot} of the YubiKey is not set up for HMAC-SHA1 challenge-response.")
        if len(challenge) != 64:
            raise YubiKeyError("The stand-in takes 64-byte challenges, as sent to a real key.")
        return answer(secret, challenge, variable=self.variable)
