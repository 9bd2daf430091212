#!/usr/bin/env python3
"""Figures for the generators, with the peers in the same run (alternating, medians).

    python benchmarks/generators.py [--runs 10]

1. `vaultapp-cli generate password --count 100000 --length 16` vs `pwgen -s -1 16 100000`.
2. One-shot `vaultapp-cli generate password` vs Python's floor, a `secrets` one-liner printing 20
   letters and digits (issue 23: goal <= 1.0x), and `keepassxc-cli generate`.
3. One-shot `vaultapp-cli totp --secret ...` vs a pyotp one-liner (goal <= 0.75x).
4. 100,000 six-word passphrases in-process (the wordlist read once).

Our bytecode is compiled first: this machine sets PYTHONDONTWRITEBYTECODE=1, under which an
editable install would recompile every module on every start, unlike a normal install.
Peers: pwgen and keepassxc are apt-installed when missing and run as root; pyotp comes with
`pip install -e ".[bench]"`.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from core import alternate, fmt, stats  # noqa: E402 - the timing harness of benchmarks/core.py

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # 160 bits: pyotp refuses the 80-bit demo secret
FLOOR = (  # issue 23's floor for a one-shot generate: Python's start-up and `secrets`
    'import secrets, string; print("".join(secrets.choice(string.ascii_letters + string.digits) '
    "for _ in range(20)))"
)


def ensure(tool: str, package: str) -> str | None:
    found = shutil.which(tool)
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], check=False, env=env
    )
    return shutil.which(tool)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "vaultapp"), quiet=1)
    cli = shutil.which("vaultapp-cli", path=str(Path(sys.executable).parent)) or "vaultapp-cli"
    pwgen, kpxc = ensure("pwgen", "pwgen"), ensure("keepassxc-cli", "keepassxc")
    try:
        import pyotp  # noqa: F401

        have_pyotp = True
    except ImportError:
        have_pyotp = False

    bulk = {"vaultapp-cli 100k": ([cli, "generate", "password", "--count", "100000", "--length", "16"], b"")}
    if pwgen:
        bulk["pwgen -s 100k"] = ([pwgen, "-s", "-1", "16", "100000"], b"")
    one = {
        "vaultapp-cli generate": ([cli, "generate", "password"], b""),
        "python3 secrets one-liner": ([sys.executable, "-c", FLOOR], b""),
    }
    if kpxc:
        one["keepassxc-cli generate"] = ([kpxc, "generate"], b"")
    otp = {"vaultapp-cli totp": ([cli, "totp", "--secret", SECRET], b"")}
    if have_pyotp:
        code = f"import pyotp; print(pyotp.TOTP({SECRET!r}).now())"
        otp["pyotp one-liner"] = ([sys.executable, "-c", code], b"")
    results = {
        "bulk": alternate(bulk, max(3, args.runs // 2)),
        "one-shot": alternate(one, args.runs * 3),
        "totp": alternate(otp, args.runs * 3),
    }
    from vaultapp.generators.passphrase import eff_wordlist, generate_passphrases

    eff_wordlist()
    phrase_times = []
    for _ in range(5):
        start = time.perf_counter()
        generate_passphrases(count=100_000)
        phrase_times.append((time.perf_counter() - start) * 1000)

    print("# vaultapp generator benchmark\n")
    print("| command | time | peak RSS |\n| --- | --- | --- |")
    for group in results.values():
        for name, row in group.items():
            print(f"| {name} | {fmt(row['ms'])} | {row['rss_mib']['median']:.1f} MiB |")

    def ratio(group: str, ours: str, theirs: str) -> str:
        g = results[group]
        if theirs not in g:
            return f"{theirs} not available"
        return f"{g[ours]['ms']['median'] / g[theirs]['ms']['median']:.2f}x {theirs}"

    print(f"\n100k passwords: {ratio('bulk', 'vaultapp-cli 100k', 'pwgen -s 100k')} (target <= 0.5)")
    one_shot = ratio("one-shot", "vaultapp-cli generate", "keepassxc-cli generate")
    print(f"one-shot generate: {one_shot} (target <= 1)")
    floor = ratio("one-shot", "vaultapp-cli generate", "python3 secrets one-liner")
    print(f"one-shot generate: {floor} (target <= 1.0)")
    print(f"one-shot totp: {ratio('totp', 'vaultapp-cli totp', 'pyotp one-liner')} (target <= 0.75)")
    print(f"100,000 passphrases in-process: {fmt(stats(phrase_times))} (target < 1000 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
