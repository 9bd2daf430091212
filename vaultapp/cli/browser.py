"""``browser status|install|uninstall``: the native-messaging manifests that let the
KeePassXC-Browser extension reach vaultapp (``vaultapp.browser.manifests``); no vault needed."""

from __future__ import annotations

import sys

from vaultapp.core.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from vaultapp.cli.passphrases import Passphrases


def cmd_browser(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.browser import manifests

    chosen = args.browsers or [
        b for b in manifests.BROWSERS if args.action == "status" or manifests.profile_dir(b).is_dir()
    ]
    for name in chosen:
        if name not in manifests.BROWSERS:
            raise UsageError(f"Unknown browser {name!r}; choose from {', '.join(manifests.BROWSERS)}.")
    if not chosen:
        raise UsageError("No browser found for this user; name one (--browser chromium).")
    for name in chosen:
        if args.action == "install":
            status = manifests.install(name, replace=args.replace, extra_origins=tuple(args.origin))
        elif args.action == "uninstall":
            status = manifests.uninstall(name)
        else:
            status = manifests.status(name)
        sys.stdout.write(status.describe() + "\n")
    return 0


def add_browser_parser(sub: Any) -> None:
    p = sub.add_parser(
        "browser",
        help="Let the KeePassXC-Browser extension fill logins from vaultapp: status, install, uninstall.",
        description="Write or remove the browsers' native-messaging manifests for KeePassXC-Browser.",
    )
    p.set_defaults(func=cmd_browser, parser=p)
    p.add_argument("action", choices=("status", "install", "uninstall"))
    p.add_argument(
        "--browser", dest="browsers", action="append", default=[], metavar="NAME",
        help="chromium, chrome, brave, vivaldi, edge or firefox (repeatable; default: those installed)",
    )  # fmt: skip
    p.add_argument(
        "--replace", action="store_true",
        help="replace another host's manifest (KeePassXC's); it is kept and put back by uninstall",
    )  # fmt: skip
    p.add_argument(
        "--origin", action="append", default=[], metavar="ORIGIN",
        help="also allow this Chromium extension origin (chrome-extension://ID/), e.g. an unpacked copy",
    )  # fmt: skip
