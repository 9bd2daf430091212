#!/usr/bin/env python3
"""Issue 23: 100,000 entries (and 10,000 with 5 history versions each), with the peers measured
in the same run on the same entries and KDF shape (Argon2, 1 MiB, 1 pass, 1 lane).

    python benchmarks/scale.py [--runs 3] [--only bulk,ls,save,merge,history] [--json out.json]

Sections (medians with min-max; whole-process rows alternate the tools on every repetition):
  bulk     N adds through the API then one save (N = 1, 2,000, 8,000), audit log on.
  ls       `ls` of 10 and 100,000 entries, the difference (beyond the KDF) and peak RSS:
           vaultapp-cli, keepassxc-cli, pykeepass.
  save     save after changing one entry of 100,000, verify included, no KDF: vaultapp vs
           pykeepass's save of the same database (its transformed key reused).
  merge    two 100,000-entry copies differing in 10,000 entries (5,000 changed on each side,
           2,500 of them on both): open both + merge + verified save, beyond the two KDF runs.
  history  10,000 entries with 5 earlier versions each: ls beyond the KDF (vs the peers holding
           the same history) and the save after one change.

``VAULTAPP_BENCH_ROOT=/path/to/checkout`` measures another checkout's code (for before figures).
The data is benchmarks/core.py's: title, username, URL, a 20-character password, a 100-character
note.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("VAULTAPP_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from vaultapp.core import TEST_PARAMS, TEST_POLICY, Argon2idParams, Vault  # noqa: E402, I001 - before core

from core import PASSWORD, alternate, build_kdbx, fields, fmt, stats  # noqa: E402

ONE_MIB = Argon2idParams(time_cost=1, memory_kib=1024, parallelism=1)
CLI = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from vaultapp.cli import main; sys.exit(main())"
# VAULTAPP_BENCH_BEFORE=/path/to/checkout: that code's CLI alternates with this one's in the ls rows.
_BEFORE_ROOT = os.environ.get("VAULTAPP_BENCH_BEFORE")
BEFORE = CLI.replace(repr(str(ROOT)), repr(_BEFORE_ROOT)) if _BEFORE_ROOT else None
PYKEEPASS_LS = (
    "import sys; from pykeepass import PyKeePass; "
    "kp = PyKeePass(sys.argv[1], password=sys.stdin.readline().strip()); "
    "print(len(kp.entries))"
)


def timed(fn: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def build_vault(path: Path, n: int, *, history: int = 0, kdf: Any = ONE_MIB) -> None:
    with Vault.create(path, PASSWORD, kdf=kdf, policy=TEST_POLICY) as vault:
        uuids = [vault.add(**fields(i)).uuid for i in range(n)]
        for round_no in range(history):
            for i, uuid in enumerate(uuids):
                vault.update(uuid, password=f"{fields(i)['password']}{round_no}")
        vault.save()


def bench_bulk(work: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in sizes:
        values = []
        for rep in range(runs):
            path = work / f"bulk-{n}-{rep}.vault"
            with Vault.create(path, PASSWORD, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
                for i in range(n):
                    vault.add(**fields(i))
                values.append(timed(vault.save))
            for leftover in work.glob(f"bulk-{n}-{rep}.vault*"):
                leftover.unlink()
        out[str(n)] = stats(values)
    return out


def ls_commands(work: Path, big: str, kpxc: str | None, kdbx: bool) -> dict[str, tuple[list[str], bytes]]:
    pw = (PASSWORD + "\n").encode()
    cmds: dict[str, tuple[list[str], bytes]] = {}
    for size in ("10", big):
        vault, kdbx_file = str(work / f"v{size}.vault"), str(work / f"p{size}.kdbx")
        cmds[f"vaultapp-cli ls {size}"] = ([sys.executable, "-c", CLI, "ls", vault], pw)
        if BEFORE:
            cmds[f"before ls {size}"] = ([sys.executable, "-c", BEFORE, "ls", vault], pw)
        if kpxc and kdbx:
            cmds[f"keepassxc-cli ls {size}"] = ([kpxc, "ls", "-q", kdbx_file], pw)
        if kdbx:
            cmds[f"pykeepass open {size}"] = ([sys.executable, "-c", PYKEEPASS_LS, kdbx_file], pw)
    return cmds


def beyond(rows: dict[str, Any], big: str) -> dict[str, Any]:
    out = {}
    for tool in ("vaultapp-cli ls", "before ls", "keepassxc-cli ls", "pykeepass open"):
        b, s = rows.get(f"{tool} {big}"), rows.get(f"{tool} 10")
        if b and s:
            out[tool] = {
                "ms": b["ms"]["median"] - s["ms"]["median"],
                "rss_mib": b["rss_mib"]["median"] - s["rss_mib"]["median"],
            }
    return out


def bench_save_one(work: Path, name: str, kdbx: bool, runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    vault = Vault.open(work / f"v{name}.vault", PASSWORD, writable=True, policy=TEST_POLICY)
    uuid = vault.entries[len(vault.entries) // 2].uuid
    values = []
    for rep in range(runs):
        vault.update(uuid, password=f"changed {rep}")
        values.append(timed(vault.save))
    vault.close()
    out["vaultapp"] = stats(values)
    if kdbx:
        from pykeepass import PyKeePass

        kp = PyKeePass(str(work / f"p{name}.kdbx"), password=PASSWORD)
        key, entry = kp.transformed_key, kp.entries[len(kp.entries) // 2]
        target = str(work / f"p{name}-out.kdbx")
        values = []
        for rep in range(runs):
            entry.password = f"changed {rep}"
            values.append(timed(lambda: kp.save(target, transformed_key=key)))
        out["pykeepass"] = stats(values)
    return out


def bench_merge(work: Path, n: int, runs: int) -> dict[str, Any]:
    a, b = work / "ma.vault", work / "mb.vault"
    shutil.copy(work / f"v{n // 1000}k.vault", a)
    shutil.copy(a, b)
    quarter = n // 40  # 2,500 of 100,000
    for path, start in ((a, 0), (b, quarter)):  # entries 2,500-4,999 are changed on both sides
        with Vault.open(path, PASSWORD, writable=True, policy=TEST_POLICY) as vault:
            for entry in sorted(vault.entries, key=lambda e: e.title)[start : start + 2 * quarter]:
                vault.update(entry.uuid, password=f"changed on {path.stem}", notes="edited")
            vault.save()
    values, kdf = [], []
    summary = ""
    for _ in range(runs):
        work_copy = work / "mwork.vault"
        shutil.copy(a, work_copy)
        gc.collect()
        began = time.perf_counter()
        with (
            Vault.open(work_copy, PASSWORD, writable=True, policy=TEST_POLICY) as ours,
            Vault.open(b, PASSWORD, policy=TEST_POLICY) as theirs,
        ):
            kdf_ms = ours.kdf_ms + theirs.kdf_ms
            summary = ours.merge_from(theirs).summary()
            ours.save()
        values.append((time.perf_counter() - began) * 1000 - kdf_ms)
        kdf.append(kdf_ms)
        for leftover in work.glob("mwork.vault*"):
            leftover.unlink()
    return {"beyond_kdf": stats(values), "kdf": stats(kdf), "summary": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="bulk,ls,save,merge,history")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--bulk", default="1,2000,8000", help="adds before the one save, per row")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    only = set(args.only.split(","))
    kpxc = shutil.which("keepassxc-cli")
    n, big = args.entries, f"{args.entries // 1000}k"
    report: dict[str, Any] = {"root": str(ROOT), "entries": n}
    with tempfile.TemporaryDirectory(prefix="vaultapp-scale-") as tmp:
        work = Path(tmp)
        if "bulk" in only:
            report["bulk"] = bench_bulk(work, [int(x) for x in args.bulk.split(",")], args.runs)
            print("bulk adds then one save:", {k: fmt(v) for k, v in report["bulk"].items()}, flush=True)
        kdbx = False
        if only & {"ls", "save", "merge"}:
            began = time.perf_counter()
            build_vault(work / "v10.vault", 10)
            build_vault(work / f"v{big}.vault", n)
            print(f"built the vaults in {time.perf_counter() - began:.0f} s", flush=True)
            if only & {"ls", "save"}:
                began = time.perf_counter()
                kdbx = build_kdbx(work / "p10.kdbx", 10) and build_kdbx(work / f"p{big}.kdbx", n)
                print(f"built the KeePass files in {time.perf_counter() - began:.0f} s", flush=True)
        if "ls" in only:
            rows = alternate(ls_commands(work, big, kpxc, kdbx), args.runs)
            report["ls"], report["ls_beyond"] = rows, beyond(rows, big)
            for name, row in rows.items():
                print(f"{name}: {fmt(row['ms'])}, {row['rss_mib']['median']:.0f} MiB", flush=True)
            print("beyond the KDF:", report["ls_beyond"], flush=True)
        if "save" in only:
            report["save"] = bench_save_one(work, big, kdbx, max(args.runs, 5))
            print("save after one change:", {k: fmt(v) for k, v in report["save"].items()}, flush=True)
        if "merge" in only:
            report["merge"] = bench_merge(work, n, args.runs)
            print("merge:", fmt(report["merge"]["beyond_kdf"]), report["merge"]["summary"], flush=True)
        if "history" in only:
            build_vault(work / "v10.vault", 10) if not (work / "v10.vault").exists() else None
            build_vault(work / "vh10k.vault", 10_000, history=5)
            kdbx_h = build_kdbx(work / "p10.kdbx", 10) and build_kdbx(work / "ph10k.kdbx", 10_000, history=5)
            rows = alternate(ls_commands(work, "h10k", kpxc, kdbx_h), args.runs)
            report["history_ls"], report["history_beyond"] = rows, beyond(rows, "h10k")
            for name, row in rows.items():
                print(f"{name}: {fmt(row['ms'])}, {row['rss_mib']['median']:.0f} MiB", flush=True)
            print("history, beyond the KDF:", report["history_beyond"], flush=True)
            report["history_save"] = bench_save_one(work, "h10k", kdbx_h, max(args.runs, 5))
            print("history save after one change:", {k: fmt(v) for k, v in report["history_save"].items()})
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
