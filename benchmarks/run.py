#!/usr/bin/env python3
"""vaultapp against the tools its users would otherwise pick, in one run on one machine.

    python benchmarks/run.py [--runs 10] [--no-gui] [--out benchmarks/RESULTS.md]

Finds or installs the peers itself (as root: `apt-get install keepassxc pwgen oathtool time xvfb
xdotool` when missing; `pip install pykeepass pyotp` into this interpreter when missing), builds
the same data for both sides (10 and 10,000 entries: title, username, URL, a 20-character random
password and a 100-character note; the same KDF shape, Argon2 with 1 MiB, 1 pass, 1 lane, so
that time is the tools' own), and times both sides alternately, several repetitions, reporting
medians, min-max and peak memory. Writes a Markdown table with the ratios vaultapp/peer, the
goals from the issues and whether each is met, the machine, the versions and the date.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import core  # noqa: E402 - the timing harness (alternate, run_process) and the data builders

from vaultapp import __version__  # noqa: E402
from vaultapp.core import Argon2idParams, Vault  # noqa: E402

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SAME_SHAPE = Argon2idParams(time_cost=1, memory_kib=1024, parallelism=1)  # = the KDBX files' Argon2d
APT = {
    "keepassxc-cli": "keepassxc",
    "pwgen": "pwgen",
    "oathtool": "oathtool",
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
}


def ensure_peers() -> dict[str, str | None]:
    found: dict[str, str | None] = {tool: shutil.which(tool) for tool in APT}
    missing = [APT[tool] for tool, path in found.items() if path is None]
    if not Path("/usr/bin/time").exists():
        missing.append("time")
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {' '.join(missing)} (apt-get) ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=False, env=env
        )
        core.GNU_TIME = Path("/usr/bin/time").exists()
        found = {tool: shutil.which(tool) for tool in APT}
    for module in ("pykeepass", "pyotp"):
        try:
            __import__(module)
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", module], check=False)
    return found


def version_of(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
    except OSError:
        return "missing"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "?"


def module_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def build(work: Path) -> None:
    for n, name in ((10, "10"), (10_000, "10k")):
        with Vault.create(work / f"v{name}.vault", core.PASSWORD, kdf=SAME_SHAPE) as vault:
            for i in range(n):
                vault.add(**core.fields(i))
            vault.save()
        core.build_kdbx(work / f"p{name}.kdbx", n)


PYKEEPASS = {
    "open": "print(len(kp.entries))",
    "search": "print(len(kp.find_entries(title='Entry 0999', regex=True)))",
    "show": "print(kp.find_entries(title='Entry 05000', first=True))",
}


def pykeepass(kind: str, path: Path) -> list[str]:
    code = (
        "import sys; from pykeepass import PyKeePass; "
        "kp = PyKeePass(sys.argv[1], password=sys.stdin.readline().strip()); " + PYKEEPASS[kind]
    )
    return [sys.executable, "-c", code, str(path)]


Row = dict[str, Any]


def compare(
    rows: list[Row],
    title: str,
    results: dict[str, Any],
    ours: str,
    peers: list[str],
    goal: str = "",
    limit: float | None = None,
    against: str | None = None,
) -> None:
    """One table row per peer: ours vs that peer (``limit``: the goal as a ratio to ``against``)."""
    mine = results[ours]
    for peer in peers or [""]:
        theirs = results.get(peer)
        ratio = mine["ms"]["median"] / theirs["ms"]["median"] if theirs else None
        met = None
        if limit is not None and ratio is not None and (against is None or peer == against):
            met = ratio <= limit
        rows.append(
            {
                "row": title,
                "ours": mine,
                "peer": peer if theirs else f"{peer} (not available)",
                "theirs": theirs,
                "ratio": ratio,
                "goal": goal if (against is None or peer == against) else "",
                "met": met,
            }
        )


def bench_save(work: Path, reps: int = 7) -> tuple[dict[str, float], dict[str, float] | None]:
    """Saving 10,000 entries in-process, no KDF: vaultapp (verify read-back included) vs pykeepass."""
    from vaultapp.core import TEST_POLICY

    # TEST_POLICY only so the 1 MiB shape shared with the KeePass files is not re-keyed at save.
    with Vault.open(work / "v10k.vault", core.PASSWORD, writable=True, policy=TEST_POLICY) as vault:
        ours = core.in_process(vault.save, reps)
    try:
        from pykeepass import PyKeePass
    except ImportError:
        return ours, None
    kp = PyKeePass(str(work / "p10k.kdbx"), password=core.PASSWORD)
    key, out = kp.transformed_key, str(work / "p10k-out.kdbx")
    return ours, core.in_process(lambda: kp.save(out, transformed_key=key), reps)


def timed_row(
    title: str,
    ours: dict[str, float],
    goal: str = "",
    *,
    peer: str = "—",
    theirs: dict[str, float] | None = None,
    limit: float | None = None,
    met: bool | None = None,
) -> Row:
    """A row from in-process timings (no peak RSS); ``limit``: the goal as a ratio to ``theirs``."""
    ratio = ours["median"] / theirs["median"] if theirs else None
    if limit is not None:
        met = ratio is not None and ratio <= limit
    return {"row": title, "ours": {"ms": ours, "rss_mib": None}, "peer": peer,
            "theirs": {"ms": theirs, "rss_mib": None} if theirs else None, "ratio": ratio,
            "goal": goal, "met": met}  # fmt: skip


def measure(work: Path, tools: dict[str, str | None], runs: int, gui: bool) -> tuple[list[Row], list[str]]:
    cli = shutil.which("vaultapp-cli", path=str(Path(sys.executable).parent)) or "vaultapp-cli"
    kpxc, pw = tools["keepassxc-cli"], (core.PASSWORD + "\n").encode()
    rows: list[Row] = []
    notes: list[str] = []

    def cmds(pairs: dict[str, tuple[list[str], bytes] | None]) -> dict[str, tuple[list[str], bytes]]:
        return {name: cmd for name, cmd in pairs.items() if cmd is not None}

    for size in ("10", "10k"):
        v, p = str(work / f"v{size}.vault"), work / f"p{size}.kdbx"
        results = core.alternate(
            cmds(
                {
                    "vaultapp-cli ls": ([cli, "ls", v], pw),
                    "keepassxc-cli ls": ([kpxc, "ls", "-q", str(p)], pw) if kpxc else None,
                    "pykeepass open": (pykeepass("open", p), pw),
                }
            ),
            runs,
        )
        goal = ""
        compare(
            rows,
            f"open + list {size} entries",
            results,
            "vaultapp-cli ls",
            ["keepassxc-cli ls", "pykeepass open"],
            goal,
        )
        if size == "10":
            small = results
        else:
            delta = results["vaultapp-cli ls"]["ms"]["median"] - small["vaultapp-cli ls"]["ms"]["median"]
            rows[-2]["goal"] = f"non-KDF cost ≤ 140 ms: {delta:.0f} ms"
            rows[-2]["met"] = delta <= 140
            for peer in ("keepassxc-cli ls", "pykeepass open"):
                if peer in results and peer in small:
                    d = results[peer]["ms"]["median"] - small[peer]["ms"]["median"]
                    notes.append(f"Non-KDF cost of 10,000 entries (10k - 10): {peer} {d:.0f} ms.")
            notes.insert(0, f"Non-KDF cost of 10,000 entries (10k - 10): vaultapp-cli ls {delta:.0f} ms.")
    v10k, p10k = str(work / "v10k.vault"), work / "p10k.kdbx"
    results = core.alternate(
        cmds(
            {
                "vaultapp-cli search": ([cli, "search", v10k, "Entry 0999"], pw),
                "keepassxc-cli search": ([kpxc, "search", "-q", str(p10k), "Entry 0999"], pw)
                if kpxc
                else None,
                "pykeepass search": (pykeepass("search", p10k), pw),
            }
        ),
        runs,
    )
    compare(
        rows,
        "search 10k (whole process)",
        results,
        "vaultapp-cli search",
        ["keepassxc-cli search", "pykeepass search"],
    )
    results = core.alternate(
        cmds(
            {
                "vaultapp-cli show": ([cli, "show", v10k, "Entry 05000"], pw),
                "keepassxc-cli show": ([kpxc, "show", "-q", str(p10k), "Entry 05000"], pw) if kpxc else None,
                "pykeepass show": (pykeepass("show", p10k), pw),
            }
        ),
        runs,
    )
    compare(
        rows, "show one entry of 10k", results, "vaultapp-cli show", ["keepassxc-cli show", "pykeepass show"]
    )
    ours_save, theirs_save = bench_save(work)
    rows.append(timed_row("save 10k in-process, verify included, no KDF", ours_save, "≤ 0.5x pykeepass",
                          peer="pykeepass save", theirs=theirs_save, limit=0.5))  # fmt: skip
    results = core.alternate(
        cmds(
            {
                "vaultapp-cli generate": ([cli, "generate", "password"], b""),
                "keepassxc-cli generate": ([kpxc, "generate"], b"") if kpxc else None,
                "pwgen -s 20 1": ([tools["pwgen"], "-s", "20", "1"], b"") if tools["pwgen"] else None,
            }
        ),
        runs * 3,
    )
    compare(
        rows,
        "one-shot generate",
        results,
        "vaultapp-cli generate",
        ["keepassxc-cli generate", "pwgen -s 20 1"],
        "≤ 1x keepassxc-cli",
        1.0,
        "keepassxc-cli generate",
    )
    results = core.alternate(
        cmds(
            {
                "vaultapp-cli 100k": (
                    [cli, "generate", "password", "--count", "100000", "--length", "16"],
                    b"",
                ),
                "pwgen -s 100k": ([tools["pwgen"], "-s", "-1", "16", "100000"], b"")
                if tools["pwgen"]
                else None,
            }
        ),
        max(3, runs // 2),
    )
    compare(
        rows, "100,000 passwords", results, "vaultapp-cli 100k", ["pwgen -s 100k"], "≤ 0.5x pwgen -s", 0.5
    )
    pyotp_code = f"import pyotp; print(pyotp.TOTP({SECRET!r}).now())"
    results = core.alternate(
        cmds(
            {
                "vaultapp-cli totp": ([cli, "totp", "--secret", SECRET], b""),
                "oathtool --totp": ([tools["oathtool"], "--totp", "-b", SECRET], b"")
                if tools["oathtool"]
                else None,
                "pyotp one-liner": ([sys.executable, "-c", pyotp_code], b""),
            }
        ),
        runs * 3,
    )
    compare(
        rows,
        "one-shot TOTP",
        results,
        "vaultapp-cli totp",
        ["oathtool --totp", "pyotp one-liner"],
        "≤ 0.75x pyotp",
        0.75,
        "pyotp one-liner",
    )
    kdf = core.bench_kdf()
    ours_kdf, theirs_kdf = kdf["vaultapp"], kdf["keepassxc_shape"]
    work_goal = (
        f"memory x passes {ours_kdf['memory_x_passes_mib']:.0f} vs "
        f"{theirs_kdf['memory_x_passes_mib']:.0f} MiB ({kdf['work_ratio']:.2f}x) at "
        f"{kdf['peak_memory_ratio']:.0f}x the memory per guess"
    )
    kdf_title = f"KDF at 1 s: {ours_kdf['params']} vs {theirs_kdf['params']}"
    rows.append(timed_row(kdf_title, ours_kdf["unlock_ms"], work_goal, peer="KeePassXC's shape",
                          theirs=theirs_kdf["unlock_ms"]))  # fmt: skip
    memory = core.bench_memory(work)
    notes.append(
        f"Peak memory growth opening and listing 10,000 entries beyond the KDF: "
        f"{memory['median']:.1f} MiB (goal ≤ 40 MiB)."
    )
    if gui:
        rows += gui_rows(notes)
    return rows, notes


def gui_rows(notes: list[str]) -> list[Row]:
    """The window's figures from benchmarks/gui.py (it finds or installs Xvfb and keepassxc)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "gui.json"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "gui.py"), "--json", str(out)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not out.exists():
            notes.append(f"Window rows skipped: benchmarks/gui.py failed ({done.stderr.strip()[-200:]}).")
            return []
        report = json.loads(out.read_text())
    rows: list[Row] = []
    key = report["window"]["keystroke_ms"]
    keystroke = f"≤ 16 ms (p95 {key['p95']:.1f}, max {key['max']:.1f})"
    rows.append(
        timed_row("search keystroke over 10k (window, offscreen)", key, keystroke, met=key["max"] <= 16)
    )
    unlock = report["window"]["unlock_beyond_kdf_ms"]
    rows.append(
        timed_row("unlock 10k, beyond the KDF (window)", unlock, "≤ 200 ms", met=unlock["median"] <= 200)
    )
    launch = report["launch"]
    if "skipped" in launch:
        notes.append(f"GUI launch row skipped: {launch['skipped']}.")
    elif "vaultapp" in launch:
        theirs = launch.get("keepassxc")
        peer = "keepassxc" if theirs else "keepassxc (not available)"
        rows.append(timed_row(LAUNCH_ROW, launch["vaultapp"], "≤ 1x keepassxc",
                              peer=peer, theirs=theirs, limit=1.0))  # fmt: skip
        mapped = launch["mapped"]
        rows.append(timed_row("launch until the window is first mapped (Xvfb)", mapped["vaultapp"],
                              peer=peer, theirs=mapped.get("keepassxc")))  # fmt: skip
    return rows


