"""A test client that speaks to ``vaultapp-proxy`` as KeePassXC-Browser does: 4-byte native-order
length-prefixed JSON on the proxy's stdin/stdout, messages in real NaCl boxes (PyNaCl, written
from the protocol document), a fresh random nonce per request, the reply's nonce checked to be the
request's plus one."""

from __future__ import annotations

import base64
import json
import os
import secrets
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from nacl.public import Box, PrivateKey, PublicKey

HEADER = struct.Struct("=I")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def plus_one(nonce: bytes) -> bytes:
    return ((int.from_bytes(nonce, "little") + 1) % (1 << 192)).to_bytes(24, "little")


def start_proxy(runtime_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime_dir), "PYTHONWARNINGS": "error"}
    return subprocess.Popen(
        [sys.executable, "-m", "vaultapp.browser.proxy", "chrome-extension://test/"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )


class Extension:
    """One browser: its proxy process, its session keys, its permanent identification key."""

    def __init__(self, runtime_dir: Path) -> None:
        self.proxy = start_proxy(runtime_dir)
        self.key = PrivateKey.generate()
        self.id_key = PrivateKey.generate()
        self.client_id = b64(secrets.token_bytes(24))
        self.server_key: PublicKey | None = None
        self.association: tuple[str, str] | None = None  # (id, idKey) once associated

    def close(self) -> int:
        """Close the proxy's input as the browser does; its exit status (after checking it wrote
        nothing more)."""
        assert self.proxy.stdin is not None
        assert self.proxy.stdout is not None
        self.proxy.stdin.close()
        rest = self.proxy.stdout.read()
        self.proxy.stdout.close()
        assert rest == b"", rest
        return self.proxy.wait(timeout=10)

    # ---- frames -----------------------------------------------------------------------------

    def write_raw(self, data: bytes) -> None:
        assert self.proxy.stdin is not None
        self.proxy.stdin.write(data)
        self.proxy.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8")
        self.write_raw(HEADER.pack(len(data)) + data)

    def read(self) -> dict[str, Any]:
        assert self.proxy.stdout is not None
        header = self.proxy.stdout.read(HEADER.size)
        assert len(header) == HEADER.size, "the proxy closed its output"
        (size,) = HEADER.unpack(header)
        assert size <= 1024 * 1024
        value = json.loads(self.proxy.stdout.read(size))
        assert isinstance(value, dict)
        return value

    # ---- the protocol -----------------------------------------------------------------------

    def change_keys(self) -> dict[str, Any]:
        nonce = secrets.token_bytes(24)
        self.send({
            "action": "change-public-keys", "publicKey": b64(bytes(self.key.public_key)),
            "nonce": b64(nonce), "clientID": self.client_id,
        })  # fmt: skip
        reply = self.read()
        if reply.get("success") == "true":
            assert reply["nonce"] == b64(plus_one(nonce))
            self.server_key = PublicKey(base64.b64decode(reply["publicKey"]))
        return reply

    def box(self) -> Box:
        assert self.server_key is not None
        return Box(self.key, self.server_key)

    def request(
        self, action: str, message: dict[str, Any], nonce: bytes | None = None, **outer: Any
    ) -> dict[str, Any]:
        """The request ``action`` with ``message`` boxed; the outer JSON as sent."""
        nonce = secrets.token_bytes(24) if nonce is None else nonce
        sealed = self.box().encrypt(json.dumps({"action": action, **message}).encode(), nonce).ciphertext
        return {
            "action": action,
            "message": b64(sealed),
            "nonce": b64(nonce),
            "clientID": self.client_id,
            **outer,
        }

    def open_reply(self, request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        """The decrypted reply (checking its nonce is the request's + 1), or the plain error."""
        if "errorCode" in reply:
            return reply
        expected = b64(plus_one(base64.b64decode(request["nonce"])))
        assert reply["nonce"] == expected
        plain = self.box().decrypt(base64.b64decode(reply["message"]), base64.b64decode(reply["nonce"]))
        inner = json.loads(plain)
        assert inner["nonce"] == expected
        return dict(inner)

    def call(self, action: str, message: dict[str, Any] | None = None, **outer: Any) -> dict[str, Any]:
        request = self.request(action, message or {}, **outer)
        self.send(request)
        return self.open_reply(request, self.read())

    def associate(self) -> dict[str, Any]:
        reply = self.call(
            "associate", {"key": b64(bytes(self.key.public_key)), "idKey": b64(bytes(self.id_key.public_key))}
        )
        if reply.get("success") == "true":
            self.association = (reply["id"], b64(bytes(self.id_key.public_key)))
        return reply

    def keys(self) -> list[dict[str, str]]:
        assert self.association is not None
        return [{"id": self.association[0], "key": self.association[1]}]

    def test_associate(self, id_: str | None = None, key: str | None = None) -> dict[str, Any]:
        assert self.association is not None
        return self.call(
            "test-associate", {"id": id_ or self.association[0], "key": key or self.association[1]}
        )

    def get_logins(self, url: str, submit_url: str = "") -> dict[str, Any]:
        return self.call("get-logins", {"url": url, "submitUrl": submit_url, "keys": self.keys()})
