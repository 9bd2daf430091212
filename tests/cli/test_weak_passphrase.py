"""init and passwd warn about a weak master passphrase: confirm at a terminal, warn from a pipe."""

from __future__ import annotations

import os
import pty
import select
import sys
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error


def run_in_terminal(argv: list[str], answers: list[tuple[str, str]], cwd: Path) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its controlling terminal; type each answer once its
    prompt is on the screen. Returns the exit status and everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the CLI
        os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, "-m", "vaultapp.cli", *argv])  # noqa: S606
    screen = b""
    pending = list(answers)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 120)
            assert ready, f"the CLI stopped answering; screen so far: {screen!r}"
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if pending and pending[0][0].encode() in screen.rsplit(b"\n", 1)[-1]:
                os.write(fd, pending.pop(0)[1].encode() + b"\n")
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


WEAK = [("passphrase:", "password"), ("(again):", "password")]


def test_init_with_a_weak_passphrase_asks_at_a_terminal(tmp_path: Path) -> None:
    """At a terminal: the warning (zxcvbn score, crack time at the KDF cost), then y/N; N creates nothing."""
    args = ["init", "w.vault", "--unlock-ms", "50"]
    rc, screen = run_in_terminal(args, [*WEAK, ("[y/N]", "n")], tmp_path)
    assert rc == 1, screen
    assert "zxcvbn score 0 of 4" in screen
    assert "at 50 ms per guess" in screen
    assert "No vault was created" in screen
    assert list(tmp_path.iterdir()) == []
    rc, screen = run_in_terminal(args, [*WEAK, ("[y/N]", "y")], tmp_path)
    assert rc == 0, screen
    assert "Created w.vault" in screen
    cli("ls", str(tmp_path / "w.vault"), stdin="password\n")


def test_a_strong_passphrase_is_not_questioned(tmp_path: Path) -> None:
    """A strong passphrase at a terminal: no warning, no question."""
    strong = [("passphrase:", PW), ("(again):", PW)]
    rc, screen = run_in_terminal(["init", "s.vault", "--unlock-ms", "50"], strong, tmp_path)
    assert rc == 0, screen
    assert "weak" not in screen
    assert "[y/N]" not in screen


@pytest.mark.parametrize("weak", ["a", "password"])
def test_weak_passphrase_from_a_pipe_warns_on_stderr_and_goes_on(tmp_path: Path, weak: str) -> None:
    """From a pipe, init and passwd print the warning on stderr and do the work."""
    path = tmp_path / "p.vault"
    made = cli("init", str(path), "--unlock-ms", "50", stdin=weak + "\n")
    assert made.stderr.startswith("vaultapp-cli: warning: This passphrase is weak")
    assert "ms per guess" in made.stderr
    changed = cli("passwd", str(path), stdin=f"{weak}\n{PW}\n")
    assert "weak" not in changed.stderr
    weakened = cli("passwd", str(path), stdin=f"{PW}\n{weak}\n")
    assert "This passphrase is weak" in weakened.stderr
    assert "Passphrase changed" in weakened.stdout
    one_line_error(cli("ls", str(path), stdin=PW + "\n", check_rc=3))
