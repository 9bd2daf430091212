"""``vaultapp-proxy`` on its own (no app running): the protocol's "not connected" reply, garbage,
a message over 1 MiB, the end of the stream; and the socket folder's rules."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from tests.browser.client import Extension
from vaultapp.browser import paths


@pytest.fixture
def runtime(tmp_path: Path) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    return path


def test_app_not_running_gets_the_not_connected_error_and_the_proxy_keeps_going(runtime: Path) -> None:
    ext = Extension(runtime)
    for _ in range(2):
        ext.send({"action": "change-public-keys", "publicKey": "x", "nonce": "y", "clientID": "z"})
        reply = ext.read()
        assert reply["action"] == "change-public-keys"
        assert reply["errorCode"] == 5  # TIMEOUT_OR_NOT_CONNECTED: the extension says "not running"
    assert ext.close() == 0


def test_garbage_gets_one_error_and_the_next_message_is_still_answered(runtime: Path) -> None:
    ext = Extension(runtime)
    for junk in (b"not json at all", b"[1, 2]", b"\xff\xfe", b""):
        ext.write_raw(struct.pack("=I", len(junk)) + junk)
        reply = ext.read()
        assert reply["errorCode"] == 13, junk
    ext.send({"action": "get-databasehash"})
    assert ext.read()["errorCode"] == 5
    assert ext.close() == 0


def test_a_message_over_one_mib_is_refused_and_skipped(runtime: Path) -> None:
    ext = Extension(runtime)
    size = 1024 * 1024 + 1
    ext.write_raw(struct.pack("=I", size) + b"{" + b" " * (size - 1))
    reply = ext.read()
    assert reply["errorCode"] == 0
    assert "1 MiB" in reply["error"]
    ext.send({"action": "get-databasehash"})
    assert ext.read()["action"] == "get-databasehash"
    assert ext.close() == 0


def test_a_stream_cut_inside_a_message_ends_the_proxy_cleanly(runtime: Path) -> None:
    ext = Extension(runtime)
    ext.write_raw(struct.pack("=I", 100) + b'{"action"')
    assert ext.close() == 0


def test_socket_folder_is_made_private_and_unsafe_ones_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    made = Path(paths.ensure_private_dir())
    assert made == tmp_path / "vaultapp"
    assert Path(paths.socket_path()) == made / "browser.sock"
    assert made.stat().st_mode & 0o777 == 0o700
    made.chmod(0o755)
    with pytest.raises(paths.UnsafeDirectoryError, match="chmod 700"):
        paths.ensure_private_dir()
    made.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    made.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(paths.UnsafeDirectoryError, match="symlink"):
        paths.ensure_private_dir()
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert Path(paths.socket_dir()) == tmp_path / f"vaultapp-{os.getuid()}"


def _modules_after(code: str) -> set[str]:
    import subprocess
    import sys

    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_proxy_imports_the_standard_library_only() -> None:
    """The browser starts the proxy often: no vault, crypto, Qt or third-party module in it."""
    loaded = _modules_after("import vaultapp.browser.proxy")
    ours = {m for m in loaded if m.startswith("vaultapp")}
    assert ours == {
        "vaultapp",
        "vaultapp.browser",
        "vaultapp.browser.proxy",
        "vaultapp.browser.paths",
        "vaultapp.browser.wire",
    }
    assert not {
        m
        for m in loaded
        if m.split(".")[0]
        in {"nacl", "cryptography", "PySide6", "publicsuffixlist", "random", "json", "re", "socket"}
    }


def test_browser_package_has_qt_only_in_gui() -> None:
    loaded = _modules_after(
        "import vaultapp.browser.protocol, vaultapp.browser.matching, vaultapp.browser.manifests, "
        "vaultapp.cli.browser"
    )
    assert not {m for m in loaded if m.startswith("PySide6")}
