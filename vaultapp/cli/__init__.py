"""``vaultapp-cli``: a thin command line over ``vaultapp.core``.

``app`` holds the full entry point and the one error -> exit-code mapping; ``passphrases``
reads secrets, ``output`` prints, ``unlock`` opens the vault a command works on; one module per
command group (``vaultfile``, ``entries``, ``transfer``, ``backups``, ``health``, ``generate``,
``totp``) holds its commands and their parsers. Heavy modules (cryptography, argon2, the vault)
are imported inside the commands that need them, so ``--version``, ``generate`` and ``totp
--secret`` start fast; the plainest ``generate password`` and ``totp --secret`` run in
``oneshot`` without the parser at all (``main`` below tries it first).
"""

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the one-shot path)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO, Any

__all__ = ["build_parser", "main"]


def main(argv: "Sequence[str] | None" = None, *, stdin: "IO[str] | None" = None) -> int:
    """Run the command line; returns the exit status. Never shows a traceback."""
    from vaultapp.cli.oneshot import PROG, run

    try:
        status = run(sys.argv[1:] if argv is None else list(argv))
    except BrokenPipeError:  # as app.main: the reader went away, nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted; nothing was saved.\n")
        return 130
    if status is not None:
        return status
    from vaultapp.cli.app import main as run_command

    return run_command(argv, stdin=stdin)


def __getattr__(name: str) -> "Any":
    if name == "build_parser":  # the parser is only built when asked for (PEP 562)
        from vaultapp.cli.app import build_parser

        return build_parser
    raise AttributeError(f"module 'vaultapp.cli' has no attribute {name!r}")
