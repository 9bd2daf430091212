"""Starting a command with extra environment variables and waiting for it: its exit status as a
shell gives it (128 + N after signal N), its output masked on the way through (``masking``),
and signals sent to vaultapp passed on to it.

Ctrl-C at a terminal reaches every process of the foreground group, the command included, so a
signal the terminal sent (``si_code`` > 0, from the kernel) is not sent again; one that another
process sent to vaultapp alone (``kill``, a supervisor's SIGTERM) is passed on. vaultapp itself
waits for the command whatever the signal, so it never leaves it running unmasked behind.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from vaultapp.core.errors import VaultError
from vaultapp.secrets_env.masking import Masker

PASSED_ON: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
READ_SIZE: Final = 65536


class CommandNotStartedError(VaultError):
    """The command could not be started: 127 when it was not found, 126 when it cannot run."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run_command(argv: Sequence[str], env: Mapping[str, str], mask: Iterable[str] | None) -> int:
    """Run ``argv`` (looked up in ``PATH``) with exactly ``env``, standard input shared, and
    return its exit status. ``mask``: the secrets to mask in its stdout and stderr (None: its
    output goes straight to vaultapp's, unmasked and unread).

    Raises:
        CommandNotStartedError: not found (exit 127) or not executable (126).
    """
    waited = {*PASSED_ON, signal.SIGCHLD}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, waited)  # from now on, sigwaitinfo takes them
    pipes: list[tuple[int, int]] = []
    try:
        actions: list[tuple[int, int, int]] = []
        if mask is not None:
            for target in (1, 2):
                read_end, write_end = os.pipe()
                pipes.append((read_end, target))
                actions.append((os.POSIX_SPAWN_DUP2, write_end, target))
        try:
            pid = os.posix_spawnp(
                argv[0], list(argv), dict(env), file_actions=actions, setsigmask=before,
                setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
            )  # fmt: skip
        except FileNotFoundError:
            raise CommandNotStartedError(
                f"{argv[0]}: command not found (check its name and PATH).", 127
            ) from None
        except PermissionError:
            raise CommandNotStartedError(f"{argv[0]}: permission denied (is it executable?).", 126) from None
        except OSError as exc:
            raise CommandNotStartedError(f"{argv[0]}: cannot run it: {exc.strerror or exc}.", 126) from None
        finally:
            for _, write_end, _ in actions:
                os.close(write_end)
        secrets = list(mask or ())
        pumps = [
            threading.Thread(target=_pump, args=(fd, target, Masker(secrets)), daemon=True)
            for fd, target in pipes
        ]
        for pump in pumps:
            pump.start()
        pipes = []  # the pumps close them
        status = _wait(pid, waited)
        # The command has ended; a program it left behind may still hold its output open. Wait
        # for that with signals handled as usual again, so Ctrl-C still ends vaultapp (exit 130).
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        for pump in pumps:
            pump.join()
        return status
    finally:
        for fd, _ in pipes:
            os.close(fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _wait(pid: int, waited: set[signal.Signals]) -> int:
    """Wait for ``pid`` to end, passing on the signals another process sent; its exit status."""
    while True:
        info = signal.sigwaitinfo(waited)
        if info.si_signo == signal.SIGCHLD:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                code = os.waitstatus_to_exitcode(status)
                return 128 - code if code < 0 else code
        elif info.si_code <= 0:  # sent by a process (kill, sigqueue), not by the terminal
            os.kill(pid, info.si_signo)


def _pump(fd: int, target: int, masker: Masker) -> None:
    """Copy ``fd`` to ``target`` through ``masker`` until the command closes it. If ``target``
    is closed (``| head``), stop reading: the command's next write fails as it would have."""
    try:
        while chunk := os.read(fd, READ_SIZE):
            _write_all(target, masker.feed(chunk))
        _write_all(target, masker.flush())
    except OSError:
        pass  # the reader went away (EPIPE): closing our end passes that on
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
