"""``generate KIND``: one parser per kind with only that kind's options, and the generators behind
them (also ``add/edit --generate``). Needs no vault: nothing here imports one, nor cryptography."""

from __future__ import annotations

import sys

from vaultapp.cli.output import PROG, print_json
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    from vaultapp.cli.passphrases import Passphrases


def _emit(items: list[Any], as_json: bool) -> None:
    if as_json:
        print_json([{"value": g.value, "entropy_bits": round(g.entropy_bits, 2)} for g in items])
    else:
        sys.stdout.write("".join(g.value + "\n" for g in items))


def _check_count(count: int) -> int:
    if not 1 <= count <= 1_000_000:
        raise UsageError(f"--count must be 1 to 1000000, not {count}.")
    return count


def given(args: argparse.Namespace, *names: str) -> list[str]:
    """The options among ``names`` that the user gave (their defaults are None or False)."""
    return ["--" + n.replace("_", "-") for n in names if getattr(args, n, None) not in (None, False)]


def refuse(options: list[str], why: str) -> None:
    if options:
        raise UsageError(f"{', '.join(options)}: {'does' if len(options) == 1 else 'do'} not apply {why}.")


PASSWORD_OPTIONS = ("length", "no_lower", "no_upper", "no_digits", "no_symbols", "symbols", "extra",
                    "exclude", "exclude_lookalikes", "min_per_class", "rules")  # fmt: skip


def make_passwords(args: argparse.Namespace, count: int) -> list[Any]:
    """Passwords from the options of ``add_password_options`` (generate password, add/edit --generate)."""
    from vaultapp.generators.password import LENGTH_MAX, SYMBOLS, PasswordPolicy, generate_passwords

    length = 20 if args.length is None else args.length
    if args.rules is not None:
        from vaultapp.generators.passwordrules import generate_with_rules, parse_rules

        refuse(given(args, *PASSWORD_OPTIONS[1:-1]), "with --rules (the site's rules choose the characters)")
        rules = parse_rules(args.rules)
        if args.length is not None and (rules.length(length) != length or length > LENGTH_MAX):
            most = min(rules.max_length or LENGTH_MAX, LENGTH_MAX)
            raise UsageError(f"--length must be {rules.length(0)} to {most} for these rules, not {length}.")
        return generate_with_rules(rules, length, count)
    if args.no_symbols:
        refuse(given(args, "symbols"), "with --no-symbols")
    policy = PasswordPolicy(
        length=length, lower=not args.no_lower, upper=not args.no_upper, digits=not args.no_digits,
        symbols=not args.no_symbols, symbol_set=SYMBOLS if args.symbols is None else args.symbols,
        extra=args.extra or "", exclude=args.exclude or "", exclude_lookalikes=args.exclude_lookalikes,
        min_per_class=1 if args.min_per_class is None else args.min_per_class,
    )  # fmt: skip
    return generate_passwords(policy, count)


def _generate_readable(args: argparse.Namespace, count: int) -> list[Any]:
    from vaultapp.generators.readable import ReadablePolicy, generate_readable

    if args.pronounceable:
        refuse(given(args, "length"), "to --pronounceable (it counts --syllables)")
    else:
        refuse(given(args, "syllables", "no_digit"), "without --pronounceable")
    policy = ReadablePolicy(
        length=16 if args.length is None else args.length, group=4 if args.group is None else args.group,
        pronounceable=args.pronounceable, syllables=10 if args.syllables is None else args.syllables,
        digit=not args.no_digit,
    )  # fmt: skip
    return generate_readable(policy, count)


def _generate_passphrases(args: argparse.Namespace, count: int) -> list[Any]:
    from vaultapp.generators.passphrase import PassphrasePolicy, Wordlist, generate_passphrases

    wordlist = Wordlist.from_file(args.wordlist) if args.wordlist else None
    if wordlist is not None and wordlist.warning:
        sys.stderr.write(f"{PROG}: warning: {wordlist.warning}\n")
    policy = PassphrasePolicy(
        words=args.words, separator=args.separator, capitalize=args.capitalize, extra=args.extra_char or ""
    )
    return generate_passphrases(policy, count, wordlist)


def _generate_tokens(args: argparse.Namespace, count: int) -> list[Any]:
    from vaultapp.generators.tokens import env_line, generate_token

    fmt = args.format
    if fmt in ("fernet", "uuid4"):
        refuse(given(args, "bytes"), f"to --format {fmt} (its size is fixed)")
    if fmt != "jwt-secret":
        refuse(given(args, "algorithm"), f"to --format {fmt} (only to jwt-secret)")
    items = [
        generate_token(
            fmt,
            nbytes=32 if args.bytes is None else args.bytes,
            prefix=args.prefix,
            algorithm=args.algorithm or "HS256",
        )
        for _ in range(count)
    ]
    return [env_line(args.env, item) for item in items] if args.env else items


