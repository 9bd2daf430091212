"""Settings → SSH agent: the on/off switch (stored in the app's settings), which agent is reached
(``$SSH_AUTH_SOCK``), and the open vault's SSH key entries with their settings (the ``SSH agent``
field of each: add-on-unlock, confirm, lifetime=SECONDS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault
    from vaultapp.gui.settings import Settings


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text, objectName=name) if name else QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles and paths the user chose
    return label


class SshAgentSettingsPage(QWidget):
    """The page; ``enabled_check`` is applied with the dialog's OK (``apply``)."""

    def __init__(self, settings: Settings, vault: Vault | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ssh_agent_settings_page")
        self.settings = settings
        self.enabled_check = QCheckBox(
            "Add the vault's SSH keys marked add-on-unlock to the SSH agent at unlock, "
            "and remove them at lock and quit",
            objectName="ssh_agent_enabled_check",
        )
        self.enabled_check.setChecked(settings.ssh_agent_enabled)
        intro = _label(
            "An entry holds an SSH key in a protected custom field named 'SSH private key' (or in an "
            "attachment named by 'attachment=NAME'); a protected key's passphrase is the entry's "
            "password. Its 'SSH agent' field chooses: add-on-unlock, confirm (the agent asks before "
            "each use), lifetime=SECONDS. Entry → New SSH key… makes a new key pair."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addWidget(intro)
        layout.addWidget(_label(self._agent_state(), "ssh_agent_state"))
        box = QGroupBox("SSH keys in this vault")
        keys = QVBoxLayout(box)
        for line in self._key_lines(vault):
            keys.addWidget(_label(line, "ssh_agent_key"))
        layout.addWidget(box)
        layout.addStretch(1)

    @staticmethod
    def _agent_state() -> str:
        from vaultapp.sshagent.agent import AgentClient

        try:
            client = AgentClient()
            count = len(client.identities())
        except VaultError as exc:
            return str(exc)
        return f"The SSH agent at {client.path} holds {count} key{'s' if count != 1 else ''}."

    @staticmethod
    def _key_lines(vault: Vault | None) -> list[str]:
        if vault is None:
            return ["Unlock a vault to see its SSH keys."]
        from vaultapp.sshagent.entries import key_entries, settings_of

        lines = []
        for entry in key_entries(vault):
            try:
                text = settings_of(vault, entry).text() or "added only on request (vaultapp-cli ssh-add)"
            except VaultError as exc:
                text = str(exc)
            lines.append(f"{entry.title}: {text}")
        return lines or ["No entry holds an SSH key yet."]

    def apply(self) -> None:
        self.settings.ssh_agent_enabled = self.enabled_check.isChecked()
