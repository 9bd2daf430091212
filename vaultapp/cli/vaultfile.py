"""``init``, ``info`` and ``passwd``: creating a vault, describing its file, changing its passphrase."""

from __future__ import annotations

import os
import sys

from vaultapp.cli.output import print_json
from vaultapp.cli.unlock import accept_weak, open_vault, yubikey_driver
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


KEYFILE_WARNING = (
    "Keep a copy of the key file somewhere safe and apart from the vault (another USB stick, a "
    "printed copy of its text): without it the vault cannot be opened, not even with the "
    "passphrase, and nobody can recover it."
)
YUBIKEY_WARNING = (
    "Without a YubiKey that answers with this slot's secret the vault cannot be opened: program a "
    "spare key with the same secret (see docs/SECURITY.md) before you rely on this one."
)


def _new_factors(args: argparse.Namespace, nothing_done: str) -> tuple[str | None, bool]:
    """The key file the vault will take from now on (``--keyfile``, ``--create-keyfile``), checked
    before anything else is asked; and whether to make a new one."""
    given = {"--create-keyfile": args.create_keyfile, "--no-keyfile": args.no_keyfile}
    given["--keyfile" if args.command == "init" else "--new-keyfile"] = getattr(args, "new_keyfile", None)
    chosen = [option for option, value in given.items() if value]
    if len(chosen) > 1:
        raise UsageError(f"Choose one of {' and '.join(chosen)}.")
    new_keyfile = args.create_keyfile or getattr(args, "new_keyfile", None)
    if args.command == "init" and args.no_passphrase and not (new_keyfile or args.yubikey):
        raise UsageError(
            f"--no-passphrase needs a key file or a YubiKey to take its place ({nothing_done.lower()})."
        )
    if args.create_keyfile:
        if os.path.lexists(args.create_keyfile):
            raise UsageError(
                f"{args.create_keyfile} exists already; name a new file for --create-keyfile (nothing is "
                "overwritten), or use an existing key file with --new-keyfile."
            )
        return args.create_keyfile, True
    return getattr(args, "new_keyfile", None), False


def _make_key_file(path: str) -> None:
    from vaultapp.core.keyfile import create_key_file

    create_key_file(path)
    print(f"Created the key file {path} (32 random bytes, KeePassXC's XML format).")


def _read_new_passphrase(
    args: argparse.Namespace, pw: Passphrases, kdf_ms: float, nothing_done: str
) -> str | None:
    if args.no_passphrase:
        return None
    passphrase = pw.read("New vault passphrase", "the new passphrase", confirm=True)
    accept_weak(pw, passphrase, kdf_ms, nothing_done)
    return passphrase


def _warn_second_factors(keyfile: str | None, slot: int | None) -> None:
    if keyfile is not None:
        print(f"Key file: {keyfile}. {KEYFILE_WARNING}")
    if slot is not None:
        print(f"YubiKey: slot {slot}. {YUBIKEY_WARNING}")