LAUNCH_ROW = "launch until the unlock window answers Ctrl+Q (Xvfb)"
WHY = {
    "one-shot generate": (
        "the Python floor. Interpreter start-up is about 13 ms and argparse about 6 ms before any "
        "of our code runs (our imports on this path are about 1.5 ms); keepassxc-cli is a native "
        "binary. Closing it needs a native launcher or a resident helper, not a faster generator."
    ),
    "one-shot TOTP": (
        "issue 5 asks for codes through `cryptography.hazmat.primitives.twofactor`, and importing "
        "cryptography's Rust extension alone costs 12-24 ms here, against a pyotp one-liner that "
        "uses the standard library's `hmac`. Closing it needs the one-shot CLI code computed with "
        "the standard library's `hmac` (allowed by the brief, but not what the issue prescribes) "
        "and argparse skipped on that path."
    ),
    LAUNCH_ROW: (
        "a bare PySide6 window (no widgets, no shortcuts) already needs about KeePassXC's time on "
        "Python 3.11: `import PySide6` alone is ~60-70 ms, most of it shiboken's signature support "
        "compiling its embedded sources and regexes on every start. On top, PySide6 builds the 93 "
        "enum types of the `Qt` namespace (~12 ms; any shortcut needs them) and the window's widget "
        "types. Already cut by loading the vault view and the crypto core on first use and by "
        "watching idle input only while unlocked; closing the rest needs a faster PySide6 start-up."
    ),
    "search keystroke over 10k (window, offscreen)": (
        "the median and p95 are within a frame; the worst keystroke is the 0 <-> 10,000-row "
        "transition, where a bare QTableView on a trivial model already needs 6-13 ms here."
    ),
}


