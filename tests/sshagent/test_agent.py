"""Keys from entries into a real ssh-agent and out again: ``add-on-unlock`` keys go in with their
lifetime and confirm constraints (read from the agent's debug log, and confirm proved by the agent
asking before a signature), removal takes out exactly the keys added, never the user's own; a
generated key pair signs through the agent and its public key verifies the signature."""

from __future__ import annotations

import re
import socket
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ssh_agent import SshAgent, make_key
from vaultapp.core import Vault
from vaultapp.core.errors import AgentError, EntryNotFoundError
from vaultapp.sshagent.agent import AgentClient, NoAgentError, agent_path
from vaultapp.sshagent.entries import KEY_FIELD, SETTINGS_FIELD
from vaultapp.sshagent.keys import generate_ed25519, read_key
from vaultapp.sshagent.session import AgentSession


def _entry(vault: Vault, title: str, key: Path | str, settings: str = "", password: str | None = None) -> str:
    text = key.read_text() if isinstance(key, Path) else key
    custom = [(KEY_FIELD, text, True)] + ([(SETTINGS_FIELD, settings, False)] if settings else [])
    return vault.add(title, password=password, custom=custom).uuid


def _constraints(agent: SshAgent, comment: str) -> tuple[int, int]:
    """(lifetime, confirm) the agent recorded when the key with ``comment`` was added."""
    for line in agent.added_lines():
        if f'"{comment}"' in line:
            found = re.search(r"\(life: (\d+)\) \(confirm: (\d+)\)", line)
            assert found is not None, line
            return int(found[1]), int(found[2])
    raise AssertionError(f"{comment} was not added: {agent.added_lines()}")


def test_unlock_adds_chosen_keys_and_lock_removes_only_them(
    ssh_agent: SshAgent, new_vault: Vault, tmp_path: Path
) -> None:
    """add-on-unlock keys (one protected by the entry's password, one in an attachment) go in with
    their constraints; a key without add-on-unlock stays out; removal leaves the user's own key."""
    users = make_key(ssh_agent, tmp_path, "users-own")
    ssh_agent.run("ssh-add", str(users))
    protected = make_key(ssh_agent, tmp_path, "protected", "ecdsa", passphrase="key pass")
    plain = make_key(ssh_agent, tmp_path, "plain", "rsa")
    other = make_key(ssh_agent, tmp_path, "other")
    _entry(new_vault, "Server A", protected, "add-on-unlock confirm lifetime=600", password="key pass")
    _entry(new_vault, "Not on unlock", other, "confirm")
    uuid = new_vault.add("Server B", custom=[(SETTINGS_FIELD, "add-on-unlock attachment=id_rsa", False)]).uuid
    new_vault.attach(uuid, "id_rsa", plain.read_bytes())

    session = AgentSession(AgentClient(str(ssh_agent.sock)))
    outcome = session.add_on_unlock(new_vault)
    assert outcome.failed == []
    assert sorted(a.title for a in outcome.added) == ["Server A", "Server B"]
    listed = ssh_agent.listed()
    assert "Server A (ECDSA)" in listed
    assert "Server B (RSA)" in listed
    assert "users-own" in listed
    assert "Not on unlock" not in listed
    assert _constraints(ssh_agent, "Server A") == (600, 1)
    assert _constraints(ssh_agent, "Server B") == (0, 0)

    assert session.remove_added() == 2
    assert ssh_agent.fingerprints() == {ssh_agent.run("ssh-keygen", "-lf", f"{users}.pub").stdout.split()[1]}


def test_key_the_user_added_already_is_left_in(ssh_agent: SshAgent, new_vault: Vault, tmp_path: Path) -> None:
    """A key the agent holds before unlock is not added again, and not removed at lock."""
    key = make_key(ssh_agent, tmp_path, "shared")
    ssh_agent.run("ssh-add", str(key))
    _entry(new_vault, "Shared", key, "add-on-unlock")
    session = AgentSession(AgentClient(str(ssh_agent.sock)))
    outcome = session.add_on_unlock(new_vault)
    assert [a.fresh for a in outcome.added] == [False]
    assert session.remove_added() == 0
    assert "shared (ED25519)" in ssh_agent.listed()


