"""`vaultapp-cli run` and `inject` through real subprocesses: a child that prints its environment
and exits with a chosen code, every kind of reference, masking, missing references, a
python-decouple program, inject's file, and the audit log."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from vaultapp.core import Vault
from vaultapp.generators.otp import parse, totp

SEED = "JBSWY3DPEHPK3PXP"
MASK = "<concealed by vaultapp>"
DB = "vaultapp://Work/Servers/Main DB"  # the references to the entry "Main DB" start so
# A child that prints the variables named in its arguments as JSON, then exits with $EXIT_WITH.
PRINT_ENV = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]})); " \
            "sys.exit(int(os.environ.get('EXIT_WITH', '0')))"  # fmt: skip


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault made by the CLI (--unlock-ms 50), entries added through the core."""
    path = tmp_path_factory.mktemp("run") / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    with Vault.open(path, PW, writable=True) as v:
        custom = [("API key", "sk_live_abcdef123", True), ("region", "eu-west-1", False)]
        v.add("Main DB", username="app", password="pg-Secret-1", folder="Work/Servers", tags=["dev"],
              custom=custom, totp=SEED)  # fmt: skip
        v.add("Stripe live key", password="sk_live_stripe_999", folder="Work", tags=["dev"])
        v.add("a/b", password="slash-Secret", folder="x")
        v.add("Twin", password="one-Secret")
        v.add("Twin", password="two-Secret")
        v.save()
    return path


def run(vault: Path, *argv: str, stdin: str = PW + "\n", env: dict[str, str] | None = None,
        **kwargs: object) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "vaultapp.cli", "run", str(vault), *argv],
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONWARNINGS": "error", **(env or {})}, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def child(*names: str) -> list[str]:
    return ["--", sys.executable, "-c", PRINT_ENV, *names]


def env_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_reference_kind_reaches_the_child_and_its_exit_code_returns(
    vault: Path, tmp_path: Path
) -> None:
    """password, username, custom/NAME (encoded or not), totp, placeholders in a longer value and
    plain values reach the child (--no-masking shows them); its exit code 7 is run's."""
    file = env_file(tmp_path, (
        "PASSWORD=vaultapp://Work/Servers/Main DB/password\n"
        "USER=vaultapp://Work/Servers/Main%20DB/username\n"
        "export API_KEY='vaultapp://Work/Servers/Main DB/custom/API key'\n"
        "REGION=vaultapp://Work/Servers/Main DB/custom/region\n"
        "SLASH=vaultapp://x/a%2Fb/password\n"
        f'URL="postgres://{{{{ {DB}/username }}}}:{{{{ {DB}/password }}}}@db/app"\n'
        "PLAIN=hello world  # a comment\n"
        "CODE=vaultapp://Work/Servers/Main DB/totp\n"
    ))  # fmt: skip
    names = ["PASSWORD", "USER", "API_KEY", "REGION", "SLASH", "URL", "PLAIN", "CODE", "HOME"]
    before = time.time()
    result = run(vault, "--env-file", file, "--no-masking", *child(*names), env={"EXIT_WITH": "7"})
    after = time.time()
    assert result.returncode == 7, result.stderr
    got = json.loads(result.stdout)
    assert got == {
        "PASSWORD": "pg-Secret-1", "USER": "app", "API_KEY": "sk_live_abcdef123", "REGION": "eu-west-1",
        "SLASH": "slash-Secret", "URL": "postgres://app:pg-Secret-1@db/app", "PLAIN": "hello world",
        "CODE": got["CODE"], "HOME": os.environ["HOME"],
    }  # fmt: skip
    params = parse(SEED)  # the code of the 30-second step at start-up (RFC 6238, checked in tests/generators)
    assert got["CODE"] in {totp(params, t) for t in range(int(before), int(after) + 1)}


