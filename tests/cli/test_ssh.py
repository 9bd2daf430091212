"""``ssh-keygen`` and ``ssh-add`` through real subprocesses against a real ssh-agent: the key goes
in with the constraints asked for and out with --remove; each failure is one line and its exit
code (5 no key / not in the agent, 2 bad settings, 3 wrong key passphrase, 8 no agent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error
from tests.helpers import open_vault
from tests.ssh_agent import SshAgent, make_key
from vaultapp.sshagent.entries import KEY_FIELD, SETTINGS_FIELD


@pytest.fixture
def vault(tmp_path: Path, ssh_agent: SshAgent, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SSH_AUTH_SOCK", str(ssh_agent.sock))
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    return path


def test_keygen_then_add_and_remove(vault: Path, ssh_agent: SshAgent) -> None:
    """ssh-keygen prints the public key and keeps the pair; ssh-add adds it with --lifetime and
    --confirm (as the agent's log shows), a second ssh-add leaves it, --remove takes it out."""
    made = cli("ssh-keygen", str(vault), "Web server", "--comment", "me@laptop", "--protect",
               stdin=PW + "\n")  # fmt: skip
    public = made.stdout.strip()
    assert public.startswith("ssh-ed25519 ")
    assert public.endswith(" me@laptop")
    shown = cli("show", str(vault), "Web server", "--field", "SSH public key", stdin=PW + "\n").stdout
    assert shown.strip() == public

    added = cli("ssh-add", str(vault), "Web server", "--lifetime", "900", "--confirm", stdin=PW + "\n")
    assert "(lifetime 900 s, confirm each use)" in added.stdout
    assert "Web server (ED25519)" in ssh_agent.listed()
    line = next(x for x in ssh_agent.added_lines() if '"Web server"' in x)
    assert re.search(r"\(life: 900\) \(confirm: 1\)", line)
    log = json.loads(cli("log", str(vault), "--json", stdin=PW + "\n").stdout)
    assert any(r.get("detail", {}).get("where") == "ssh-agent" for r in log["records"]), log
    again = cli("ssh-add", str(vault), "Web server", stdin=PW + "\n")
    assert "already; left as it was" in again.stdout

    cli("ssh-add", str(vault), "Web server", "--remove", stdin=PW + "\n")
    assert "Web server" not in ssh_agent.listed()
    missing = cli("ssh-add", str(vault), "Web server", "--remove", stdin=PW + "\n", check_rc=5)
    assert "does not hold the key of entry 'Web server'" in one_line_error(missing)


def test_entry_settings_apply_without_options(vault: Path, ssh_agent: SshAgent, tmp_path: Path) -> None:
    """Without options ssh-add uses the entry's 'SSH agent' field (here a lifetime of 120 s)."""
    key = make_key(ssh_agent, tmp_path, "k", "ecdsa", passphrase="key words")
    with open_vault(vault, writable=True) as v:
        v.add("Git", password="key words", custom=[(KEY_FIELD, key.read_text(), True),
                                                   (SETTINGS_FIELD, "lifetime=120", False)])  # fmt: skip
        v.save()
    cli("ssh-add", str(vault), "Git", stdin=PW + "\n")
    line = next(x for x in ssh_agent.added_lines() if '"Git"' in x)
    assert re.search(r"\(life: 120\) \(confirm: 0\)", line)


def test_failures_are_one_line_with_their_exit_code(
    vault: Path, ssh_agent: SshAgent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key 5, bad settings 2, wrong key passphrase 3, bad --lifetime 2, no agent 8."""
    key = make_key(ssh_agent, tmp_path, "k", passphrase="the real one")
    with open_vault(vault, writable=True) as v:
        v.add("Login")
        v.add("Typo", custom=[(KEY_FIELD, key.read_text(), True), (SETTINGS_FIELD, "confrim", False)])
        v.add("Wrong", password="not it", custom=[(KEY_FIELD, key.read_text(), True)])
        v.add("Good", password="the real one", custom=[(KEY_FIELD, key.read_text(), True)])
        v.save()
    assert "holds no SSH key" in one_line_error(
        cli("ssh-add", str(vault), "Login", stdin=PW + "\n", check_rc=5)
    )
    typo = one_line_error(cli("ssh-add", str(vault), "Typo", stdin=PW + "\n", check_rc=2))
    assert "'confrim' is not a setting" in typo
    wrong = one_line_error(cli("ssh-add", str(vault), "Wrong", stdin=PW + "\n", check_rc=3))
    assert "does not decrypt the SSH key of entry 'Wrong'" in wrong
    bad = cli("ssh-add", str(vault), "Login", "--lifetime", "-5", stdin=PW + "\n", check_rc=2)
    assert "--lifetime" in bad.stderr
    assert "Traceback" not in bad.stderr
    both = cli("ssh-add", str(vault), "Good", "--remove", "--confirm", stdin=PW + "\n", check_rc=2)
    assert "--remove takes neither" in one_line_error(both)
    assert "The agent has no identities." in ssh_agent.listed()
    monkeypatch.delenv("SSH_AUTH_SOCK")
    none = one_line_error(cli("ssh-add", str(vault), "Good", stdin=PW + "\n", check_rc=8))
    assert "SSH_AUTH_SOCK is not set" in none
