#!/usr/bin/env python3
"""Figures for ``vaultapp-cli run`` (issue 21 part 1): the cost of starting ``true`` through
``run`` over starting it directly, beyond the key derivation.

    python benchmarks/secrets_env.py [--runs 20] [--out benchmarks/RESULTS.md]

Whole processes, alternated on every repetition (medians with min-max, after a warm-up round):
``true`` alone; ``vaultapp-cli ls`` of the vault (unlock and list: the floor of any vault
command); ``vaultapp-cli run`` with a ``.env`` file of five references (password, username, a
protected custom field, a TOTP code, a placeholder inside a URL), masking on and off. Vaults of
10 and 10,000 entries, all under one small KDF (Argon2id, 1 MiB, 1 pass) whose own time is
measured in-process and subtracted, so the overhead is vaultapp's own. With ``--out``, the
figures replace the section between ``<!-- begin secrets_env -->`` and ``<!-- end secrets_env -->``
in RESULTS.md (``run.py`` keeps such sections when it rewrites the file).
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from core import PASSWORD, fields, fmt, stats  # noqa: E402 - the timing harness

from vaultapp.core import Argon2idParams, Vault  # noqa: E402
from vaultapp.core.kdf import derive_timed, new_salt  # noqa: E402

KDF = Argon2idParams(time_cost=1, memory_kib=1024, parallelism=1)
ENV = (
    "DB_PASSWORD=vaultapp://Bench/Target/password\n"
    "DB_USER=vaultapp://Bench/Target/username\n"
    "API_KEY=vaultapp://Bench/Target/custom/API key\n"
    "OTP=vaultapp://Bench/Target/totp\n"
    "DATABASE_URL=postgres://{{ vaultapp://Bench/Target/username }}:"
    "{{ vaultapp://Bench/Target/password }}@db/app\n"
    "DEBUG=False\n"
)


def build(path: Path, n: int) -> None:
    with Vault.create(path, PASSWORD, kdf=KDF) as vault:
        for i in range(n - 1):
            vault.add(**fields(i))
        vault.add("Target", username="app", password="pg-Secret-123", folder="Bench",
                  custom=[("API key", "sk_live_abcdef123456", True)], totp="JBSWY3DPEHPK3PXP")  # fmt: skip
        vault.save()


def kdf_ms(runs: int) -> float:
    """The KDF's own time in-process (what every unlock of these vaults pays first)."""
    salted = dataclasses.replace(KDF, salt=new_salt())
    return statistics.median(derive_timed(salted, PASSWORD.encode())[1] for _ in range(runs))


def alternate(
    commands: dict[str, tuple[list[str], bytes]], runs: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Each command once per round, in turn, ``runs`` rounds after a warm-up: wall time and the
    CPU time (user + system) of the process and its children, which other load on the machine
    does not inflate."""
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(runs + 1):
        for name, (cmd, stdin) in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_no:
                wall[name].append(elapsed)
                used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                cpu[name].append(used * 1000)
    return {name: {"ms": stats(wall[name]), "cpu": stats(cpu[name])} for name in commands}


def measure(work: Path, runs: int) -> tuple[list[str], float]:
    cli = [sys.executable, "-m", "vaultapp.cli"]
    true = shutil.which("true") or "/bin/true"
    stdin = f"{PASSWORD}\n".encode()
    env_file = work / "bench.env"
    env_file.write_text(ENV, encoding="utf-8")
    kdf = kdf_ms(max(runs, 10))
    lines = []
    for n in (10, 10_000):
        vault = work / f"v{n}.vault"
        build(vault, n)
        commands = {
            "true": ([true], b""),
            "ls": ([*cli, "ls", str(vault)], stdin),
            "run": ([*cli, "run", str(vault), "--env-file", str(env_file), "--", true], stdin),
            "run --no-masking": (
                [*cli, "run", str(vault), "--env-file", str(env_file), "--no-masking", "--", true],
                stdin,
            ),
        }
        got = alternate(commands, runs)
        base, base_cpu = got["true"]["ms"]["median"], got["true"]["cpu"]["median"]
        for name in ("run", "run --no-masking", "ls"):
            total, cpu = got[name]["ms"]["median"], got[name]["cpu"]["median"]
            what = "`ls` (unlock and list)" if name == "ls" else f"`{name} -- true`"
            lines.append(
                f"| {n:,} entries | {what} | {fmt(got[name]['ms'])} | {fmt(got[name]['cpu'])} | "
                f"{total - base - kdf:.1f} ms | {cpu - base_cpu - kdf:.1f} ms |"
            )
        lines.append(
            f"| {n:,} entries | `true` alone | {fmt(got['true']['ms'])} | {fmt(got['true']['cpu'])} | | |"
        )
    return lines, kdf


def masking_mb_s(repeats: int = 5) -> float:
    """The masker's throughput in-process (MB/s): 20 MB of log-like lines in 64 KiB reads, ten
    secrets of 27 characters (the pump reads at most 64 KiB at a time)."""
    import secrets

    from vaultapp.secrets_env.masking import Masker

    data = (secrets.token_urlsafe(48) + "\n").encode() * 300_000
    values = [secrets.token_urlsafe(20) for _ in range(10)]
    times = []
    for _ in range(repeats):
        masker = Masker(values)
        start = time.perf_counter()
        for at in range(0, len(data), 65536):
            masker.feed(data[at : at + 65536])
        masker.flush()
        times.append(time.perf_counter() - start)
    return len(data) / statistics.median(times) / 1e6


def section(lines: list[str], kdf: float, runs: int) -> str:
    return "\n".join([
        "<!-- begin secrets_env -->",
        "## vaultapp-cli run (benchmarks/secrets_env.py)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')}, {runs} alternated repetitions after a warm-up, medians "
        f"(min-max) of wall time and of CPU time (user + system, the process and its children: what "
        f"other load on the machine does not inflate). KDF: Argon2id 1 MiB, 1 pass, {kdf:.1f} ms "
        "in-process, subtracted. Overhead = median(row) - median(`true` alone) - KDF. `ls` of the "
        "same vault is the floor of any command that unlocks it (interpreter, imports, unlock, the "
        "audit record); `run` adds the references' resolution, one more audit record, the child's "
        "start and (masking) two pump threads.",
        "",
        "| vault | command | wall time | CPU time | overhead beyond the KDF (wall) | (CPU) |",
        "| --- | --- | --- | --- | --- | --- |",
        *lines,
        "",
        f"Masking throughput in-process: {masking_mb_s():.0f} MB/s (ten secrets, 64 KiB reads of output "
        "holding none of them).",
        "<!-- end secrets_env -->",
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "vaultapp"), quiet=1)  # as a normal install would have it
    with tempfile.TemporaryDirectory(prefix="vaultapp-run-") as tmp:
        lines, kdf = measure(Path(tmp), args.runs)
    text = section(lines, kdf, args.runs)
    print(text)
    if args.out is not None:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        pattern = re.compile(r"<!-- begin secrets_env -->.*?<!-- end secrets_env -->", re.S)
        new = pattern.sub(lambda _: text, old) if pattern.search(old) else f"{old.rstrip()}\n\n{text}\n"
        args.out.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