def test_confirm_constraint_makes_the_agent_ask(
    ssh_agent: SshAgent, new_vault: Vault, tmp_path: Path
) -> None:
    """A confirm key is used only after the agent asks (our askpass says no: the signature is
    refused); the same kind of key without confirm signs at once."""
    asked = make_key(ssh_agent, tmp_path, "asked")
    free = make_key(ssh_agent, tmp_path, "free")
    _entry(new_vault, "Asked", asked, "add-on-unlock confirm")
    _entry(new_vault, "Free", free, "add-on-unlock")
    AgentSession(AgentClient(str(ssh_agent.sock))).add_on_unlock(new_vault)
    message = tmp_path / "message"
    message.write_text("hello\n")
    refused = ssh_agent.run("ssh-keygen", "-Y", "sign", "-f", f"{asked}.pub", "-n", "file", str(message),
                            check=False)  # fmt: skip
    assert refused.returncode != 0
    assert "refused" in refused.stderr
    assert "Asked" in ssh_agent.asked.read_text()  # the agent asked about our key
    ssh_agent.run("ssh-keygen", "-Y", "sign", "-f", f"{free}.pub", "-n", "file", str(message))
    assert (tmp_path / "message.sig").is_file()


def test_generated_key_signs_through_the_agent(ssh_agent: SshAgent, new_vault: Vault, tmp_path: Path) -> None:
    """A generated Ed25519 pair, added from its entry: the agent signs with it, and the public key
    shown verifies that signature (ssh-keygen -Y verify with it as the allowed signer)."""
    pair = generate_ed25519("deploy@host")
    uuid = _entry(new_vault, "Deploy", pair.private_openssh)
    session = AgentSession(AgentClient(str(ssh_agent.sock)))
    session.add_entry(new_vault, new_vault.get(uuid), lifetime=300)
    assert _constraints(ssh_agent, "Deploy") == (300, 0)
    public = tmp_path / "deploy.pub"
    public.write_text(pair.public_line + "\n")
    message = tmp_path / "message"
    message.write_text("signed by the agent\n")
    ssh_agent.run("ssh-keygen", "-Y", "sign", "-f", str(public), "-n", "file", str(message))
    signers = tmp_path / "allowed_signers"
    signers.write_text("deploy@host " + " ".join(pair.public_line.split()[:2]) + "\n")
    verified = _verify(ssh_agent, signers, message)
    assert 'Good "file" signature for deploy@host' in verified


def _verify(agent: SshAgent, signers: Path, message: Path) -> str:
    with message.open("rb") as data:
        result = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "deploy@host", "-n", "file",  # noqa: S607
             "-s", f"{message}.sig"],
            stdin=data, capture_output=True, text=True, env=agent.env, timeout=60, check=True,
        )  # fmt: skip
    return result.stdout + result.stderr


def test_entry_without_key_and_no_agent(new_vault: Vault, tmp_path: Path) -> None:
    """An entry with no key: exit-5 error naming the fields; no agent at the path: one line."""
    uuid = new_vault.add("Plain login").uuid
    with pytest.raises(EntryNotFoundError, match="holds no SSH key: put the private key"):
        AgentSession(AgentClient(str(tmp_path / "none.sock"))).add_entry(new_vault, new_vault.get(uuid))
    key = read_key(generate_ed25519("x").private_openssh, None, comment="x", where="x")
    with pytest.raises(NoAgentError, match=r"No SSH agent answers at .*none\.sock"):
        AgentClient(str(tmp_path / "none.sock")).add(key)
    with pytest.raises(NoAgentError, match="SSH_AUTH_SOCK is not set"):
        agent_path({})


@pytest.fixture
def refusing_agent(tmp_path: Path) -> Iterator[Path]:
    """An agent that, like some desktop agents, lists no keys, takes plain keys and refuses any
    key with constraints (a test double: OpenSSH's agent accepts every constraint)."""
    path = tmp_path / "refusing.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while header := conn.recv(4, socket.MSG_WAITALL):
                    (length,) = struct.unpack(">I", header)
                    kind = conn.recv(length, socket.MSG_WAITALL)[0]
                    reply = {11: b"\x0c\x00\x00\x00\x00", 17: b"\x06"}.get(kind, b"\x05")
                    conn.sendall(struct.pack(">I", len(reply)) + reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    server.shutdown(socket.SHUT_RDWR)  # wakes the accept
    server.close()
    thread.join(timeout=30)


def test_agent_refusing_a_constraint_says_so(refusing_agent: Path) -> None:
    """A refused confirm/lifetime names the constraints and what to do; a plain key goes in."""
    key = read_key(generate_ed25519("x").private_openssh, None, comment="Work key", where="x")
    client = AgentClient(str(refusing_agent))
    with pytest.raises(AgentError, match=r"refused the key 'Work key' with a lifetime of 60 s and confirm"):
        client.add(key, lifetime=60, confirm=True)
    client.add(key)
