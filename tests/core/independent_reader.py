"""A vault reader written from docs/FORMAT.md alone: hashlib, hmac, argon2-cffi and AES (CBC,
and GCM for attachments) from ``cryptography`` (no Fernet class, no vaultapp code). If the doc
and the code ever disagree, the tests that use this reader fail."""

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
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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


def _split(data: bytes) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """(header bytes, checksum, MAC, payload, blob area) by the layout table of §1."""
    magic, major, minor, length = struct.unpack(">8sHHI", data[:16])
    assert magic == b"VAULTAPP"
    assert major in (1, 2)
    raw = data[: 16 + length]
    digest, mac = data[16 + length : 48 + length], data[48 + length : 80 + length]
    if major == 1 and minor < 2:  # 1.0 and 1.1: the payload runs to the end, no attachments
        return raw, digest, mac, data[80 + length :], b""
    (size,) = struct.unpack(">Q", data[80 + length : 88 + length])
    start = 88 + length
    assert start + size <= len(data), "truncated"
    return raw, digest, mac, data[start : start + size], data[start + size :]


def read_vault(
    data: bytes, passphrase: str | None, *, keyfile: bytes | None = None, yubikey: bytes | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], bytes]:
    """Returns (header JSON, entries with secret fields decrypted, field key). ``keyfile`` is the
    key file's content, ``yubikey`` the secret of the YubiKey's HMAC-SHA1 slot (format 2.0)."""
    header, _, entries, field_key, _ = _read(data, passphrase, keyfile, yubikey)
    return header, entries, field_key


def keyfile_key(content: bytes) -> bytes:
    """§3.1: a KeePass XML key file (1.0 base64, 2.0 hex), 32 bytes as they are, 64 hex digits, or
    the SHA-256 of anything else."""
    import re
    import xml.etree.ElementTree as ET

    if content.lstrip().startswith(b"<"):
        try:
            root = ET.fromstring(content)  # noqa: S314 - test files made by the tests
        except ET.ParseError:
            root = None
        if root is not None and root.tag == "KeyFile":
            version = (root.findtext("Meta/Version") or "").strip()
            text = "".join((root.findtext("Key/Data") or "").split())
            if version.startswith("1.0"):
                return base64.b64decode(text)
            if version.startswith("2.0"):
                return bytes.fromhex(text)
    if len(content) == 32:
        return content
    if len(content) == 64 and re.fullmatch(rb"[0-9a-fA-F]{64}", content):
        return bytes.fromhex(content.decode())
    return hashlib.sha256(content).digest()


def _kdf_input(
    header: dict[str, Any], passphrase: str | None, keyfile: bytes | None, yubikey: bytes | None
) -> bytes:
    """§3 and §3.1: the passphrase alone (1.x), or the factors' HMAC (2.0)."""
    import unicodedata

    p = unicodedata.normalize("NFC", passphrase).encode("utf-8") if passphrase is not None else b""
    factors = header.get("factors")
    if factors is None:
        return p
    flags = (1 if factors["passphrase"] else 0) | (2 if factors["keyfile"] else 0)
    response = b""
    if "yubikey" in factors:
        flags |= 4
        challenge = base64.b64decode(factors["yubikey"]["challenge"])
        padded = challenge + bytes([64 - len(challenge)]) * (64 - len(challenge))
        assert yubikey is not None
        # a slot in variable-length mode (ykman's default) hashes the challenge without its padding
        response = hmac.new(yubikey, padded.rstrip(padded[-1:]), hashlib.sha1).digest()
    f = keyfile_key(keyfile) if factors["keyfile"] and keyfile is not None else bytes(32)
    message = b"vaultapp factors v1\x00" + bytes([flags]) + hashlib.sha256(p).digest() + response
    return hmac.new(f, message, hashlib.sha256).digest()


def read_attachments(data: bytes, passphrase: str) -> dict[str, bytes]:
    """Every blob of a vault (§10), verified and decrypted: blob id -> content."""
    _, envelope, _, _, area = _read(data, passphrase, None, None)
    index = envelope.get("attachments", {})
    if "blobs" not in index:
        return {}
    k_att = base64.b64decode(index["key"])
    assert len(k_att) == 32
    k_id = _hkdf(k_att, b"vaultapp attachment id v1")
    aead = AESGCM(_hkdf(k_att, b"vaultapp attachment aead v1"))
    found = {}
    for blob_id, (offset, length, size, packing) in index["blobs"].items():
        stored = area[offset : offset + length]
        assert len(stored) == length
        packed = aead.decrypt(stored[:12], stored[12:], blob_id.encode("ascii"))
        content = zlib.decompress(packed) if packing == "zlib" else packed
        assert len(content) == size
        assert hmac.new(k_id, content, hashlib.sha256).hexdigest() == blob_id
        found[blob_id] = content
    return found


def _read(
    data: bytes, passphrase: str | None, keyfile: bytes | None, yubikey: bytes | None
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], bytes, bytes]:
    raw, digest, mac, payload, area = _split(data)
    assert hashlib.sha256(raw).digest() == digest
    header = json.loads(raw[16:])
    kdf = header["kdf"]
    secret = _kdf_input(header, passphrase, keyfile, yubikey)
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

    entries: list[dict[str, Any]] = []
    for line in lines[1:]:
        entry = json.loads(line)
        for name in ("password", "totp"):
            if name in entry:
                entry[name] = unseal(entry[name])
        entry["custom"] = [
            {**c, "value": unseal(c["value"])} if c.get("protected") else c for c in entry.get("custom", [])
        ]
        entries.append(entry)
    return header, envelope, entries, field_key, area
