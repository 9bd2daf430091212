"""A vault reader written from docs/FORMAT.md alone: hashlib, hmac, argon2-cffi and AES from
``cryptography`` (no Fernet class, no vaultapp code). If the doc and the code ever disagree,
the tests that use this reader fail."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import zlib
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


def fernet_decrypt(key32: bytes, token: bytes) -> bytes:
    """Decrypt a raw Fernet token by the Fernet spec: signing key = first 16 bytes, AES key = last 16."""
    signing, encryption = key32[:16], key32[16:]
    if token[0] != 0x80 or len(token) < 57 + 16:
        raise ValueError("bad token")
    body, mac = token[:-32], token[-32:]
    if not hmac.compare_digest(hmac.new(signing, body, hashlib.sha256).digest(), mac):
        raise ValueError("bad mac")
    iv, ciphertext = body[9:25], body[25:]
    decryptor = Cipher(algorithms.AES(encryption), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def _hkdf(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


def read_vault(data: bytes, passphrase: str) -> tuple[dict[str, Any], list[dict[str, Any]], bytes]:
    """Returns (header JSON, entries with secret fields decrypted, field key)."""
    import unicodedata

    magic, major, _minor, length = struct.unpack(">8sHHI", data[:16])
    assert magic == b"VAULTAPP"
    assert major == 1
    raw = data[: 16 + length]
    digest, mac, payload = (
        data[16 + length : 48 + length],
        data[48 + length : 80 + length],
        data[80 + length :],
    )
    assert hashlib.sha256(raw).digest() == digest
    header = json.loads(raw[16:])
    kdf = header["kdf"]
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    salt = base64.b64decode(kdf["salt"])
    if kdf["name"] == "argon2id":
        master = hash_secret_raw(
            secret, salt, time_cost=kdf["time_cost"], memory_cost=kdf["memory_kib"],
            parallelism=kdf["parallelism"], hash_len=32, type=Type.ID, version=kdf["version"],
        )  # fmt: skip
    else:
        master = Scrypt(salt=salt, length=32, n=1 << kdf["log2_n"], r=kdf["r"], p=kdf["p"]).derive(secret)
    mac_key = _hkdf(master, b"vaultapp header-mac v1")
    assert hmac.compare_digest(hmac.new(mac_key, raw, hashlib.sha256).digest(), mac), "wrong passphrase"
    plaintext = fernet_decrypt(_hkdf(master, b"vaultapp fernet v1"), payload)
    assert plaintext[:32] == hashlib.sha256(raw).digest()
    body = zlib.decompress(plaintext[32:]) if header["payload"]["compression"] == "zlib" else plaintext[32:]
    lines = body.decode("utf-8").split("\n")
    envelope = json.loads(lines[0])
    assert envelope["format"] == 1
    assert envelope["count"] == len(lines) - 1
    field_key = _hkdf(master, b"vaultapp field v1")

    def unseal(token: str) -> str:
        return fernet_decrypt(field_key, base64.urlsafe_b64decode(token)).decode("utf-8")

    entries = []
    for line in lines[1:]:
        entry = json.loads(line)
        for name in ("password", "totp"):
            if name in entry:
                entry[name] = unseal(entry[name])
        entry["custom"] = [
            {**c, "value": unseal(c["value"])} if c.get("protected") else c for c in entry.get("custom", [])
        ]
        entries.append(entry)
    return header, entries, field_key
