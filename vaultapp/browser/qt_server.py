"""The app side of the proxy's socket: a ``QLocalServer`` on ``paths.socket_path()`` (the package's
only Qt module). Each connection carries 4-byte native-order length-prefixed JSON both ways; every
request goes to the protocol ``Handler`` on the GUI thread and its reply goes back on the same
connection. ``notify_locked`` broadcasts the lock/unlock notice to every connected proxy.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from vaultapp.browser import paths
from vaultapp.browser.protocol import Error, Handler, error_reply, notice

HEADER = struct.Struct("=I")


class AlreadyServingError(OSError):
    """Another vaultapp already answers on the socket."""


class BrowserServer(QObject):
    def __init__(self, handler: Handler, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handler = handler
        self.path = path or paths.socket_path()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.connections: dict[QLocalSocket, bytearray] = {}

    def start(self) -> None:
        """Listen (the folder made 0700 and checked; a stale socket removed).

        Raises:
            paths.UnsafeDirectoryError: the folder is not this user's private one.
            AlreadyServingError: another vaultapp is listening there.
            OSError: Qt could not listen.
        """
        paths.ensure_private_dir(self.path.parent)
        if self.path.exists() or self.path.is_symlink():
            probe = QLocalSocket()
            probe.connectToServer(str(self.path))
            if probe.waitForConnected(200):
                probe.abort()
                raise AlreadyServingError(f"Another vaultapp already serves browsers at {self.path}.")
            self.path.unlink()
        if not self.server.listen(str(self.path)):
            raise OSError(f"Cannot listen at {self.path}: {self.server.errorString()}")
        self.path.chmod(0o600)

    def close(self) -> None:
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()
        self.server.close()

    def notify_locked(self, locked: bool) -> None:
        for conn in list(self.connections):
            self._send(conn, notice(locked))

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            self.connections[conn] = bytearray()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(lambda c=conn: self._drop(c))

    def _drop(self, conn: QLocalSocket) -> None:
        self.connections.pop(conn, None)
        conn.deleteLater()

    def _send(self, conn: QLocalSocket, reply: dict[str, object]) -> None:
        data = json.dumps(reply, separators=(",", ":")).encode("utf-8")
        if len(data) > paths.MAX_MESSAGE:
            action = str(reply.get("action", ""))
            data = json.dumps(
                error_reply(action, Error.UNKNOWN_ERROR, "The reply would be over 1 MiB.")
            ).encode()
        conn.write(HEADER.pack(len(data)) + data)
        conn.flush()

    def _read(self, conn: QLocalSocket) -> None:
        buffer = self.connections.get(conn)
        if buffer is None:
            return
        buffer += bytes(conn.readAll().data())
        while len(buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(buffer)
            if size > paths.MAX_MESSAGE:  # the proxy refuses these: this is not our proxy
                conn.abort()
                return
            if len(buffer) < HEADER.size + size:
                return
            data = bytes(buffer[HEADER.size : HEADER.size + size])
            del buffer[: HEADER.size + size]
            try:
                request = json.loads(data)
            except (ValueError, RecursionError):
                request = None
            self._send(conn, self.handler.handle(request))
            if conn not in self.connections:  # a callback (a dialog) outlived the connection
                return
