"""The desktop package's one Qt module: ``InstanceServer`` (the first app's ``QLocalServer`` that a
second ``vaultapp`` hands its request to) and ``LockSignalBridge`` (the D-Bus listener's signals,
delivered on the GUI thread)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from vaultapp.desktop import instance


class InstanceServer(QObject):
    """Answers ``instance`` requests: ``activate`` emits ``activate_requested(path or "")`` (after
    the answer went out), ``state`` answers ``state_provider()``."""

    activate_requested = Signal(str)

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.state_provider: Callable[[], dict[str, Any]] = dict
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> None:
        """Listen at ``path`` (its folder already private; a leftover file there is replaced).

        Raises:
            OSError: Qt could not listen.
        """
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)  # noqa: PTH108 - under the startup lock, nobody answered there
        if not self.server.listen(self.path):
            raise OSError(f"Cannot listen at {self.path}: {self.server.errorString()}")
        os.chmod(self.path, 0o600)  # noqa: PTH101

    def close(self) -> None:
        for conn in list(self.buffers):
            conn.abort()
        self.buffers.clear()
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            self.buffers[conn] = b""
            conn.readyRead.connect(self._ready)
            conn.disconnected.connect(self._gone)

    def _gone(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self.buffers.pop(conn, None)
            conn.deleteLater()

    def _ready(self) -> None:
        conn = self.sender()
        if not isinstance(conn, QLocalSocket) or conn not in self.buffers:
            return
        data = self.buffers[conn] + bytes(conn.readAll().data())
        if b"\n" not in data and len(data) <= instance.MAX_MESSAGE:
            self.buffers[conn] = data
            return
        self.buffers[conn] = b""
        request = instance.decode(data)
        command = request.get("command") if request is not None else None
        opened = request.get("open") if request is not None else None
        if command == "activate" and (opened is None or isinstance(opened, str)):
            answer: dict[str, Any] = {"ok": True}
        elif command == "state":
            answer = {"ok": True, **self.state_provider()}
        else:
            answer = {"ok": False}
        conn.write(instance.encode(answer))
        conn.flush()
        conn.disconnectFromServer()
        if answer["ok"] and command == "activate":
            self.activate_requested.emit(opened or "")


def start_or_forward(request: dict[str, Any]) -> InstanceServer | None:
    """The first vaultapp gets a listening ``InstanceServer``; a later one hands ``request`` to
    it and gets None.

    Raises:
        vaultapp.browser.paths.UnsafeDirectoryError: the socket folder is not private.
        instance.NotAnsweringError: a vaultapp runs but did not answer.
        OSError: Qt could not listen.
    """
    path = instance.socket_path()
    with instance.startup_lock(os.path.dirname(path)):  # noqa: PTH120
        if instance.send(request, path) is not None:
            return None
        server = InstanceServer(path)
        server.listen()
        return server


class LockSignalBridge(QObject):
    """``heard(source)`` for each locking signal and ``ready()`` once every bus was tried, both on
    the GUI thread (queued from the listener's thread)."""

    heard = Signal(str)
    ready = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        system_address: str | None = None,
        session_address: str | None = None,
    ) -> None:
        from vaultapp.desktop.signals import LockSignals  # dbus-fast and asyncio: after the first paint

        super().__init__(parent)
        self.listener = LockSignals(
            self._heard,
            on_ready=self._ready,
            system_address=system_address,
            session_address=session_address,
        )

    # Called on the listener's thread; the bridge may have gone with its window before stop().
    def _heard(self, source: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.heard.emit(source)

    def _ready(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.ready.emit()

    @property
    def status(self) -> dict[str, str]:
        return self.listener.status

    def start(self) -> None:
        self.listener.start()

    def stop(self) -> None:
        self.listener.stop()
