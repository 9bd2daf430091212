"""SSH private keys as text: reading them (OpenSSH, PEM PKCS#8 and traditional PEM; Ed25519, ECDSA,
RSA), decrypting them with their passphrase, and making new Ed25519 key pairs; all with
``cryptography``. Pure: no agent, no vault."""

from __future__ import annotations

import base64
import hashlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from vaultapp.core.errors import UsageError, WrongPassphraseError

KEY_MAX: Final = 64 * 1024  # an SSH private key is a few KiB at most (RSA 16384: ~12 KiB)
SUPPORTED: Final = "Ed25519, ECDSA (P-256, P-384, P-521) and RSA"

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True, slots=True)
class SshKey:
    """A decrypted private key with the comment the agent shows for it. ``repr`` hides the key."""

    private: PrivateKey = field(repr=False)
    comment: str

    @property
    def public_blob(self) -> bytes:
        """The public key in SSH wire form (what the agent lists and removes by)."""
        line = self.private.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        return base64.b64decode(line.split()[1])

    @property
    def public_line(self) -> str:
        """The ``authorized_keys`` line: ``type base64 comment``."""
        line = self.private.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        text = line.decode("ascii")
        return f"{text} {self.comment}" if self.comment else text

    @property
    def fingerprint(self) -> str:
        """``SHA256:…`` as ``ssh-add -l`` and ``ssh-keygen -l`` print it."""
        digest = hashlib.sha256(self.public_blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    @property
    def kind(self) -> str:
        if isinstance(self.private, ed25519.Ed25519PrivateKey):
            return "ED25519"
        if isinstance(self.private, ec.EllipticCurvePrivateKey):
            return "ECDSA"
        return "RSA"

    def openssh_private(self) -> bytes:
        """The key, unencrypted, in OpenSSH's format (handed to the agent client; never written)."""
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )


def _kind_of(data: bytes) -> str:
    if b"-----BEGIN OPENSSH PRIVATE KEY-----" in data:
        return "openssh"
    if b"-----BEGIN" in data and b"PRIVATE KEY-----" in data:
        return "pem"
    if b"ssh-" in data[:40] or b"ecdsa-" in data[:40]:
        return "public"
    return "other"


def read_key(data: bytes | str, passphrase: str | None, *, comment: str, where: str) -> SshKey:
    """Read a private key (decrypting it with ``passphrase`` when it is protected).

    ``where`` names the key in messages ("entry 'GitHub'"); ``passphrase`` may be given for a
    key that is not protected (an entry's password is used as the key's passphrase).

    Raises:
        UsageError: not a private key, a type that is not supported, or a protected key and
            no passphrase.
        WrongPassphraseError: the passphrase does not decrypt it.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > KEY_MAX:
        raise UsageError(f"The SSH key of {where} is over {KEY_MAX // 1024} KiB: it is not a private key.")
    raw = raw.strip() + b"\n"
    kind = _kind_of(raw)
    if kind == "public":
        raise UsageError(
            f"The SSH key of {where} is a public key; store the private key (the file without .pub)."
        )
    if kind == "other":
        raise UsageError(
            f"The SSH key of {where} is not a private key in OpenSSH or PEM form "
            "(it should start with '-----BEGIN OPENSSH PRIVATE KEY-----' or '-----BEGIN … PRIVATE KEY-----')."
        )
    load = serialization.load_ssh_private_key if kind == "openssh" else serialization.load_pem_private_key
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key = _load(load, raw, secret)
    except _NeedsPassphraseError:
        raise UsageError(
            f"The SSH key of {where} is protected by a passphrase: put the key's passphrase "
            "in the entry's password field."
        ) from None
    except ValueError as exc:
        if secret is not None and _looks_like_bad_passphrase(exc):
            raise WrongPassphraseError(
                f"The entry's password does not decrypt the SSH key of {where}: put the key's "
                "passphrase in the entry's password field."
            ) from None
        raise UsageError(f"The SSH key of {where} could not be read ({exc}).") from None
    except Exception as exc:  # noqa: BLE001 - cryptography's other refusals (an unknown cipher)
        raise UsageError(f"The SSH key of {where} could not be read ({exc}).") from None
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UsageError(
            f"The SSH key of {where} is a {type(key).__name__.removesuffix('PrivateKey') or 'other'} "
            f"key; vaultapp adds {SUPPORTED} keys."
        )
    return SshKey(key, comment)


class _NeedsPassphraseError(Exception):
    """The key is protected and no passphrase was given."""


def _load(load: Callable[[bytes, bytes | None], object], raw: bytes, secret: bytes | None) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography's deprecation of DSA: refused below anyway
        try:
            return load(raw, secret)
        except TypeError:
            if secret is None:
                raise _NeedsPassphraseError from None
            return load(raw, None)  # the entry's password is not the key's: the key is not protected


def _looks_like_bad_passphrase(exc: ValueError) -> bool:
    text = str(exc).casefold()
    return any(word in text for word in ("password", "decrypt", "checksum", "corrupt"))


@dataclass(frozen=True, slots=True)
class NewKeyPair:
    """A freshly made key pair: the private key in OpenSSH form (optionally protected) and the
    ``authorized_keys`` line."""

    private_openssh: str = field(repr=False)
    public_line: str
    fingerprint: str


def generate_ed25519(comment: str, passphrase: str | None = None) -> NewKeyPair:
    """A new Ed25519 key pair (from the operating system's CSPRNG, by ``cryptography``).

    With ``passphrase`` the private key is encrypted in OpenSSH's format (bcrypt KDF, AES-256).
    """
    private = ed25519.Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    text = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
    ).decode("ascii")
    key = SshKey(private, comment)
    return NewKeyPair(text, key.public_line, key.fingerprint)
