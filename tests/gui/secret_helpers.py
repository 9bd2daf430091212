"""A private D-Bus session bus per test and bounded ways to drive Secret Service clients while the
window's event loop keeps running (the service does its vault work on the Qt thread)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

T = TypeVar("T")
REQUIRE = os.environ.get("VAULTAPP_REQUIRE_SECRET_SERVICE") == "1"
WAIT_MS = 20_000


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if REQUIRE:
            pytest.fail(f"{program} is missing; .ci/run installs it (dbus-daemon, libsecret-tools).")
        pytest.skip(f"{program} is not installed (Debian: dbus-daemon, libsecret-tools)")
    return found


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus of its own (dbus-daemon --session --fork), its address exported."""
    daemon = need("dbus-daemon")
    need("secret-tool")
    out = subprocess.run(
        [daemon, "--session", "--print-address=1", "--print-pid=1", "--fork"],
        capture_output=True, text=True, timeout=20, check=True,
    ).stdout.split()  # fmt: skip
    address, pid = out[0], int(out[1])
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    try:
        yield address
    finally:
        os.kill(pid, signal.SIGTERM)


class Background:
    """``fn()`` on a daemon thread: a client stuck on a reply that never comes cannot hold the
    test run (the wait for it is bounded by the caller)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        threading.Thread(target=self._run, args=(fn,), daemon=True).start()

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            self.result = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised by get() on the test's thread
            self.error = exc
        finally:
            self.done.set()

    def get(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


def in_thread(qtbot: Any, fn: Callable[[], T], timeout: int = WAIT_MS) -> T:
    """``fn()`` run on a worker thread while the Qt loop runs; its result (or its exception)."""
    job = Background(fn)
    qtbot.waitUntil(job.done.is_set, timeout=timeout)
    return job.get()  # type: ignore[no-any-return]


def secret_tool(qtbot: Any, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``secret-tool`` (libsecret), bounded."""
    return in_thread(
        qtbot,
        lambda: subprocess.run(
            [need("secret-tool"), *args], input=stdin, capture_output=True, text=True, timeout=WAIT_MS / 1000
        ),
    )
