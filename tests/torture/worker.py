"""Worker processes for the torture tests (run as ``python -m tests.torture.worker KIND ...``).

- ``save-loop PATH``: open the vault for writing, print ``ready``, then add an entry and save,
  forever, printing ``adding UUID`` before and ``saved UUID`` after each save (the driver kills
  it with SIGKILL at some moment).
- ``add-many PATH N TAG``: add N entries titled ``TAG-i``, each in its own open/add/save/close,
  as the CLI does: a save that finds another process's save on disk merges it in.
- ``read-loop PATH STOPFILE``: open the vault read-only over and over until STOPFILE exists;
  prints how many opens succeeded. Any error but a busy lock is a failure (exit 1).
- ``passwd PATH OLD NEW``: open for writing with OLD, print ``ready``, change to NEW, print
  ``done`` (``partial`` when some backups kept the old passphrase).
- ``read-either PATH STOPFILE P1 P2``: until STOPFILE exists, unlock read-only (audit log on)
  with whichever of P1/P2 works and log a reveal; prints how many opens succeeded.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.torture.harness import PASS
from vaultapp.core import TEST_POLICY, Vault, VaultLockedError


def save_loop(path: Path) -> int:
    with Vault.open(path, PASS, writable=True, policy=TEST_POLICY) as vault:
        note = " swept" if vault.swept_files else ""
        print(f"ready{note}", flush=True)
        number = 0
        while True:
            number += 1
            entry = vault.add(f"k{number}", username="u", password=f"password {number}", notes="x" * number)
            print(f"adding {entry.uuid}", flush=True)
            vault.save()
            print(f"saved {entry.uuid}", flush=True)


def add_many(path: Path, count: int, tag: str) -> int:
    for number in range(count):
        while True:
            try:
                with Vault.open(path, PASS, writable=True, policy=TEST_POLICY) as vault:
                    vault.merge_on_conflict = True  # as the CLI's write commands do
                    vault.add(f"{tag}-{number}", password=f"{tag} {number}")
                    vault.save()
                break
            except VaultLockedError:
                time.sleep(0.002)  # another's save held the lock past LOCK_WAIT: retry
    return 0


def read_loop(path: Path, stop: Path) -> int:
    opens = 0
    while not stop.exists():
        with Vault.open(path, PASS, policy=TEST_POLICY, audit=False) as vault:
            assert vault.entries is not None
        opens += 1
    print(f"opens {opens}", flush=True)
    return 0


def passwd(path: Path, old: str, new: str) -> int:
    from vaultapp.core import PassphraseChangedError

    with Vault.open(path, old, writable=True, policy=TEST_POLICY) as vault:
        print("ready", flush=True)
        try:
            vault.change_passphrase(new)
        except PassphraseChangedError:
            print("partial", flush=True)
            return 7
        print("done", flush=True)
    return 0


def read_either(path: Path, stop: Path, passphrases: list[str]) -> int:
    from vaultapp.core import WrongPassphraseError

    opens, guess = 0, 0
    while not stop.exists():
        try:
            vault = Vault.open(path, passphrases[guess], policy=TEST_POLICY)
        except WrongPassphraseError:
            guess = 1 - guess  # the passphrase changed (or changed back): try the other
            continue
        with vault:
            if vault.entries:
                vault.note("entry.revealed", vault.entries[0].uuid, {"field": "password"})
        opens += 1
    print(f"opens {opens}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    kind, path = argv[0], Path(argv[1])
    if kind == "save-loop":
        return save_loop(path)
    if kind == "add-many":
        return add_many(path, int(argv[2]), argv[3])
    if kind == "read-loop":
        return read_loop(path, Path(argv[2]))
    if kind == "passwd":
        return passwd(path, argv[2], argv[3])
    if kind == "read-either":
        return read_either(path, Path(argv[2]), argv[3:5])
    raise SystemExit(f"unknown worker {kind!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