def cmd_generate(args: argparse.Namespace, pw: Passphrases) -> int:
    count = _check_count(args.count)
    if args.kind == "pin":
        from vaultapp.generators.codes import generate_codes

        items = generate_codes(args.digits, count)
    else:
        make = {"password": make_passwords, "readable": _generate_readable,
                "passphrase": _generate_passphrases, "token": _generate_tokens}[args.kind]  # fmt: skip
        items = make(args, count)
    _emit(items, args.json)
    return 0


def add_password_options(p: Any) -> None:
    """The password generator's options (``generate password``, ``add/edit --generate``)."""
    p.add_argument("--length", type=int, metavar="N", help="4 to 1024 characters (default 20)")
    for name, what in (("lower", "lowercase letters"), ("upper", "capitals"), ("digits", "digits")):
        p.add_argument(f"--no-{name}", action="store_true", help=f"no {what}")
    p.add_argument("--no-symbols", action="store_true", help="no symbols")
    p.add_argument("--symbols", metavar="SET", help="the symbols a site allows (default: a broad set)")
    p.add_argument("--extra", metavar="CHARS", help="more characters to draw from")
    p.add_argument("--exclude", metavar="CHARS", help="characters never to use")
    p.add_argument("--exclude-lookalikes", action="store_true", help="no 0 O o 1 l I |")
    p.add_argument("--min-per-class", type=int, metavar="N", help="at least N of each class (default 1)")
    p.add_argument("--rules", metavar="TEXT",
                   help="a site's password rules, e.g. 'minlength: 12; required: digit' (then only "
                        "--length applies)")  # fmt: skip


def _add_readable_options(p: Any) -> None:
    p.add_argument("--length", type=int, metavar="N", help="4 to 256 characters (default 16)")
    p.add_argument("--group", type=int, metavar="N", help="a dash every N characters (default 4; 0: none)")
    p.add_argument("--pronounceable", action="store_true", help="consonant-vowel syllables")
    p.add_argument("--syllables", type=int, metavar="N", help="pronounceable: 2 to 64 (default 10)")
    p.add_argument("--no-digit", action="store_true", help="pronounceable: no final digit")


def _add_passphrase_options(p: Any) -> None:
    p.add_argument("--words", type=int, default=6, metavar="N", help="1 to 64 (default 6)")
    p.add_argument("--separator", default=" ", metavar="S", help="text between words, or 'random'")
    p.add_argument("--capitalize", default="none", choices=("none", "first", "all", "random", "one"))
    p.add_argument("--extra-char", choices=("digit", "symbol"), help="add one to a random word")
    p.add_argument("--wordlist", metavar="FILE", help="your own list (default: EFF large, 7,776 words)")


def _add_pin_options(p: Any) -> None:
    p.add_argument("--digits", type=int, default=6, metavar="N", help="3 to 64 (default 6)")


def _add_token_options(p: Any) -> None:
    p.add_argument(
        "--format",
        default="urlsafe",
        choices=("hex", "urlsafe", "base32", "fernet", "api-key", "uuid4", "jwt-secret"),
    )
    p.add_argument("--bytes", type=int, metavar="N", help="bytes of randomness, 8 to 1024 (default 32)")
    p.add_argument("--prefix", default="", help="put before the token, e.g. sk_live_ (not on a Fernet key)")
    p.add_argument(
        "--algorithm", type=str.upper, choices=("HS256", "HS384", "HS512"), help="jwt-secret: default HS256"
    )
    p.add_argument("--env", metavar="NAME", help="print NAME=value lines for a .env file")


GENERATE_KINDS: dict[str, tuple[str, Callable[[Any], None]]] = {
    "password": ("A random password from the chosen character classes.", add_password_options),
    "readable": ("A password without look-alikes, in groups, or pronounceable.", _add_readable_options),
    "passphrase": ("Random words from a wordlist.", _add_passphrase_options),
    "pin": ("A numeric code.", _add_pin_options),
    "token": ("A developer secret: hex, base64, base32, a Fernet or API key, a UUID4...", _add_token_options),
}


def add_generate_parser(sub: Any, only_kind: str | None = None) -> None:
    """``generate KIND``, each kind with its own options (``only_kind``: only that kind's parser)."""
    gen = sub.add_parser(
        "generate",
        help="Generate passwords, passphrases, PINs or tokens (no vault needed).",
        description="Generate secrets from the system's cryptographic random source. Each KIND has "
        "its own options: see 'vaultapp-cli generate KIND --help'.",
    )
    kinds = gen.add_subparsers(dest="kind", metavar="KIND", required=True)
    for name, (text, add_options) in GENERATE_KINDS.items():
        if only_kind in GENERATE_KINDS and name != only_kind:
            continue  # a one-shot generate builds the one parser it uses
        p = kinds.add_parser(name, help=text, description=text)
        p.set_defaults(func=cmd_generate, parser=p)
        p.add_argument("--count", type=int, default=1, metavar="N", help="how many, one per line (default 1)")
        p.add_argument("--json", action="store_true", help="a list of {value, entropy_bits}")
        add_options(p)
