"""A private Xvfb for the tests that need a real X server (the clipboard's PRIMARY selection,
the browser end to end, auto-type), optionally with a window manager (openbox)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def require(tools: list[str], variable: str, hint: str) -> None:
    """Skip (or fail, when ``variable`` is set to 1 as .ci/run does) if a tool is missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None and not Path(tool).exists()]
    if missing:
        if os.environ.get(variable) == "1":
            pytest.fail(f"{variable} is set but {', '.join(missing)} is not installed")
        pytest.skip(f"needs {', '.join(missing)} ({hint})")


@contextmanager
def xvfb(numbers: range | None = None, *options: str) -> Iterator[str]:
    """Xvfb on the first free display of ``numbers`` (each test file uses its own range), or on
    one the server picks (``None``), with ``options`` (``-screen 0 1024x768x24``); yielded once
    it accepts clients (``-displayfd``), stopped afterwards."""
    for number in [None] if numbers is None else numbers:
        if number is not None and (
            Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists()
        ):
            continue
        read_fd, write_fd = os.pipe()
        chosen = [] if number is None else [f":{number}"]
        server = subprocess.Popen(
            # -noreset: the server keeps its state (keymap, windows' properties) when its last
            # client disconnects, instead of resetting under the next one connecting
            [str(shutil.which("Xvfb")), *chosen, "-noreset", "-nolisten", "tcp", *options,
             "-displayfd", str(write_fd)],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write_fd)
        with os.fdopen(read_fd) as ready:
            announced = ready.readline().strip()  # written once the server accepts clients
        if (
            announced.isdigit()
            and (number is None or announced == str(number))
            and _reachable(f":{announced}")
        ):
            try:
                yield f":{announced}"
            finally:
                server.terminate()
                server.wait(30)
            return
        server.terminate()  # that display was taken meanwhile (or its socket file was removed by
        server.wait(30)  # another run's Xvfb shutting down on the same number): try the next
    pytest.fail(
        "no free X display" + ("" if numbers is None else f" in :{numbers.start}-:{numbers.stop - 1}")
    )


def _reachable(display: str) -> bool:
    from Xlib import error
    from Xlib.display import Display

    try:
        Display(display).close()
    except (error.DisplayError, error.ConnectionClosedError, OSError):
        return False
    return True


def _wm_running(display: str) -> bool:
    from Xlib import X
    from Xlib.display import Display

    connection = Display(display)
    try:
        check = connection.intern_atom("_NET_SUPPORTING_WM_CHECK")
        return connection.screen().root.get_full_property(check, X.AnyPropertyType) is not None
    finally:
        connection.close()


@contextmanager
def window_manager(display: str, seconds: float = 30) -> Iterator[None]:
    """openbox on ``display``, yielded once it manages windows (it has set
    ``_NET_SUPPORTING_WM_CHECK`` on the root window)."""
    env = {**os.environ, "DISPLAY": display}
    with tempfile.TemporaryFile() as said:
        wm = subprocess.Popen(
            [str(shutil.which("openbox")), "--sm-disable"], env=env, stdout=said, stderr=said
        )
        try:
            deadline = time.monotonic() + seconds
            while not _wm_running(display):  # a condition with a deadline, not a timing guess
                if wm.poll() is not None or time.monotonic() > deadline:
                    said.seek(0)
                    pytest.fail(f"openbox did not start on {display} (exit {wm.poll()}): {said.read()!r}")
                time.sleep(0.05)
            yield
        finally:
            wm.terminate()
            wm.wait(30)
