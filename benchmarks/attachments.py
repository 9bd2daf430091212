#!/usr/bin/env python3
"""Attachments at scale, with the peers measured in the same run (issue 19).

    python benchmarks/attachments.py [--runs 5] [--mib 200] [--json out.json]

One vault of 1,000 entries (the PEERS.md shape) of which every fifth holds a 1 MiB file of
random bytes (``os.urandom``: incompressible), 200 MiB in all; the same content as a KDBX 4
database made with pykeepass. Both under the same KDF shape (Argon2, 19 MiB, 2 passes, 1 lane:
OWASP's floor, which vaultapp accepts without re-keying). Measured:

  1. open + list, whole processes, alternating: ``vaultapp-cli ls`` vs ``keepassxc-cli ls``, and
     pykeepass loading the database (time and peak RSS);
  2. save after changing one entry's title, in-process: ``Vault.save`` vs pykeepass ``save``
     (verify read-back included for vaultapp; each side's own KDF key reused, no derivation);
  3. peak RSS growth of opening and listing with vaultapp, in a fresh process, minus the KDF's
     own memory (19 MiB).

Goals: open + list <= 0.5x keepassxc-cli; one-entry save <= 1.0x pykeepass save; RSS of open +
list <= 64 MiB beyond the KDF (attachments are not held, decrypted or not).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import core  # noqa: E402 - the timing harness and the data shape

from vaultapp.core import Argon2idParams, Vault  # noqa: E402

PASSWORD = core.PASSWORD
ENTRIES = 1000
KDF = Argon2idParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
KDF_MIB = KDF.memory_kib / 1024

MEMORY_PROBE = """
import sys
from vaultapp.core import Vault
import vaultapp.core.vault, cryptography.fernet, argon2.low_level, json, zlib
def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = peak_kib()
vault = Vault.open(sys.argv[1], sys.stdin.readline().strip())
titles = [(e.title, [(a.name, a.size) for a in e.attachments]) for e in vault.entries]
print(len(titles), (peak_kib() - before) / 1024, vault.attachment_decrypts)
"""


def files(mib: int) -> dict[int, tuple[str, bytes]]:
    """Entry index -> (file name, content): 1 MiB of random bytes on every fifth entry."""
    step = max(1, ENTRIES // mib)
    return {i: (f"scan-{i:05d}.bin", os.urandom(1 << 20)) for i in range(0, ENTRIES, step)[:mib]}


def build_vault(path: Path, attached: dict[int, tuple[str, bytes]]) -> None:
    with Vault.create(path, PASSWORD, kdf=KDF) as vault:
        for i in range(ENTRIES):
            entry = vault.add(**core.fields(i))
            if i in attached:
                vault.attach(entry.uuid, *attached[i])
        vault.save()


def build_kdbx(path: Path, attached: dict[int, tuple[str, bytes]]) -> bool:
    try:
        from pykeepass import create_database
        from pykeepass.entry import Entry
    except ImportError:
        return False
    kp = create_database(str(path), password=PASSWORD)
    header = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    header["I"].value, header["M"].value, header["P"].value = KDF.time_cost, KDF.memory_kib * 1024, 1
    for i in range(ENTRIES):
        f = core.fields(i)
        entry = Entry(title=f["title"], username=f["username"], password=f["password"], url=f["url"],
                      notes=f["notes"], kp=kp)  # fmt: skip
        kp.root_group.append(entry)
        if i in attached:
            name, content = attached[i]
            entry.add_attachment(kp.add_binary(content, protected=False), name)
    kp.save()
    return True


def bench_save(work: Path, have_kdbx: bool, reps: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    vault = Vault.open(work / "a.vault", PASSWORD, writable=True)
    uuid = vault.entries[0].uuid

    def vaultapp_save() -> None:
        vault.update(uuid, title=f"Entry renamed {time.perf_counter_ns()}")
        vault.save(backup=False)

    result["vaultapp_save"] = core.in_process(vaultapp_save, reps)
    vault.close()
    if have_kdbx:
        from pykeepass import PyKeePass

        kp = PyKeePass(str(work / "a.kdbx"), password=PASSWORD)
        key = kp.transformed_key
        out = str(work / "a-out.kdbx")

        def pykeepass_save() -> None:
            kp.entries[0].title = f"Entry renamed {time.perf_counter_ns()}"
            kp.save(out, transformed_key=key)

        result["pykeepass_save"] = core.in_process(pykeepass_save, reps)
    return result


def bench_memory(work: Path, runs: int) -> dict[str, Any]:
    import subprocess

    growth, decrypts = [], set()
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(work / "a.vault")],
            input=PASSWORD + "\n", capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        growth.append(float(out[1]))
        decrypts.add(int(out[2]))
    beyond = [max(0.0, g - KDF_MIB) for g in growth]
    return {"growth_mib": core.stats(growth), "beyond_kdf_mib": core.stats(beyond),
            "attachments_decrypted": sorted(decrypts)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mib", type=int, default=200, help="MiB of attachments (1 MiB files)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import shutil

    cli = shutil.which("vaultapp-cli", path=str(Path(sys.executable).parent)) or shutil.which("vaultapp-cli")
    if cli is None:
        print("vaultapp-cli not found: pip install -e . first", file=sys.stderr)
        return 1
    kpxc = core.ensure_keepassxc()
    report: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="vaultapp-bench-att-") as tmp:
        work = Path(tmp)
        attached = files(args.mib)
        start = time.perf_counter()
        build_vault(work / "a.vault", attached)
        have_kdbx = build_kdbx(work / "a.kdbx", attached)
        del attached
        report["build_s"] = time.perf_counter() - start
        report["sizes_mib"] = {
            "vaultapp": (work / "a.vault").stat().st_size / 2**20,
            **({"kdbx": (work / "a.kdbx").stat().st_size / 2**20} if have_kdbx else {}),
        }
        pw = (PASSWORD + "\n").encode()
        commands: dict[str, tuple[list[str], bytes]] = {
            "vaultapp-cli ls": ([cli, "ls", str(work / "a.vault")], pw)
        }
        if kpxc and have_kdbx:
            commands["keepassxc-cli ls"] = ([kpxc, "ls", "-q", str(work / "a.kdbx")], pw)
        if have_kdbx:
            script = (
                "import sys; from pykeepass import PyKeePass; "
                "kp = PyKeePass(sys.argv[1], password=sys.stdin.readline().strip()); print(len(kp.entries))"
            )
            commands["pykeepass open"] = ([sys.executable, "-c", script, str(work / "a.kdbx")], pw)
        report["open_list"] = core.alternate(commands, args.runs)
        report["save"] = bench_save(work, have_kdbx, args.runs)
        report["memory"] = bench_memory(work, args.runs)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_report(report: dict[str, Any]) -> None:
    machine = report["machine"]
    sizes = ", ".join(f"{name} {mib:.1f} MiB" for name, mib in report["sizes_mib"].items())
    print(f"# Attachments: {ENTRIES} entries with 1 MiB files; file sizes: {sizes} "
          f"({machine['cpus']} CPUs, Python {machine['python']})\n")  # fmt: skip
    print("| open + list | time | peak RSS |\n| --- | --- | --- |")
    rows = report["open_list"]
    for name, row in rows.items():
        print(f"| {name} | {core.fmt(row['ms'])} | {row['rss_mib']['median']:.1f} MiB |")
    save = report["save"]
    print("\n| save after one title change | time |\n| --- | --- |")
    for name, row in save.items():
        print(f"| {name} | {core.fmt(row)} |")
    memory = report["memory"]
    print(f"\nvaultapp open + list, peak RSS growth over the imported program: "
          f"{core.fmt(memory['growth_mib'], 'MiB')}, the KDF's own {KDF_MIB:.0f} MiB included; "
          f"attachments decrypted: {memory['attachments_decrypted']}")  # fmt: skip
    print("\nGoals:")
    ours = rows["vaultapp-cli ls"]["ms"]["median"]
    if "keepassxc-cli ls" in rows:
        ratio = ours / rows["keepassxc-cli ls"]["ms"]["median"]
        print(f"- open + list vs keepassxc-cli: {ratio:.2f}x (goal <= 0.5x): {_met(ratio <= 0.5)}")
    if "pykeepass_save" in save:
        ratio = save["vaultapp_save"]["median"] / save["pykeepass_save"]["median"]
        print(f"- one-entry save vs pykeepass: {ratio:.2f}x (goal <= 1.0x): {_met(ratio <= 1.0)}")
    beyond = memory["beyond_kdf_mib"]["median"]
    print(f"- RSS of open + list beyond the KDF: {beyond:.1f} MiB (goal <= 64): {_met(beyond <= 64)}")


if __name__ == "__main__":
    sys.exit(main())
