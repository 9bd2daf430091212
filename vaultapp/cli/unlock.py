"""Unlocking the vault a command works on, and the warnings that go with it (a weak new
passphrase, audit-log events that could not be written)."""

from __future__ import annotations

import sys

from vaultapp.cli.output import PROG
from vaultapp.core.errors import VaultError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from vaultapp.cli.passphrases import Passphrases
    from vaultapp.core.vault import Vault


SLOW_KDF_HELP = (
    "unlock files whose key derivation would take over 20 s or more than half the free memory "
    "here (refused by default: a file from someone else can be made to tie up the machine)"
)


def open_vault(
    args: argparse.Namespace,
    pw: Passphrases,
    *,
    writable: bool = False,
    or_read_only: bool = False,
    conflict_note: bool = True,
) -> Vault:
    """Unlock VAULT. ``writable``: the command changes it and saves once; if another process
    saved meanwhile, that version is merged in (nothing is lost on either side). A vault the user
    made read-only is refused before the passphrase is asked. ``or_read_only``: when the vault
    cannot be written (read-only file, or another process's save held the lock too long), open
    it read-only instead (with the same passphrase). ``conflict_note``: say so when a sync tool
    left conflict copies beside the vault (edits made elsewhere that only a merge brings in)."""
    from pathlib import Path

    from vaultapp.core.storage import read_bytes, refuse_read_only
    from vaultapp.core.vault import Vault

    if not Path(args.vault).is_file():
        read_bytes(Path(args.vault))  # raises the clear "no vault at ..." error before any prompt
    if writable and not or_read_only:
        refuse_read_only(Path(args.vault))
    from vaultapp.core.rollback import SeenVaults

    passphrase = pw.read(f"Passphrase for {args.vault}", "the vault passphrase")
    slow = getattr(args, "allow_slow_kdf", False)
    try:
        vault = Vault.open(
            args.vault, passphrase, writable=writable, seen=SeenVaults.default(), allow_slow_kdf=slow
        )
    except VaultError as exc:
        from vaultapp.core.errors import ReadOnlyVaultError, VaultLockedError

        if not (or_read_only and isinstance(exc, VaultLockedError | ReadOnlyVaultError)):
            raise
        writable = False
        vault = Vault.open(args.vault, passphrase, seen=SeenVaults.default(), allow_slow_kdf=slow)
    vault.merge_on_conflict = writable
    if vault.rollback_warning is not None:
        if getattr(args, "accept_rollback", False):
            vault.accept_rollback()
        elif not writable:  # writing commands refuse at save, in one error line
            sys.stderr.write(f"{PROG}: warning: {vault.rollback_warning}\n")
    if vault.swept_notice is not None:
        sys.stderr.write(f"{PROG}: note: {vault.swept_notice}\n")
    if conflict_note:
        _note_conflict_copies(Path(args.vault))
    OPENED.append(vault)
    return vault


def _note_conflict_copies(path: Path) -> None:
    import shlex

    from vaultapp.core.storage import find_conflict_copies

    copies = find_conflict_copies(path)
    if copies:
        names = ", ".join(c.name for c in copies[:3]) + (" …" if len(copies) > 3 else "")
        count = f"{len(copies)} conflict cop{'ies' if len(copies) != 1 else 'y'}"
        sys.stderr.write(
            f"{PROG}: note: a sync tool left {count} beside {path.name} ({names}), holding edits "
            f"made elsewhere; merge them with: {PROG} merge {shlex.quote(str(path))} --conflict-copies\n"
        )


def accept_weak(pw: Passphrases, passphrase: str, kdf_ms: float, nothing_done: str) -> None:
    """Warn about a weak master passphrase (the rule of the window's create dialog); from a
    terminal, go on only when the user says yes; from a pipe, warn and go on."""
    from vaultapp.health.strength import weak_passphrase_warning

    warning = weak_passphrase_warning(passphrase, kdf_ms)
    if warning is None:
        return
    sys.stderr.write(f"{PROG}: warning: {warning}\n")
    if pw.interactive:
        sys.stderr.write("Use this weak passphrase anyway? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().casefold() not in ("y", "yes"):
            raise VaultError(f"{nothing_done}; choose a stronger passphrase ('{PROG} generate passphrase').")


OPENED: list[Vault] = []  # vaults this command opened: their audit-log warnings are shown at the end


def warn_audit() -> None:
    """Events the audit log could not take (busy, disk full): say so, once per vault."""
    for vault in OPENED:
        if vault.audit_warning is not None:
            sys.stderr.write(f"{PROG}: warning: {vault.audit_warning}\n")
    OPENED.clear()
