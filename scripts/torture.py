#!/usr/bin/env python3
"""The torture suite at full counts (tests/torture runs it at CI-sized counts).

    python scripts/torture.py --kills 1000 [--writers 4 --each 50] [--passwd 200] [--clock 2000]

Runs the skewed-clock merge case (``--clock`` steps), kills a saving process with SIGKILL
``--kills`` times and checks the vault after every kill, then runs concurrent writers, then
(``--passwd N``) kills passwd N times while a reader unlocks with the old or the new
passphrase; prints the figures. Runs under a temporary HOME, so this machine's vaultapp state
is not touched. Exit status 1 on the first broken promise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def clock_case(steps: int, seed: str) -> bool:
    """Three copies with clocks ten years ahead, a year behind and right: ``steps`` edits,
    deletions and merges; no edit a deletion had not seen may be lost (issue 15)."""
    from tests.torture.clocks import clock_run

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            stats = clock_run(Path(tmp), steps, seed=f"clock-{seed}")
        except AssertionError as exc:
            print(f"FAILED (skewed clocks): {exc}")
            return False
    print(f"skewed clocks (+10 years, -1 year, right): {steps} steps in {time.perf_counter() - start:.0f} s; "
          f"{stats.edits} edits, {stats.deletions} deletions, {stats.merges} merges ({stats.flagged} reported "
          f"future times); {stats.checked} edits no deletion had seen all found, {stats.revived} deleted "
          f"entries kept alive by them, {stats.gone} entries whose every edit a deletion saw stayed deleted; "
          f"all copies identical after merging.")  # fmt: skip
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--each", type=int, default=50)
    parser.add_argument("--seed", default="full")
    parser.add_argument("--passwd", type=int, default=0, metavar="N",
                        help="also: kill -9 passwd N times while a reader unlocks (0: skip)")  # fmt: skip
    parser.add_argument(
        "--clock", type=int, default=2000, metavar="STEPS", help="skewed-clock steps (0: skip)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        for name, value in (("HOME", home), ("XDG_STATE_HOME", home / ".local/state"),
                            ("XDG_CONFIG_HOME", home / ".config"), ("XDG_DATA_HOME", home / ".local/share")):  # fmt: skip
            os.environ[name] = str(value)
        from tests.torture.harness import concurrent_run, kill_run, make_vault, temp_files

        if args.clock and not clock_case(args.clock, args.seed):
            return 1

        path = Path(tmp) / "kill.vault"
        seeded = make_vault(path)
        start = time.perf_counter()
        try:
            stats = kill_run(path, args.kills, seed=args.seed)
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
        took = time.perf_counter() - start
        print(f"kill -9 during save: {stats.kills} kills in {took:.0f} s; {len(stats.confirmed)} saves had "
              f"returned before a kill and every one of them was found afterwards; the vault holds "
              f"{stats.present} entries ({len(seeded)} seeded). {stats.temp_left} kills left a new temp file "
              f"(removed by a writer once stale: {stats.swept_notes} notes); the audit log verified after "
              f"every kill ({stats.log_records} records at the end).")  # fmt: skip
        from vaultapp.core import TEST_POLICY, Vault
        from vaultapp.core.storage import TEMP_STALE_AFTER

        # A temp file younger than TEMP_STALE_AFTER may be a save in progress: the sweep keeps it.
        # Age what the kills left, as time would, and check that the next writer removes it all.
        stale = time.time() - TEMP_STALE_AFTER - 1
        leftovers = temp_files(path.parent)
        for name in leftovers:
            os.utime(path.parent / name, (stale, stale))
        with Vault.open(path, "torture passphrase", writable=True, policy=TEST_POLICY):
            left = temp_files(path.parent)
        print(f"{len(leftovers)} temp files left by killed saves, aged past {TEMP_STALE_AFTER:.0f} s; after "
              f"the next writable open: {left or 'none left'}")  # fmt: skip
        shared = Path(tmp) / "shared.vault"
        make_vault(shared, entries=0)
        start = time.perf_counter()
        try:
            titles = concurrent_run(shared, args.writers, args.each)
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
        expected = {f"w{w}-{i}" for w in range(args.writers) for i in range(args.each)}
        ok = sorted(titles) == sorted(expected)
        print(f"concurrent writers: {args.writers} x {args.each} entries in {time.perf_counter() - start:.1f} s; "
              f"{len(titles)} entries, {len(set(titles))} distinct, all present exactly once: {ok}")  # fmt: skip
        if not (ok and not left):
            return 1
        return passwd_case(Path(tmp), args.passwd, args.seed) if args.passwd else 0


def passwd_case(folder: Path, runs: int, seed: str) -> int:
    """kill -9 inside passwd while a reader unlocks with either passphrase (harness.passwd_run)."""
    from tests.torture.harness import passwd_run

    start = time.perf_counter()
    try:
        stats = passwd_run(folder / "passwd.vault", runs, seed=seed)
    except AssertionError as exc:
        print(f"FAILED: {exc}")
        return 1
    print(f"kill -9 during passwd with a reader: {stats.runs} runs in {time.perf_counter() - start:.0f} s "
          f"(one passwd took {stats.passwd_seconds:.2f} s; {stats.completed} returned first, {stats.killed} "
          f"were killed inside, {stats.switched} of them after the vault was switched); the vault opened with "
          f"exactly one passphrase every time; {stats.stale_reported} backups were left under the other "
          f"one and each was listed as such; the audit log verified after every run ({stats.log_records} "
          f"records at the end, with {stats.crash_notes} notes of a record cut by a crash and "
          f"{stats.late_notes} records the reader wrote with the replaced passphrase); the reader unlocked "
          f"{stats.reader_opens} times.")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