def test_output_is_masked_and_no_masking_turns_it_off(vault: Path, tmp_path: Path) -> None:
    """Secrets the child prints on stdout and stderr are masked, also written in two pieces with a
    flush between (the unit tests split them across reads deterministically); usernames and plain
    values are not; --no-masking lets everything through."""
    file = env_file(
        tmp_path, "P=vaultapp://Work/Servers/Main DB/password\nU=vaultapp://Work/Servers/Main DB/username\n"
    )
    script = ("import os, sys; p = os.environ['P']; print('pw', p, 'user', os.environ['U'], flush=True); "
              "sys.stdout.write(p[:4]); sys.stdout.flush(); sys.stdout.write(p[4:] + '\\n'); "
              "print('err', p, file=sys.stderr)")  # fmt: skip
    masked = run(vault, "--env-file", file, "--", sys.executable, "-c", script)
    assert masked.returncode == 0, masked.stderr
    assert masked.stdout == f"pw {MASK} user app\n{MASK}\n"
    assert f"err {MASK}" in masked.stderr
    assert "pg-Secret-1" not in masked.stdout + masked.stderr
    plain = run(vault, "--env-file", file, "--no-masking", "--", sys.executable, "-c", script)
    assert plain.stdout == "pw pg-Secret-1 user app\npg-Secret-1\n"


def test_folder_and_tag_name_variables_as_the_env_export_does(vault: Path) -> None:
    """--folder Work gives its entries (subfolders too) named from titles; --tag likewise."""
    result = run(vault, "--folder", "Work", "--no-masking", *child("MAIN_DB", "STRIPE_LIVE_KEY"))
    assert json.loads(result.stdout) == {"MAIN_DB": "pg-Secret-1", "STRIPE_LIVE_KEY": "sk_live_stripe_999"}
    result = run(vault, "--tag", "dev", *child("STRIPE_LIVE_KEY"))
    assert json.loads(result.stdout) == {"STRIPE_LIVE_KEY": MASK}
    missing = run(vault, "--folder", "Nope", *child())
    assert missing.returncode == 2
    assert "folder 'Nope'" in one_line_error(missing)


def test_references_in_the_callers_environment_are_resolved(vault: Path) -> None:
    """A variable of run's own environment holding a reference reaches the child resolved."""
    result = run(
        vault, "--no-masking", *child("TOKEN"), env={"TOKEN": "vaultapp://Work/Stripe live key/password"}
    )
    assert json.loads(result.stdout) == {"TOKEN": "sk_live_stripe_999"}


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("X=vaultapp://Work/Nope/password", "vaultapp://Work/Nope/password: no entry 'Work/Nope'"),
        ("X=vaultapp://Twin/password", "2 entries have that folder and title"),
        ("X=vaultapp://Work/Servers/Main DB/custom/nope", "no custom field 'nope'"),
        ("X='unclosed", "line 1: the value of X is not valid .env syntax"),
    ],
)
def test_a_missing_reference_exits_2_and_starts_nothing(
    vault: Path, tmp_path: Path, line: str, needle: str
) -> None:
    """Exit 2, one line naming the reference, and the command never ran (no marker file)."""
    marker = tmp_path / "ran"
    result = run(vault, "--env-file", env_file(tmp_path, line + "\n"), "--", "touch", str(marker))
    assert result.returncode == 2
    assert needle in one_line_error(result)
    assert not marker.exists()


