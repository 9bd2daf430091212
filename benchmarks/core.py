#!/usr/bin/env python3
"""Figures for the vault core and vaultapp-cli, with the peers measured in the same run.

    python benchmarks/core.py [--runs 10] [--json out.json]

Measures (medians with min-max; whole-process rows alternate the tools on every repetition):
  1. `--version` start-up: vaultapp-cli vs keepassxc-cli.
  2. `ls` of 10 and 10,000 entries under the same KDF, and the difference (the non-KDF cost),
     for vaultapp-cli, keepassxc-cli and pykeepass; peak RSS of each process and its difference.
  3. Saving 10,000 entries in-process, verify read-back included, no KDF: vaultapp vs pykeepass.
  4. KDF calibration to 1 s: chosen parameters, measured unlock time, memory x passes against
     KeePassXC's shape (Argon2d, 64 MiB, lanes = CPUs) calibrated to the same time.

Peers: keepassxc-cli is used when on PATH (as root, `apt-get install keepassxc` is tried when it
is missing); pykeepass when importable (`pip install -e ".[bench]"`). Missing peers are reported,
not faked. The data is the PEERS.md shape: title `Entry NNNNN`, a username, a URL, a 20-character
random password and a 100-character note.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaultapp.core import Argon2idParams, Vault  # noqa: E402
from vaultapp.core.kdf import derive_timed  # noqa: E402
from vaultapp.core.kdf_cost import calibrate  # noqa: E402

PASSWORD = "hunter2pw"
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore e"
)
ALPHABET = string.ascii_letters + string.digits + string.punctuation
# The same KDF for the 10- and 10,000-entry vaults, so the difference is the non-KDF cost.
SAME_KDF = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)


def fields(i: int) -> dict[str, Any]:
    return {
        "title": f"Entry {i:05d}",
        "username": f"user{i:05d}@example.com",
        "password": "".join(secrets.choice(ALPHABET) for _ in range(20)),
        "url": f"https://site{i:05d}.example.com/login",
        "notes": LOREM,
    }


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt(s: dict[str, float], unit: str = "ms") -> str:
    return f"{s['median']:.1f} {unit} ({s['min']:.1f}-{s['max']:.1f})"


GNU_TIME = Path("/usr/bin/time").exists()


def run_process(cmd: list[str], stdin: bytes) -> tuple[float, float]:
    """Wall time (ms) and peak RSS (MiB) of one process.

    Peak RSS comes from GNU time when it is installed: a child forked straight from this (large)
    Python process would otherwise count the parent's pages until its exec.
    """
    wrapped = ["/usr/bin/time", "-f", "VAULTAPP_RSS_KIB=%M", *cmd] if GNU_TIME else cmd
    start = time.perf_counter()
    proc = subprocess.run(
        wrapped, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = (time.perf_counter() - start) * 1000
    err = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({proc.returncode}): {err[:300]}")
    marks = [line for line in err.splitlines() if line.startswith("VAULTAPP_RSS_KIB=")]
    rss_kib = int(marks[-1].split("=")[1]) if marks else float("nan")
    return elapsed, rss_kib / 1024


def alternate(commands: dict[str, tuple[list[str], bytes]], runs: int) -> dict[str, dict[str, Any]]:
    """Run each command once per round, in turn, for ``runs`` rounds (after one warm-up round)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(runs + 1):
        for name, (cmd, stdin) in commands.items():
            elapsed, peak = run_process(cmd, stdin)
            if round_no:
                times[name].append(elapsed)
                rss[name].append(peak)
    return {name: {"ms": stats(times[name]), "rss_mib": stats(rss[name])} for name in commands}


def ensure_keepassxc() -> str | None:
    found = shutil.which("keepassxc-cli")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing keepassxc (apt-get) for the peer rows ...", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "keepassxc"],
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("keepassxc-cli")


def build_vault(path: Path, n: int) -> None:
    with Vault.create(path, PASSWORD, kdf=SAME_KDF) as vault:
        for i in range(n):
            vault.add(**fields(i))
        vault.save()


def build_kdbx(path: Path, n: int, *, history: int = 0) -> bool:
    """PEERS.md's *_small pair: KDBX 4, Argon2d t=1 m=1 MiB p=1; ``history`` earlier passwords
    per entry (benchmarks/scale.py's history-heavy rows)."""
    try:
        from pykeepass import create_database
        from pykeepass.entry import Entry
    except ImportError:
        return False
    kp = create_database(str(path), password=PASSWORD)
    params = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    params["I"].value, params["M"].value, params["P"].value = 1, 1024 * 1024, 1
    for i in range(n):
        f = fields(i)
        entry = Entry(f["title"], f["username"], f["password"], url=f["url"], notes=f["notes"], kp=kp)
        kp.root_group.append(entry)
        for round_no in range(history):
            entry.save_history()
            entry.password = f"{f['password']}{round_no}"
    kp.save()
    return True


