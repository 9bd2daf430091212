#!/usr/bin/env python3
"""The health report over 10,000 entries (issue target: a second report over unchanged entries,
with the strength cache stored in the vault, takes at most 0.2 s).

The vault holds a realistic mix: generated passwords, dictionary-ish ones, reused ones, very
long ones (zxcvbn's 72-character limit), and entries whose password was changed (history).

    python benchmarks/health.py
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaultapp.core import TEST_POLICY, Vault  # noqa: E402
from vaultapp.core.kdf import Argon2idParams  # noqa: E402
from vaultapp.generators.password import PasswordPolicy, generate_password  # noqa: E402
from vaultapp.health.report import check  # noqa: E402

PASSPHRASE = "benchmark passphrase"
KDF = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
WORDS = ("summer", "dragon", "monkey", "football", "sunshine", "princess", "shadow", "master")


def password_for(i: int) -> str:
    kind = i % 10
    if kind < 5:
        return generate_password(PasswordPolicy(length=20)).value
    if kind < 7:
        return f"{WORDS[i % len(WORDS)]}{i % 100}"
    if kind == 7:
        return f"shared-{i % 50}-Password!"  # reused across 20 entries each
    if kind == 8:
        return secrets.token_urlsafe(75)  # ~100 characters: estimated in chunks
    return f"Correct horse {i} battery staple"


ENTRIES = int(os.environ.get("VAULTAPP_BENCH_ENTRIES", "10000"))  # issue 23: 100,000 too
REPS = int(os.environ.get("VAULTAPP_BENCH_REPS", "3"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "health.vault"
        with Vault.create(path, PASSPHRASE, kdf=KDF, policy=TEST_POLICY) as vault:
            uuids = [
                vault.add(f"Entry {i:05d}", username=f"user{i}", password=password_for(i),
                          url=f"https://s{i}.example").uuid
                for i in range(ENTRIES)
            ]  # fmt: skip
            for uuid in uuids[::10]:  # a tenth had their password changed once
                vault.update(uuid, password=generate_password(PasswordPolicy(length=16)).value)
            vault.save()
        firsts, seconds = [], []
        for _ in range(REPS):
            with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY) as vault:
                vault.strength_cache = {}
                start = time.perf_counter()
                report = check(vault)
                firsts.append(time.perf_counter() - start)
                vault.save(backup=False)
            with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY) as vault:
                start = time.perf_counter()
                again = check(vault)
                seconds.append(time.perf_counter() - start)
                assert not again.cache_changed
        counts: dict[str, int] = {}
        for finding in report.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        print(f"report: score {report.score}/100, findings {dict(sorted(counts.items()))}")
        print(
            f"first report, {ENTRIES:,} entries (zxcvbn for every distinct password): median "
            f"{statistics.median(firsts):.2f} s ({min(firsts):.2f}-{max(firsts):.2f})"
        )
        print(
            f"second report, unchanged entries (strength cache in the vault): median "
            f"{statistics.median(seconds) * 1000:.0f} ms ({min(seconds) * 1000:.0f}-"
            f"{max(seconds) * 1000:.0f}); goal at most 200 ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
