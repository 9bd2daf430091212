"""Shared fixtures. Tests use the explicit TEST_PARAMS/TEST_POLICY, never weakened defaults."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers import PASSPHRASE
from tests.ssh_agent import SshAgent, ssh_agent_fixture
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME and XDG folders, so nothing touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share")):
        monkeypatch.setenv(var, str(home / sub))
    for var in ("DBUS_SYSTEM_BUS_ADDRESS", "DBUS_SESSION_BUS_ADDRESS"):  # no real desktop's signals
        monkeypatch.setenv(var, f"unix:path={home}/no-{var.lower()}")
    return home


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "test.vault"


@pytest.fixture
def new_vault(vault_path: Path) -> Iterator[Vault]:
    """A fresh, empty vault with tiny KDF parameters, open for writing."""
    vault = Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY)
    yield vault
    vault.close()


@pytest.fixture
def keepassxc_cli() -> str:
    """KeePassXC's CLI; .ci/run installs it and sets VAULTAPP_REQUIRE_KEEPASSXC so it cannot be skipped."""
    found = shutil.which("keepassxc-cli")
    if found is None:
        if os.environ.get("VAULTAPP_REQUIRE_KEEPASSXC"):
            pytest.fail("keepassxc-cli is required here (apt-get install keepassxc)")
        pytest.skip("keepassxc-cli is not installed (apt-get install keepassxc)")
    return found


@pytest.fixture
def ssh_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshAgent]:
    """A real ssh-agent on a private socket (tests/ssh_agent.py); .ci/run sets VAULTAPP_REQUIRE_SSH_AGENT."""
    yield from ssh_agent_fixture(tmp_path_factory)
