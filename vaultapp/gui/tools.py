"""The window's tool windows: generator, passphrase change, health, audit log, settings, help."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from vaultapp.gui.main_window import MainWindow

ToolDialog = TypeVar("ToolDialog", bound="QDialog")


class Tools:
    """Opens each tool window for the window's vault; the non-blocking ones are kept in the
    window's ``health_dialog``, ``log_dialog`` and ``passphrase_dialog`` so a lock closes them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ssh_keygen_dialog: QDialog | None = None  # Entry → New SSH key… (the last one opened)

    def open_generator(
        self,
        *,
        for_editor: bool = False,
        parent: Any = None,
        rules: str | None = None,
        kind: str | None = None,
    ) -> str | None:
        """The generator dialog; Copy uses the secure clipboard. Returns the value to use, if any."""
        from vaultapp.gui.generator import GeneratorDialog

        w = self.window
        dialog = GeneratorDialog(parent or w, w.settings, for_editor=for_editor, rules=rules, kind=kind)
        dialog.setObjectName("generator_dialog")
        dialog.copy_requested.connect(lambda value: w.clipboard.copy(value, "Generated secret"))
        w.generator = dialog
        dialog.exec()
        w.generator = None
        return dialog.use_value

    def change_passphrase(self) -> None:
        """File → Change passphrase…: re-encrypts the vault and its backups in a worker."""
        from vaultapp.gui.change_passphrase import ChangePassphraseDialog

        w = self.window
        vault = w.vault
        if vault is None:
            return
        w.idle.stop()  # no lock half-way through re-encrypting

        def finished(result: int) -> None:
            w.passphrase_dialog = None
            if w.vault is not vault:
                return
            w.idle.set_seconds(w.settings.idle_lock_seconds)
            if result == ChangePassphraseDialog.DialogCode.Accepted:
                message = "Passphrase changed; the automatic backups use the new one too."
                if vault.audit_warning:
                    message += f" {vault.audit_warning}"
                w.statusBar().showMessage(message, 10_000)

        w.passphrase_dialog = self._open_tool(ChangePassphraseDialog(w, vault), "passphrase_dialog")
        w.passphrase_dialog.finished.connect(finished)

    def new_ssh_key(self) -> None:
        """Entry → New SSH key…: a new Ed25519 key pair into a new entry (gui/ssh_keygen.py)."""
        from vaultapp.gui.ssh_keygen import SshKeygenDialog

        if self.window.vault is not None:
            self.ssh_keygen_dialog = dialog = SshKeygenDialog(self.window, self.window)
            dialog.on_created = self.window.ssh_agent.add_new
            self.ssh_keygen_dialog.open()

    def open_health(self) -> None:
        """Tools → Password health: the report runs in a worker; findings are sortable."""
        from vaultapp.gui.health import HealthDialog

        w = self.window
        if w.vault is not None:
            dialog = HealthDialog(w, w, open_entry=self._edit_uuid, generate=self._generate_password)
            w.health_dialog = self._open_tool(dialog, "health_dialog")
            w.health_dialog.start()

    def open_log(self) -> None:
        """Tools → Audit log: the events, newest first, and whether the chain verifies."""
        from vaultapp.gui.health import LogDialog

        w = self.window
        if w.vault is not None:
            w.log_dialog = self._open_tool(LogDialog(w, w.vault), "log_dialog")

    def _edit_uuid(self, uuid: str) -> None:
        w = self.window
        w.vault_view.select_uuid(uuid)
        w.entry_actions.edit_entry()

    def _generate_password(self, parent: QWidget, rules: str | None) -> str | None:
        return self.open_generator(for_editor=True, parent=parent, rules=rules, kind="password")

    def _open_tool(self, dialog: ToolDialog, name: str) -> ToolDialog:
        """Open a non-blocking Tools dialog kept in the attribute ``name`` until it closes."""
        dialog.setObjectName(name)
        dialog.finished.connect(lambda _r: setattr(self.window, name, None))
        dialog.open()
        return dialog

    def open_settings(self) -> None:
        from vaultapp.gui import dialogs

        w = self.window
        vault = w.vault
        before = None if vault is None else (vault.backup_count, vault.backup_folder_setting)
        app_before = self._app_settings()
        if dialogs.SettingsDialog.ask(w, w.settings, vault):
            if vault is not None and self._app_settings() != app_before:
                vault.note("settings.changed", None, {"setting": "app"})
            w.apply_settings()
            if vault is not None and (vault.backup_count, vault.backup_folder_setting) != before:
                w.save()

    def _app_settings(self) -> tuple[object, ...]:
        w = self.window
        s = w.settings
        return (s.clipboard_seconds, s.idle_lock_seconds, s.lock_on_minimize, s.show_passwords_in_table,
                s.theme, s.browser_enabled, w.desktop.options.values())  # fmt: skip

    def about_text(self) -> str:
        from vaultapp import __version__

        url = docs_url()
        guide = f"<p><a href='{url.toString()}'>User guide</a></p>" if url is not None else ""
        return (
            f"<h3>vaultapp {__version__}</h3>"
            "<p>A password manager that keeps your logins in one encrypted file on this computer.</p>"
            "<p>Licence: MIT.</p>"
            "<p>Passphrase words: the EFF Large Wordlist by the Electronic Frontier Foundation, "
            "CC BY 3.0 US.</p>" + guide
        )

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About vaultapp", self.about_text())

    def open_docs(self) -> None:
        from PySide6.QtGui import QDesktopServices

        url = docs_url()
        if url is not None:
            QDesktopServices.openUrl(url)


def docs_url() -> QUrl | None:
    """The user guide: the README of a source checkout, or the project page of an installed copy."""
    readme = Path(__file__).resolve().parent.parent.parent / "README.md"
    if readme.is_file():
        return QUrl.fromLocalFile(str(readme))
    try:
        from importlib.metadata import metadata

        for entry in metadata("vaultapp").get_all("Project-URL") or []:
            _label, _, url = entry.partition(", ")
            if url.startswith("https://"):
                return QUrl(url)
    except Exception:  # noqa: BLE001 - no metadata: no link
        return None
    return None
