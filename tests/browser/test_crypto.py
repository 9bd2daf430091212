"""The protocol's crypto against KeePassXC's own test vector (tests/TestBrowser.cpp: fixed keys
and nonce -> known ciphertext), the nonce increment, and the handler's key exchange and refusals
(no vault needed)."""

from __future__ import annotations

import base64
import json

from nacl.public import Box, PrivateKey, PublicKey

from vaultapp.browser import protocol

# KeePassXC's TestBrowser vector: the client's public key, the host's secret key, a nonce, and the box of
# {"action":"test-action"} that the host makes with them (as Qt writes JSON: indented, 32 bytes).
PUBLICKEY = "UIIPObeoya1G8g1M5omgyoPR/j1mR1HlYHu0wHCgMhA="
SERVERSECRETKEY = "tbPQcghxfOgbmsnEqG2qMIj1W2+nh+lOJcNsHncaz1Q="
NONCE = "zBKdvTjL5bgWaKMCTut/8soM/uoMrFoZ"
INCREMENTEDNONCE = "zRKdvTjL5bgWaKMCTut/8soM/uoMrFoZ"
CIPHERTEXT = "+zjtntnk4rGWSl/Ph7Vqip/swvgeupk4lNgHEm2OO3ujNr0OMz6eQtGwjtsj+/rP"


def d(text: str) -> bytes:
    return base64.b64decode(text)


def test_keepassxc_vector_encrypts_byte_for_byte() -> None:
    plain = b'{\n    "action": "test-action"\n}\n'
    assert protocol.seal_bytes(plain, d(NONCE), d(PUBLICKEY), d(SERVERSECRETKEY)) == CIPHERTEXT
    assert protocol.open_box(CIPHERTEXT, d(NONCE), d(PUBLICKEY), d(SERVERSECRETKEY)) == {
        "action": "test-action"
    }


def test_nonce_increment_is_little_endian_and_wraps() -> None:
    assert base64.b64encode(protocol.increment(d(NONCE))).decode() == INCREMENTEDNONCE
    assert protocol.increment(b"\xff\x00" + bytes(22)) == b"\x00\x01" + bytes(22)
    assert protocol.increment(b"\xff" * 24) == bytes(24)


def test_change_public_keys_then_refusals() -> None:
    handler = protocol.Handler()
    client = PrivateKey.generate()
    nonce = bytes(range(24))
    reply = handler.handle({
        "action": "change-public-keys", "publicKey": protocol.b64(bytes(client.public_key)),
        "nonce": protocol.b64(nonce), "clientID": "c1",
    })  # fmt: skip
    assert reply["success"] == "true"
    assert reply["version"] == protocol.VERSION
    assert d(reply["nonce"]) == protocol.increment(nonce)
    box = Box(client, PublicKey(d(reply["publicKey"])))

    def request(
        action: str, nonce: bytes, client_id: str = "c1", message: bytes | None = None
    ) -> dict[str, object]:
        sealed = box.encrypt(message or json.dumps({"action": action}).encode(), nonce).ciphertext
        return {
            "action": action,
            "message": protocol.b64(sealed),
            "nonce": protocol.b64(nonce),
            "clientID": client_id,
        }

    # locked (no vault): an encrypted request that opens gets "database not opened"
    fresh = bytes([7]) * 24
    assert handler.handle(request("get-databasehash", fresh))["errorCode"] == 1
    # the same nonce again is a replay
    replay = handler.handle(request("get-databasehash", fresh))
    assert (replay["errorCode"], replay["action"]) == (4, "get-databasehash")
    assert "replay" in replay["error"]
    # a box under one nonce sent with another does not open
    wrong = request("get-databasehash", bytes([8]) * 24)
    wrong["nonce"] = protocol.b64(bytes([9]) * 24)
    assert handler.handle(wrong)["errorCode"] == 4
    short = request("get-databasehash", bytes([10]) * 24)
    short["nonce"] = protocol.b64(bytes(16))
    assert handler.handle(short)["errorCode"] == 4
    assert handler.handle(request("get-databasehash", bytes([11]) * 24, client_id="other"))["errorCode"] == 3
    assert (
        handler.handle(request("get-databasehash", bytes([12]) * 24, message=b"not json"))["errorCode"] == 4
    )
    assert handler.handle(request("no-such-action", bytes([13]) * 24))["errorCode"] == 12
    assert handler.handle({"nothing": 1})["errorCode"] == 12
    assert handler.handle([1, 2])["errorCode"] == 13
    bad_key = handler.handle(
        {"action": "change-public-keys", "publicKey": "AAAA", "nonce": protocol.b64(nonce), "clientID": "c"}
    )
    assert bad_key["errorCode"] == 9
    assert protocol.notice(locked=True) == {"action": "database-locked"}
    assert protocol.notice(locked=False) == {"action": "database-unlocked"}
