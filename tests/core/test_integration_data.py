"""Vault-level data of an integration (the browser's associations and access decisions): sealed
inside the vault, kept across saves and a passphrase change; and the ``entry.sent`` audit event."""

from __future__ import annotations

import json

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import Vault


def test_integration_data_is_sealed_saved_and_survives_a_passphrase_change(new_vault: Vault) -> None:
    assert new_vault.integration_data("browser") == {}
    data = {"clients": {"Firefox at home": {"key": "AAAA"}}, "access": {}}
    new_vault.set_integration_data("browser", data)
    new_vault.save()
    sealed = new_vault._body.meta["integrations"]["browser"]
    assert "Firefox" not in sealed  # a Fernet token, not the JSON
    with open_vault(new_vault.path) as again:
        assert again.integration_data("browser") == data
        assert again.integration_data("other") == {}
        assert again.vault_id == new_vault.vault_id != ""
    new_vault.change_passphrase(PASSPHRASE + " 2")
    with open_vault(new_vault.path, PASSPHRASE + " 2") as again:
        assert again.integration_data("browser") == data
    new_vault.set_integration_data("browser", {})
    new_vault.save()
    assert "integrations" not in new_vault._body.meta
    records = new_vault.verify_log().records
    changed = [r.detail for r in records if r.event == "settings.changed"]
    assert changed == [{"setting": "integration.browser"}] * 2


def test_entry_sent_is_logged_without_the_secret(new_vault: Vault) -> None:
    entry = new_vault.add("Site", password="s3cret-value", url="https://example.com")
    new_vault.save()
    new_vault.note("entry.sent", entry.uuid, {"host": "example.com", "client": "Firefox at home"})
    (sent,) = [r for r in new_vault.verify_log().records if r.event == "entry.sent"]
    assert (sent.uuid, sent.detail) == (entry.uuid, {"host": "example.com", "client": "Firefox at home"})
    assert "s3cret" not in new_vault.audit_path.read_text()
    assert json.loads(new_vault.audit_path.read_text().splitlines()[-1])["event"] == "entry.sent"
