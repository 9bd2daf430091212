"""The entry point of ``vaultapp-cli``: parse, run the command, and map errors to exit codes in
one place (``main``). Each command group's module adds its own parsers; for ``generate`` and
``totp`` only their own module is imported and only their parser is built, so they start fast.

Exit codes: 0 success, 1 other error, 2 usage (also: an attachment over the limits), 3 wrong
passphrase, 4 damaged or unsupported file (also: a damaged attachment), 5 entry or attachment
not found, 6 vault locked by another process or changed on disk, 7 the passphrase
was changed but some backups still open with the old one, 8 the SSH agent could not be reached or
refused a key.
"""

from __future__ import annotations

import os
import sys

from vaultapp import __version__
from vaultapp.cli.output import PROG
from vaultapp.cli.passphrases import Passphrases
from vaultapp.cli.unlock import OPENED, SLOW_KDF_HELP, warn_audit
from vaultapp.core.errors import UsageError, VaultError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, NoReturn


FAST_COMMANDS = ("generate", "totp", "browser")  # no vault: only their own parser is built
VAULT_COMMANDS = ("init", "info", "add", "ls", "search", "show", "edit", "rm", "trash", "restore",
                  "attach", "attachments", "detach", "passwd", "export", "import", "backups", "check",
                  "log", "merge", "ssh-add", "ssh-keygen", "run", "inject")  # fmt: skip
"""The commands on a vault, in the order ``--help`` lists them; each module in this package adds
the parsers of its own commands (``PARSERS``)."""