def in_process(fn: Callable[[], object], reps: int) -> dict[str, float]:
    values = []
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter()
        fn()
        values.append((time.perf_counter() - start) * 1000)
    return stats(values)


def bench_save(work: Path, have_kdbx: bool, reps: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    vault = Vault.open(work / "v10k.vault", PASSWORD, writable=True)
    result["vaultapp_save_10k"] = in_process(vault.save, reps)
    vault.close()
    if have_kdbx:
        from pykeepass import PyKeePass

        kp = PyKeePass(str(work / "p10k.kdbx"), password=PASSWORD)
        tk = kp.transformed_key
        out = str(work / "p10k-out.kdbx")
        result["pykeepass_save_10k"] = in_process(lambda: kp.save(out, transformed_key=tk), reps)
    return result


# VmHWM (peak RSS of this address space) resets at exec, unlike ru_maxrss, which would still
# count the pages of the large parent this child was forked from.
MEMORY_PROBE = """
import sys
from vaultapp.core import TEST_POLICY, Vault
import vaultapp.core.vault, cryptography.fernet, argon2.low_level, filelock, json, zlib
def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = peak_kib()
vault = Vault.open(sys.argv[1], sys.stdin.readline().strip(), policy=TEST_POLICY)
titles = [e.title for e in vault.entries]
print(len(titles), (peak_kib() - before) / 1024)
"""


def bench_memory(work: Path) -> dict[str, float]:
    """Peak RSS growth of opening and listing 10,000 entries with a 64 KiB KDF (so: beyond the KDF)."""
    from vaultapp.core import TEST_PARAMS

    path = work / "v10k-tinykdf.vault"
    with Vault.create(path, PASSWORD, kdf=TEST_PARAMS) as vault:
        for i in range(10_000):
            vault.add(**fields(i))
        vault.save()
    values = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(path)],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert out[0] == "10000"
        values.append(float(out[1]))
    return stats(values)


