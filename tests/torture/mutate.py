"""A mutation fuzzer for vault files, backups, CSV and KDBX (shared by tests/torture/test_fuzz.py
and scripts/fuzz.py).

Mutations are drawn deterministically (``Draw``: SHA-256 of seed and index): byte flips,
overwrites, truncations, insertions, deletions, duplicated and zeroed ranges, appended junk,
changed version and length fields, a header spliced onto another vault's body, and structured
header edits (hostile or swapped KDF fields, wrong types, unknown names, duplicate keys) written
back with a valid checksum, so they reach the checks behind it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.torture.harness import PASS, Draw
from vaultapp.core.format import FORMAT_MAJOR, FORMAT_MINOR

BYTE_KINDS = ("flip", "byte", "truncate", "insert", "delete", "duplicate", "zero", "extend", "swap")
VAULT_KINDS = (*BYTE_KINDS, "header", "header", "header", "length", "version", "splice")

HOSTILE: dict[str, list[Any]] = {
    "memory_kib": [0, -1, 7, 2**31, 2**40, 4_194_305, "1024", 1.5, True, None, [], {}, 8, 64, 256],
    "time_cost": [0, -1, 1001, 10**12, "2", 2.0, False, None, 1, 2, 3],
    "parallelism": [0, 65, 10**6, "1", None, -3, 1, 2],
    "log2_n": [0, 9, 23, 64, 1024, "17", None, 10],
    "r": [0, 33, 10**9, "8", 1, 8],
    "p": [0, 17, 10**9, None, 1],
    "salt": ["", "!!", base64.b64encode(bytes(8)).decode(), base64.b64encode(bytes(1000)).decode(), 5, None,
             base64.b64encode(bytes(16)).decode()],
    "name": ["scrypt", "argon2i", "argon2d", "", "ARGON2ID", 1, None],
    "version": [16, 18, 20, "19", None],
    "cipher": ["aes", "", None, "FERNET"],
    "compression": ["none", "gzip", "ZLIB", None, 0],
}  # fmt: skip


def _layout(data: bytes) -> tuple[int, int]:
    """(header length L, offset of the payload) of a well-formed vault file."""
    length = int.from_bytes(data[12:16], "big")
    return length, 80 + length


def _rebuild(data: bytes, header: bytes) -> bytes:
    """The file with a new header JSON, its length field and checksum fixed (the MAC kept)."""
    length, payload = _layout(data)
    head = data[:12] + len(header).to_bytes(4, "big") + header
    return head + hashlib.sha256(head).digest() + data[48 + length : payload] + data[payload:]


def mutate_header(data: bytes, draw: Draw) -> tuple[str, bytes]:
    length, _ = _layout(data)
    header = json.loads(data[16 : 16 + length])
    section = header["kdf"] if draw.below(4) else header["payload"]
    how = draw.below(6)
    if how <= 2:
        key = draw.choice(sorted(HOSTILE))
        value = HOSTILE[key][draw.below(len(HOSTILE[key]))]
        (header["payload"] if key in ("cipher", "compression") else header["kdf"])[key] = value
        text, label = json.dumps(header), f"header {key}={value!r}"[:60]
    elif how == 3 and len(section) > 1:
        keys = sorted(section)
        a, b = keys[draw.below(len(keys))], keys[draw.below(len(keys))]
        section[a], section[b] = section[b], section[a]
        text, label = json.dumps(header), f"header swap {a}<->{b}"
    elif how == 4:
        keys = sorted(section)
        key = keys[draw.below(len(keys))]
        del section[key]
        text, label = json.dumps(header), f"header without {key}"
    else:
        raw = json.dumps(header)
        text = (
            raw[:-1] + ',"kdf":{"name":"argon2id"}}' if draw.below(2) else raw[:-1] + ',"extra":[[[[[]]]]]}'
        )
        label = "header duplicate key or extra field"
    return label, _rebuild(data, text.encode())


def mutate(data: bytes, draw: Draw, kinds: tuple[str, ...], other: bytes | None = None) -> tuple[str, bytes]:
    """One mutation of ``data``: (what was done, the new bytes)."""
    kind = draw.choice(kinds)
    n = len(data)
    at = draw.below(n)
    span = 1 + draw.below(32)
    if kind == "flip":
        bit = draw.below(8)
        return f"flip bit {bit} at {at}", data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]
    if kind == "byte":
        value = draw.below(256)
        if value == data[at]:
            value ^= 0xFF
        return f"byte {value} at {at}", data[:at] + bytes([value]) + data[at + 1 :]
    if kind == "truncate":
        return f"truncate to {at}", data[:at]
    if kind == "insert":
        return f"insert {span} at {at}", data[:at] + draw.bytes(span) + data[at:]
    if kind == "delete":
        return f"delete {span} at {at}", data[:at] + data[at + span :]
    if kind == "duplicate":
        return f"duplicate {span} at {at}", data[:at] + data[at : at + span] * 2 + data[at + span :]
    if kind == "zero":
        chunk = data[at : at + span]
        if chunk == bytes(len(chunk)):
            chunk = b"\x01" + chunk[1:]
            return f"one at {at}", data[:at] + chunk + data[at + len(chunk) :]
        return f"zero {span} at {at}", data[:at] + bytes(len(chunk)) + data[at + len(chunk) :]
    if kind == "extend":
        return f"append {span}", data + draw.bytes(span)
    if kind == "swap":
        other_at = draw.below(n)
        a, b = sorted((at, other_at))
        if b - a < span or data[a : a + span] == data[b : b + span]:
            return f"flip all at {at}", data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
        return f"swap {span} at {a},{b}", (
            data[:a] + data[b : b + span] + data[a + span : b] + data[a : a + span] + data[b + span :]
        )
    if kind == "length":
        value = draw.below(2**32) if draw.below(2) else int.from_bytes(data[12:16], "big") + draw.below(9) - 4
        if value == int.from_bytes(data[12:16], "big"):
            value += 1
        return f"length {value}", data[:12] + (value % 2**32).to_bytes(4, "big") + data[16:]
    if kind == "version":
        major, minor = draw.below(4), draw.below(3)
        if (major, minor) == (FORMAT_MAJOR, FORMAT_MINOR):
            major = 2
        return f"version {major}.{minor}", data[:8] + major.to_bytes(2, "big") + minor.to_bytes(
            2, "big"
        ) + data[12:]
    if kind == "splice" and other is not None:
        _, payload = _layout(data)
        _, other_payload = _layout(other)
        return "header of one vault, payload of another", data[:payload] + other[other_payload:]
    return mutate_header(data, draw)


@dataclass
class FuzzStats:
    runs: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    slowest_refusal_ms: float = 0.0  # hostile KDF parameters refused before deriving
    slowest_any_ms: float = 0.0
    rss_growth_kib: int = 0
    derived: list[tuple[str, int]] = field(default_factory=list)  # (kdf name, memory KiB) actually derived


def peak_rss_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def fuzz(
    target: Path,
    original: bytes,
    attempt: Callable[[Path], object],
    expected: tuple[type[BaseException], ...],
    mutations: Iterator[tuple[str, bytes]],
    stats: FuzzStats,
    accept: Callable[[object], bool] | None = None,
    accepted: str = "accepted unchanged",
) -> None:
    """Write each mutation to ``target`` and call ``attempt``: it must raise one of ``expected``
    or (when ``accept`` allows it) return something equal to the original's content."""
    start_rss = peak_rss_kib()
    for label, data in mutations:
        if data == original:
            continue
        target.write_bytes(data)
        began = time.perf_counter()
        try:
            result = attempt(target)
        except expected as exc:
            outcome = type(exc).__name__
        except Exception as exc:
            raise AssertionError(f"{label}: {type(exc).__name__}: {exc}") from exc
        else:
            if accept is None or not accept(result):
                raise AssertionError(f"{label}: the mutated file was accepted with other content")
            outcome = accepted
        elapsed = (time.perf_counter() - began) * 1000
        stats.slowest_any_ms = max(stats.slowest_any_ms, elapsed)
        if outcome == "KdfParamsRejectedError":
            stats.slowest_refusal_ms = max(stats.slowest_refusal_ms, elapsed)
        stats.outcomes[outcome] = stats.outcomes.get(outcome, 0) + 1
        stats.runs += 1
    stats.rss_growth_kib = max(stats.rss_growth_kib, peak_rss_kib() - start_rss)


def vault_mutations(
    data: bytes, count: int, seed: str, other: bytes | None = None
) -> Iterator[tuple[str, bytes]]:
    for index in range(count):
        yield mutate(data, Draw(seed, index), VAULT_KINDS, other)


def byte_mutations(data: bytes, count: int, seed: str) -> Iterator[tuple[str, bytes]]:
    for index in range(count):
        yield mutate(data, Draw(seed, index), BYTE_KINDS)


__all__ = ["PASS", "FuzzStats", "byte_mutations", "fuzz", "mutate", "vault_mutations"]
