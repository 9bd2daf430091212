"""The single-instance protocol and socket without Qt: messages, the private folder, a crashed
app's socket."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest

from vaultapp.browser.paths import UnsafeDirectoryError
from vaultapp.desktop import instance


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


def test_socket_is_in_the_private_runtime_folder(runtime: Path) -> None:
    """The socket sits beside the browser's, in $XDG_RUNTIME_DIR/vaultapp, made 0700."""
    assert instance.socket_path() == str(runtime / "vaultapp" / "instance.sock")
    with instance.startup_lock() as folder:
        assert folder == str(runtime / "vaultapp")
    assert stat.S_IMODE(Path(folder).stat().st_mode) == 0o700
    assert stat.S_IMODE((Path(folder) / "instance.lock").stat().st_mode) == 0o600


def test_a_folder_others_can_open_is_refused(runtime: Path) -> None:
    """A socket folder other users can enter is not used (one line saying what to do)."""
    (runtime / "vaultapp").mkdir(mode=0o755)
    (runtime / "vaultapp").chmod(0o755)
    with pytest.raises(UnsafeDirectoryError, match="chmod 700"), instance.startup_lock():
        pass


def test_messages_are_one_json_object_per_line() -> None:
    """The request is a line of JSON; anything else decodes to None, never an exception."""
    request = instance.activate_request("some/where.vault")
    assert request == {"command": "activate", "open": str(Path("some/where.vault").absolute())}
    assert instance.decode(instance.encode(request)) == request
    assert instance.activate_request(None) == {"command": "activate", "open": None}
    for garbage in (b"", b"[1]\n", b"{not json\n", b"\xff\xfe\n", b"x" * (instance.MAX_MESSAGE + 10)):
        assert instance.decode(garbage) is None
    with pytest.raises(ValueError, match="64 KiB"):
        instance.encode({"open": "x" * instance.MAX_MESSAGE})


def test_nobody_listening_means_no_answer(runtime: Path) -> None:
    """No socket at all: send says nobody answered (this app becomes the first)."""
    assert instance.send({"command": "state"}) is None


def test_a_crashed_apps_socket_is_removed(runtime: Path) -> None:
    """A socket file nobody listens on (the app was killed) is removed, and no answer is given."""
    path = Path(instance.socket_path())
    path.parent.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # bound, never listening: connecting is refused, as after a crash
    assert path.exists()
    assert instance.send({"command": "state"}) is None
    assert not path.exists()
