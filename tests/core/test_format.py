"""File format: every byte change and truncation is detected; an independent reader agrees."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.core.independent_reader import fernet_decrypt, read_vault
from tests.helpers import PASSPHRASE, load_vectors, open_vault
from vaultapp.core import DamagedFileError, Vault, VaultError, WrongPassphraseError
from vaultapp.core import format as fmt
from vaultapp.core.errors import UnsupportedVersionError


@pytest.fixture
def saved(new_vault: Vault) -> Path:
    new_vault.add(
        "GitHub", username="alice", password="p4ss-wörd", url="https://github.com", tags=["dev"],
        totp="JBSWY3DPEHPK3PXP", custom=[("PIN", "1234", True), ("Account", "42", False)], notes="n",
    )  # fmt: skip
    new_vault.add("Mail", username="bob", password="x")
    new_vault.save()
    return new_vault.path


@pytest.mark.parametrize("v", load_vectors("kdf.json")["fernet"])
def test_independent_fernet_decrypt_matches_fernet_spec(v: dict[str, Any]) -> None:
    """The spec-based Fernet decoder used by the independent reader passes the Fernet spec vector."""
    key = base64.urlsafe_b64decode(v["secret"])
    token = base64.urlsafe_b64decode(v["token"])
    assert fernet_decrypt(key, token) == v["src"].encode()
    assert token[1:9] == v["now"].to_bytes(8, "big")
    assert token[9:25].hex() == v["iv"]


def test_independent_reader_from_format_doc_reads_a_vault(saved: Path) -> None:
    """A reader built only from docs/FORMAT.md decrypts every field, secrets included."""
    header, entries, _ = read_vault(saved.read_bytes(), PASSPHRASE)
    assert header["kdf"]["name"] == "argon2id"
    github = next(e for e in entries if e["title"] == "GitHub")
    assert github["password"] == "p4ss-wörd"
    assert github["totp"] == "JBSWY3DPEHPK3PXP"
    assert github["custom"] == [
        {"name": "PIN", "value": "1234", "protected": True},
        {"name": "Account", "value": "42"},
    ]


def test_file_has_no_plaintext_field_and_no_outer_fernet_timestamp(saved: Path) -> None:
    """Titles, usernames and secrets never appear in the file; the payload token's time is 0."""
    data = saved.read_bytes()
    for needle in (b"GitHub", b"alice", b"p4ss", b"JBSWY3DP", b"1234"):
        assert needle not in data
    parsed = fmt.parse_file(data)
    assert parsed.payload[0] == 0x80
    assert parsed.payload[1:9] == bytes(8)


def _open_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mutant.vault"
    path.write_bytes(data)
    open_vault(path).close()


def test_every_single_byte_change_is_detected(saved: Path, tmp_path: Path) -> None:
    """Flipping any one byte of header, digests or payload gives DamagedFileError or WrongPassphraseError."""
    data = saved.read_bytes()
    outcomes: dict[str, int] = {}
    for i in range(len(data)):
        for flip in (0x01, 0x80):
            mutated = bytearray(data)
            mutated[i] ^= flip
            with pytest.raises((DamagedFileError, WrongPassphraseError)) as info:
                _open_bytes(tmp_path, bytes(mutated))
            outcomes[type(info.value).__name__] = outcomes.get(type(info.value).__name__, 0) + 1
    # Only the stored MAC (32 bytes x 2 flips) can look like a wrong passphrase; all else is damage.
    assert outcomes.get("WrongPassphraseError", 0) == 64


def test_truncation_at_any_point_is_detected(saved: Path, tmp_path: Path) -> None:
    """Every prefix of the file is refused as damaged (or wrong passphrase where the MAC is cut)."""
    data = saved.read_bytes()
    for cut in range(len(data)):
        with pytest.raises((DamagedFileError, WrongPassphraseError)):
            _open_bytes(tmp_path, data[:cut])


def test_appended_bytes_are_detected(saved: Path, tmp_path: Path) -> None:
    """Bytes added at the end break the payload token."""
    with pytest.raises(DamagedFileError):
        _open_bytes(tmp_path, saved.read_bytes() + b"\0")


def test_wrong_passphrase_detected_at_header_mac(saved: Path) -> None:
    """A wrong passphrase raises WrongPassphraseError with advice and no secret in the message."""
    with pytest.raises(WrongPassphraseError, match="Wrong passphrase") as info:
        open_vault(saved, "Correct horse battery staple")
    assert "orse" not in str(info.value)


def test_not_a_vault_and_empty_file(tmp_path: Path) -> None:
    """Other files are reported as not a vault; an empty file as empty."""
    for content, message in ((b"", "empty"), (b"PK\x03\x04" + bytes(200), "not a vaultapp vault")):
        path = tmp_path / "x.vault"
        path.write_bytes(content)
        with pytest.raises(DamagedFileError, match=message):
            open_vault(path)


