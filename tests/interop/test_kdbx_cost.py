"""A KeePass database whose Argon2 settings would take minutes is refused before deriving."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.interop.test_kdbx import DB_PASS, SMALL
from vaultapp.core import SlowKdfError, Vault, WrongPassphraseError, kdf_cost
from vaultapp.interop.formats import plan_file_import
from vaultapp.interop.kdbx import export_kdbx, import_kdbx
from vaultapp.interop.records import records_of

GIB = 1024**3


def _item(name: bytes) -> bytes:
    return b"\x05\x01\x00\x00\x00" + name + b"\x08\x00\x00\x00"  # a UInt64 VariantDictionary item


def _set(data: bytes, name: bytes, value: int) -> bytes:
    at = data.index(_item(name)) + len(_item(name))
    return data[:at] + value.to_bytes(8, "little") + data[at + 8 :]


@pytest.fixture
def gift(filled: Vault, tmp_path: Path) -> Path:
    """A real KDBX 4 database whose header now asks for Argon2 4 GiB x 16 passes (the largest
    the bounds accept)."""
    out = tmp_path / "out.kdbx"
    export_kdbx(out, records_of(filled), DB_PASS, kdf=SMALL)
    data = out.read_bytes()
    # KDBX 4: the header, its SHA-256, then its HMAC (keyed by the derived key: left as it is).
    end = next(n for n in range(12, 8192) if hashlib.sha256(data[:n]).digest() == data[n : n + 32])
    header = _set(_set(data[:end], b"M", 4 * GIB), b"I", 16)
    hostile = tmp_path / "gift.kdbx"
    hostile.write_bytes(header + hashlib.sha256(header).digest() + data[end + 32 :])
    return hostile


def test_kdbx_with_4_gib_argon2_is_refused_and_nothing_derived(
    gift: Path, filled: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """import_kdbx and a planned import raise SlowKdfError before pykeepass derives anything."""
    import argon2.low_level

    monkeypatch.setattr(kdf_cost, "available_memory", lambda: 2 * GIB)  # refused here on any machine
    memory: list[int] = []
    real = argon2.low_level.hash_secret_raw

    def spy(*args: Any, **kwargs: Any) -> bytes:
        memory.append(kwargs["memory_cost"])
        return real(*args, **kwargs) if kwargs["memory_cost"] <= 16 * 1024 else b"\0" * 32  # never 4 GiB

    monkeypatch.setattr(argon2.low_level, "hash_secret_raw", spy)
    with pytest.raises(SlowKdfError, match=r"gift\.kdbx asks for Argon2id, 4096 MiB, 16 passes"):
        import_kdbx(gift, DB_PASS)
    with pytest.raises(SlowKdfError):
        plan_file_import(filled, gift, "kdbx", passphrase=DB_PASS)
    assert all(m <= 16 * 1024 for m in memory)  # at most vaultapp's own 16 MiB cost probe


def test_kdbx_with_4_gib_argon2_is_derived_when_allowed(gift: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With allow_slow_kdf the check is skipped and pykeepass derives (stubbed: a wrong key)."""
    import argon2.low_level

    calls: list[Any] = []
    monkeypatch.setattr(argon2.low_level, "hash_secret_raw", lambda *a, **k: calls.append(k) or b"\0" * 32)
    with pytest.raises(WrongPassphraseError):
        import_kdbx(gift, DB_PASS, allow_slow_kdf=True)
    assert calls
    assert calls[0]["memory_cost"] == 4 * 1024 * 1024