def cmd_init(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.kdf import check_unlock_ms
    from vaultapp.core.keyfile import read_key_file
    from vaultapp.core.vault import Vault

    check_unlock_ms(args.unlock_ms)
    if os.path.lexists(args.vault):  # also a symbolic link, even a dangling or looping one
        raise UsageError(f"{args.vault} exists already; choose another name or delete it first.")
    args.new_keyfile = args.keyfile
    keyfile, create = _new_factors(args, "No vault was created")
    if keyfile is not None and not create:
        read_key_file(keyfile)  # a missing or unreadable key file is told before the passphrase is asked
    passphrase = _read_new_passphrase(args, pw, args.unlock_ms, "No vault was created")
    yubikey = yubikey_driver(args.yubikey) if args.yubikey else None
    if create and keyfile is not None:
        _make_key_file(keyfile)
    if pw.interactive:
        sys.stderr.write("Measuring this machine to pick the key-derivation cost...\n")
    with Vault.create(
        args.vault, passphrase, keyfile=keyfile, yubikey=yubikey, yubikey_slot=args.yubikey,
        kdf_name=args.kdf, unlock_ms=args.unlock_ms,
    ) as vault:  # fmt: skip
        print(f"Created {vault.path}")
        print(f"Key derivation: {vault.kdf.describe()}; unlocking takes {vault.kdf_ms:.0f} ms here.")
        if vault.header.factors.second:
            print(f"Unlocks with: {vault.header.factors.describe()}.")
        _warn_second_factors(keyfile, args.yubikey)
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
        info["unlocks_with"] = {"passphrase": header.factors.passphrase, "keyfile": header.factors.keyfile,
                                "yubikey_slot": header.factors.yubikey_slot}  # fmt: skip
        info["payload"] = {"cipher": "fernet", "compression": header.compression}
        print_json(info)
        return 0
    print(f"File:        {args.vault}")
    print(f"Format:      vaultapp {header.version}")
    print(f"Unlock with: {header.factors.describe()}")
    print(f"KDF:         {header.kdf.describe()}")
    print(f"Salt:        {len(header.kdf.salt)} bytes")
    print(f"Encryption:  Fernet (AES-128-CBC + HMAC-SHA256), {header.compression} compressed")
    return 0


def cmd_passwd(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.keyfile import read_key_file

    if args.yubikey and args.no_yubikey:
        raise UsageError("Choose either --yubikey SLOT or --no-yubikey.")
    keyfile, create = _new_factors(args, "Nothing was changed")
    if keyfile is not None and not create:
        read_key_file(keyfile)  # told before any passphrase is asked
    with open_vault(args, pw, writable=True) as vault:
        old = vault.header.factors
        if keyfile is None and not args.no_keyfile and old.keyfile:
            keyfile = args.vault_keyfile  # the key file stays as it is
        slot = args.yubikey or (None if args.no_yubikey else old.yubikey_slot)
        if args.no_passphrase and not (keyfile or slot):
            raise UsageError(
                "--no-passphrase needs a key file or a YubiKey to take its place; nothing was changed."
            )
        new = _read_new_passphrase(args, pw, vault.kdf_ms, "The passphrase was not changed")
        yubikey = yubikey_driver(slot) if slot is not None else None
        if create and keyfile is not None:
            _make_key_file(keyfile)
        vault.change_passphrase(new, keyfile=keyfile, yubikey=yubikey, yubikey_slot=slot)
        if not (old.second or vault.header.factors.second):
            print(f"Passphrase changed for {vault.path}; its automatic backups use the new passphrase too.")
        else:
            what = vault.header.factors.describe()
            print(f"Changed how {vault.path} unlocks ({what}); its automatic backups changed with it.")
        if keyfile != args.vault_keyfile or slot != old.yubikey_slot:
            _warn_second_factors(
                keyfile if keyfile != args.vault_keyfile else None, slot if slot != old.yubikey_slot else None
            )
    return 0


def _factor_options(p: argparse.ArgumentParser, *, init: bool) -> None:
    if init:
        p.add_argument(
            "--keyfile",
            metavar="FILE",
            help="also need this existing file to unlock (any file; a KeePass key file gives KeePass's key)",
        )
    else:
        p.add_argument(
            "--new-keyfile", metavar="FILE", help="from now on need this existing key file instead"
        )
    p.add_argument(
        "--create-keyfile",
        metavar="FILE",
        help="write a new random key file at FILE (KeePassXC's format) and need it to unlock",
    )
    keep = "" if init else " any more (without it, the current key file stays)"
    p.add_argument("--no-keyfile", action="store_true", help=f"need no key file{keep}")
    p.add_argument(
        "--no-passphrase",
        action="store_true",
        help="need no passphrase: the key file (or YubiKey) alone unlocks the vault",
    )
    p.add_argument(
        "--yubikey",
        type=int,
        choices=(1, 2),
        metavar="SLOT",
        help="also need the YubiKey's HMAC-SHA1 answer from SLOT, 1 or 2 (needs yubikey-manager)",
    )


def _init_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("init", cmd_init, "Create a new vault (asks for the passphrase twice).")
    _factor_options(p, init=True)
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
    p = command(
        "passwd", cmd_passwd, "Change the master passphrase, key file or YubiKey (re-encrypts everything)."
    )
    _factor_options(p, init=False)
    p.add_argument("--no-yubikey", action="store_true", help="need the YubiKey no more")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "init": _init_parser,
    "info": _info_parser,
    "passwd": _passwd_parser,
}
