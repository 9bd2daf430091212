"""``totp``: the one-time code of a vault entry, an otpauth:// URI or a base32 secret (the vault
is imported only when one is named)."""

from __future__ import annotations

import sys

from vaultapp.cli.output import ARGV_RISK, print_json
from vaultapp.cli.unlock import KEYFILE_HELP, SLOW_KDF_HELP, open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from vaultapp.cli.passphrases import Passphrases


def _from_stdin_if_dash(value: str, pw: Passphrases, prompt: str) -> str:
    """``value``, or for ``-`` the next input line (asked without echo at a terminal)."""
    return pw.read(prompt, f"the {prompt[0].lower()}{prompt[1:]}") if value == "-" else value


def cmd_totp(args: argparse.Namespace, pw: Passphrases) -> int:
    import time
    from dataclasses import replace

    from vaultapp.generators.otp import (
        OtpParams,
        check_unix_time,
        code_now,
        decode_secret,
        parse,
        remaining_seconds,
    )

    sources = sum(x is not None for x in (args.uri, args.secret)) + (args.vault is not None)
    if sources != 1:
        raise UsageError("Give either VAULT QUERY, or --uri URI, or --secret BASE32 (exactly one).")
    if args.vault is not None:
        if args.query is None:
            raise UsageError("Name the entry: totp VAULT QUERY (its UUID or exact title).")
        with open_vault(args, pw) as vault:
            entry = vault.find(args.query)
            if entry.totp is None:
                raise UsageError(f"Entry {entry.title!r} has no one-time code set up.")
            params = parse(vault.reveal(entry.totp))
            if params.kind == "hotp" and args.counter is None:
                params = vault.next_hotp(entry.uuid)  # saved before the code is printed
            vault.note("entry.revealed", entry.uuid, {"field": "totp"})
    elif args.uri is not None:
        params = parse(_from_stdin_if_dash(args.uri, pw, "One-time code URI (otpauth://)"))
    else:
        params = OtpParams(
            decode_secret(_from_stdin_if_dash(args.secret, pw, "One-time code secret (base32)")),
            digits=args.digits,
            period=args.period,
            algorithm=args.algorithm.upper(),
        )
    if args.counter is not None:
        if params.kind != "hotp":
            raise UsageError("--counter applies to HOTP (counter-based) codes; this one is time-based.")
        if args.counter < 0:
            raise UsageError(f"--counter must be 0 or more, not {args.counter}.")
        params = replace(params, counter=args.counter)
    if args.time is not None:
        now = args.time
        check_unix_time(now)
    else:
        now = time.time()
        if now < 0:
            raise UsageError(
                "This computer's clock is set before 1970, so no one-time code can be right; "
                "set the clock (or give --time UNIX)."
            )
    code = code_now(params, now)
    if args.json:
        info: dict[str, Any] = {"code": code, "kind": params.kind, "digits": params.digits}
        if params.kind == "totp":
            info |= {"remaining_seconds": remaining_seconds(params, now), "period": params.period}
        else:
            info["counter"] = params.counter
        info["algorithm"] = params.algorithm
        print_json(info)
    else:
        sys.stdout.write(code + "\n")
    return 0


def add_totp_parser(sub: Any) -> None:
    otp = sub.add_parser(
        "totp",
        help="Print a one-time code: an entry's, or from --uri / --secret.",
        description="Print the current one-time code of a vault entry, an otpauth URI or a secret.",
    )
    otp.set_defaults(func=cmd_totp, parser=otp)
    otp.add_argument("vault", nargs="?", metavar="VAULT")
    otp.add_argument("query", nargs="?", metavar="QUERY", help="UUID or exact title")
    otp.add_argument(
        "--uri", help=f"an otpauth:// URI; - reads it from standard input (an argument is {ARGV_RISK})"
    )
    otp.add_argument(
        "--secret",
        metavar="BASE32",
        help=f"the base32 secret; - reads it from standard input (an argument is {ARGV_RISK})",
    )
    otp.add_argument("--digits", type=int, default=6)
    otp.add_argument("--period", type=int, default=30)
    otp.add_argument(
        "--algorithm", default="SHA1", choices=("SHA1", "SHA256", "SHA512", "sha1", "sha256", "sha512")
    )
    otp.add_argument(
        "--time", type=float, metavar="UNIX", help="the time to compute the code for (seconds since 1970)"
    )
    otp.add_argument(
        "--counter", type=int, metavar="N",
        help="HOTP: the code for counter N, without using up the entry's counter (without it, each "
        "code printed from a vault advances the stored counter by one, saved at once)",
    )  # fmt: skip
    otp.add_argument("--json", action="store_true", help="adds remaining_seconds")
    otp.add_argument("--allow-slow-kdf", action="store_true", help=SLOW_KDF_HELP)
    otp.add_argument("--keyfile", "--vault-keyfile", dest="vault_keyfile", metavar="FILE", help=KEYFILE_HELP)
