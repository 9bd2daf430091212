"""What the vault keeps for browsers (sealed in ``Vault.integration_data("browser")``): the
associations by name and the remembered access decisions per entry and site; and the ids the
extension sees for a vault, its entries and its folders."""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from vaultapp.core import Vault

INTEGRATION: Final = "browser"  # the vault's integration-data name


class Stored:
    """The browser data kept in the vault: ``clients`` (name -> {"key", "created"}) and ``access``
    (entry UUID -> {"allow": [hosts], "deny": [hosts]})."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        data = vault.integration_data(INTEGRATION)
        clients, access = data.get("clients"), data.get("access")
        self.clients: dict[str, dict[str, str]] = clients if isinstance(clients, dict) else {}
        self.access: dict[str, dict[str, list[str]]] = access if isinstance(access, dict) else {}

    def save(self) -> None:
        self.vault.set_integration_data(INTEGRATION, {"clients": self.clients, "access": self.access})
        self.vault.save(merge=True)

    def decision(self, uuid: str, host: str) -> bool | None:
        rules = self.access.get(uuid, {})
        if host in rules.get("deny", []):
            return False
        if host in rules.get("allow", []):
            return True
        return None

    def remember(self, uuid: str, host: str, allowed: bool) -> None:
        rules = self.access.setdefault(uuid, {})
        keep, drop = ("allow", "deny") if allowed else ("deny", "allow")
        rules[drop] = [h for h in rules.get(drop, []) if h != host]
        rules[keep] = sorted({*rules.get(keep, []), host})
        self.access[uuid] = {k: v for k, v in rules.items() if v}


def forget_client(vault: Vault, name: str) -> bool:
    """Drop the association called ``name`` (Settings' Forget button); True if there was one."""
    stored = Stored(vault)
    if stored.clients.pop(name, None) is None:
        return False
    stored.save()
    return True


def clients(vault: Vault) -> dict[str, str]:
    """The associated browsers: name -> when associated (ISO time)."""
    return {name: info.get("created", "") for name, info in Stored(vault).clients.items()}


def short_uuid(uuid: str) -> str:
    return uuid.replace("-", "")


def database_hash(vault: Vault) -> str:
    """A stable per-vault id for the extension (SHA-256 of the vault's id, hex)."""
    return hashlib.sha256(("vaultapp:" + vault.vault_id).encode("utf-8")).hexdigest()


def group_uuid(vault: Vault, path: str) -> str:
    return uuid_module.uuid5(uuid_module.NAMESPACE_URL, f"vaultapp:{vault.vault_id}/{path}").hex


def group_tree(vault: Vault) -> dict[str, Any]:
    """The folders as the extension's group tree, under a root called "Root"."""
    root: dict[str, Any] = {"name": "Root", "uuid": group_uuid(vault, ""), "children": []}
    nodes = {"": root}
    for path in vault.folders:
        for depth in range(1, path.count("/") + 2):
            sub = "/".join(path.split("/")[:depth])
            if sub not in nodes:
                parent = nodes["/".join(sub.split("/")[:-1])]
                node = {"name": sub.rsplit("/", 1)[-1], "uuid": group_uuid(vault, sub), "children": []}
                parent["children"].append(node)
                nodes[sub] = node
    return root
