"""The window's side of browser autofill: runs the ``BrowserServer`` while the integration is on
(from the window's first paint), tells the browsers when the vault locks and unlocks, and answers
the protocol's ``Callbacks`` with the window's vault, its dialogs and its generator settings.

The prompts are modal (the protocol's callbacks are synchronous). A prompt never outlives the
vault: a lock or closing the window rejects it and the waiting request gets the "vault locked"
error; a second prompt while one is open is refused at once rather than stacked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from vaultapp.browser.replies import Error, ProtocolError
from vaultapp.gui.i18n import fill, tr

if TYPE_CHECKING:
    from vaultapp.browser.callbacks import Access, Callbacks  # loaded with the server (dataclasses)
    from vaultapp.browser.gui import BrowserServer
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings


def browser_password(settings: Settings) -> str:
    """A password with the generator dialog's saved password options (its defaults otherwise)."""
    from vaultapp.generators.password import SYMBOLS, PasswordPolicy, generate_password

    saved = settings.generator_options
    try:
        length = int(str(saved.get("length", 20)))
    except ValueError:
        length = 20
    policy = PasswordPolicy(
        length=max(4, min(1024, length)),
        lower=bool(saved.get("lower", True)),
        upper=bool(saved.get("upper", True)),
        digits=bool(saved.get("digits", True)),
        symbols=bool(saved.get("symbols", True)),
        symbol_set=str(saved.get("symbol_set", SYMBOLS)),
        exclude=str(saved.get("exclude", "")),
        exclude_lookalikes=bool(saved.get("lookalikes", False)),
    )
    try:
        return generate_password(policy).value
    except Exception:  # noqa: BLE001 - saved options that no longer make a password: the defaults
        return generate_password().value


class BrowserLink:
    """Owned by the window (``window.browser``); ``update`` after every unlock, lock and settings
    change, ``close`` when the window closes."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.server: BrowserServer | None = None
        self.prompt: QDialog | None = None
        self.error = ""  # why the server could not start, for the settings page

    # ---- the server -------------------------------------------------------------------------

    def update(self) -> None:
        """Serve while the integration is on, locked or not (a locked app answers "locked" and
        comes to the front for the extension's unlock button, so the proxy never starts a second
        one); tell the browsers the vault's state."""
        w = self.window
        if not w.settings.browser_enabled:
            self.close()
            return
        fresh = self.server is None
        if fresh:
            self._start()
        if w.vault is None:
            self.cancel_prompt()
            if self.server is not None:
                self.server.handler.index.clear()  # get-logins' entries by host: none past a lock
            if self.server is not None and not fresh:
                self.server.notify_locked(True)
            return
        if self.server is not None and not fresh:
            self.server.notify_locked(False)
        self._warm(w.vault)

    def _start(self) -> None:
        from vaultapp.browser.gui import BrowserServer
        from vaultapp.browser.protocol import Handler

        server = BrowserServer(Handler(self.callbacks()), parent=self.window)
        try:
            server.start()
        except OSError as exc:
            self.error = fill(tr("Browser integration is off: %1"), exc)
            self.window.statusBar().showMessage(self.error, 10_000)
            server.deleteLater()
            return
        self.error = ""
        self.server = server

    def close(self) -> None:
        self.cancel_prompt()
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None

    def _warm(self, vault: Vault) -> None:
        """Parse the vault's URLs and load the suffix list off the GUI thread."""
        from vaultapp.browser import matching
        from vaultapp.gui.workers import run_in_background

        entries = list(vault.entries)
        run_in_background(self.window, lambda: matching.warm(entries), lambda _r: None, lambda _e: None)

    # ---- the callbacks ----------------------------------------------------------------------

    def callbacks(self) -> Callbacks:
        from vaultapp.browser.callbacks import Callbacks

        w = self.window
        return Callbacks(
            vault=lambda: w.vault,
            ask_associate=self.ask_associate,
            ask_access=self.ask_access,
            generate_password=lambda: browser_password(w.settings),
            lock=w.lock,
            request_unlock=self._request_unlock,
            notify=lambda text: w.statusBar().showMessage(text, 8000),
        )

    def _request_unlock(self) -> None:
        w = self.window
        w.showNormal()
        w.raise_()
        w.activateWindow()

    def _run(self, dialog: QDialog) -> Vault:
        """Show a prompt modally; the vault it was asked for, still open, or ProtocolError."""
        vault = self.window.vault
        if self.prompt is not None:
            dialog.deleteLater()
            raise ProtocolError(
                Error.ACTION_CANCELLED_OR_DENIED, tr("vaultapp is waiting for another answer.")
            )
        if vault is None:
            dialog.deleteLater()
            raise ProtocolError(Error.DATABASE_NOT_OPENED, tr("The vault is locked."))
        self.prompt = dialog
        try:
            self.window.idle.stop()  # no idle lock while the user reads the question
            dialog.exec()
        finally:
            self.prompt = None
            dialog.deleteLater()
            if self.window.vault is not None:
                self.window.idle.set_seconds(self.window.settings.idle_lock_seconds)
        if self.window.vault is not vault:
            raise ProtocolError(Error.DATABASE_NOT_OPENED, tr("The vault was locked before an answer."))
        return vault

    def ask_associate(self, id_key: str) -> str | None:
        from vaultapp.gui.browser_dialogs import AssociateDialog

        vault = self.window.vault
        name = vault.path.name if vault is not None else tr("the vault")
        dialog = AssociateDialog(self.window, id_key, name)
        self._run(dialog)
        return dialog.name()

    def ask_access(self, entries: list[Entry], host: str, client: str) -> Access:
        from vaultapp.gui.browser_dialogs import AccessDialog

        dialog = AccessDialog(self.window, entries, host, client)
        self._run(dialog)
        return dialog.access()

    def cancel_prompt(self) -> None:
        """Reject the open prompt (a lock, the window closing): its request gets an error."""
        if self.prompt is not None:
            self.prompt.reject()
