"""The auto-type tests' X session (a private Xvfb with openbox) and the target program, for the
auto-type tests here and the window's in tests/gui."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xserver import require, window_manager, xvfb
from vaultapp.autotype.x11 import active_window, connect, wait_until

TARGET = Path(__file__).with_name("target.py")
WAIT = 30.0  # seconds: a bound on every wait, never a pause


@pytest.fixture
def x_session() -> Iterator[str]:
    """``:N`` of a fresh Xvfb with openbox managing its windows."""
    require(
        ["Xvfb", "openbox", "setxkbmap"], "VAULTAPP_REQUIRE_X11", "apt-get install xvfb openbox x11-xkb-utils"
    )
    pytest.importorskip("Xlib", reason="needs python-xlib")
    with xvfb(range(80, 90)) as display, window_manager(display):
        yield display


def set_layout(display: str, layout: str, *options: str) -> None:
    subprocess.run(["setxkbmap", "-display", display, layout, *options], check=True, timeout=30)  # noqa: S607


class Target:
    """tests/autotype/target.py in its own process on the test display; its reports queue up."""

    def __init__(self, display_name: str, title: str = "Example Login - Test") -> None:
        env = {**os.environ, "DISPLAY": display_name, "QT_QPA_PLATFORM": "xcb"}
        self.proc = subprocess.Popen(
            [sys.executable, str(TARGET), title], stdout=subprocess.PIPE, text=True, env=env
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.window = int(self.wait_for("ready")["window"])
        display = connect(display_name)
        try:  # Qt says active at its FocusIn; the window manager's property may follow
            if not wait_until(lambda: active_window(display) == self.window, WAIT):
                pytest.fail("the target window never became the active window")
        finally:
            display.close()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def poll(self) -> None:
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return

    def last(self, event: str) -> dict[str, Any] | None:
        self.poll()
        found = [line for line in self.seen if line["event"] == event]
        return found[-1] if found else None

    def wait_for(self, event: str, timeout: float = WAIT) -> dict[str, Any]:
        """Block (without a Qt loop in this process) until the target reports ``event``."""
        found = self.last(event)
        while found is None:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"the target window did not report {event!r}; it said {self.seen}")
            self.seen.append(line)
            if line["event"] == event:
                found = line
        return found

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.reader.join(30)  # it ends at the pipe's end
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def target(x_session: str) -> Iterator[Target]:
    started = Target(x_session)
    try:
        yield started
    finally:
        started.close()