def bench_kdf() -> dict[str, Any]:
    from argon2.low_level import Type, hash_secret_raw

    cal = calibrate("argon2id", 1000)
    params = cal.params
    assert isinstance(params, Argon2idParams)
    measured = [derive_timed(params, b"benchmark")[1] for _ in range(3)]
    lanes = os.cpu_count() or 1
    salt = secrets.token_bytes(32)

    def argon2d(rounds: int) -> float:
        start = time.perf_counter()
        hash_secret_raw(b"x", salt, rounds, 64 * 1024, lanes, 32, Type.D)
        return (time.perf_counter() - start) * 1000

    # KeePassXC's benchmark: one transform at 10 rounds, scaled linearly to the target.
    kpxc_rounds = max(1, int(10 * 1000 / argon2d(10)))
    kpxc_ms = [argon2d(kpxc_rounds) for _ in range(3)]
    ours_work = params.memory_kib / 1024 * params.time_cost
    kpxc_work = 64 * kpxc_rounds
    return {
        "vaultapp": {
            "params": params.describe(),
            "memory_mib": params.memory_kib / 1024,
            "passes": params.time_cost,
            "lanes": params.parallelism,
            "unlock_ms": stats(measured),
            "memory_x_passes_mib": ours_work,
            "notes": list(cal.notes),
        },
        "keepassxc_shape": {
            "params": f"Argon2d, 64 MiB, {kpxc_rounds} rounds, {lanes} lanes",
            "unlock_ms": stats(kpxc_ms),
            "memory_x_passes_mib": kpxc_work,
        },
        "work_ratio": ours_work / kpxc_work,
        "peak_memory_ratio": params.memory_kib / 1024 / 64,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    # This machine sets PYTHONDONTWRITEBYTECODE=1: compile once, as a normal install would.
    import compileall

    compileall.compile_dir(str(ROOT / "vaultapp"), quiet=1)
    cli = shutil.which("vaultapp-cli", path=str(Path(sys.executable).parent)) or shutil.which("vaultapp-cli")
    if cli is None:
        print("vaultapp-cli not found: pip install -e . first", file=sys.stderr)
        return 1
    kpxc = ensure_keepassxc()
    report: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="vaultapp-bench-") as tmp:
        work = Path(tmp)
        for n, name in ((10, "v10"), (10_000, "v10k")):
            build_vault(work / f"{name}.vault", n)
        have_kdbx = build_kdbx(work / "p10.kdbx", 10) and build_kdbx(work / "p10k.kdbx", 10_000)
        pw = (PASSWORD + "\n").encode()

        version_cmds: dict[str, tuple[list[str], bytes]] = {
            "vaultapp-cli --version": ([cli, "--version"], b"")
        }
        if kpxc:
            version_cmds["keepassxc-cli --version"] = ([kpxc, "--version"], b"")
        report["version"] = alternate(version_cmds, max(args.runs * 3, 30))

        ls_cmds: dict[str, tuple[list[str], bytes]] = {}
        for size in ("10", "10k"):
            ls_cmds[f"vaultapp-cli ls {size}"] = ([cli, "ls", str(work / f"v{size}.vault")], pw)
            if kpxc and have_kdbx:
                ls_cmds[f"keepassxc-cli ls {size}"] = ([kpxc, "ls", "-q", str(work / f"p{size}.kdbx")], pw)
            if have_kdbx:
                script = (
                    "import sys; from pykeepass import PyKeePass; "
                    "kp = PyKeePass(sys.argv[1], password=sys.stdin.readline().strip()); "
                    "print(len(kp.entries))"
                )
                ls_cmds[f"pykeepass open {size}"] = (
                    [sys.executable, "-c", script, str(work / f"p{size}.kdbx")],
                    pw,
                )
        report["ls"] = alternate(ls_cmds, args.runs)
        report["save"] = bench_save(work, have_kdbx, 7)
        report["memory_10k_mib"] = bench_memory(work)
    report["kdf"] = bench_kdf()
    print_report(report, kpxc is not None, have_kdbx)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def print_report(report: dict[str, Any], kpxc: bool, kdbx: bool) -> None:
    machine = report["machine"]
    print(f"# vaultapp core benchmark ({machine['cpus']} CPUs, Python {machine['python']})\n")
    print("| command | time | peak RSS |\n| --- | --- | --- |")
    for section in ("version", "ls"):
        for name, row in report[section].items():
            print(f"| {name} | {fmt(row['ms'])} | {row['rss_mib']['median']:.1f} MiB |")
    print("\nNon-KDF cost of 10,000 entries (10k minus 10, same KDF, medians):\n")
    print("| tool | delta time | delta peak RSS |\n| --- | --- | --- |")
    for tool in ("vaultapp-cli ls", "keepassxc-cli ls", "pykeepass open"):
        big, small = report["ls"].get(f"{tool} 10k"), report["ls"].get(f"{tool} 10")
        if big and small:
            d_ms = big["ms"]["median"] - small["ms"]["median"]
            d_rss = big["rss_mib"]["median"] - small["rss_mib"]["median"]
            print(f"| {tool} | {d_ms:.1f} ms | {d_rss:+.1f} MiB |")
    save = report["save"]
    print(
        f"\nSave 10,000 entries, verify included, no KDF: vaultapp {fmt(save['vaultapp_save_10k'])}", end=""
    )
    if "pykeepass_save_10k" in save:
        ratio = save["vaultapp_save_10k"]["median"] / save["pykeepass_save_10k"]["median"]
        print(f"; pykeepass {fmt(save['pykeepass_save_10k'])}; ratio {ratio:.2f}")
    else:
        print(" (pykeepass not installed)")
    print(
        "Peak memory growth opening and listing 10,000 entries (64 KiB KDF, so beyond the KDF): "
        + fmt(report["memory_10k_mib"], "MiB")
    )
    version = report["version"]
    if kpxc:
        ratio = (
            version["vaultapp-cli --version"]["ms"]["median"]
            / version["keepassxc-cli --version"]["ms"]["median"]
        )
        print(f"--version: vaultapp-cli / keepassxc-cli = {ratio:.2f}")
    kdf = report["kdf"]
    ours, theirs = kdf["vaultapp"], kdf["keepassxc_shape"]
    print(f"\nKDF calibrated to 1000 ms: {ours['params']}; unlock {fmt(ours['unlock_ms'])}")
    for note in ours["notes"]:
        print(f"  note: {note}")
    print(f"KeePassXC shape at the same target: {theirs['params']}; {fmt(theirs['unlock_ms'])}")
    print(
        f"memory x passes: vaultapp {ours['memory_x_passes_mib']:.0f} MiB-passes vs KeePassXC shape "
        f"{theirs['memory_x_passes_mib']:.0f} ({kdf['work_ratio']:.2f}x); "
        f"peak memory {kdf['peak_memory_ratio']:.0f}x"
    )
    if not kpxc:
        print("\n(keepassxc-cli not found: its rows are missing)")
    if not kdbx:
        print("(pykeepass not installed: pip install -e '.[bench]' for its rows)")


if __name__ == "__main__":
    sys.exit(main())
