"""``backups``: list the automatic backups, change how many are kept and where, restore one."""

from __future__ import annotations

from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


def cmd_backups(args: argparse.Namespace, pw: Passphrases) -> int:
    changing = args.keep is not None or args.folder is not None or args.beside or args.restore is not None
    if args.folder is not None and args.beside:
        raise UsageError("Choose either --folder DIR or --beside, not both.")
    with open_vault(args, pw, writable=changing) as vault:
        if args.keep is not None:
            vault.backup_count = args.keep
        if args.folder is not None or args.beside:
            vault.backup_folder_setting = "" if args.beside else args.folder
        if args.restore is not None:
            found = vault.backups()
            if not 0 <= args.restore < len(found):
                raise UsageError(
                    f"There is no automatic backup number {args.restore}; run without --restore to list them."
                )
            vault.restore_backup(found[args.restore])
            print(f"Restored {found[args.restore].name}; the version before is now the newest backup.")
        if changing:
            vault.save()
        folder = vault.backup_folder_setting or "beside the vault"
        print(f"Keeps {vault.backup_count} automatic backups, in {folder} ({vault.backup_folder}).")
        import datetime

        stale = set(vault.stale_backups())
        for number, path in enumerate(vault.backups()):
            when = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            mark = "  (does not open with this passphrase: from before a change)" if path in stale else ""
            print(f"{number:3d}  {when}  {path}{mark}")
    return 0


def _backups_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "backups",
        cmd_backups,
        "List the automatic backups; change how many are kept and where; restore one.",
    )
    p.add_argument("--keep", type=int, metavar="N", help="keep N earlier versions (0 to 100; default 5)")
    p.add_argument("--folder", metavar="DIR", help="keep them in DIR (an existing folder)")
    p.add_argument("--beside", action="store_true", help="keep them beside the vault again (the default)")
    p.add_argument("--restore", type=int, metavar="NUMBER", help="make backup NUMBER (0 = newest) current")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "backups": _backups_parser,
}
