"""Key schedule: RFC 5869 vectors, distinct subkeys, NFC normalisation, masked repr."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from tests.helpers import load_vectors
from vaultapp.core.errors import DamagedFileError, UsageError
from vaultapp.core.keys import (
    LABEL_AUDIT,
    LABEL_FIELD,
    LABEL_HEADER_MAC,
    LABEL_PAYLOAD,
    Keyring,
    hkdf_sha256,
    normalize_passphrase,
)

VECTORS = load_vectors("kdf.json")


@pytest.mark.parametrize("v", VECTORS["hkdf"])
def test_hkdf_matches_rfc5869(v: dict[str, Any]) -> None:
    """hkdf_sha256 reproduces RFC 5869 appendix A (SHA-256 cases)."""
    salt = bytes.fromhex(v["salt"]) or None
    okm = hkdf_sha256(bytes.fromhex(v["ikm"]), info=bytes.fromhex(v["info"]), length=v["length"], salt=salt)
    assert okm.hex() == v["okm"]


def test_subkeys_are_distinct_per_label() -> None:
    """Each label yields a different key from the same master."""
    master = bytes(32)
    keys = {
        hkdf_sha256(master, info=label)
        for label in (LABEL_HEADER_MAC, LABEL_PAYLOAD, LABEL_FIELD, LABEL_AUDIT)
    }
    assert len(keys) == 4


def test_nfc_and_nfd_passphrases_normalise_to_same_bytes() -> None:
    """'é' typed precomposed or as e + combining accent gives the same key input."""
    nfc = unicodedata.normalize("NFC", "café ünïcödé")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert normalize_passphrase(nfc) == normalize_passphrase(nfd) == nfc.encode("utf-8")


def test_empty_passphrase_is_refused() -> None:
    """An empty passphrase is a usage error, never a vault key."""
    with pytest.raises(UsageError):
        normalize_passphrase("")


def test_keyring_repr_hides_keys_and_fields_round_trip() -> None:
    """Sealing round-trips, tokens differ per call, and repr shows no key material."""
    keys = Keyring(b"\x01" * 32)
    token = keys.seal("hunter2")
    assert keys.unseal(token) == "hunter2"
    assert keys.seal("hunter2") != token  # fresh IV each time
    assert "hunter2" not in token
    assert repr(keys) == "Keyring(<keys hidden>)"


def test_field_sealed_under_another_key_is_damaged() -> None:
    """A field token from another vault key does not verify."""
    token = Keyring(b"\x01" * 32).seal("secret")
    with pytest.raises(DamagedFileError):
        Keyring(b"\x02" * 32).unseal(token)


def test_header_mac_constant_time_check() -> None:
    """header_mac_matches accepts the right MAC and refuses one flipped bit."""
    keys = Keyring(b"\x07" * 32)
    mac = keys.header_mac(b"header")
    assert keys.header_mac_matches(b"header", mac)
    assert not keys.header_mac_matches(b"header", bytes([mac[0] ^ 1]) + mac[1:])
