"""The one-shot commands (``cli.oneshot``): ``generate password`` and ``totp --secret`` run without
the parser, argparse or cryptography, print what the full path prints, and leave everything else
(and every value they would have to refuse) to the full parser, whose errors stay one line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.test_contract import cli, one_line_error
from tests.generators.test_otp import RFC6238, SEEDS
from tests.generators.test_otp import _b32 as b32

SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of RFC 6238's SHA1 seed


def modules_after(argv: list[str]) -> tuple[str, set[str]]:
    """Run the console entry point in a fresh interpreter; its output and every module loaded."""
    script = (
        "import sys\nfrom vaultapp.cli import main\nstatus = main(sys.argv[1:])\n"
        "sys.stdout.write('--modules--\\n' + '\\n'.join(sorted(sys.modules)))\nsys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=True, timeout=60
    )
    out, _, modules = result.stdout.partition("--modules--\n")
    return out, set(modules.split())


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_totp_secret_imports_neither_cryptography_nor_argparse() -> None:
    out, loaded = modules_after(["totp", "--secret", SECRET, "--digits", "8", "--time", "59"])
    assert out == "94287082\n"
    assert roots(loaded) & {"cryptography", "argparse", "argon2", "nacl", "PySide6"} == set()
    assert "vaultapp.cli.app" not in loaded


def test_generate_password_imports_no_parser() -> None:
    out, loaded = modules_after(["generate", "password", "--length", "32", "--count", "2"])
    assert [len(line) for line in out.splitlines()] == [32, 32]
    assert roots(loaded) & {"cryptography", "argparse", "argon2", "nacl", "PySide6"} == set()
    assert "vaultapp.cli.app" not in loaded


def test_anything_else_goes_through_the_parser() -> None:
    """--json (not a one-shot option) is answered by the full path, with the same code."""
    _, loaded = modules_after(["totp", "--secret", SECRET, "--time", "59", "--json"])
    assert "argparse" in loaded


@pytest.mark.parametrize(("when", "algorithm", "code"), RFC6238)
def test_rfc6238_through_the_one_shot_and_the_full_path(when: int, algorithm: str, code: str) -> None:
    argv = ["totp", "--secret", b32(SEEDS[algorithm]), "--digits", "8", f"--time={when}"]
    assert cli(*argv, "--algorithm", algorithm.lower()).stdout == code + "\n"  # one-shot
    assert json.loads(cli(*argv, "--algorithm", algorithm, "--json").stdout)["code"] == code  # parser


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["totp", "--secret", SECRET, "--digits", "9"], "6 to 8 digits"),
        (["totp", "--secret", SECRET, "--period", "0"], "period must be 1"),
        (["totp", "--secret", "not base32!"], "not valid base32"),
        (["totp", "--secret", "JBSWY3DP"], "at least 80"),
        (["totp", "--secret", SECRET, "--time", "nan"], "seconds since 1970"),
        (["totp", "--secret", SECRET, "--algorithm", "md5"], "invalid choice"),
        (["generate", "password", "--count", "0"], "--count must be 1"),
        (["generate", "password", "--length", "3"], ""),
        (["generate", "password", "--length"], "expected one argument"),
        (["generate", "password", "--lenght", "8"], ""),
    ],
)
def test_refusals_are_the_parsers_one_line(argv: list[str], needle: str) -> None:
    assert needle in one_line_error(cli(*argv, check_rc=2))
