"""The app side of the proxy's socket: a ``QLocalServer`` on ``paths.socket_path()`` (the package's
only Qt module). Each connection carries JSON objects back to back (``wire``: KeePassXC's
convention, so clients of its socket work here too); each request goes to the protocol ``Handler``
on the GUI thread and its reply back on the same connection. ``notify_locked`` broadcasts the
lock/unlock notice to every connected proxy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from vaultapp.browser import paths
from vaultapp.browser.protocol import Error, Handler, error_reply, notice
from vaultapp.browser.wire import GARBAGE, MAX_MESSAGE, JsonStream, TooLargeError, dumps


class AlreadyServingError(OSError):
    """Another vaultapp already answers on the socket."""


class BrowserServer(QObject):
    def __init__(self, handler: Handler, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handler = handler
        self.path = path or Path(paths.socket_path())
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.connections: dict[QLocalSocket, JsonStream] = {}

    def start(self) -> None:
        """Listen (the folder made 0700 and checked; a stale socket removed).

        Raises:
            paths.UnsafeDirectoryError: the folder is not this user's private one.
            AlreadyServingError: another vaultapp is listening there.
            OSError: Qt could not listen.
        """
        paths.ensure_private_dir(str(self.path.parent))
        if self.path.exists() or self.path.is_symlink():
            probe = QLocalSocket()
            probe.connectToServer(str(self.path))
            if probe.waitForConnected(200):
                probe.abort()
                raise AlreadyServingError(
                    QCoreApplication.translate("", "Another vaultapp already serves browsers at %1.").replace(
                        "%1", str(self.path)
                    )
                )
            self.path.unlink()
        if not self.server.listen(str(self.path)):
            raise OSError(
                QCoreApplication.translate("", "Cannot listen at %1: %2")
                .replace("%2", self.server.errorString())
                .replace("%1", str(self.path))
            )
        self.path.chmod(0o600)

    def close(self) -> None:
        """Stop listening and drop every connection (the proxies answer "not running" after)."""
        for conn in list(self.connections):
            conn.blockSignals(True)  # no _drop from the abort: it is done here
            conn.abort()
            conn.deleteLater()
        self.connections.clear()
        self.server.close()

    def notify_locked(self, locked: bool) -> None:
        for conn in list(self.connections):
            self._send(conn, notice(locked))

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            self.connections[conn] = JsonStream()
            conn.readyRead.connect(self._ready)
            conn.disconnected.connect(self._gone)

    # Slots take the socket from sender(): a lambda holding it made PySide delete it twice.
    def _ready(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._read(conn)

    def _gone(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._drop(conn)

    def _drop(self, conn: QLocalSocket) -> None:
        self.connections.pop(conn, None)
        conn.deleteLater()

    def _send(self, conn: QLocalSocket, reply: dict[str, object]) -> None:
        data = dumps(reply)
        if len(data) > MAX_MESSAGE:
            action = str(reply.get("action", ""))
            data = dumps(error_reply(action, Error.UNKNOWN_ERROR, "The reply would be over 1 MiB."))
        conn.write(data)
        conn.flush()

    def _read(self, conn: QLocalSocket) -> None:
        stream = self.connections.get(conn)
        if stream is None:
            return
        try:
            values = stream.feed(bytes(conn.readAll().data()))
        except TooLargeError:  # the proxy refuses these: whatever sent it is not our proxy
            conn.abort()
            return
        for value in values:
            request = None if value is GARBAGE else value
            reply = self.handler.handle(request)
            if conn not in self.connections:  # a callback (a dialog) outlived the connection:
                self.handler.unlogged.clear()  # nothing was handed out (the proxy answers it)
                return
            self._send(conn, reply)
            self.handler.flush_log()
