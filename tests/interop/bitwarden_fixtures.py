"""Bitwarden exports built to Bitwarden's published layout, and its password-protected format
sealed here independently of vaultapp's reader (PBKDF2 or Argon2id, HKDF-Expand, AES-256-CBC
and HMAC-SHA256, written out step by step)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PASSKEY = ec.generate_private_key(ec.SECP256R1())
PASSKEY_DER = PASSKEY.private_bytes(
    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
CREDENTIAL_UUID = "8b3c1f4e-2a5d-4e6f-9a0b-1c2d3e4f5a6b"
CREDENTIAL_B64 = base64.urlsafe_b64encode(bytes(range(1, 33))).rstrip(b"=").decode()
USER_HANDLE = base64.urlsafe_b64encode(b"user-42").rstrip(b"=").decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def export() -> dict[str, Any]:
    """An organisation-style export touching every kind of item and field."""
    return {
        "encrypted": False,
        "collections": [{"id": "c1", "name": "Team/Shared"}, {"id": "c2", "name": "Ops"}],
        "folders": [{"id": "f1", "name": "Personal"}],
        "items": [
            {
                "id": "11111111-1111-4111-8111-111111111111", "type": 1, "name": "Example", "folderId": "f1",
                "reprompt": 1, "favorite": False, "notes": None,
                "login": {
                    "username": "jane", "password": "pw-now", "totp": None,
                    "uris": [{"match": None, "uri": "https://example.com"}, {"match": 3, "uri": "https://ex.org"}],
                    "fido2Credentials": [
                        {"credentialId": CREDENTIAL_UUID, "keyType": "public-key", "keyAlgorithm": "ECDSA",
                         "keyCurve": "P-256", "keyValue": b64url(PASSKEY_DER), "rpId": "example.com",
                         "userHandle": USER_HANDLE, "userName": "jane@example.com", "counter": "0",
                         "rpName": "Example", "userDisplayName": "Jane", "discoverable": "true",
                         "creationDate": "2024-01-01T00:00:00.000Z"},
                        {"credentialId": f"b64.{CREDENTIAL_B64}", "keyValue": b64url(PASSKEY_DER),
                         "rpId": "login.example.com", "userHandle": USER_HANDLE, "userName": "jane2",
                         "counter": "7"},
                    ],
                },
                "fields": [
                    {"name": "Plan", "value": "pro", "type": 0, "linkedId": None},
                    {"name": "PIN", "value": "9876", "type": 1, "linkedId": None},
                    {"name": "Verified", "value": "true", "type": 2, "linkedId": None},
                    {"name": "Login name", "value": None, "type": 3, "linkedId": 100},
                ],
                "passwordHistory": [
                    {"lastUsedDate": "2024-05-01T10:00:00.000Z", "password": "pw-two"},
                    {"lastUsedDate": "2023-02-01T10:00:00.000Z", "password": "pw-one"},
                ],
                "creationDate": "2022-01-01T00:00:00.000Z", "revisionDate": "2024-06-01T00:00:00.000Z",
                "deletedDate": None, "collectionIds": None, "archivedDate": "2024-07-01T00:00:00.000Z",
            },
            {
                "id": "22222222-2222-4222-8222-222222222222", "type": 1, "name": "Old forum",
                "login": {"username": "j", "password": "gone"}, "collectionIds": ["c1", "c2"],
                "deletedDate": "2024-08-01T12:00:00.000Z", "revisionDate": "2024-08-01T12:00:00.000Z",
            },
            {
                "id": "33333333-3333-4333-8333-333333333333", "type": 3, "name": "Visa", "collectionIds": ["c2"],
                "card": {"cardholderName": "Jane Doe", "brand": "Visa", "number": "4111111111111111",
                         "expMonth": "4", "expYear": "2030", "code": "123"},
                "fields": [{"name": "Card", "value": None, "type": 3, "linkedId": 305}],
            },
            {
                "id": "44444444-4444-4444-8444-444444444444", "type": 4, "name": "Me",
                "identity": {"title": "Ms", "firstName": "Jane", "lastName": "Doe", "ssn": "123-45-6789",
                             "passportNumber": "P123", "email": "jane@example.com", "address2": None},
            },
            {
                "id": "55555555-5555-4555-8555-555555555555", "type": 5, "name": "Server key",
                "sshKey": {"privateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
                           "publicKey": "ssh-ed25519 AAAA test", "keyFingerprint": "SHA256:xyz"},
            },
            {
                "id": "66666666-6666-4666-8666-666666666666", "type": 2, "name": "Safe", "notes": "12-34-56",
                "secureNote": {"type": 0},
            },
        ],
    }  # fmt: skip


def seal(plain: bytes, enc_key: bytes, mac_key: bytes) -> str:
    """A type-2 EncString: 2.iv|ciphertext|mac (base64), AES-256-CBC + PKCS#7, HMAC over iv||ct."""
    iv = os.urandom(16)
    pad = 16 - len(plain) % 16
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ct = encryptor.update(plain + bytes([pad]) * pad) + encryptor.finalize()
    mac = hmac.new(mac_key, iv + ct, hashlib.sha256).digest()
    return "2." + "|".join(base64.b64encode(p).decode() for p in (iv, ct, mac))


def _hkdf_expand(prk: bytes, info: bytes) -> bytes:
    # RFC 5869 HKDF-Expand for 32 bytes: T(1) = HMAC(PRK, info || 0x01)
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def protect(data: dict[str, Any], password: str, *, kdf: int = 0, iterations: int = 5000,
            memory: int = 1, parallelism: int = 1) -> dict[str, Any]:  # fmt: skip
    """``data`` as Bitwarden's password-protected export."""
    salt = b64url(os.urandom(16))
    if kdf == 0:
        key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations, 32)
    else:
        key = hash_secret_raw(
            password.encode(), hashlib.sha256(salt.encode()).digest(), time_cost=iterations,
            memory_cost=memory * 1024, parallelism=parallelism, hash_len=32, type=Type.ID,
        )  # fmt: skip
    enc, mac = _hkdf_expand(key, b"enc"), _hkdf_expand(key, b"mac")
    return {
        "encrypted": True, "passwordProtected": True, "salt": salt, "kdfType": kdf,
        "kdfIterations": iterations, "kdfMemory": memory if kdf else None,
        "kdfParallelism": parallelism if kdf else None,
        "encKeyValidation_DO_NOT_EDIT": seal(b"8c2b7f0e-0000-4000-8000-000000000000", enc, mac),
        "data": seal(json.dumps(data).encode(), enc, mac),
    }  # fmt: skip
