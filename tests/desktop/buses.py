"""Private D-Bus daemons (a stand-in "system" bus and a session bus) and the fake logind and
screensavers on them (``fake_desktop``); .ci/run installs dbus-daemon and sets
VAULTAPP_REQUIRE_DBUS, so these tests fail there instead of skipping."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

HERE = Path(__file__).resolve().parent


def _daemon_binary() -> str:
    found = shutil.which("dbus-daemon")
    if found is None:
        if os.environ.get("VAULTAPP_REQUIRE_DBUS") == "1":
            pytest.fail("VAULTAPP_REQUIRE_DBUS is set but dbus-daemon is not installed")
        pytest.skip("needs dbus-daemon (apt-get install dbus-daemon)")
    return found


def _start_bus(binary: str, socket: Path) -> tuple[subprocess.Popen[str], str]:
    """A bus daemon with the session configuration on its own socket; its address."""
    args = ["--session", "--nofork", "--nopidfile", f"--address=unix:path={socket}", "--print-address=1"]
    daemon = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()  # printed once it listens
    assert address.startswith("unix:"), address
    return daemon, address


@dataclass
class FakeDesktop:
    system_address: str
    session_address: str
    process: subprocess.Popen[str]

    def send(self, command: str) -> None:
        """Emit one signal; returns once it is on the bus."""
        stdin: IO[str] | None = self.process.stdin
        stdout: IO[str] | None = self.process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(command + "\n")
        stdin.flush()
        assert stdout.readline().strip() == f"sent {command}"


@contextlib.contextmanager
def fake_desktop(tmp_path: Path) -> Iterator[FakeDesktop]:
    binary = _daemon_binary()
    started: list[subprocess.Popen[str]] = []
    try:
        system, system_address = _start_bus(binary, tmp_path / "system_bus")
        started.append(system)
        session, session_address = _start_bus(binary, tmp_path / "session_bus")
        started.append(session)
        fake = subprocess.Popen(
            [sys.executable, str(HERE / "fake_desktop.py"), system_address, session_address],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        started.append(fake)
        assert fake.stdout is not None
        assert fake.stdout.readline().strip() == "ready"
        yield FakeDesktop(system_address, session_address, fake)
    finally:
        for process in reversed(started):
            process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
