"""The one-shot commands without the parser: ``generate password [--length N] [--count N]`` and
``totp --secret BASE32 [--digits N] [--period N] [--algorithm A] [--time UNIX]`` are read by
hand and run here, importing neither argparse nor cryptography (their start-up is measured in
benchmarks/generators.py). Anything else, or any value these would have to refuse, returns None
and ``app.main`` runs the command through the full parser, which gives the usual one-line error
and exit code. Prints exactly what the full path prints."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing stays off the one-shot path; annotations are not evaluated
if TYPE_CHECKING:
    from collections.abc import Sequence

PROG = "vaultapp-cli"  # as cli.output.PROG (not imported: this path stays minimal)
GENERATE = {"--length": "length", "--count": "count"}
TOTP = {"--secret": "secret", "--digits": "digits", "--period": "period", "--algorithm": "algorithm",
        "--time": "time"}  # fmt: skip


def options(words: Sequence[str], known: dict[str, str]) -> dict[str, str] | None:
    """``--name VALUE`` / ``--name=VALUE`` pairs, each at most once; None for anything else."""
    found: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        name, eq, value = word.partition("=")
        if not eq:
            if i + 1 >= len(words):
                return None
            value = words[i + 1]
            i += 1
        i += 1
        key = known.get(name)
        if key is None or key in found or not value or value.startswith("-"):
            return None
        found[key] = value
    return found


def _number(text: str | None, default: int) -> int | None:
    if text is None:
        return default
    return int(text) if text.isascii() and text.isdigit() else None


def generate(words: Sequence[str]) -> int | None:
    from vaultapp.core.errors import UsageError
    from vaultapp.generators.password import PasswordPolicy, generate_passwords

    given = options(words, GENERATE)
    if given is None:
        return None
    length, count = _number(given.get("length"), 20), _number(given.get("count"), 1)
    if length is None or count is None or not 1 <= count <= 1_000_000:
        return None
    try:
        items = generate_passwords(PasswordPolicy(length=length), count)
    except UsageError:
        return None
    sys.stdout.write("".join(g.value + "\n" for g in items))
    return 0


def totp(words: Sequence[str]) -> int | None:
    import time

    from vaultapp.core import otpsecret
    from vaultapp.core.errors import UsageError
    from vaultapp.generators.hotp import totp_code

    given = options(words, TOTP)
    if given is None or "secret" not in given:
        return None
    digits, period = _number(given.get("digits"), 6), _number(given.get("period"), 30)
    algorithm = given.get("algorithm", "SHA1")
    if algorithm not in (*otpsecret.ALGORITHMS, *(a.lower() for a in otpsecret.ALGORITHMS)):
        return None  # the parser's choices: SHA1, sha1, SHA256, sha256, SHA512, sha512
    if digits is None or digits not in otpsecret.DIGITS:
        return None
    if period is None or not 1 <= period <= otpsecret.PERIOD_MAX:
        return None
    try:
        secret = otpsecret.decode_secret(given["secret"])
        now = float(given["time"]) if "time" in given else time.time()
    except (UsageError, ValueError):
        return None
    if len(secret) < otpsecret.SECRET_BYTES_MIN or not 0 <= now <= otpsecret.TIME_MAX:  # NaN fails too
        return None
    sys.stdout.write(totp_code(secret, int(now), digits, period, algorithm.upper()) + "\n")
    return 0


def run(argv: Sequence[str]) -> int | None:
    """The exit status of a one-shot command run here, or None: let the full parser run it."""
    words = list(argv)
    if words[:2] == ["generate", "password"]:
        return generate(words[2:])
    if words[:1] == ["totp"]:
        return totp(words[1:])
    return None
