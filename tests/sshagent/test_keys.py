"""SSH private keys read with cryptography: every kind OpenSSH's ssh-keygen makes, protected or
not, gives the fingerprint ssh-keygen gives; every bad key gets one clear error; the entries'
settings field reads back what it wrote and refuses typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ssh_agent import SshAgent, make_key
from vaultapp.core.errors import UsageError, WrongPassphraseError
from vaultapp.sshagent.entries import KeySettings, parse_settings
from vaultapp.sshagent.keys import generate_ed25519, read_key


def _fingerprint(agent: SshAgent, path: Path) -> str:
    return agent.run("ssh-keygen", "-l", "-f", f"{path}.pub").stdout.split()[1]


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [("ed25519", "RFC4716"), ("ecdsa", "RFC4716"), ("rsa", "RFC4716"), ("ecdsa", "PKCS8"),
     ("rsa", "PEM"), ("rsa", "PKCS8")],
)  # fmt: skip
@pytest.mark.parametrize("passphrase", ["", "key passphrase"])
def test_read_key_every_kind(
    ssh_agent: SshAgent, tmp_path: Path, kind: str, fmt: str, passphrase: str
) -> None:
    """OpenSSH, PEM and PKCS#8 keys of each type, protected or not, read to ssh-keygen's fingerprint."""
    path = make_key(ssh_agent, tmp_path, "k", kind, passphrase, fmt)
    key = read_key(path.read_bytes(), passphrase or None, comment="c", where="entry 'k'")
    assert key.fingerprint == _fingerprint(ssh_agent, path)
    assert key.public_line.split()[:2] == path.with_suffix(".pub").read_text().split()[:2]


def test_unprotected_key_with_an_entry_password(ssh_agent: SshAgent, tmp_path: Path) -> None:
    """An entry whose password is not the key's (the key has none) still gives its key."""
    path = make_key(ssh_agent, tmp_path, "k")
    key = read_key(path.read_bytes(), "the site's password", comment="c", where="entry 'k'")
    assert key.fingerprint == _fingerprint(ssh_agent, path)


def test_bad_keys_get_one_clear_error(ssh_agent: SshAgent, tmp_path: Path) -> None:
    """Wrong passphrase, missing passphrase, a public key, garbage: each its own message."""
    protected = make_key(ssh_agent, tmp_path, "p", passphrase="right one").read_bytes()
    with pytest.raises(WrongPassphraseError, match="does not decrypt the SSH key of entry 'p'"):
        read_key(protected, "wrong one", comment="c", where="entry 'p'")
    with pytest.raises(UsageError, match="protected by a passphrase: put the key's passphrase"):
        read_key(protected, None, comment="c", where="entry 'p'")
    public = (tmp_path / "p.pub").read_bytes()
    with pytest.raises(UsageError, match="is a public key"):
        read_key(public, None, comment="c", where="entry 'p'")
    with pytest.raises(UsageError, match="not a private key in OpenSSH or PEM form"):
        read_key(b"hello", None, comment="c", where="entry 'p'")
    with pytest.raises(UsageError, match="over 64 KiB"):
        read_key(b"-----BEGIN OPENSSH PRIVATE KEY-----" + b"A" * 70_000, None, comment="c", where="e")


def test_generated_key_pair_is_read_by_openssh(ssh_agent: SshAgent, tmp_path: Path) -> None:
    """ssh-keygen derives from the generated private key (protected or not) the public key shown."""
    for passphrase in ("", "secret words"):
        pair = generate_ed25519("alice@laptop", passphrase or None)
        private = tmp_path / f"gen{len(passphrase)}"
        private.write_text(pair.private_openssh)
        private.chmod(0o600)
        derived = ssh_agent.run("ssh-keygen", "-y", "-P", passphrase, "-f", str(private)).stdout.split()
        assert derived[:2] == pair.public_line.split()[:2]
        assert pair.public_line.endswith(" alice@laptop")
        assert (
            pair.fingerprint == read_key(pair.private_openssh, passphrase, comment="", where="x").fingerprint
        )


def test_settings_round_trip_and_refuse_typos() -> None:
    """The 'SSH agent' field reads back what it writes; a typo is refused, never dropped."""
    settings = KeySettings(add_on_unlock=True, confirm=True, lifetime=600, attachment="id_ed25519")
    assert parse_settings(settings.text()) == settings
    assert parse_settings("confirm, add-on-unlock") == KeySettings(add_on_unlock=True, confirm=True)
    assert parse_settings("") == KeySettings()
    with pytest.raises(UsageError, match="'confirmm' is not a setting"):
        parse_settings("add-on-unlock confirmm", title="t")
    with pytest.raises(UsageError, match="1 to 4294967295 seconds, not 0"):
        parse_settings("lifetime=0")
    with pytest.raises(UsageError, match="'soon' is not a whole number"):
        parse_settings("lifetime=soon")
