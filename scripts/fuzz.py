#!/usr/bin/env python3
"""The mutation fuzzer at full counts (tests/torture/test_fuzz.py runs it at CI-sized counts).

    python scripts/fuzz.py --n 100000

Splits ``--n`` over real vaults (75 %), exported backups (12 %), CSV (10 %) and KDBX (3 %)
and prints the outcomes, the slowest refusal of hostile KDF parameters, the slowest case of
all, and the growth of peak memory. Exit status 1 on the first unexpected exception or a
mutated file accepted with other content.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", default="full")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HOME"] = os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "home")
        from tests.torture.harness import PASS, content, rich_vault
        from tests.torture.mutate import FuzzStats, byte_mutations, fuzz, vault_mutations
        from vaultapp.core import (
            TEST_PARAMS,
            TEST_POLICY,
            DamagedFileError,
            Vault,
            VaultError,
            WrongPassphraseError,
        )
        from vaultapp.core import vault as vault_module
        from vaultapp.interop.formats import export_file, plan_file_import
        from vaultapp.interop.kdbx import KdbxKdf, export_kdbx, import_kdbx
        from vaultapp.interop.records import records_of

        refused = (WrongPassphraseError, DamagedFileError)
        folder = Path(tmp)
        path, snapshot = rich_vault(folder)
        other = folder / "other.vault"
        with Vault.create(other, PASS, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
            vault.add("Other", password="other")
            vault.save()
        derived: list[int] = []
        real_derive = vault_module.derive_timed  # type: ignore[attr-defined]

        def spy(params: Any, secret: bytes) -> tuple[bytes, float]:
            derived.append(params.memory_bytes)
            return real_derive(params, secret)

        vault_module.derive_timed = spy  # type: ignore[attr-defined]
        counts = {"vault": args.n * 75 // 100, "backup": args.n * 12 // 100, "csv": args.n // 10}
        counts["kdbx"] = args.n - sum(counts.values())
        results: dict[str, FuzzStats] = {}
        started = time.perf_counter()
        try:
            with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
                original = path.read_bytes()

                def open_vault(p: Path) -> object:
                    with Vault.open(p, PASS, policy=TEST_POLICY, audit=False) as mutant:
                        return content(mutant)

                results["vault"] = stats = FuzzStats()
                fuzz(folder / "m.vault", original, open_vault, refused,
                     vault_mutations(original, counts["vault"], args.seed, other.read_bytes()), stats,
                     accept=lambda got: got == snapshot)  # fmt: skip
                backup = folder / "export.vault"
                export_file(vault, backup, "backup", passphrase=PASS)
                results["backup"] = stats = FuzzStats()
                fuzz(folder / "m-backup.vault", backup.read_bytes(),
                     lambda p: plan_file_import(vault, p, "backup", passphrase=PASS).plan.summary(), refused,
                     vault_mutations(backup.read_bytes(), counts["backup"], args.seed), stats)  # fmt: skip
                csv = folder / "export.csv"
                export_file(vault, csv, "csv")
                results["csv"] = stats = FuzzStats()
                fuzz(folder / "m.csv", csv.read_bytes(), lambda p: plan_file_import(vault, p, "csv"), (VaultError,),
                     byte_mutations(csv.read_bytes(), counts["csv"], args.seed), stats, accept=lambda _: True, accepted="imported")  # fmt: skip
                kdbx = folder / "export.kdbx"
                export_kdbx(kdbx, records_of(vault), PASS, kdf=KdbxKdf(memory=1 << 20, passes=1, lanes=1))
                good = import_kdbx(kdbx, PASS).records
                results["kdbx"] = stats = FuzzStats()
                fuzz(folder / "m.kdbx", kdbx.read_bytes(), lambda p: import_kdbx(p, PASS).records, refused,
                     byte_mutations(kdbx.read_bytes(), counts["kdbx"], args.seed), stats,
                     accept=lambda got: got == good)  # fmt: skip
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
        took = time.perf_counter() - started
        total = sum(s.runs for s in results.values())
        print(f"{total} mutations in {took:.0f} s ({total / took:.0f}/s); none raised an unexpected exception, "
              "none was accepted with other content")  # fmt: skip
        for name, stats in results.items():
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(stats.outcomes.items()))
            print(f"  {name}: {stats.runs} runs: {outcomes}; slowest {stats.slowest_any_ms:.1f} ms; "
                  f"peak RSS growth {stats.rss_growth_kib / 1024:.1f} MiB")  # fmt: skip
        refusal = max(s.slowest_refusal_ms for s in results.values())
        print(f"hostile KDF parameters: slowest refusal {refusal:.2f} ms (goal at most 50 ms); largest key "
              f"derivation actually run {max(derived) / 1024:.0f} KiB (the test KDF and benign edits only)")  # fmt: skip
        return 0


if __name__ == "__main__":
    sys.exit(main())
