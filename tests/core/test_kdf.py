"""KDF: public vectors, bounds checked before allocation, policy floors (calibration: test_kdf_cost)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.helpers import load_vectors
from vaultapp.core import kdf
from vaultapp.core.errors import KdfParamsRejectedError
from vaultapp.core.kdf import (
    DEFAULT_POLICY,
    Argon2idParams,
    KdfParams,
    ScryptParams,
    argon2id_raw,
    params_from_header,
    scrypt_raw,
)

VECTORS = load_vectors("kdf.json")
SALT = bytes(range(32))


@pytest.mark.parametrize("v", VECTORS["argon2id"])
def test_argon2id_matches_reference_vectors(v: dict[str, Any]) -> None:
    """The Argon2id call behind derive() reproduces the reference implementation's outputs."""
    out = argon2id_raw(
        v["password"].encode(),
        v["salt"].encode(),
        time_cost=v["t"],
        memory_kib=v["m_kib"],
        parallelism=v["p"],
    )
    assert out.hex() == v["hex"]


def test_argon2_library_matches_rfc9106_section_5_3() -> None:
    """The installed Argon2 library gives RFC 9106's Argon2id tag (with secret and associated data)."""
    from argon2.low_level import Type, core, ffi, lib

    out = ffi.new("uint8_t[]", 32)
    buffers = {n: ffi.new("uint8_t[]", b) for n, b in (("pwd", b"\1" * 32), ("salt", b"\2" * 16))}
    buffers |= {"secret": ffi.new("uint8_t[]", b"\3" * 8), "ad": ffi.new("uint8_t[]", b"\4" * 12)}
    ctx = ffi.new(
        "argon2_context *",
        {
            "version": 0x13, "out": out, "outlen": 32, "pwd": buffers["pwd"], "pwdlen": 32,
            "salt": buffers["salt"], "saltlen": 16, "secret": buffers["secret"], "secretlen": 8,
            "ad": buffers["ad"], "adlen": 12, "t_cost": 3, "m_cost": 32, "lanes": 4, "threads": 4,
            "allocate_cbk": ffi.NULL, "free_cbk": ffi.NULL, "flags": lib.ARGON2_DEFAULT_FLAGS,
        },
    )  # fmt: skip
    assert core(ctx, Type.ID.value) == 0
    assert bytes(ffi.buffer(out, 32)).hex() == (
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    )


@pytest.mark.parametrize("v", VECTORS["scrypt"])
def test_scrypt_matches_rfc7914_vectors(v: dict[str, Any]) -> None:
    """The scrypt call behind derive() reproduces RFC 7914 section 12."""
    out = scrypt_raw(
        v["password"].encode(), v["salt"].encode(), log2_n=v["log2_n"], r=v["r"], p=v["p"], length=v["length"]
    )
    assert out.hex() == v["hex"]


def test_derive_equals_raw_call_with_the_same_parameters() -> None:
    """derive() adds only the bounds check to the raw call (32-byte key)."""
    params = Argon2idParams(time_cost=2, memory_kib=256, parallelism=1, salt=SALT)
    assert params.derive(b"pw") == argon2id_raw(b"pw", SALT, time_cost=2, memory_kib=256, parallelism=1)
    sparams = ScryptParams(log2_n=10, r=8, p=1, salt=SALT)
    assert sparams.derive(b"pw") == scrypt_raw(b"pw", SALT, log2_n=10, r=8, p=1)
    assert len(params.derive(b"pw")) == 32


def _header(**changes: Any) -> dict[str, Any]:
    base = Argon2idParams(time_cost=3, memory_kib=65536, parallelism=2, salt=SALT).to_header()
    base.update(changes)
    return base


@pytest.mark.parametrize(
    "changes",
    [
        {"memory_kib": 4 * 1024 * 1024 + 1},  # above 4 GiB
        {"memory_kib": 2**40},
        {"time_cost": 0},
        {"time_cost": 10**9},
        {"parallelism": 0},
        {"parallelism": 1 << 24},
        {"memory_kib": 4 * 1024 * 1024, "time_cost": 100},  # too much total work
        {"memory_kib": 8},  # below 8 x lanes
        {"salt": "AAAA"},  # 3-byte salt
        {"salt": "!!notbase64"},
        {"version": 0x10},
        {"time_cost": True},
        {"time_cost": 3.0},
        {"memory_kib": "65536"},
        {"name": "argon2d"},
    ],
)
def test_hostile_argon2_parameters_rejected_before_allocation(
    changes: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out-of-bounds or malformed KDF fields raise KdfParamsRejectedError; the KDF is never called."""
    calls: list[object] = []
    monkeypatch.setattr(kdf, "argon2id_raw", lambda *a, **k: calls.append(a))
    with pytest.raises(KdfParamsRejectedError):
        params_from_header(_header(**changes)).derive(b"x")
    assert calls == []


@pytest.mark.parametrize(
    "obj",
    [
        {"name": "scrypt", "log2_n": 23, "r": 8, "p": 1},  # n above 2^22
        {"name": "scrypt", "log2_n": 9, "r": 8, "p": 1},
        {"name": "scrypt", "log2_n": 22, "r": 16, "p": 1},  # 8 GiB
        {"name": "scrypt", "log2_n": 22, "r": 8, "p": 16},  # too much work
        {"name": "scrypt", "log2_n": 14, "r": 0, "p": 1},
        {"name": "scrypt", "log2_n": 14, "r": 8, "p": 0},
        {"name": "scrypt", "log2_n": 14, "r": 8},
    ],
)
def test_hostile_scrypt_parameters_rejected_before_allocation(
    obj: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """scrypt bounds: N at most 2^22, memory at most 4 GiB, bounded work."""
    monkeypatch.setattr(kdf, "scrypt_raw", lambda *a, **k: pytest.fail("scrypt was called"))
    obj = {**obj, "salt": ScryptParams(log2_n=14, r=8, p=1, salt=SALT).to_header()["salt"]}
    with pytest.raises(KdfParamsRejectedError):
        params_from_header(obj).derive(b"x")


def test_not_an_object_is_rejected() -> None:
    """A kdf field that is not an object is refused with a clear error."""
    with pytest.raises(KdfParamsRejectedError, match="not an object"):
        params_from_header(["argon2id"])


@pytest.mark.parametrize(
    "params",
    [
        Argon2idParams(time_cost=4, memory_kib=262144, parallelism=4, salt=SALT),
        ScryptParams(log2_n=17, r=8, p=1, salt=SALT),
    ],
)
def test_header_round_trip(params: KdfParams) -> None:
    """Every parameter and the salt survive the header form."""
    assert params_from_header(params.to_header()) == params


def test_policy_floors_are_owasp_minimums() -> None:
    """Argon2id below m=19 MiB or t=2 needs a rehash, and strengthening raises to the floor."""
    weak = Argon2idParams(time_cost=1, memory_kib=8192, parallelism=1, salt=SALT)
    assert DEFAULT_POLICY.needs_rehash(weak)
    strong = DEFAULT_POLICY.strengthen(weak)
    assert (strong.time_cost, strong.memory_kib, strong.salt) == (2, 19 * 1024, SALT)
    assert not DEFAULT_POLICY.needs_rehash(strong)
    assert not DEFAULT_POLICY.needs_rehash(dataclasses.replace(strong, time_cost=9))
    assert DEFAULT_POLICY.needs_rehash(ScryptParams(log2_n=14, r=8, p=1, salt=SALT))
