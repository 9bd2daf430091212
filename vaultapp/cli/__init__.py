"""``vaultapp-cli``: a thin command line over ``vaultapp.core``.

``app`` holds the entry point (``main``) and the one error -> exit-code mapping; ``passphrases``
reads secrets, ``output`` prints, ``unlock`` opens the vault a command works on; one module per
command group (``vaultfile``, ``entries``, ``transfer``, ``backups``, ``health``, ``generate``,
``totp``) holds its commands and their parsers. Heavy modules (cryptography, argon2, the vault)
are imported inside the commands that need them, so ``--version``, ``generate`` and ``totp
--secret`` start fast.
"""

from vaultapp.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
