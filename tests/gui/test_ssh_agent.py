"""The window and a real ssh-agent: with Settings → SSH agent on, unlocking adds the add-on-unlock
keys with their constraints, locking and quitting remove exactly those (the user's own key stays),
turning it off removes them; Entry → New SSH key… makes a key pair whose public key verifies a
signature the agent makes with it after the next unlock."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from tests.gui.conftest import unlock
from tests.helpers import open_vault
from tests.ssh_agent import SshAgent, make_key
from vaultapp.gui.dialogs import SettingsDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings
from vaultapp.sshagent.entries import KEY_FIELD, SETTINGS_FIELD


@pytest.fixture
def agent(ssh_agent: SshAgent, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> SshAgent:
    monkeypatch.setenv("SSH_AUTH_SOCK", str(ssh_agent.sock))
    settings.ssh_agent_enabled = True
    return ssh_agent


@pytest.fixture
def keys(agent: SshAgent, demo_vault: Path, tmp_path: Path) -> Path:
    """Two key entries in the demo vault: one added at unlock (protected, confirm, 1 h), one not;
    and the user's own key already in the agent."""
    folder = tmp_path / "keys"
    folder.mkdir()
    protected = make_key(agent, folder, "a", "ecdsa", passphrase="key words")
    other = make_key(agent, folder, "b")
    users = make_key(agent, folder, "users-own")
    agent.run("ssh-add", str(users))
    with open_vault(demo_vault, writable=True) as vault:
        settings_field = (SETTINGS_FIELD, "add-on-unlock confirm lifetime=3600", False)
        vault.add(
            "Server", password="key words", custom=[(KEY_FIELD, protected.read_text(), True), settings_field]
        )
        vault.add("Spare key", custom=[(KEY_FIELD, other.read_text(), True)])
        vault.save()
    return users


def test_unlock_adds_lock_removes_only_ours(qtbot, window: MainWindow, agent: SshAgent, keys: Path) -> None:
    """Unlock: the add-on-unlock key is listed (with its constraints); lock: it is gone and the
    user's own key is still there; the spare key was never added."""
    unlock(qtbot, window)
    listed = agent.listed()
    assert "Server (ECDSA)" in listed
    assert "users-own" in listed
    assert "Spare key" not in listed
    line = next(x for x in agent.added_lines() if '"Server"' in x)
    assert re.search(r"\(life: 3600\) \(confirm: 1\)", line)
    assert "added 1 key" in window.ssh_agent.message
    window.lock()
    listed = agent.listed()
    assert "Server" not in listed
    assert "users-own" in listed
    assert "removed 1 key" in window.ssh_agent.message


def test_quitting_removes_the_keys(qtbot, window: MainWindow, agent: SshAgent, keys: Path) -> None:
    """Closing the window takes our key out of the agent."""
    unlock(qtbot, window)
    assert "Server (ECDSA)" in agent.listed()
    window.close()
    assert "Server" not in agent.listed()
    assert "users-own" in agent.listed()


def test_off_adds_nothing_and_switching_off_removes(
    qtbot, window: MainWindow, agent: SshAgent, keys: Path, settings: Settings
) -> None:
    """With the integration off nothing is added; on in Settings adds, off again removes."""
    settings.ssh_agent_enabled = False
    unlock(qtbot, window)
    assert "Server" not in agent.listed()
    settings.ssh_agent_enabled = True
    window.apply_settings()
    assert "Server (ECDSA)" in agent.listed()
    settings.ssh_agent_enabled = False
    window.apply_settings()
    assert "Server" not in agent.listed()


def test_no_agent_is_one_message(
    qtbot, window: MainWindow, keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SSH_AUTH_SOCK the unlock goes on and the status line says what to do."""
    monkeypatch.delenv("SSH_AUTH_SOCK")
    unlock(qtbot, window)
    assert window.vault is not None
    assert "SSH_AUTH_SOCK is not set" in window.ssh_agent.message


def test_settings_page(qtbot, agent: SshAgent, keys: Path, demo_vault: Path, settings: Settings) -> None:
    """The page shows the agent reached, the vault's key entries and their settings; OK stores the switch."""
    settings.ssh_agent_enabled = False
    with open_vault(demo_vault) as vault:
        dialog = SettingsDialog(None, settings, vault)
        qtbot.addWidget(dialog)
        page = dialog.ssh_agent_page
        assert dialog.tabs.indexOf(page) >= 0
        state = page.findChild(QLabel, "ssh_agent_state")
        lines = [w.text() for w in page.findChildren(QLabel, "ssh_agent_key")]
        assert state is not None
        assert f"The SSH agent at {agent.sock} holds 1 key." == state.text()
        assert lines == ["Server: add-on-unlock confirm lifetime=3600",
                         "Spare key: added only on request (vaultapp-cli ssh-add)"]  # fmt: skip
        page.enabled_check.setChecked(True)
        dialog.apply()
    assert Settings(settings.path).ssh_agent_enabled


def test_new_ssh_key_signs_through_the_agent(
    qtbot, window: MainWindow, agent: SshAgent, tmp_path: Path
) -> None:
    """Entry → New SSH key… adds an entry and shows its public key; the agent holds the key at once
    (add-on-unlock, the integration on) and after the next unlock, signs with it, and the public
    key shown verifies the signature."""
    unlock(qtbot, window)
    window.actions_by_name["ssh_keygen_action"].trigger()
    dialog = window.tools.ssh_keygen_dialog
    assert dialog is not None
    dialog.title_edit.setText("Deploy key")
    dialog.comment_edit.setText("deploy@ci")
    dialog.create_button.click()
    public = dialog.public_view.toPlainText()
    assert public.startswith("ssh-ed25519 ")
    assert public.endswith(" deploy@ci")
    dialog.close()
    assert "Deploy key (ED25519)" in agent.listed()
    entry = window.vault.find("Deploy key")
    assert {c.name for c in entry.custom} == {"SSH private key", "SSH public key", "SSH agent"}
    window.lock()
    assert "Deploy key" not in agent.listed()
    unlock(qtbot, window)
    assert "Deploy key (ED25519)" in agent.listed()
    pub = tmp_path / "deploy.pub"
    pub.write_text(public + "\n")
    message = tmp_path / "message"
    message.write_text("from the window\n")
    agent.run("ssh-keygen", "-Y", "sign", "-f", str(pub), "-n", "file", str(message))
    signers = tmp_path / "signers"
    signers.write_text("deploy@ci " + " ".join(public.split()[:2]) + "\n")
    with message.open("rb") as data:
        verified = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "deploy@ci", "-n", "file",  # noqa: S607
             "-s", f"{message}.sig"],
            stdin=data, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    assert 'Good "file" signature for deploy@ci' in verified.stdout + verified.stderr
