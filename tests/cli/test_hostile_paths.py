"""Hostile paths through the real CLI: FIFOs, devices and planted symbolic links.

Each command runs in a subprocess with a memory limit and a timeout, so a regression (a FIFO
blocking ``open``, ``/dev/zero`` read whole) fails the test instead of hanging the run.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, one_line_error

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and O_NOFOLLOW")

MEMORY_LIMIT = 512 << 20
VICTIM = b"not yours to write\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cli(*args: str, stdin: str = "", rc: int | None = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "vaultapp.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    if rc is not None:
        assert result.returncode == rc, (result.returncode, result.stdout, result.stderr)
    return result


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "GitHub", stdin=f"{PW}\ngh-secret\n")
    return path


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.vault"
    os.mkfifo(path)
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_bytes(VICTIM)
    return path


@pytest.mark.parametrize(
    "command", [["ls"], ["info"], ["add", "--title", "x"], ["show", "GitHub"], ["log"], ["passwd"]]
)
def test_a_fifo_as_the_vault_is_refused_at_once(fifo: Path, command: list[str]) -> None:
    """ls/info/add/show/log/passwd on a FIFO: one line, exit 2, no lock file; never a hang."""
    result = cli(command[0], str(fifo), *command[1:], stdin=f"{PW}\nsecret\n{PW}\n{PW}\n", rc=2)
    assert "is a named pipe (FIFO), not a vault file" in one_line_error(result)
    assert not fifo.with_name(fifo.name + ".lock").exists()


def test_merge_with_a_fifo_fails_at_once_and_leaves_the_vault_free(vault: Path, fifo: Path) -> None:
    """merge GOOD FIFO used to hang holding GOOD's write lock; now it fails at once and the next
    writer gets in."""
    result = cli("merge", str(vault), str(fifo), stdin=f"{PW}\n{PW}\n", rc=2)
    assert "named pipe" in one_line_error(result)
    cli("add", str(vault), "--title", "after", stdin=f"{PW}\npw\n")


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("via_link", [False, True])
def test_a_device_as_the_vault_is_refused_unread(tmp_path: Path, target: str, via_link: bool) -> None:
    """/dev/zero and /dev/urandom (or a link to them) are refused before anything is read."""
    path = Path(target)
    if via_link:
        path = tmp_path / "dev.vault"
        path.symlink_to(target)
    for command in ("ls", "info"):
        result = cli(command, str(path), stdin=PW + "\n", rc=2)
        assert "is a device, not a vault file" in one_line_error(result)


def test_add_to_dev_null_creates_no_lock_beside_it() -> None:
    """`add /dev/null` is refused, and /dev/null.lock is never created."""
    lock = Path("/dev/null.lock")
    existed = lock.exists()
    try:
        result = cli("add", "/dev/null", "--title", "x", stdin=f"{PW}\npw\n", rc=2)
        assert "is a device" in one_line_error(result)
        assert existed or not lock.exists()
    finally:
        if not existed:
            lock.unlink(missing_ok=True)


@pytest.mark.parametrize("fmt", ["csv", "bitwarden-json", "env", "kdbx", "backup"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_import_from_a_fifo_or_device_is_refused(vault: Path, fifo: Path, fmt: str, kind: str) -> None:
    """Every import format refuses a FIFO or /dev/zero in one line with exit 2, unread."""
    source = str(fifo) if kind == "fifo" else "/dev/zero"
    result = cli("import", str(vault), source, "--format", fmt, stdin=f"{PW}\n{PW}\n", rc=2)
    assert ("named pipe" if kind == "fifo" else "device") in one_line_error(result)


def test_kdbx_key_file_and_wordlist_that_are_devices_are_refused(vault: Path, tmp_path: Path) -> None:
    """A key file or a wordlist of /dev/zero: one line, exit 2, unread."""
    out = tmp_path / "out.kdbx"
    cli("export", str(vault), str(out), "--format", "kdbx", "--unlock-ms", "50", stdin=f"{PW}\ndb pass\n")
    result = cli("import", str(vault), str(out), "--keyfile", "/dev/zero", stdin=f"{PW}\ndb pass\n", rc=2)
    assert "/dev/zero is not a file: it is a device" in one_line_error(result)
    result = cli("generate", "passphrase", "--wordlist", "/dev/zero", rc=2)
    assert "it is a device, not a regular file" in one_line_error(result)


# ---- planted links --------------------------------------------------------------------------


def test_planted_lock_link_fails_in_one_line_and_creates_nothing(vault: Path, tmp_path: Path) -> None:
    """A NAME.lock link: the writer refuses in one line and nothing is created at its target."""
    target = tmp_path / "created-through-link"
    lock = vault.with_name(vault.name + ".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    result = cli("add", str(vault), "--title", "x", stdin=f"{PW}\npw\n", rc=1)
    assert "symbolic link" in one_line_error(result)
    assert not target.exists()


def test_planted_log_link_is_not_written_by_a_failed_unlock(vault: Path, victim: Path) -> None:
    """A wrong passphrase is logged to NAME.log; a planted link there is not written through."""
    log = vault.with_name(vault.name + ".log")
    log.unlink()
    log.symlink_to(victim)
    cli("ls", str(vault), stdin="wrong passphrase\n", rc=3)
    assert victim.read_bytes() == VICTIM
    assert cli("ls", str(vault), stdin=PW + "\n").stdout.count("GitHub") == 1
    assert victim.read_bytes() == VICTIM


@pytest.mark.parametrize("fmt", ["csv", "env", "kdbx", "backup"])
def test_export_to_a_dangling_link_writes_nothing(vault: Path, tmp_path: Path, fmt: str) -> None:
    """An export target that is a dangling link exists already: exit 2, nothing at its target."""
    target = tmp_path / "elsewhere-export"
    out = tmp_path / f"out.{fmt}"
    out.symlink_to(target)
    extra = ["--yes-plaintext"] if fmt in ("csv", "env") else ["--unlock-ms", "50"] if fmt == "kdbx" else []
    result = cli("export", str(vault), str(out), "--format", fmt, *extra, stdin=f"{PW}\nexport pass\n", rc=2)
    assert "exists already" in one_line_error(result)
    assert not target.exists()


def test_planted_state_lock_link_creates_nothing(vault: Path, tmp_path: Path, isolated_home: Path) -> None:
    """The seen-vaults state is written beside a lock; a planted link there is not followed,
    and the command still works (the state is advisory)."""
    state = isolated_home / ".local" / "state" / "vaultapp"
    state.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "created-through-link"
    lock = state / "seen.json.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    assert "GitHub" in cli("ls", str(vault), stdin=PW + "\n").stdout
    assert not target.exists()
