"""``init``, ``info`` and ``passwd``: creating a vault, describing its file, changing its passphrase."""

from __future__ import annotations

import os
import sys

from vaultapp.cli.output import print_json
from vaultapp.cli.unlock import accept_weak, open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


def cmd_init(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.kdf import check_unlock_ms
    from vaultapp.core.vault import Vault

    check_unlock_ms(args.unlock_ms)
    if os.path.lexists(args.vault):  # also a symbolic link, even a dangling or looping one
        raise UsageError(f"{args.vault} exists already; choose another name or delete it first.")
    passphrase = pw.read("New vault passphrase", "the new passphrase", confirm=True)
    accept_weak(pw, passphrase, args.unlock_ms, "No vault was created")
    if pw.interactive:
        sys.stderr.write("Measuring this machine to pick the key-derivation cost...\n")
    with Vault.create(args.vault, passphrase, kdf_name=args.kdf, unlock_ms=args.unlock_ms) as vault:
        print(f"Created {vault.path}")
        print(f"Key derivation: {vault.kdf.describe()}; unlocking takes {vault.kdf_ms:.0f} ms here.")
        for note in vault.calibration.notes if vault.calibration else ():
            print(f"Note: {note}")
    return 0


def cmd_info(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.vault import Vault

    header = Vault.read_header(args.vault)
    kdf = {k: v for k, v in header.kdf.to_header().items() if k != "salt"}
    kdf["salt_bytes"] = len(header.kdf.salt)
    kdf["memory_mib"] = header.kdf.memory_bytes / 1024**2
    if args.json:
        info = {"path": str(args.vault), "format_version": header.version, "kdf": kdf}
        info["payload"] = {"cipher": "fernet", "compression": header.compression}
        print_json(info)
        return 0
    print(f"File:        {args.vault}")
    print(f"Format:      vaultapp {header.version}")
    print(f"KDF:         {header.kdf.describe()}")
    print(f"Salt:        {len(header.kdf.salt)} bytes")
    print(f"Encryption:  Fernet (AES-128-CBC + HMAC-SHA256), {header.compression} compressed")
    return 0


def cmd_passwd(args: argparse.Namespace, pw: Passphrases) -> int:
    with open_vault(args, pw, writable=True) as vault:
        new = pw.read("New passphrase", "the new passphrase", confirm=True)
        accept_weak(pw, new, vault.kdf_ms, "The passphrase was not changed")
        vault.change_passphrase(new)
        print(f"Passphrase changed for {vault.path}; its automatic backups use the new passphrase too.")
    return 0


def _init_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("init", cmd_init, "Create a new vault (asks for the passphrase twice).")
    p.add_argument("--kdf", choices=("argon2id", "scrypt"), default="argon2id", help="default: argon2id")
    p.add_argument(
        "--unlock-ms",
        type=int,
        default=1000,
        metavar="N",
        help="target unlock time in ms, 50 to 10000 (default 1000); the KDF is calibrated to it",
    )


def _info_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("info", cmd_info, "Show the file's format and KDF parameters (no passphrase).")
    p.add_argument("--json", action="store_true")


def _passwd_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    command("passwd", cmd_passwd, "Change the master passphrase (re-encrypts everything).")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "init": _init_parser,
    "info": _info_parser,
    "passwd": _passwd_parser,
}
