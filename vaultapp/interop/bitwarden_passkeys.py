"""Bitwarden's passkeys (``login.fido2Credentials``) in KeePassXC's layout (``core.passkeys``).

Bitwarden keeps the private key as base64url PKCS#8 DER (``keyValue``) and the credential id as
a UUID or as ``b64.`` and base64url; KeePassXC keeps the key as PEM and the id as unpadded
base64url of its bytes, and ``rpId``, ``userName`` and ``userHandle`` (base64url) as they are.
"""

from __future__ import annotations

import base64
import binascii
import uuid as uuid_module
from collections.abc import Callable
from typing import Any, Final

from vaultapp.core import passkeys

PEM_LINE: Final = 64


def _text(value: object) -> str:
    return "" if value is None else str(value)


def passkey_fields(
    credential: dict[str, Any], drop: Callable[[str, str], None]
) -> tuple[tuple[str, str, bool], ...] | None:
    """A Bitwarden passkey as KeePassXC's fields (``core.passkeys``), or None (noted) when its
    private key is not a PKCS#8 key: a passkey without its key cannot sign in."""
    try:
        der = _unbase64url(_text(credential.get("keyValue")))
        from cryptography.hazmat.primitives.serialization import load_der_private_key

        load_der_private_key(der, password=None)
    except (ValueError, TypeError, binascii.Error):
        drop("the passkey", "its private key is not a PKCS#8 key, so it could not sign in")
        return None
    text = base64.b64encode(der).decode("ascii")
    lines = [text[i : i + PEM_LINE] for i in range(0, len(text), PEM_LINE)]
    pem = "\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----"])
    fields = [
        (passkeys.CREDENTIAL_ID, credential_id(_text(credential.get("credentialId"))), False),
        (passkeys.PRIVATE_KEY_PEM, pem, True),
        (passkeys.RELYING_PARTY, _text(credential.get("rpId")), False),
        (passkeys.USERNAME, _text(credential.get("userName")), False),
        (passkeys.USER_HANDLE, _text(credential.get("userHandle")), True),
    ]
    if _text(credential.get("counter")) not in ("", "0"):
        drop(f"its signature counter ({credential.get('counter')})", "KeePassXC keeps none")
    return tuple((name, value, name in passkeys.PROTECTED) for name, value, _ in fields)


def credential_id(value: str) -> str:
    """A Bitwarden credential id (a UUID, or ``b64.`` and base64url) as the unpadded base64url
    of its bytes, as KeePassXC stores it; anything else is kept as it is."""
    try:
        raw = _unbase64url(value[4:]) if value.startswith("b64.") else uuid_module.UUID(value).bytes
    except (ValueError, binascii.Error):
        return value
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unbase64url(value: str) -> bytes:
    text = value.strip().replace("+", "-").replace("/", "_").rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
