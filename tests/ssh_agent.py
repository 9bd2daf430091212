"""A real OpenSSH ``ssh-agent`` for the SSH agent tests: started in debug mode on a private socket
(its debug log shows each key's lifetime and confirm constraints), with an askpass program that
records each confirmation the agent asks for and refuses it; and ``ssh-add``/``ssh-keygen`` runs
against it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ASKPASS = """#!/bin/sh
echo "$1" >> "{log}"
exit 1
"""


class SshAgent:
    """One ``ssh-agent -d -a SOCK`` process; ``env`` points SSH_AUTH_SOCK at it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sock = folder / "agent.sock"
        self.log = folder / "agent.log"
        self.asked = folder / "asked.log"  # one line per confirmation the agent asked for
        askpass = folder / "askpass"
        askpass.write_text(ASKPASS.format(log=self.asked))
        askpass.chmod(0o700)
        env = {
            k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_AUTH_SOCK")
        }
        env.update(SSH_ASKPASS=str(askpass), SSH_ASKPASS_REQUIRE="force")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["ssh-agent", "-d", "-a", str(self.sock)],  # noqa: S607
                stdout=subprocess.PIPE, stderr=log, env=env, text=True,
            )  # fmt: skip
        assert self.process.stdout is not None
        first = self.process.stdout.readline()  # printed once the socket is listening
        assert first.startswith("SSH_AUTH_SOCK="), first
        self.env = {**os.environ, "SSH_AUTH_SOCK": str(self.sock)}

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), env=self.env, capture_output=True, text=True, timeout=60, check=check
        )

    def listed(self) -> str:
        """``ssh-add -l``'s output ("The agent has no identities." when empty)."""
        return self.run("ssh-add", "-l", check=False).stdout

    def fingerprints(self) -> set[str]:
        return {line.split()[1] for line in self.listed().splitlines() if line[:1].isdigit()}

    def added_lines(self) -> list[str]:
        """The debug log's lines for each key added, with its constraints:
        ``... "COMMENT" (life: N) (confirm: 0|1) ...``."""
        return [line for line in self.log.read_text().splitlines() if "process_add_identity: add " in line]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def ssh_agent_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshAgent]:
    if shutil.which("ssh-agent") is None or shutil.which("ssh-add") is None:
        if os.environ.get("VAULTAPP_REQUIRE_SSH_AGENT"):
            pytest.fail("ssh-agent is required here (apt-get install openssh-client)")
        pytest.skip("ssh-agent is not installed (apt-get install openssh-client)")
    agent = SshAgent(tmp_path_factory.mktemp("agent"))
    try:
        yield agent
    finally:
        agent.stop()


def make_key(agent: SshAgent, folder: Path, name: str, kind: str = "ed25519", passphrase: str = "",
             fmt: str = "RFC4716") -> Path:  # fmt: skip
    """A key pair made by OpenSSH's ssh-keygen (``fmt`` RFC4716 is its own format; PEM, PKCS8)."""
    path = folder / name
    agent.run("ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", name, "-m", fmt, "-f", str(path))
    return path
