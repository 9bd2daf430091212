"""``run`` (a command with secrets in its environment, its output masked) and ``inject`` (a
template's ``{{ vaultapp://… }}`` references filled in); the rules are ``vaultapp.secrets_env``'s."""

from __future__ import annotations

import os
import sys

from vaultapp.cli.output import PROG
from vaultapp.cli.unlock import open_vault, warn_audit
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    from vaultapp.cli.passphrases import Passphrases
    from vaultapp.core.vault import Vault


class _LineByLine:
    """Standard input read one byte at a time, so a piped passphrase line is all ``run`` takes:
    the rest of the input stays for the command (a buffered read would swallow it)."""

    def __init__(self) -> None:
        self.buffer = self

    def isatty(self) -> bool:
        return False

    def readline(self, limit: int) -> bytes:
        line = bytearray()
        while len(line) < limit and (byte := os.read(0, 1)):
            line += byte
            if byte == b"\n":
                break
        return bytes(line)


def _log_use(vault: Vault, used: dict[str, set[str]], detail: dict[str, str]) -> None:
    """One audit record (one fsync, however many entries): the entries used (by UUID; the one
    entry's own record when there is one), the field kinds given, and where they went; never a
    value."""
    if not used:
        return
    only = next(iter(used)) if len(used) == 1 else None
    kinds = sorted(set().union(*used.values()))
    vault.note("entry.used", only, {"entries": sorted(used), "fields": kinds, **detail})


def cmd_run(args: argparse.Namespace, pw: Passphrases) -> int:
    import time
    from pathlib import Path

    from vaultapp.cli.passphrases import Passphrases
    from vaultapp.secrets_env.environment import build_environment
    from vaultapp.secrets_env.masking import MIN_MASKED, maskable
    from vaultapp.secrets_env.process import run_command

    command = args.argv
    if not command:
        raise UsageError(f"Name the command to run: {PROG} run VAULT [options] -- COMMAND [ARGS...].")
    if pw.stream is sys.stdin and not sys.stdin.isatty():
        pw = Passphrases(_LineByLine())  # type: ignore[arg-type]
    with open_vault(args, pw) as vault:
        env = build_environment(
            vault, now=time.time(), folder=args.folder, tag=args.tag,
            env_file=None if args.env_file is None else Path(args.env_file), inherited=os.environ,
        )  # fmt: skip
        _log_use(vault, env.used, {"command": Path(command[0]).name, "by": "run"})
    warn_audit()
    for note in env.notes:
        sys.stderr.write(f"{PROG}: note: {note}\n")
    concealed = [(name, value) for name, values in env.secrets.items() for value in values]
    short = sorted({name for name, value in concealed if not maskable(value)})
    if short and not args.no_masking:
        sys.stderr.write(
            f"{PROG}: note: not masked (shorter than {MIN_MASKED} characters): {', '.join(short)}\n"
        )
    sys.stdout.flush()
    sys.stderr.flush()
    mask = None if args.no_masking else [value for _, value in concealed]
    return run_command(command, {**os.environ, **env.variables}, mask)


def cmd_inject(args: argparse.Namespace, pw: Passphrases) -> int:
    import time
    from pathlib import Path

    from vaultapp.interop.records import read_text
    from vaultapp.secrets_env.references import Resolver

    to_stdout = args.out == "-"
    out = Path(args.out)
    if not to_stdout and not args.force and (out.exists() or out.is_symlink()):
        raise UsageError(f"{out} exists already; add --force to replace it (nothing was written).")
    template = read_text(args.input)
    with open_vault(args, pw) as vault:
        resolver = Resolver(vault, time.time())
        text = resolver.substitute(template)
        used: dict[str, set[str]] = {}
        for found in resolver.resolved.values():
            used.setdefault(found.uuid, set()).add(found.kind)
        _log_use(vault, used, {"file": "-" if to_stdout else out.name, "by": "inject"})
    if not resolver.resolved:
        sys.stderr.write(f"{PROG}: note: {args.input} has no {{{{ vaultapp://... }}}} reference; "
                         "written unchanged.\n")  # fmt: skip
    if to_stdout:
        sys.stdout.write(text)
        return 0
    _write(out, text.encode("utf-8"), force=args.force)
    held = _count(len(resolver.resolved), "secret value")
    sys.stderr.write(
        f"{PROG}: warning: {out} holds {held} in PLAIN TEXT (readable by "
        f"you only); delete it when you are done, and keep it out of version control.\n"
    )
    return 0


def _write(out: Path, data: bytes, *, force: bool) -> None:
    """``out`` created 0600 (never through a symbolic link), read back before it gets its name;
    with ``force`` an existing file (or link) is replaced atomically."""
    import hmac

    from vaultapp.core.errors import DamagedFileError
    from vaultapp.core.saving import atomic_write, publish_new
    from vaultapp.core.storage import read_limited

    def same(back: bytes) -> None:
        if not hmac.compare_digest(back, data):
            raise DamagedFileError(f"{out.name} did not read back as written; nothing was left behind.")

    if out.is_dir():
        raise UsageError(f"{out} is a folder; name a file for -o.")
    if force and (out.exists() or out.is_symlink()):
        atomic_write(out, data, verify=same, backup=False)
    else:
        publish_new(out, data, verify=lambda temp: same(read_limited(temp, len(data) + 1)))


def _run_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("run", cmd_run, "Run a command with secrets from the vault in its environment.")
    p.add_argument("--folder", metavar="F", help="the entries of folder F (and its subfolders), named from "
                   "their titles as in a .env export, each with its password")  # fmt: skip
    p.add_argument("--tag", metavar="T", help="the entries tagged T (with --folder: both)")
    p.add_argument("--env-file", metavar="FILE", help="the variables of a .env file; values that are "
                   "vaultapp://Folder/Title/field references are resolved, others pass through")  # fmt: skip
    p.add_argument("--no-masking", action="store_true",
                   help="let the command's output through as it is (by default, secrets in it are "
                   "masked)")  # fmt: skip
    p.usage = "%(prog)s VAULT [--folder F] [--tag T] [--env-file FILE] [--no-masking] -- COMMAND [ARGS...]"


def _inject_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "inject", cmd_inject, "Fill the {{ vaultapp://... }} references of a template into a new file."
    )
    p.add_argument("-i", "--in", dest="input", required=True, metavar="TEMPLATE", help="the template")
    p.add_argument("-o", "--out", required=True, metavar="OUT",
                   help="the file to write (mode 0600; - writes to standard output)")  # fmt: skip
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "run": _run_parser,
    "inject": _inject_parser,
}


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"
