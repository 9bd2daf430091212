"""One vaultapp per user: a second ``vaultapp [PATH]`` hands its request to the running one and
exits 0; the first comes to the front and selects PATH. Real processes (offscreen), real sockets."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vaultapp.desktop import instance
from vaultapp.desktop.gui import InstanceServer, start_or_forward
from vaultapp.gui.settings import Settings


def ask_state(path: Path) -> dict[str, Any] | None:
    """The running app's state, or None while none listens (never removes a socket)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(30)
    try:
        conn.connect(str(path))
        conn.sendall(b'{"command":"state"}\n')
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    finally:
        conn.close()
    return json.loads(data) if data else None


@pytest.fixture
def env(tmp_path: Path, isolated_home: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    environ = dict(os.environ)
    environ.update(XDG_RUNTIME_DIR=str(runtime), QT_QPA_PLATFORM="offscreen", HOME=str(isolated_home))
    return environ


@pytest.fixture
def apps() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for app in started:
        app.kill()
        app.wait()


def start(env: dict[str, str], apps: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    app = subprocess.Popen([sys.executable, "-m", "vaultapp", *args], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    apps.append(app)
    return app


def test_a_second_vaultapp_raises_the_first_and_opens_its_path(
    qtbot, env: dict[str, str], apps: list, demo_vault: Path
) -> None:
    """The first app starts minimized; `vaultapp demo.vault` (relative, from its own folder) exits
    0 at once, and the first is shown, not minimized, with that vault selected to unlock."""
    config = Settings(Path(env["XDG_CONFIG_HOME"]) / "vaultapp" / "settings.ini")
    config.set_flag("desktop/start_minimized", True)
    config.sync()
    sock = Path(env["XDG_RUNTIME_DIR"]) / "vaultapp" / "instance.sock"
    first = start(env, apps)
    qtbot.waitUntil(lambda: ask_state(sock) is not None, timeout=60_000)
    before = ask_state(sock)
    assert before == {"ok": True, "visible": True, "minimized": True, "locked": True, "selected": None,
                      "pid": first.pid}  # fmt: skip
    second = subprocess.run(
        [sys.executable, "-m", "vaultapp", demo_vault.name],
        env=env, cwd=demo_vault.parent, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert (second.returncode, second.stderr) == (0, b"")
    after = ask_state(sock)
    assert after == {"ok": True, "visible": True, "minimized": False, "locked": True,
                     "selected": str(demo_vault), "pid": first.pid}  # fmt: skip
    assert first.poll() is None


def test_a_crashed_first_app_leaves_no_trap(qtbot, env: dict[str, str], apps: list) -> None:
    """After the first app is killed (its socket left behind), the next one starts as the first."""
    sock = Path(env["XDG_RUNTIME_DIR"]) / "vaultapp" / "instance.sock"
    first = start(env, apps)
    qtbot.waitUntil(lambda: ask_state(sock) is not None, timeout=60_000)
    first.kill()
    first.wait()
    assert sock.exists()  # the crashed app's socket
    assert ask_state(sock) is None
    third = start(env, apps)
    qtbot.waitUntil(lambda: (ask_state(sock) or {}).get("pid") == third.pid, timeout=60_000)
    assert third.poll() is None


def test_the_server_answers_activate_and_state(
    qtbot, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: the first gets a server, a second request is handed over (answered), and a
    request that is not in the protocol gets ok false."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    server = start_or_forward(instance.activate_request(None))
    assert isinstance(server, InstanceServer)
    server.state_provider = lambda: {"visible": True}
    answers: list[Any] = []

    def client(request: dict[str, Any]) -> None:
        answers.append(start_or_forward(request) if request.get("command") == "activate"
                       else instance.send(request))  # fmt: skip

    try:
        with qtbot.waitSignal(server.activate_requested, timeout=30_000) as blocker:
            threading.Thread(target=client, args=(instance.activate_request("x.vault"),)).start()
        assert blocker.args == [str(Path("x.vault").absolute())]
        qtbot.waitUntil(lambda: len(answers) == 1)
        assert answers == [None]  # handed over: no second server
        for request in ({"command": "state"}, {"command": "format disk"}):
            threading.Thread(target=client, args=(request,)).start()
        qtbot.waitUntil(lambda: len(answers) == 3)
        assert {"ok": True, "visible": True} in answers
        assert {"ok": False} in answers
    finally:
        server.close()


def test_activate_shows_the_window_and_selects_the_path(qtbot, window, tmp_path: Path) -> None:
    """A hand-over while locked and minimized: the window is restored and the new path selected."""
    other = tmp_path / "other.vault"
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    window.desktop.activate(str(other))
    assert not window.isMinimized()
    assert window.isVisible()
    assert window.unlock_view.path == other
    window.desktop.activate("")  # `vaultapp` alone: shown, the selection kept
    assert window.unlock_view.path == other


def test_activate_asks_before_locking_another_unlocked_vault(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a vault unlocked, `vaultapp OTHER` asks; No keeps it open, Yes locks and selects OTHER.
    The same vault again asks nothing."""
    asked: list[str] = []
    answer = False

    def confirm(_title: str, text: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(unlocked, "confirm", confirm)
    unlocked.desktop.activate(str(unlocked.vault.path))
    assert asked == []
    other = tmp_path / "other.vault"
    unlocked.desktop.activate(str(other))
    assert asked == ["Lock demo.vault and open other.vault?"]
    assert unlocked.vault is not None
    answer = True
    unlocked.desktop.activate(str(other))
    assert unlocked.vault is None
    assert unlocked.unlock_view.path == other
