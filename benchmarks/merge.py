#!/usr/bin/env python3
"""Merging two 10,000-entry vaults that differ in 1,000 entries (issue target: at most 1 s
beyond the two unlocks). Both copies start from one vault; each then changes 500 entries, so
1,000 differ, some of them on both sides.

    python benchmarks/merge.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaultapp.core import TEST_POLICY, Vault  # noqa: E402
from vaultapp.core.kdf import Argon2idParams  # noqa: E402

PASSPHRASE = "benchmark passphrase"
KDF = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.vault", Path(tmp) / "b.vault"
        with Vault.create(a, PASSPHRASE, kdf=KDF, policy=TEST_POLICY) as vault:
            for i in range(10_000):
                vault.add(
                    f"Entry {i:05d}", username=f"user{i}", password=f"pw-{i}", url=f"https://s{i}.example"
                )
            vault.save()
        shutil.copy(a, b)
        for path, start in ((a, 0), (b, 250)):  # entries 250-499 are changed on both sides
            with Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY) as vault:
                for entry in sorted(vault.entries, key=lambda e: e.title)[start : start + 500]:
                    vault.update(entry.uuid, password=f"changed on {path.stem}", notes="edited")
                vault.save()
        times, unlock = [], []
        for _ in range(5):
            work = Path(tmp) / "work.vault"
            shutil.copy(a, work)
            began = time.perf_counter()
            with (
                Vault.open(work, PASSPHRASE, writable=True, policy=TEST_POLICY) as ours,
                Vault.open(b, PASSPHRASE, policy=TEST_POLICY) as theirs,
            ):
                kdf_ms = ours.kdf_ms + theirs.kdf_ms
                result = ours.merge_from(theirs)
                ours.save()
            total = (time.perf_counter() - began) * 1000
            times.append(total - kdf_ms)
            unlock.append(kdf_ms)
            work.unlink()
        print(f"merge result: {result.summary()}")
        print(
            f"merge 10k + 10k (1,000 differing), open both + merge + verified save, beyond the two KDF runs: "
            f"median {statistics.median(times):.0f} ms ({min(times):.0f}-{max(times):.0f}); "
            f"the two KDF runs took {statistics.median(unlock):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