def test_newer_major_version_is_unsupported(saved: Path, tmp_path: Path) -> None:
    """A file of format 3.x says to use a newer vaultapp (exit code 4)."""
    data = bytearray(saved.read_bytes())
    data[8:10] = (3).to_bytes(2, "big")
    with pytest.raises(UnsupportedVersionError, match="newer vaultapp") as info:
        _open_bytes(tmp_path, bytes(data))
    assert info.value.exit_code == 4


def test_payload_bound_to_its_header_even_under_the_same_keys() -> None:
    """A payload moved under another validly-MACed header with the same keys is refused."""
    import dataclasses

    from vaultapp.core.kdf import TEST_PARAMS, new_salt
    from vaultapp.core.keys import Keyring

    keys = Keyring(bytes(32))
    header_a = fmt.build_header(dataclasses.replace(TEST_PARAMS, salt=new_salt()))
    header_b = fmt.build_header(dataclasses.replace(TEST_PARAMS, salt=new_salt()))
    data_a, _ = fmt.encode(header_a, keys, b'{"format":1}')
    payload_a = fmt.parse_file(data_a).payload
    import hashlib

    forged = (
        header_b.raw + hashlib.sha256(header_b.raw).digest() + keys.header_mac(header_b.raw)
        + fmt.FRAME.pack(len(payload_a)) + payload_a
    )  # fmt: skip
    parsed = fmt.parse_file(forged)
    fmt.check_mac(parsed, keys)
    with pytest.raises(DamagedFileError, match="does not belong"):
        fmt.decrypt(parsed, keys)


def test_header_with_duplicate_keys_is_damaged(tmp_path: Path) -> None:
    """Duplicate JSON keys in the header are refused (no ambiguous parsing)."""
    import hashlib

    text = b'{"kdf":{},"kdf":{}}'
    raw = fmt.PREFIX.pack(fmt.MAGIC, 1, 0, len(text)) + text
    data = raw + hashlib.sha256(raw).digest() + bytes(32) + bytes(100)
    with pytest.raises(DamagedFileError, match="repeats a field"):
        fmt.parse_file(data)


def test_zip_bomb_payload_is_refused(monkeypatch: pytest.MonkeyPatch, new_vault: Vault) -> None:
    """A body that unpacks beyond BODY_MAX is refused instead of filling memory."""
    monkeypatch.setattr(fmt, "BODY_MAX", 1000)
    new_vault.add("x" * 5000)
    new_vault.save()
    with pytest.raises(DamagedFileError, match="too large"):
        open_vault(new_vault.path)


def test_huge_non_vault_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A large file that is not a vault is refused from its first bytes; an oversized one by size."""
    import tracemalloc

    big = tmp_path / "movie.vault"
    with big.open("wb") as handle:
        handle.truncate(3 << 30)  # a sparse 3 GiB file of zeros
    tracemalloc.start()
    try:
        with pytest.raises(DamagedFileError, match="not a vaultapp vault"):
            open_vault(big)
        with big.open("r+b") as handle:
            handle.write(fmt.PREFIX.pack(fmt.MAGIC, 1, 0, 100))
        with pytest.raises(DamagedFileError, match="larger than 1024 MiB"):
            Vault.read_header(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20  # reading the file would have allocated 3 GiB


def test_read_header_needs_no_passphrase(saved: Path) -> None:
    """info: the header is readable without the passphrase."""
    header = Vault.read_header(saved)
    assert header.version == "1.2"
    assert header.kdf.name == "argon2id"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """Opening a path that does not exist says so (no traceback, exit 1)."""
    with pytest.raises(VaultError, match="No vault at") as info:
        open_vault(tmp_path / "nope.vault")
    assert info.value.exit_code == 1


@pytest.mark.parametrize("where", ["memory_kib", "name"])
def test_header_integer_of_thousands_of_digits_is_damaged(saved: Path, where: str) -> None:
    """A header integer too long to convert (over 4,300 digits) is a damaged file, not a ValueError;
    one just under the limit is refused with a short message."""
    import hashlib
    import json
    import struct

    data = saved.read_bytes()
    length = struct.unpack(">I", data[12:16])[0]
    for digits, expected in ((5000, "not valid JSON"), (4000, "a 4000-digit number")):
        header = json.loads(data[16 : 16 + length])
        header["kdf"][where] = 0  # placeholder, replaced in the text below
        text = json.dumps(header).replace(f'"{where}": 0', f'"{where}": {"9" * digits}').encode()
        raw = data[:12] + struct.pack(">I", len(text)) + text
        forged = raw + hashlib.sha256(raw).digest() + data[16 + length + 32 :]
        if where == "name" and digits == 4000:
            expected = "unknown key-derivation"
        with pytest.raises(DamagedFileError, match=expected) as caught:
            fmt.parse_file(forged)
        assert len(str(caught.value)) < 300
