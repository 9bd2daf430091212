"""Sharing one vault: the CLI writes while another process (the window) has it open and merges
what was saved meanwhile; read-only vault files are refused; reads do not flood the audit log;
no lock file is left behind."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from vaultapp.core import Vault


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "First", stdin=f"{PW}\npw\n")
    return path


def _events(path: Path) -> list[dict[str, object]]:
    log = path.with_name(path.name + ".log")
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _titles(path: Path, passphrase: str = PW) -> set[str]:
    return {e["title"] for e in json.loads(cli("ls", str(path), "--json", stdin=passphrase + "\n").stdout)}


def _start_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "vaultapp.cli", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_unlocked(path: Path, before: int, proc: subprocess.Popen[str]) -> None:
    """Until the CLI's writable unlock is in the audit log: it has read the vault and now waits
    for its next line of input."""
    deadline = time.monotonic() + 60
    while sum(r["event"] == "vault.unlocked" for r in _events(path)) == before:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the CLI never unlocked the vault"
        time.sleep(0.01)


def _unlocks(path: Path) -> int:
    return sum(r["event"] == "vault.unlocked" for r in _events(path))


def test_a_cli_write_goes_through_while_the_window_has_the_vault_open(vault: Path) -> None:
    """A process holding the vault open for writing (as the window does) no longer blocks the
    CLI (it used to exit 6); when that process saves its own change afterwards, it merges the
    CLI's in, and nothing is lost on either side."""
    script = (
        "import sys; from vaultapp.core import Vault; "
        f"v = Vault.open({str(vault)!r}, {PW!r}, writable=True); "
        "print('ok', flush=True); sys.stdin.readline(); "
        "v.add('From the window'); v.save(merge=True); v.close(); print('saved', flush=True)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as window:
        try:
            assert window.stdout is not None
            assert window.stdout.readline().strip() == "ok"
            cli("add", str(vault), "--title", "From the CLI", stdin=f"{PW}\nx\n")
            out, _ = window.communicate("\n", timeout=60)
            assert out.strip() == "saved"
        finally:
            window.kill()
    assert _titles(vault) == {"First", "From the CLI", "From the window"}
    assert not vault.with_name(vault.name + ".lock").exists()


@pytest.mark.parametrize(
    ("command", "rest"),
    [
        (["add", "--title", "Mine"], "entry pw\n"),
        (["edit", "First", "--password-stdin"], "new first pw\n"),
    ],
)
def test_a_cli_write_merges_what_another_process_saved_meanwhile(
    vault: Path, command: list[str], rest: str
) -> None:
    """Between the CLI's unlock and its save another process saves: the CLI merges that version
    in under the lock and saves both (no exit 6, nothing lost)."""
    before = _unlocks(vault)
    proc = _start_cli(command[0], str(vault), *command[1:])
    assert proc.stdin is not None
    proc.stdin.write(PW + "\n")
    proc.stdin.flush()
    _wait_until_unlocked(vault, before, proc)
    with Vault.open(vault, PW, writable=True) as other:
        other.add("Theirs")
        other.save()
    _, err = proc.communicate(rest, timeout=60)
    assert proc.returncode == 0, err
    assert {"First", "Theirs"} <= _titles(vault)
    if command[0] == "add":
        assert "Mine" in _titles(vault)
    else:
        shown = cli("show", str(vault), "First", "--field", "password", stdin=PW + "\n").stdout
        assert shown == "new first pw\n"


def test_passwd_merges_what_another_process_saved_meanwhile(vault: Path) -> None:
    """passwd re-encrypts the version on disk merged with ours: a change saved by another process
    while the new passphrase was being typed is kept, under the new passphrase."""
    before = _unlocks(vault)
    proc = _start_cli("passwd", str(vault))
    assert proc.stdin is not None
    proc.stdin.write(PW + "\n")
    proc.stdin.flush()
    _wait_until_unlocked(vault, before, proc)
    with Vault.open(vault, PW, writable=True) as other:
        other.add("Theirs")
        other.save()
    new = "a brand new passphrase"
    _, err = proc.communicate(f"{new}\n{new}\n", timeout=60)
    assert proc.returncode == 0, err
    assert _titles(vault, new) == {"First", "Theirs"}


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["add", "{v}", "--title", "X"], f"{PW}\nx\n"),
        (["edit", "{v}", "First", "--url", "https://x"], f"{PW}\n"),
        (["rm", "{v}", "First"], f"{PW}\n"),
        (["passwd", "{v}"], f"{PW}\nnew pass phrase\nnew pass phrase\n"),
        (["backups", "{v}", "--keep", "2"], f"{PW}\n"),
    ],
)
def test_a_read_only_vault_is_refused_for_writing(vault: Path, args: list[str], stdin: str) -> None:
    """chmod 400 (decided on the mode, so as root too): every write command exits 1 with one
    line saying what to do, before asking the passphrase; the file keeps its bytes and mode."""
    before = vault.read_bytes()
    vault.chmod(0o400)
    result = cli(*(a.format(v=vault) for a in args), stdin=stdin, check_rc=1)
    line = one_line_error(result)
    assert "read-only" in line
    assert "chmod u+w" in line
    assert vault.read_bytes() == before
    assert vault.stat().st_mode & 0o777 == 0o400


def test_a_read_only_vault_can_still_be_read_and_checked(vault: Path) -> None:
    """Reading commands and check (which keeps its cache only when it may) work on it."""
    vault.chmod(0o400)
    before = vault.read_bytes()
    assert _titles(vault) == {"First"}
    cli("check", str(vault), stdin=PW + "\n", check_rc=None)
    assert vault.read_bytes() == before


def test_reads_do_not_flood_the_audit_log(vault: Path) -> None:
    """Reads that show nothing secret write no record (a script reading a hundred times leaves
    the log as it was); a writable unlock is logged and says so; a failed unlock is logged."""
    start = len(_events(vault))
    for _ in range(3):
        cli("ls", str(vault), stdin=PW + "\n")
    cli("search", str(vault), "Fi", stdin=PW + "\n")
    cli("show", str(vault), "First", stdin=PW + "\n")
    cli("log", str(vault), stdin=PW + "\n")
    assert len(_events(vault)) == start
    cli("add", str(vault), "--title", "Second", stdin=f"{PW}\npw\n")
    cli("ls", str(vault), stdin="wrong\n", check_rc=3)
    new = [(r["event"], r.get("detail")) for r in _events(vault)[start:]]
    assert new == [
        ("vault.unlocked", {"mode": "write"}),
        ("entry.created", None),
        ("unlock.failed", None),
    ]