def test_command_not_found_and_signals(vault: Path) -> None:
    """Not found: 127 with one line; not executable: 126; killed by signal N: 128 + N."""
    missing = run(vault, "--", "no-such-command-here")
    assert missing.returncode == 127
    assert "no-such-command-here: command not found" in one_line_error(missing)
    assert run(vault, "--", "/dev/null").returncode == 126
    killed = run(vault, "--", sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert killed.returncode == 128 + signal.SIGKILL
    assert run(vault, "--", "false").returncode == 1
    assert "put -- before the command" in one_line_error(run(vault, "printenv"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_sent_to_run_is_passed_on_to_the_child(vault: Path, sig: signal.Signals) -> None:
    """kill -TERM / -INT of vaultapp-cli reaches the child once; run waits and returns its status."""
    script = ("import signal, sys\n"
              "def got(n, f):\n    print('got', n, flush=True); sys.exit(3)\n"
              "signal.signal(signal.SIGTERM, got); signal.signal(signal.SIGINT, got)\n"
              "print('ready', flush=True); signal.pause()\n")  # fmt: skip
    with subprocess.Popen(
        [sys.executable, "-m", "vaultapp.cli", "run", str(vault), "--", sys.executable, "-c", script],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(PW + "\n")
        proc.stdin.close()
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(sig)
        assert proc.stdout.read() == f"got {int(sig)}\n"
        assert proc.wait(timeout=60) == 3


def test_standard_input_after_the_passphrase_goes_to_the_child(vault: Path) -> None:
    """The passphrase line is all run reads of a piped standard input; the rest is the child's."""
    result = run(vault, "--", "cat", stdin=f"{PW}\nline two\nline three\n")
    assert result.stdout == "line two\nline three\n"


def test_a_python_decouple_program_reads_its_settings(vault: Path, tmp_path: Path) -> None:
    """python-decouple's config() (reading os.environ) gets the resolved values, cast as asked."""
    program = tmp_path / "settings.py"
    program.write_text(
        "from decouple import config\n"
        "print(config('DATABASE_PASSWORD'), config('DEBUG', cast=bool), config('API_KEY'))\n",
        encoding="utf-8",
    )
    file = env_file(tmp_path, (
        "DATABASE_PASSWORD=vaultapp://Work/Servers/Main DB/password\n"
        "DEBUG=False\n"
        "API_KEY=vaultapp://Work/Servers/Main DB/custom/API key\n"
    ))  # fmt: skip
    work = tmp_path / "elsewhere"  # decouple would read a .env in the working folder: there is none
    work.mkdir()
    result = run(vault, "--env-file", file, "--no-masking", "--", sys.executable, str(program), cwd=work)
    assert result.stdout == "pg-Secret-1 False sk_live_abcdef123\n", result.stderr
    masked = run(vault, "--env-file", file, "--", sys.executable, str(program), cwd=work)
    assert masked.stdout == f"{MASK} False {MASK}\n"


def inject(vault: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return cli("inject", str(vault), *argv, stdin=PW + "\n", check_rc=None)


def test_inject_writes_0600_and_overwrites_only_with_force(vault: Path, tmp_path: Path) -> None:
    """OUT gets the values at mode 0600 with a plaintext warning; an existing OUT is left as it is
    (exit 2) without --force and replaced with it; -o - prints to standard output."""
    template = tmp_path / "config.yml.tmpl"
    text = f"db:\n  user: {{{{ {DB}/username }}}}\n  password: {{{{{DB}/password}}}}\n"
    template.write_text(text, encoding="utf-8")
    out = tmp_path / "config.yml"
    first = inject(vault, "-i", str(template), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert out.read_text(encoding="utf-8") == "db:\n  user: app\n  password: pg-Secret-1\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "PLAIN TEXT" in first.stderr
    out.write_text("mine\n", encoding="utf-8")
    refused = inject(vault, "-i", str(template), "-o", str(out))
    assert refused.returncode == 2
    assert "--force" in one_line_error(refused)
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert inject(vault, "-i", str(template), "-o", str(out), "--force").returncode == 0
    assert "pg-Secret-1" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    shown = inject(vault, "-i", str(template), "-o", "-")
    assert shown.stdout == "db:\n  user: app\n  password: pg-Secret-1\n"


def test_inject_with_a_missing_reference_writes_nothing(vault: Path, tmp_path: Path) -> None:
    template = tmp_path / "t"
    template.write_text("x={{ vaultapp://Work/Servers/Main DB/password }} y={{ vaultapp://Gone/password }}\n")
    result = inject(vault, "-i", str(template), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "vaultapp://Gone/password" in one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_the_audit_log_names_entries_and_command_never_values(vault: Path, tmp_path: Path) -> None:
    """Each use is an entry.used record (fields, command, run or inject); no value in the log."""
    file = env_file(
        tmp_path,
        "P=vaultapp://Work/Servers/Main DB/password\nK=vaultapp://Work/Servers/Main DB/custom/API key\n",
    )
    assert run(vault, "--env-file", file, "--", "true", "--secret-looking-arg").returncode == 0
    records = json.loads(cli("log", str(vault), "--json", stdin=PW + "\n").stdout)["records"]
    used = [r for r in records if r["event"] == "entry.used"]
    with Vault.open(vault, PW) as v:
        main_db, stripe = v.find("Main DB").uuid, v.find("Stripe live key").uuid
    assert used[-1]["uuid"] == main_db
    assert used[-1]["detail"] == {"entries": [main_db], "fields": ["custom", "password"], "command": "true",
                                  "by": "run"}  # fmt: skip
    assert run(vault, "--folder", "Work", "--", "true").returncode == 0
    records = json.loads(cli("log", str(vault), "--json", stdin=PW + "\n").stdout)["records"]
    assert "uuid" not in records[-1]  # several entries: one record naming them all
    assert records[-1]["detail"]["entries"] == sorted([main_db, stripe])
    log = b"".join(p.read_bytes() for p in vault.parent.iterdir() if ".log" in p.name)
    assert log
    for secret in (b"pg-Secret-1", b"sk_live_abcdef123", b"sk_live_stripe_999", b"slash-Secret"):
        assert secret not in log
    # No file holds a value: the vault's folder, HOME (the state files), this test's folder (the .env).
    tops = (vault.parent, Path(os.environ["HOME"]), tmp_path)
    written = [p for top in tops for p in top.rglob("*") if p.is_file()]
    assert written
    for path in written:
        assert b"pg-Secret-1" not in path.read_bytes(), path


def test_ctrl_c_at_a_terminal_reaches_the_child_and_its_status_comes_back(vault: Path) -> None:
    """In a terminal (a pty, run as its session's foreground), Ctrl-C reaches run and the child
    alike: run does not die of it (that would be 130) and the child's status 3 is run's exit
    status. The passphrase is typed at the terminal, as a person would. (The child counts its
    SIGINTs, but a second one sent at once usually merges with the pending first in the kernel, so
    this cannot prove that run sends none; ``process._wait`` passes on only signals a process sent.)"""
    import pty

    setsid = shutil.which("setsid")
    if setsid is None:
        pytest.skip("setsid (util-linux) is not installed")
    # SIGINT is blocked before 'ready' and taken with sigwait: a handler and pause() would miss a
    # Ctrl-C that arrives between the two (the handler runs, then pause() waits for ever).
    script = ("import signal, sys\n"
              "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
              "print('ready', flush=True)\n"
              "print('got', signal.sigwait({signal.SIGINT}), flush=True)\n"
              "sys.stdin.readline()\n"  # the test's go-ahead, sent once it saw the first 'got'
              "count = 1 + (signal.SIGINT in signal.sigpending())\n"  # a second one, still pending
              "print('count', count, flush=True); sys.exit(3)\n")  # fmt: skip
    master, slave = pty.openpty()
    argv = [setsid, "--ctty", sys.executable, "-m", "vaultapp.cli", "run", str(vault), "--", sys.executable,
            "-c", script]  # fmt: skip
    with subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave) as proc:
        os.close(slave)
        seen = b""

        def read_until(needle: bytes) -> None:
            nonlocal seen
            while needle not in seen:
                ready, _, _ = select.select([master], [], [], 60)  # a bound, not a pace
                assert ready, (needle, seen)
                chunk = os.read(master, 1024)
                assert chunk, seen
                seen += chunk

        try:
            read_until(b"Passphrase for")
            os.write(master, PW.encode() + b"\n")
            read_until(b"ready")
            os.write(master, b"\x03")  # the terminal's interrupt character: SIGINT to the foreground group
            read_until(b"got 2")
            os.write(master, b"go\n")
            assert proc.wait(timeout=60) == 3
        finally:
            if proc.poll() is None:  # a failed step: end run and its child, never hang the suite
                os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):  # EIO once every end of the terminal is closed
            while chunk := os.read(master, 1024):
                seen += chunk
    os.close(master)
    assert seen.count(b"got 2") == 1, seen
    assert b"count 1" in seen, seen


def test_a_program_loading_the_same_env_file_keeps_the_resolved_values(vault: Path, tmp_path: Path) -> None:
    """The project's own .env holds references; run resolves them, and python-dotenv's
    load_dotenv() and python-decouple's config(), reading that same file in the working folder,
    let the environment win (their default), so the program sees the secrets, not references."""
    (tmp_path / ".env").write_text(f"DATABASE_PASSWORD={DB}/password\nDEBUG=true\n", encoding="utf-8")
    program = tmp_path / "app.py"
    program.write_text(
        "import os\n"
        "from dotenv import load_dotenv\n"
        "from decouple import config\n"
        "load_dotenv()\n"
        "print(os.environ['DATABASE_PASSWORD'], config('DATABASE_PASSWORD'), config('DEBUG', cast=bool))\n",
        encoding="utf-8",
    )
    result = run(vault, "--env-file", ".env", "--no-masking", "--", sys.executable, "app.py", cwd=tmp_path)
    assert result.stdout == "pg-Secret-1 pg-Secret-1 True\n", result.stderr
