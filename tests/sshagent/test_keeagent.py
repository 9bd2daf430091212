"""Entries from KeePassXC keep their SSH keys: a KDBX made by keepassxc-cli with the key and
KeePassXC's ``KeeAgent.settings`` as attachments, imported, adds the key at unlock with the
lifetime and confirm constraints that file names; a hostile or odd settings file is one error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.interop.test_kdbx import DB_PASS, kxc
from tests.ssh_agent import SshAgent, make_key
from vaultapp.core import UsageError, Vault
from vaultapp.interop.kdbx import import_kdbx
from vaultapp.interop.records import plan_records
from vaultapp.sshagent.agent import AgentClient
from vaultapp.sshagent.entries import KeySettings, settings_of
from vaultapp.sshagent.keeagent import read_keeagent
from vaultapp.sshagent.session import AgentSession

SETTINGS = """<?xml version="1.0" encoding="UTF-16"?>
<EntrySettings xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <AllowUseOfSshKey>{use}</AllowUseOfSshKey>
  <AddAtDatabaseOpen>true</AddAtDatabaseOpen>
  <RemoveAtDatabaseClose>true</RemoveAtDatabaseClose>
  <UseConfirmConstraintWhenAdding>true</UseConfirmConstraintWhenAdding>
  <UseLifetimeConstraintWhenAdding>true</UseLifetimeConstraintWhenAdding>
  <LifetimeConstraintDuration>1800</LifetimeConstraintDuration>
  <Location>
    <SelectedType>attachment</SelectedType>
    <AttachmentName>id_ed25519</AttachmentName>
    <SaveAttachmentToTempFile>false</SaveAttachmentToTempFile>
    <FileName />
  </Location>
</EntrySettings>
"""


def test_keepassxc_entry_adds_its_key_with_its_settings(
    ssh_agent: SshAgent, new_vault: Vault, tmp_path: Path, keepassxc_cli: str
) -> None:
    """keepassxc-cli attaches the key and KeeAgent.settings (UTF-16, as KeePassXC writes it); after
    the import the key goes in at unlock with confirm and a 1800 s lifetime; a key KeePassXC was
    told not to use stays out."""
    db = tmp_path / "kp.kdbx"
    kxc(keepassxc_cli, "db-create", "-q", "-p", "-t", "100", str(db), stdin=f"{DB_PASS}\n{DB_PASS}\n")
    for title, use in (("Server", "true"), ("Unused", "false")):
        key = make_key(ssh_agent, tmp_path, f"key-{title}")
        settings = tmp_path / f"{title}.settings"
        settings.write_bytes(SETTINGS.format(use=use).encode("utf-16"))
        kxc(keepassxc_cli, "add", "-q", str(db), title)
        kxc(keepassxc_cli, "attachment-import", "-q", str(db), title, "id_ed25519", str(key))
        kxc(keepassxc_cli, "attachment-import", "-q", str(db), title, "KeeAgent.settings", str(settings))
    new_vault.apply(plan_records(new_vault, import_kdbx(db, DB_PASS)))
    server = new_vault.find("Server")
    assert settings_of(new_vault, server) == KeySettings(True, True, 1800, "id_ed25519")

    session = AgentSession(AgentClient(str(ssh_agent.sock)))
    outcome = session.add_on_unlock(new_vault)
    assert outcome.failed == []
    assert [a.title for a in outcome.added] == ["Server"]
    line = next(x for x in ssh_agent.added_lines() if '"Server"' in x)
    assert re.search(r"\(life: 1800\) \(confirm: 1\)", line)
    assert "Unused" not in ssh_agent.listed()
    session.remove_added()
    assert "The agent has no identities." in ssh_agent.listed()


def test_settings_file_in_utf8_and_hostile_ones() -> None:
    """UTF-8 reads as UTF-16 does; a DTD, another root, or a bad lifetime is one error."""
    utf8 = SETTINGS.format(use="true").replace("UTF-16", "UTF-8").encode()
    assert read_keeagent(utf8, title="t") == (True, True, True, 1800, "id_ed25519")
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EntrySettings>&a;</EntrySettings>'
    with pytest.raises(UsageError, match="has a DTD or entities"):
        read_keeagent(bomb, title="t")
    with pytest.raises(UsageError, match=r"its root is <Other>"):
        read_keeagent(b"<Other/>", title="t")
    bad = SETTINGS.format(use="true").replace("1800", "soon").encode()
    with pytest.raises(UsageError, match="'soon' is not a whole number"):
        read_keeagent(bad, title="t")
    with pytest.raises(UsageError, match="is not valid XML"):
        read_keeagent(b"<EntrySettings>", title="t")
