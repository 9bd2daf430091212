"""Torture machinery shared by tests/torture (CI-sized counts) and scripts/torture.py,
scripts/fuzz.py (full counts).

Nothing here is random in the ``random`` sense: the "random" kill moments and mutations come
from SHA-256 of a seed and an index, so a failure is reproduced by its seed and number.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultapp.core import Vault

ROOT = Path(__file__).resolve().parents[2]
PASS = "torture passphrase"
PASS2 = "torture passphrase, changed"


class Draw:
    """Deterministic numbers for one (seed, index): ``below(n)``, ``unit()``, ``bytes(n)``."""

    def __init__(self, seed: str, index: int) -> None:
        self._seed = f"{seed}:{index}".encode()
        self._counter = 0

    def _next(self) -> bytes:
        self._counter += 1
        return hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()

    def below(self, n: int) -> int:
        return int.from_bytes(self._next(), "big") % n if n > 0 else 0

    def unit(self) -> float:
        return int.from_bytes(self._next()[:8], "big") / 2**64

    def bytes(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += self._next()
        return out[:n]

    def choice(self, items: list[str] | tuple[str, ...]) -> str:
        return items[self.below(len(items))]


def worker(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.torture.worker", *args]


def make_vault(path: Path, entries: int = 3) -> set[str]:
    """A small real vault with the test KDF; returns the entries' UUIDs."""
    from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

    with Vault.create(path, PASS, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuids = {vault.add(f"seed {i}", username=f"user{i}", password=f"pw-{i}").uuid for i in range(entries)}
        vault.save()
    return uuids


def temp_files(folder: Path) -> list[str]:
    from vaultapp.core.storage import TEMP_MARK

    return sorted(p.name for p in folder.iterdir() if TEMP_MARK in p.name)


@dataclass
class KillStats:
    kills: int = 0
    confirmed: set[str] = field(default_factory=set)  # saves that returned before a kill
    present: int = 0
    temp_left: int = 0  # kills that left a new temp file (swept by a writer once it is stale)
    swept_notes: int = 0
    log_records: int = 0


def kill_run(path: Path, kills: int, *, seed: str = "kill", max_delay: float = 0.12) -> KillStats:
    """Start a worker that adds and saves in a loop, SIGKILL it at a pseudo-random moment, check
    the vault, and again, ``kills`` times. Raises AssertionError on the first broken promise."""
    from vaultapp.core import TEST_POLICY, Vault

    stats = KillStats()
    expected = {e for e in _uuids(path)}
    for number in range(kills):
        draw = Draw(seed, number)
        temps_before = set(temp_files(path.parent))
        proc = subprocess.Popen(  # unbuffered: readline must not read ahead of communicate()
            worker("save-loop", str(path)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith(b"ready"), (number, first, proc.stderr.read() if proc.stderr else b"")
        if b"swept" in first:
            stats.swept_notes += 1
        time.sleep(draw.unit() * max_delay)  # the kill moment itself is what is drawn here
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, (number, proc.returncode, err.decode(errors="replace"))
        attempted, saved = set(), set()
        for line in (first + out).decode().splitlines():
            kind, _, uuid = line.partition(" ")
            if kind == "adding":
                attempted.add(uuid)
            elif kind == "saved":
                saved.add(uuid)
        stats.kills += 1
        stats.confirmed |= saved
        if set(temp_files(path.parent)) - temps_before:
            stats.temp_left += 1
        with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
            present = {e.uuid for e in vault.entries}
            missing = (expected | saved) - present
            assert not missing, f"kill {number}: saved entries lost: {sorted(missing)}"
            unknown = present - expected - attempted
            assert not unknown, f"kill {number}: entries nobody added: {sorted(unknown)}"
            check = vault.verify_log()
            assert check.ok, f"kill {number}: audit log: {check.problems}"
            stats.log_records = len(check.records)
        expected = present
    stats.present = len(expected)
    return stats


def _uuids(path: Path) -> set[str]:
    from vaultapp.core import TEST_POLICY, Vault

    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        return {e.uuid for e in vault.entries}


def concurrent_run(path: Path, writers: int, each: int) -> list[str]:
    """``writers`` processes add ``each`` entries each, retrying while another holds the lock,
    and one reader opens the file over and over meanwhile. Returns the titles in the vault."""
    from vaultapp.core import TEST_POLICY, Vault

    stop = path.with_name("stop-reader")
    reader = subprocess.Popen(
        worker("read-loop", str(path), str(stop)), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    procs = [
        subprocess.Popen(
            worker("add-many", str(path), str(each), f"w{n}"),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(writers)
    ]
    results = [p.communicate() for p in procs]
    stop.touch()
    reader_out, reader_err = reader.communicate()
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode(errors="replace")
    assert reader.returncode == 0, reader_err.decode(errors="replace")
    assert int(reader_out.split()[-1]) > 0  # the reader did open the vault while writers ran
    with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
        return [e.title for e in vault.entries]


def content(vault: Vault) -> list[tuple[Any, ...]]:
    """Everything an entry holds, secrets revealed, in a stable order."""
    rows = []
    for entry in sorted(vault.entries, key=lambda e: e.uuid):
        secret = vault.reveal(entry.password) if entry.password is not None else None
        totp = vault.reveal(entry.totp) if entry.totp is not None else None
        custom = [(c.name, vault.reveal(c.value) if c.protected else c.value) for c in entry.custom]  # type: ignore[arg-type]
        fields = (entry.uuid, entry.title, entry.username, entry.url, entry.notes, entry.tags, entry.folder)
        rows.append((*fields, secret, totp, custom, len(entry.history), entry.modified))
    return rows


def rich_vault(folder: Path) -> tuple[Path, list[tuple[Any, ...]]]:
    from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

    path = folder / "real.vault"
    with Vault.create(path, PASS, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for i in range(12):
            vault.add(f"Site {i}", username=f"user{i}@example.com", password=f"pw {i} ünïcode",
                      url=f"https://s{i}.example", notes="line 1\nline 2", tags=["work", f"t{i}"],
                      folder="Work/Mail" if i % 2 else "",
                      totp="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" if i % 3 == 0 else None,
                      custom=[("pin", f"{i}{i}{i}{i}", True), ("note", "plain", False)])  # fmt: skip
        first = vault.entries[0]
        vault.update(first.uuid, password="changed once")
        vault.save()
        snapshot = content(vault)
    return path, snapshot


@dataclass
class PasswdStats:
    runs: int = 0
    completed: int = 0  # passwd returned before the kill
    killed: int = 0  # the kill landed inside passwd (or before it began)
    switched: int = 0  # killed runs after which the new passphrase opened the vault
    passwd_seconds: float = 0.0  # how long one passwd took, unkilled (the kills are drawn within 1.5x)
    reader_opens: int = 0
    stale_reported: int = 0  # backups left under the other passphrase, listed by stale_backups()
    crash_notes: int = 0  # records cut by a crash, noted by the last verification
    late_notes: int = 0  # records a reader wrote with the passphrase just replaced (in the log at the end)
    log_records: int = 0


def _opens(path: Path, passphrase: str) -> bool:
    from vaultapp.core import TEST_POLICY, Vault, WrongPassphraseError

    try:
        Vault.open(path, passphrase, policy=TEST_POLICY, audit=False).close()
    except WrongPassphraseError:
        return False
    return True


def passwd_run(path: Path, runs: int, *, seed: str = "passwd") -> PasswdStats:
    """``runs`` times: start ``passwd`` (PASS <-> PASS2) in a worker and SIGKILL it at a drawn
    moment, while a reader process unlocks over and over with whichever passphrase works and
    logs a reveal. After each kill: the vault opens with exactly one of the two passphrases (the
    new one if passwd had returned); every backup opens with it, or with the other one and is
    then listed by ``stale_backups``; the audit log verifies (notes allowed: a record cut by a
    crash, a reader's record made with the replaced passphrase). The first run is not killed: it
    times a passwd, and the later kills are drawn within 1.5 times that. Raises AssertionError."""
    from vaultapp.core import TEST_POLICY, Vault

    make_vault(path, entries=2)
    with Vault.open(path, PASS, writable=True, policy=TEST_POLICY) as vault:
        for number in range(3):  # backups to re-key
            vault.add(f"more {number}", password=f"pw {number}")
            vault.save()
    stats = PasswdStats()
    stop = path.with_name(path.name + ".stop-reader")
    reader = subprocess.Popen(
        worker("read-either", str(path), str(stop), PASS, PASS2),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    current = PASS
    max_delay = 0.0
    try:
        for number in range(runs):
            draw = Draw(seed, number)
            new = PASS2 if current == PASS else PASS
            proc = subprocess.Popen(
                worker("passwd", str(path), current, new),
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
            )  # fmt: skip
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith(b"ready"), (number, first, proc.stderr.read() if proc.stderr else b"")
            if number == 0:
                start = time.perf_counter()
                out, _ = proc.communicate()
                stats.passwd_seconds = time.perf_counter() - start
                max_delay = 1.5 * stats.passwd_seconds
            else:
                time.sleep(draw.unit() * max_delay)  # the kill moment itself is what is drawn here
                proc.send_signal(signal.SIGKILL)
                out, _ = proc.communicate()
            stats.runs += 1
            done = b"done" in out
            assert b"partial" not in out, (number, out)
            stats.completed += done
            stats.killed += not done
            opens = [p for p in (PASS, PASS2) if _opens(path, p)]
            assert len(opens) == 1, f"passwd {number}: the vault opens with {len(opens)} passphrases"
            assert not done or opens == [new], f"passwd {number} returned, but the old passphrase opens"
            stats.switched += not done and opens == [new]
            current = opens[0]
            other = PASS2 if current == PASS else PASS
            with Vault.open(path, current, writable=True, policy=TEST_POLICY) as vault:
                stale = set(vault.stale_backups())
                for backup in vault.backups():
                    if _opens(backup, current):
                        continue
                    assert backup in stale, f"passwd {number}: {backup.name} is not listed as stale"
                    assert _opens(backup, other), f"passwd {number}: {backup.name} opens with neither"
                    stats.stale_reported += 1
                check = vault.verify_log()
                assert check.ok, f"passwd {number}: audit log: {check.problems}"
                stats.crash_notes = sum("cut by a crash" in n for n in check.notes)  # (the log keeps them)
                stats.late_notes = sum("earlier passphrase" in n for n in check.notes)
                stats.log_records = len(check.records)
    finally:
        stop.touch()
        reader_out, reader_err = reader.communicate()
    assert reader.returncode == 0, reader_err.decode(errors="replace")
    stats.reader_opens = int(reader_out.split()[-1])
    return stats