def _check_arguments(argv: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 (its bytes reach Python as surrogates) in one line
    naming the option, never the value: it may be a secret such as a TOTP seed."""
    for index, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            option = arg.partition("=")[0] if arg.startswith("--") and "=" in arg else None
            if option is None and index and argv[index - 1].startswith("-"):
                option = argv[index - 1]
            if option:
                message = (
                    f"The value of {option} is not valid UTF-8 text; type it again with a UTF-8 terminal."
                )
            else:
                message = (f"Argument {index + 1} is not valid UTF-8 text; if it is a file name, rename the "
                           "file (vaultapp takes UTF-8 names only).")  # fmt: skip
            raise UsageError(message) from None


# ---- output helpers ---------------------------------------------------------------------------


# ---- commands ---------------------------------------------------------------------------------


# ---- generators ---------------------------------------------------------------------------------


GLUED = ("--symbols", "--exclude", "--extra", "--separator")
"""Options whose value may start with '-' (``--symbols '-_!@'``): the next word is always their value."""


def _glue(argv: list[str]) -> list[str]:
    """``--symbols -_!@`` as ``--symbols=-_!@``, so argparse does not take the value for an option."""
    out: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            return [*out, word, *words]
        value = next(words, None) if word in GLUED else None
        out.append(word if value is None else f"{word}={value}")
    return out


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; a usage error exits 2 with one line that names the right --help."""
    argv = _glue(argv)
    words = [a for a in argv if not a.startswith("-")]
    first = words[0] if words else None
    kind = words[1] if first == "generate" and len(words) > 1 else None
    run_argv: list[str] = []  # run's COMMAND [ARGS...]: every word after the first '--'
    if first == "run" and "--" in argv:
        argv, run_argv = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    args, extra = build_parser(first if first in FAST_COMMANDS else None, kind).parse_known_args(argv)
    if first == "run":
        args.argv = run_argv
        if extra and not run_argv:
            args.parser.error(f"{' '.join(extra)}: put -- before the command (run VAULT -- COMMAND ...)")
    if extra:
        command = args.parser.prog.removeprefix(f"{PROG} ")
        args.parser.error(f"{' '.join(extra)}: not an option of {command}, or does not apply to it")
    for name in ("symbols", "exclude", "extra", "separator"):
        if getattr(args, name, None) == []:  # argparse drops a value of exactly '--'
            setattr(args, name, "--")
    return args


# ---- parser -----------------------------------------------------------------------------------


def build_parser(only: str | None = None, kind: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``only``) just the one subcommand about to run (and of ``generate``,
    just ``kind``'s options): building every subcommand's options costs a one-shot ``generate``
    more than generating does."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a usage error as one line and exit status 2."""

        def error(self, message: str) -> NoReturn:
            sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
            raise SystemExit(2)

    parser = _Parser(
        prog=PROG,
        description="Drive a vaultapp vault from scripts and terminals. Passphrases are read without "
        "echo from a terminal, or one per line from standard input; never from arguments.",
        epilog="Exit codes: 0 ok, 1 other error, 2 usage, 3 wrong passphrase, 4 damaged or unsupported "
        "file or attachment, 5 entry or attachment not found, 6 vault locked or changed on disk, "
        "7 passphrase changed but some backups still open with the old one (named), 8 SSH agent "
        "unreachable or refusing.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def wanted(name: str) -> bool:
        return only is None or only == name

    def command(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func, parser=p)
        p.add_argument("vault", metavar="VAULT", help="path of the vault file")
        if name not in ("init", "info"):  # the others derive a key from the file's parameters
            p.add_argument("--allow-slow-kdf", action="store_true", help=SLOW_KDF_HELP)
        if name in (
            "add",
            "edit",
            "rm",
            "restore",
            "attach",
            "detach",
            "passwd",
            "merge",
            "import",
            "backups",
            "ssh-keygen",
        ):
            p.add_argument(
                "--accept-rollback",
                action="store_true",
                help="save even though this copy is older than one this device has seen",
            )
        return p

    if only is None or only not in FAST_COMMANDS:
        from vaultapp.cli import (
            attachments,
            backups,
            entries,
            health,
            programs,
            sshagent,
            transfer,
            vaultfile,
        )

        parsers = {**vaultfile.PARSERS, **entries.PARSERS, **attachments.PARSERS, **transfer.PARSERS,
                   **backups.PARSERS, **health.PARSERS, **sshagent.PARSERS, **programs.PARSERS}  # fmt: skip
        for name in VAULT_COMMANDS:
            parsers[name](command)

    if wanted("generate"):
        from vaultapp.cli.generate import add_generate_parser

        add_generate_parser(sub, kind)
    if wanted("totp"):
        from vaultapp.cli.totp import add_totp_parser

        add_totp_parser(sub)
    if wanted("browser"):
        from vaultapp.cli.browser import add_browser_parser

        add_browser_parser(sub)
    return parser


def _interrupted(landed_before: int) -> str:
    """What a Ctrl-C left behind: files put in place by this command are named (the replace is
    atomic, so each is either wholly saved or untouched)."""
    saving = sys.modules.get("vaultapp.core.saving")
    landed = [] if saving is None else list(dict.fromkeys(saving.LANDED[landed_before:]))
    if not landed:
        return "interrupted; nothing was saved."
    names = ", ".join(str(p) for p in landed)
    return (
        f"interrupted after {names} was saved: that change is on disk; "
        "whatever the command had left to do was not done."
    )


def _os_error_line(exc: OSError) -> str:
    import errno

    where = f" {exc.filename}" if exc.filename is not None else ""
    reason = exc.strerror or type(exc).__name__
    advice = {
        errno.EACCES: "Check that you may read and write there, or choose another place.",
        errno.EPERM: "Check that you may read and write there, or choose another place.",
        errno.EROFS: "That file system is read-only; choose another place.",
        errno.ELOOP: "A symbolic link there points to itself (a loop); remove it or choose another name.",
        errno.ENOSPC: "The disk is full; free some space and try again.",
        errno.ENOTDIR: "A part of the path is a file, not a folder; check the path.",
        errno.EISDIR: "That is a folder; name a file.",
    }.get(exc.errno or 0, "Check the path and try again.")
    return f"Could not use{where}: {reason}. {advice}"


def main(argv: Sequence[str] | None = None, *, stdin: IO[str] | None = None) -> int:
    """Run the command line; returns the exit status. Never shows a traceback."""
    if (sys.argv[1:] if argv is None else list(argv)) == ["--version"]:
        sys.stdout.write(f"{PROG} {__version__}\n")  # the one answer that needs no parser
        return 0
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _check_arguments(argv)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return exc.exit_code
    args = _parse(argv)
    saving = sys.modules.get("vaultapp.core.saving")  # imported lazily: fast commands skip it
    landed_before = len(saving.LANDED) if saving is not None else 0
    try:
        OPENED.clear()
        status = int(args.func(args, Passphrases(stdin)))
        warn_audit()  # (after an error, its one line is what counts; the gap is kept all the same)
        return status
    except VaultError as exc:
        from vaultapp.core.errors import RollbackError, SlowKdfError

        hint = (
            " Run the command again with --accept-rollback to keep this copy."
            if isinstance(exc, RollbackError)
            else " If you trust the file, run the command again with --allow-slow-kdf."
            if isinstance(exc, SlowKdfError)
            else ""
        )
        sys.stderr.write(f"{PROG}: error: {exc}{hint}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: {_interrupted(landed_before)}\n")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file or folder the command could not use: say which, and why
        sys.stderr.write(f"{PROG}: error: {_os_error_line(exc)}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a line
        sys.stderr.write(f"{PROG}: error: unexpected {type(exc).__name__}: {exc}\n")
        return 1
