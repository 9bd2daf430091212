"""Developer secrets: hex, URL-safe base64, base32, Fernet keys, prefixed API keys, UUID4,
HMAC/JWT signing secrets, and ``.env`` lines. All from ``secrets``/``os.urandom``."""

from __future__ import annotations

import base64
import re
import secrets
import string
import uuid
from typing import Final, Literal

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.password import Generated

TokenFormat = Literal["hex", "urlsafe", "base32", "fernet", "api-key", "uuid4", "jwt-secret"]
TOKEN_FORMATS: Final[tuple[str, ...]] = (
    "hex",
    "urlsafe",
    "base32",
    "fernet",
    "api-key",
    "uuid4",
    "jwt-secret",
)
BYTES_MIN: Final = 8
BYTES_MAX: Final = 1024
JWT_BYTES: Final = {"HS256": 32, "HS384": 48, "HS512": 64}  # at least the hash output length
API_KEY_ALPHABET: Final = string.ascii_letters + string.digits
ENV_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PREFIX: Final = re.compile(r"[A-Za-z0-9_\-.]{0,32}")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_token(
    kind: str = "urlsafe",
    *,
    nbytes: int = 32,
    prefix: str = "",
    algorithm: str = "HS256",
) -> Generated:
    """One token of ``kind``, after ``prefix`` (any kind but a Fernet key, which must stay a key);
    ``nbytes`` of randomness where the kind takes a size.

    Raises:
        UsageError: unknown kind, size out of range, bad prefix (or one on a Fernet key), bad algorithm.
    """
    if not PREFIX.fullmatch(prefix):
        raise UsageError("A token prefix may hold up to 32 letters, digits, '_', '-' and '.'.")
    if prefix and kind == "fernet":
        raise UsageError("A Fernet key takes no prefix: with one it is no longer a valid key.")
    token = _token(kind, nbytes, algorithm)
    return Generated(prefix + token.value, token.entropy_bits)


def _token(kind: str, nbytes: int, algorithm: str) -> Generated:
    if kind in ("hex", "urlsafe", "base32", "api-key") and not BYTES_MIN <= nbytes <= BYTES_MAX:
        raise UsageError(f"A token needs {BYTES_MIN} to {BYTES_MAX} bytes of randomness, not {nbytes}.")
    if kind == "hex":
        return Generated(secrets.token_hex(nbytes), 8.0 * nbytes)
    if kind == "urlsafe":
        return Generated(_b64url(secrets.token_bytes(nbytes)), 8.0 * nbytes)
    if kind == "base32":
        return Generated(
            base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("="), 8.0 * nbytes
        )
    if kind == "fernet":
        from cryptography.fernet import Fernet

        return Generated(Fernet.generate_key().decode("ascii"), 256.0)
    if kind == "api-key":
        # As many base62 characters as carry at least nbytes x 8 bits.
        length = -(-nbytes * 8 * 1000 // 5954)  # log2(62) = 5.954
        body = draw.chars(length, API_KEY_ALPHABET)
        import math

        return Generated(body, length * math.log2(62))
    if kind == "uuid4":
        return Generated(str(uuid.uuid4()), 122.0)
    if kind == "jwt-secret":
        size = JWT_BYTES.get(algorithm.upper())
        if size is None:
            raise UsageError(f"JWT signing secrets are for HS256, HS384 or HS512, not {algorithm!r}.")
        size = max(size, nbytes if nbytes != 32 else size)
        return Generated(_b64url(secrets.token_bytes(size)), 8.0 * size)
    raise UsageError(f"Unknown token kind {kind!r}; choose one of: {', '.join(TOKEN_FORMATS)}.")


def env_line(name: str, value: Generated) -> Generated:
    """``NAME=value`` for a .env file."""
    if not ENV_NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a valid environment variable name (letters, digits, '_').")
    return Generated(f"{name}={value.value}", value.entropy_bits)
