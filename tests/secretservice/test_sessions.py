"""The transfer sessions against secretstorage's own DH implementation (an independent one), and
the store's mapping of items to entries on a real vault file."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import Vault
from vaultapp.secretservice.sessions import (
    DH_AES,
    PLAIN,
    RFC2409_PRIME_1024,
    NotSupportedError,
    SessionError,
    open_session,
)
from vaultapp.secretservice.store import Store


def test_dh_session_agrees_with_secretstorage() -> None:
    from secretstorage.dhcrypto import Session as ClientSession

    client = ClientSession()
    session, output = open_session(DH_AES, client.my_public_key.to_bytes(128, "big"))
    client.set_server_public_key(int.from_bytes(output, "big"))
    assert client.aes_key == session.key

    iv, value = session.encrypt("pässword".encode())
    assert client.aes_key is not None
    decryptor = Cipher(algorithms.AES(client.aes_key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    plain = unpadder.update(decryptor.update(value) + decryptor.finalize()) + unpadder.finalize()
    assert plain == "pässword".encode()
    assert session.decrypt(iv, value) == "pässword".encode()
    assert iv != session.encrypt(b"x")[0]  # a fresh IV each time


def test_plain_unknown_and_bad_input() -> None:
    session, output = open_session(PLAIN, b"")
    assert (session.encrypt(b"abc"), output) == ((b"", b"abc"), b"")
    with pytest.raises(NotSupportedError):
        open_session("dh-ietf2048-sha256-aes256-cbc-pkcs7", b"")
    for bad in (b"", b"\x01", (RFC2409_PRIME_1024 - 1).to_bytes(128, "big")):
        with pytest.raises(SessionError):
            open_session(DH_AES, bad)
    dh_session, _ = open_session(DH_AES, (12345).to_bytes(2, "big"))
    with pytest.raises(SessionError):
        dh_session.decrypt(b"short", b"0" * 16)
    with pytest.raises(SessionError):
        dh_session.decrypt(b"i" * 16, b"0" * 16)  # padding of another key


def test_store_keeps_attributes_in_custom_fields(new_vault: Vault) -> None:
    store = Store(new_vault, "Apps/Keys")
    attrs = {"service": "s", "xdg:schema": "x"}
    item, new = store.create("Token", attrs, b"\xff\x00raw", "application/x", replace=True)
    assert new
    again, new = store.create("Token 2", attrs, b"text", "text/plain", replace=True)
    assert (again, new) == (item, False)
    other, new = store.create("Token", attrs, b"dup", "text/plain", replace=False)
    assert new
    assert other != item
    assert sorted(store.search({"service": "s"})) == sorted([item, other])
    assert store.search({"service": "s", "missing": ""}) == []
    new_vault.save()
    reopened = open_vault(new_vault.path, PASSPHRASE)
    try:
        again_store = Store(reopened, "Apps/Keys")
        entry = again_store.get(item)
        assert entry is not None
        assert entry.title == "Token 2"
        assert again_store.secret(entry) == (b"text", "text/plain")
        assert [e.title for e in entry.history] == ["Token"]
        assert {f.name for f in entry.custom} == {"attr:service", "attr:xdg:schema"}
    finally:
        reopened.close()


def test_binary_secrets_and_content_types_survive(new_vault: Vault) -> None:
    store = Store(new_vault, "")
    item, _ = store.create("Bin", {"a": "1"}, b"\xff\x00raw", "application/octet-stream", replace=False)
    entry = store.get(item)
    assert entry is not None
    assert entry.folder == "Secret Service"
    assert store.secret(entry) == (b"\xff\x00raw", "application/octet-stream")
    store.delete(entry)
    assert store.get(item) is None
    assert store.search({}) == []
