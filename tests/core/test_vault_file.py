"""The vault file helpers (core.vault_file) on real files: a save's encoding verifies what was
written, and a file that changed, vanished or appeared is a conflict."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vaultapp.core import TEST_PARAMS
from vaultapp.core import format as fmt
from vaultapp.core.body import Body
from vaultapp.core.errors import ConflictError, DamagedFileError
from vaultapp.core.kdf import new_salt
from vaultapp.core.keys import Keyring
from vaultapp.core.storage import Fingerprint
from vaultapp.core.vault_reading import check_unchanged, encode_checked


def test_encode_checked_accepts_its_own_bytes_and_refuses_other_keys_bytes() -> None:
    header, keys = (
        fmt.build_header(dataclasses.replace(TEST_PARAMS, salt=new_salt())),
        Keyring(bytes(range(32))),
    )
    data, verify = encode_checked(header, keys, Body({"id": "v", "generation": 1}))
    verify(data)
    other, _ = encode_checked(header, Keyring(bytes(32)), Body({"id": "v", "generation": 1}))
    with pytest.raises(DamagedFileError, match="does not read back"):
        verify(other)  # the same header, under other keys


def test_check_unchanged_reports_a_changed_a_vanished_and_an_appeared_file(tmp_path: Path) -> None:
    path = tmp_path / "v.vault"
    path.write_bytes(b"first")
    seen = Fingerprint.of(b"first")
    check_unchanged(path, seen)
    path.write_bytes(b"second")
    with pytest.raises(ConflictError, match="changed on disk"):
        check_unchanged(path, seen)
    with pytest.raises(ConflictError, match="appeared"):
        check_unchanged(path, None)
    path.unlink()
    with pytest.raises(ConflictError, match="moved or deleted"):
        check_unchanged(path, seen)
    check_unchanged(path, None)