def cell(side: dict[str, Any] | None) -> str:
    if not side or not side.get("ms"):
        return "—"
    ms = side["ms"]
    text = f"{ms['median']:.1f} ms ({ms['min']:.1f}-{ms['max']:.1f})"
    rss = side.get("rss_mib")
    if rss and rss["median"] == rss["median"]:  # not NaN
        text += f", {rss['median']:.0f} MiB"
    return text


def markdown(rows: list[Row], notes: list[str], versions: dict[str, str], runs: int) -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else "?"
    )
    mem = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024**2:.0f} GiB RAM"
    lines = [
        "# vaultapp against its peers",
        "",
        f"Measured {datetime.date.today().isoformat()} by `python benchmarks/run.py` on "
        f"{platform.platform()}, "
        f"{os.cpu_count()} x {cpu}{mem}. Whole-process rows alternate the tools on every repetition "
        f"({runs} repetitions after a warm-up, one-shot rows 3x); times are medians with min-max, and peak "
        "RSS of the process (GNU time). vaultapp vaults and KeePass databases hold the same entries under "
        "the same KDF shape (Argon2, 1 MiB, 1 pass, 1 lane), so the times are the tools' own.",
        "",
        "| row | vaultapp | peer | peer time | vaultapp / peer | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "—"
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        lines.append(
            f"| {row['row']} | {cell(row['ours'])} | {row['peer']} | {cell(row['theirs'])} | {ratio} | "
            f"{row['goal']} | {met} |"
        )
    lines += ["", *[f"- {note}" for note in notes], "", "Versions:", ""]
    lines += [f"- {name}: {value}" for name, value in versions.items()]
    misses = list(dict.fromkeys(row["row"] for row in rows if row["met"] is False))
    lines += ["", "## Goals missed" if misses else "All goals met.", ""]
    for miss in misses:
        lines.append(f"- **{miss}**: {WHY.get(miss, 'not analysed yet.')}")
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-gui", action="store_true", help="leave out the window rows")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "vaultapp"), quiet=1)  # as a normal install would have it
    tools = ensure_peers()
    with tempfile.TemporaryDirectory(prefix="vaultapp-peers-") as tmp:
        work = Path(tmp)
        build(work)
        rows, notes = measure(work, tools, args.runs, not args.no_gui)
    versions = {
        "vaultapp": __version__,
        "Python": sys.version.split()[0],
        "keepassxc-cli": version_of([tools["keepassxc-cli"] or "keepassxc-cli", "--version"]),
        "pwgen": "Debian package " + version_of(["dpkg-query", "-W", "-f", "${Version}", "pwgen"]),
        "oathtool": version_of([tools["oathtool"] or "oathtool", "--version"]),
        "pykeepass": module_version("pykeepass"),
        "pyotp": module_version("pyotp"),
        "cryptography": module_version("cryptography"),
        "argon2-cffi": module_version("argon2-cffi"),
        "PySide6": module_version("PySide6-Essentials"),
    }
    text = markdown(rows, notes, versions, args.runs)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""  # keep other scripts' sections
    text += "".join(f"\n{m[0]}\n" for m in re.finditer(r"<!-- begin (\w+) -->.*?<!-- end \1 -->", old, re.S))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
