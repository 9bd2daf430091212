"""Every command, fed what users really feed it: end of input, bytes that are not UTF-8, folders
it may not write, a file where a folder should be. The answer is always one clear line and a
documented exit code, never 'unexpected' and never a traceback. Real subprocesses throughout."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vaultapp.cli import build_parser, main

PW = "correct horse battery staple"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 8}
BAD = b"\xff\xfe bad \xc3\n"  # not UTF-8


def run(
    args: list[str], stdin: bytes = b"", prefix: tuple[str, ...] = (), cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "vaultapp.cli", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )


def clear_outcome(result: subprocess.CompletedProcess[bytes]) -> str:
    """A documented exit status; on failure exactly one 'error:' line, never 'unexpected' or a
    traceback. Returns that line ('' on success)."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode in DOCUMENTED, (result.returncode, err)
    assert "Traceback" not in err
    assert "unexpected" not in err, err
    if result.returncode == 0:
        return ""
    lines = [line for line in err.splitlines() if "warning:" not in line and "note:" not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("vaultapp-cli: error: "), err
    return lines[0]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


COMMANDS = sorted(_subparsers(build_parser()))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault with one entry, a copy of it, and a CSV file to import."""
    root = tmp_path_factory.mktemp("errors")
    vault = root / "v.vault"
    assert run(["init", str(vault), "--unlock-ms", "50"], f"{PW}\n".encode()).returncode == 0
    added = run(["add", str(vault), "--title", "Site", "--totp", SEED], f"{PW}\npw\n".encode())
    assert added.returncode == 0, added.stderr
    shutil.copy(vault, root / "other.vault")
    (root / "in.csv").write_text("name,login_username,login_password\nA,b,c\n", encoding="utf-8")
    return root


def argv_for(command: str, vault: Path, world: Path) -> list[str]:
    """A well-formed command line for ``command``, built from its own parser, so a command added
    later is covered without touching this test."""
    sub = _subparsers(build_parser())[command]
    values = {
        "vault": str(vault), "query": "Site", "text": "x", "out": str(vault.parent / "out.vault"),
        "source": str(world / "in.csv"), "other": str(world / "other.vault"), "files": str(world / "in.csv"),
        "input": str(world / "in.csv"),
    }  # fmt: skip
    argv = [command]
    for action in sub._actions:
        if action.option_strings and action.required:
            argv += [action.option_strings[-1], values.get(action.dest, "x")]
        elif not action.option_strings:
            choices = list(action.choices or [])
            argv.append(str(choices[0]) if choices else values.get(action.dest, "x"))
    return [*argv, "--", "true"] if command == "run" else argv  # run's COMMAND follows --


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "stdin",
    [b"", BAD, f"{PW}\n".encode(), f"{PW}\n".encode() + BAD * 3],
    ids=["eof", "not-utf8", "eof-after-passphrase", "not-utf8-after-passphrase"],
)
def test_every_command_on_end_of_input_and_invalid_utf8(
    command: str, stdin: bytes, world: Path, tmp_path: Path
) -> None:
    """Input that ends early, or is not UTF-8, is exit 2 with one line that never shows the input."""
    vault = tmp_path / ("new.vault" if command == "init" else "v.vault")
    if command != "init":
        shutil.copy(world / "v.vault", vault)
    before = vault.read_bytes() if vault.exists() else None
    result = run(argv_for(command, vault, world), stdin)
    line = clear_outcome(result)
    # restore needs an entry in the Trash; with the input it needs, it gets as far as looking
    not_in_trash = command == "restore" and result.returncode == 5 and "in the Trash" in line
    # detach needs an attachment; with the input it needs, it gets as far as looking
    not_attached = command == "detach" and result.returncode == 5 and "no attachment" in line
    # ssh-add needs an entry with an SSH key; with the input it needs, it gets as far as looking
    no_key = command == "ssh-add" and result.returncode == 5 and "holds no SSH key" in line
    assert result.returncode in (0, 2) or not_in_trash or not_attached or no_key, line
    if result.returncode and stdin in (b"", BAD):  # the first line a command reads is the bad one
        assert "input ended" in line or "not valid UTF-8" in line, line
    assert b"\xff" not in result.stderr
    assert b" bad " not in result.stderr  # the input itself (a uuid or fingerprint may hold "bad")
    if stdin in (b"", BAD):
        assert (vault.read_bytes() if vault.exists() else None) == before


def test_endless_standard_input_is_refused_after_one_bounded_line(world: Path) -> None:
    """/dev/zero (a line without end) on standard input: exit 2 after at most 64 KiB is read."""
    with Path("/dev/zero").open("rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "vaultapp.cli", "ls", str(world / "v.vault")],
            stdin=zero,
            capture_output=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert "longer than 65,536 bytes" in clear_outcome(result)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_an_argument_that_is_not_utf8(
    command: str, world: Path, tmp_path: Path
) -> None:
    """A non-UTF-8 byte in any argument is exit 2, naming the option or position, not the value;
    nothing is created."""
    vault = tmp_path / "v.vault"
    shutil.copy(world / "v.vault", vault)
    argv = argv_for(command, vault, world)
    argv[-1] = os.fsdecode(b"\xffsecret")
    result = run(argv, f"{PW}\n".encode(), cwd=tmp_path)
    assert result.returncode == 2
    line = clear_outcome(result)
    assert "not valid UTF-8" in line
    assert "secret" not in line
    assert [p.name for p in tmp_path.iterdir()] == ["v.vault"]


def test_non_utf8_title_names_the_option(world: Path) -> None:
    """--title with a byte that is not UTF-8: exit 2, 'The value of --title', the vault unchanged."""
    before = (world / "v.vault").read_bytes()
    for title in (["--title", os.fsdecode(b"T\xff")], [os.fsdecode(b"--title=T\xff")]):
        result = run(["add", str(world / "v.vault"), *title], f"{PW}\npw\n".encode())
        assert result.returncode == 2
        assert "The value of --title is not valid UTF-8" in clear_outcome(result)
    assert (world / "v.vault").read_bytes() == before


@pytest.fixture
def read_only_world(world: Path, tmp_path: Path) -> Iterator[Path]:
    """A folder its owner may read but not write (0500), holding a copy of the vault."""
    if shutil.which("unshare") is None:
        pytest.skip("needs util-linux's unshare to run as an ordinary user")
    folder = tmp_path / "read-only"
    folder.mkdir()
    shutil.copy(world / "v.vault", folder / "v.vault")
    folder.chmod(0o500)
    yield folder
    folder.chmod(0o700)


# As root every folder is writable; in a user namespace the process keeps its files but loses
# root's powers over them, exactly like an ordinary user (a write gets EACCES).
AS_USER = ("unshare", "--user", "--map-user=65534")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_a_folder_it_may_not_write(command: str, read_only_world: Path, world: Path) -> None:
    """A vault in a folder without write permission: one clear line (or success for readers)."""
    if run(["--version"], prefix=AS_USER).returncode != 0:
        pytest.skip("user namespaces are not available here")
    vault = read_only_world / ("new.vault" if command == "init" else "v.vault")
    result = run(argv_for(command, vault, world), f"{PW}\n".encode() * 4, prefix=AS_USER)
    line = clear_outcome(result)
    if command == "init":
        assert result.returncode == 1
        assert "Permission denied" in line
        assert not vault.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_with_a_file_where_a_folder_is_needed(
    command: str, world: Path, tmp_path: Path
) -> None:
    """VAULT under a regular file (file/v.vault): one clear line and a documented exit code."""
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    clear_outcome(run(argv_for(command, tmp_path / "file" / "v.vault", world), f"{PW}\n".encode() * 4))


def test_init_in_a_folder_it_may_not_enter(tmp_path: Path) -> None:
    """init where the folder is 0000 (or 0600) for its user: one line, exit 1, not PermissionError."""
    if shutil.which("unshare") is None or run(["--version"], prefix=AS_USER).returncode != 0:
        pytest.skip("needs user namespaces (util-linux unshare) to run as an ordinary user")
    for mode in (0o000, 0o600):
        folder = tmp_path / f"m{mode:o}"
        folder.mkdir(mode=mode)
        try:
            result = run(["init", str(folder / "v.vault"), "--unlock-ms", "50"], f"{PW}\n".encode(), AS_USER)
        finally:
            folder.chmod(0o700)
        line = clear_outcome(result)
        assert result.returncode == 1
        assert "Permission denied" in line
        assert "Check that you may read and write there" in line


def test_init_on_a_symlink_loop(tmp_path: Path) -> None:
    """init on a symbolic link that points to itself: exit 2, one line; nothing is created."""
    loop = tmp_path / "loop.vault"
    loop.symlink_to(loop.name)
    line = clear_outcome(run(["init", str(loop), "--unlock-ms", "50"], f"{PW}\n".encode()))
    assert "exists already" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.vault"]


def test_ctrl_d_at_a_terminal_prompt(world: Path) -> None:
    """Ctrl+D at a passphrase prompt (a real terminal) is one line, exit 2, not EOFError."""
    import pty

    for argv in (["ls", str(world / "v.vault")], ["init", str(world / "tty.vault"), "--unlock-ms", "50"]):
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal
            os.execv(sys.executable, [sys.executable, "-m", "vaultapp.cli", *argv])  # noqa: S606 - no shell wanted
        output = b""
        while b": " not in output:  # the prompt
            output += os.read(fd, 1024)
        os.write(fd, b"\x04")
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        text = output.decode("utf-8", "replace")
        assert os.waitstatus_to_exitcode(status) == 2, text
        assert "input ended (Ctrl+D)" in text
        assert "unexpected" not in text
        assert "Traceback" not in text
    assert not (world / "tty.vault").exists()


def test_totp_seed_from_standard_input(world: Path, tmp_path: Path) -> None:
    """add/edit --totp-stdin and totp --secret/--uri - take the seed from standard input (never
    argv); --help says why."""
    vault = tmp_path / "v.vault"
    shutil.copy(world / "v.vault", vault)
    assert (
        run(["add", str(vault), "--title", "T", "--totp-stdin"], f"{PW}\npw\n{SEED}\n".encode()).returncode
        == 0
    )
    shown = run(["show", str(vault), "T", "--field", "totp"], f"{PW}\n".encode())
    assert shown.stdout == f"{SEED}\n".encode()
    uri = f"otpauth://totp/Ex:me?secret={SEED}"
    edited = run(["edit", str(vault), "T", "--totp-stdin"], f"{PW}\n{uri}\n".encode())
    assert edited.returncode == 0, edited.stderr
    assert run(["show", str(vault), "T", "--field", "totp"], f"{PW}\n".encode()).stdout == f"{uri}\n".encode()
    expected = run(["totp", "--secret", SEED, "--time", "59"]).stdout
    assert len(expected.strip()) == 6
    assert run(["totp", "--secret", "-", "--time", "59"], f"{SEED}\n".encode()).stdout == expected
    assert run(["totp", "--uri", "-", "--time", "59"], f"{uri}\n".encode()).stdout == expected
    assert run(["totp", str(vault), "T", "--time", "59"], f"{PW}\n".encode()).stdout == expected
    for argv in (["add", "--help"], ["edit", "--help"], ["totp", "--help"]):
        assert b"process list" in run(argv).stdout
    both = run(["add", str(vault), "--title", "U", "--totp", SEED, "--totp-stdin"], f"{PW}\n".encode())
    assert both.returncode == 2


@pytest.mark.parametrize("when", ["nan", "inf", "-inf", "1e300", "-1"])
def test_totp_time_out_of_range(when: str) -> None:
    """totp --time NaN, infinite, before 1970 or past 9999: exit 2 with one line."""
    line = clear_outcome(run(["totp", "--secret", SEED, f"--time={when}"]))
    assert "seconds since 1970" in line


def test_totp_with_a_clock_before_1970(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A system clock before 1970 (an injected clock) is one line, exit 2, saying to set the clock."""
    import time

    monkeypatch.setattr(time, "time", lambda: -86400.0)
    assert main(["totp", "--secret", SEED]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "clock is set before 1970" in err


def test_otpauth_label_with_two_colons_exits_2(world: Path) -> None:
    """totp --uri and add --totp with 'Example:alice:bob' are refused with exit 2."""
    uri = f"otpauth://totp/Example:alice:bob?secret={SEED}"
    assert "more than one colon" in clear_outcome(run(["totp", "--uri", uri]))
    before = (world / "v.vault").read_bytes()
    result = run(["add", str(world / "v.vault"), "--title", "X", "--totp", uri], f"{PW}\npw\n".encode())
    assert result.returncode == 2
    assert "more than one colon" in clear_outcome(result)
    assert (world / "v.vault").read_bytes() == before


def test_hotp_counter_of_2_pow_64_exits_2() -> None:
    """An HOTP URI whose counter does not fit in 8 bytes: exit 2 on input, not 'unexpected'."""
    uri = f"otpauth://hotp/x?secret={SEED}&counter={2**64}"
    assert "counter must be 0 to" in clear_outcome(run(["totp", "--uri", uri]))


def test_header_integer_of_5000_digits_exits_4(world: Path, tmp_path: Path) -> None:
    """A header integer past Python's 4,300-digit conversion limit is a damaged file: exit 4."""
    data = (world / "v.vault").read_bytes()
    length = struct.unpack(">I", data[12:16])[0]
    header = json.loads(data[16 : 16 + length])
    text = json.dumps(header).replace('"time_cost": ', '"time_cost": ' + "9" * 5000 + ', "x": ').encode()
    raw = data[:12] + struct.pack(">I", len(text)) + text
    forged = tmp_path / "forged.vault"
    forged.write_bytes(raw + hashlib.sha256(raw).digest() + data[16 + length + 32 :])
    for argv in (["info", str(forged)], ["ls", str(forged)]):
        result = run(argv, f"{PW}\n".encode())
        assert result.returncode == 4
        assert "not valid JSON" in clear_outcome(result)
