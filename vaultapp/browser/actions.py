"""The protocol's encrypted actions: each opened request (``inner``) of an associated session to
the payload boxed back (get-logins, set-login, associate, …), through the window's ``Callbacks``.
Every entry handed out is queued for the audit log (``entry.sent``) until ``flush_log``."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from vaultapp.browser import matching
from vaultapp.browser.boxes import KEY_BYTES, Session, b64, unb64
from vaultapp.browser.callbacks import Callbacks
from vaultapp.browser.index import HostIndex
from vaultapp.browser.replies import Error, ProtocolError
from vaultapp.browser.stored import Stored, database_hash, group_tree, group_uuid, short_uuid

if TYPE_CHECKING:
    from vaultapp.core import Entry, Vault

DEFAULT_GROUP: Final = "KeePassXC-Browser Passwords"  # where set-login puts entries without a group
STRING_FIELD_PREFIX: Final = "KPH: "  # custom fields handed to the page as stringFields

Action = Callable[[Session, dict[str, Any], dict[str, Any]], dict[str, Any]]


class Actions:
    """The action table and the actions; ``protocol.Handler`` adds the sessions and the boxes."""

    def __init__(self, callbacks: Callbacks | None = None) -> None:
        self.callbacks = callbacks or Callbacks()
        self.unlogged: list[tuple[Vault, str, dict[str, Any]]] = []  # (vault, entry UUID, detail)
        self.index = HostIndex()  # get-logins' entries by host, kept while the vault is unchanged
        self._actions: dict[str, Action] = {
            "get-databasehash": self._database_hash,
            "associate": self._associate,
            "test-associate": self._test_associate,
            "get-logins": self._get_logins,
            "set-login": self._set_login,
            "generate-password": self._generate_password,
            "get-totp": self._get_totp,
            "lock-database": self._lock,
            "get-database-groups": self._groups,
            "create-new-group": self._create_group,
            "request-autotype": self._autotype,
        }

    def flush_log(self) -> None:
        """Write the ``entry.sent`` records of the last reply. The transport calls this right
        after writing the reply (an fsync'd log line would otherwise be most of the reply's
        time); ``handle`` calls it first too, so no hand-out goes unlogged past the next request."""
        pending, self.unlogged = self.unlogged, []
        for vault, uuid, detail in pending:
            vault.note("entry.sent", uuid, detail)

    def _vault(self, request: dict[str, Any]) -> Vault:
        vault = self.callbacks.vault()
        if vault is None:
            self.index.clear()
            if request.get("triggerUnlock") in ("true", True):
                self.callbacks.request_unlock()
            raise ProtocolError(Error.DATABASE_NOT_OPENED, "The vault is locked.")
        return vault

    def _associated(self, session: Session) -> None:
        if session.associated is None:
            raise ProtocolError(Error.ASSOCIATION_FAILED, "Associate or test the association first.")

    def _database_hash(
        self, session: Session, inner: dict[str, Any], request: dict[str, Any]
    ) -> dict[str, Any]:
        return {"action": "hash", "hash": database_hash(self._vault(request))}

    def _associate(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        vault = self._vault(request)
        key, id_key = unb64(inner.get("key"), KEY_BYTES), unb64(inner.get("idKey"), KEY_BYTES)
        if key != session.client_public or id_key is None:
            raise ProtocolError(
                Error.ASSOCIATION_FAILED, "associate needs this session's key and a 32-byte idKey."
            )
        name = self.callbacks.ask_associate(b64(id_key))
        if name is None or not name.strip():
            raise ProtocolError(Error.ACTION_CANCELLED_OR_DENIED, "The association was declined.")
        stored = Stored(vault)
        name, base, n = name.strip(), name.strip(), 1
        while name in stored.clients:  # a second browser with the same name gets its own
            n += 1
            name = f"{base} ({n})"
        stored.clients[name] = {
            "key": b64(id_key),
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
        stored.save()
        session.associated = name
        self.callbacks.notify(f"Browser {name!r} connected to this vault.")
        return {"hash": database_hash(vault), "id": name}

    def _check_key(self, stored: Stored, name: object, key: object) -> str | None:
        from vaultapp.core.keys import same_secret

        if not isinstance(name, str) or not isinstance(key, str):
            return None
        known = stored.clients.get(name)
        if known is None or not same_secret(known.get("key", ""), key):
            return None
        return name

    def _test_associate(
        self, session: Session, inner: dict[str, Any], request: dict[str, Any]
    ) -> dict[str, Any]:
        vault = self._vault(request)
        name = self._check_key(Stored(vault), inner.get("id"), inner.get("key"))
        if name is None:
            raise ProtocolError(Error.ASSOCIATION_FAILED, "This browser is not associated with this vault.")
        session.associated = name
        return {"hash": database_hash(vault), "id": name}

    def _get_logins(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        vault = self._vault(request)
        stored = Stored(vault)
        keys = inner.get("keys")
        names = (
            [self._check_key(stored, k.get("id"), k.get("key")) for k in keys if isinstance(k, dict)]
            if isinstance(keys, list)
            else []
        )
        client = next((n for n in names if n is not None), None)
        if client is None:
            raise ProtocolError(Error.ASSOCIATION_FAILED, "None of the keys is associated with this vault.")
        url, submit_url = inner.get("url"), inner.get("submitUrl") or ""
        if not isinstance(url, str) or not url or not isinstance(submit_url, str):
            raise ProtocolError(Error.NO_URL_PROVIDED, "get-logins needs the page's url.")
        host = matching.page_host(url)
        found = [entry for _, entry in self.index.matching(vault, url, submit_url)]
        if not found:
            raise ProtocolError(Error.NO_LOGINS_FOUND, "No logins found.")
        allowed = self._allowed(stored, found, host, client)
        if not allowed:
            raise ProtocolError(Error.ACCESS_TO_ALL_ENTRIES_DENIED, "Access to all entries was denied.")
        now = self.callbacks.clock()
        entries = [self._entry_json(vault, entry, now) for entry in allowed]
        self.unlogged += [(vault, entry.uuid, {"host": host, "client": client}) for entry in allowed]
        return {"count": len(entries), "entries": entries, "hash": database_hash(vault), "id": client}

    def _allowed(self, stored: Stored, found: list[Entry], host: str, client: str) -> list[Entry]:
        decided = {entry.uuid: stored.decision(entry.uuid, host) for entry in found}
        ask = [entry for entry in found if decided[entry.uuid] is None]
        if ask:
            answer = self.callbacks.ask_access(ask, host, client)
            for entry in ask:
                decided[entry.uuid] = entry.uuid in answer.allowed
            if answer.remember:
                for entry in ask:
                    stored.remember(entry.uuid, host, entry.uuid in answer.allowed)
                stored.save()
        return [entry for entry in found if decided[entry.uuid]]

    def _entry_json(self, vault: Vault, entry: Entry, now: float) -> dict[str, Any]:
        item: dict[str, Any] = {
            "login": entry.username,
            "name": entry.title,
            "password": vault.reveal(entry.password) if entry.password is not None else "",
            "uuid": short_uuid(entry.uuid),
            "group": entry.folder.rsplit("/", 1)[-1] if entry.folder else "Root",
        }
        if entry.totp is not None:
            item["totp"] = self._code(vault, entry, now)
        if entry.expires is not None and entry.expires.timestamp() <= now:
            item["expired"] = "true"
        fields = [
            {f.name: vault.reveal(f.value) if not isinstance(f.value, str) else f.value}
            for f in entry.custom
            if f.name.startswith(STRING_FIELD_PREFIX)
        ]
        if fields:
            item["stringFields"] = fields
        return item

    def _code(self, vault: Vault, entry: Entry, now: float) -> str:
        from vaultapp.core.otpauth import parse
        from vaultapp.generators.otp import totp

        assert entry.totp is not None  # noqa: S101 - callers check
        params = parse(vault.reveal(entry.totp))
        return totp(params, now) if params.kind == "totp" else ""  # HOTP codes are used up in the app only

    def _find(self, vault: Vault, uuid: object) -> Entry:
        from vaultapp.core import EntryNotFoundError

        if isinstance(uuid, str):
            try:
                return vault.get(str(uuid_module.UUID(uuid)))
            except (ValueError, EntryNotFoundError):
                pass
        raise ProtocolError(Error.NO_VALID_UUID_PROVIDED, "No entry has that UUID.")

    def _get_totp(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        vault = self._vault(request)
        self._associated(session)
        entry = self._find(vault, inner.get("uuid"))
        if entry.totp is None:
            return {"totp": ""}
        self.unlogged.append((vault, entry.uuid, {"client": session.associated, "field": "totp"}))
        return {"totp": self._code(vault, entry, self.callbacks.clock())}

    def _folder(self, vault: Vault, inner: dict[str, Any]) -> str:
        wanted = inner.get("groupUuid")
        if isinstance(wanted, str) and wanted:
            for path in ["", *vault.folders]:
                if group_uuid(vault, path) == wanted:
                    return path
        group = inner.get("group")
        return group if isinstance(group, str) and group else DEFAULT_GROUP

    def _set_login(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        vault = self._vault(request)
        self._associated(session)
        url, login, password = inner.get("url"), inner.get("login", ""), inner.get("password", "")
        if not isinstance(url, str) or not url:
            raise ProtocolError(Error.NO_URL_PROVIDED, "set-login needs the page's url.")
        if not isinstance(login, str) or not isinstance(password, str):
            raise ProtocolError(Error.UNKNOWN_ERROR, "login and password must be text.")
        uuid = inner.get("uuid")
        if uuid:
            entry = self._find(vault, uuid)
            vault.update(entry.uuid, username=login, password=password)  # the old version goes to history
        else:
            title = matching.page_host(url) or url
            vault.add(title, username=login, password=password, url=url, folder=self._folder(vault, inner))
        vault.save(merge=True)
        return {"count": None, "entries": None, "error": "", "hash": database_hash(vault)}

    def _generate_password(
        self, session: Session, inner: dict[str, Any], request: dict[str, Any]
    ) -> dict[str, Any]:
        self._vault(request)
        self._associated(session)
        return {"password": self.callbacks.generate_password()}

    def _lock(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        self._vault(request)
        self._associated(session)
        self.callbacks.lock()
        raise ProtocolError(Error.DATABASE_NOT_OPENED, "The vault is locked.")

    def _groups(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        vault = self._vault(request)
        self._associated(session)
        return {
            "defaultGroup": "",
            "defaultGroupAlwaysAllow": False,
            "groups": {"groups": [group_tree(vault)]},
        }

    def _create_group(
        self, session: Session, inner: dict[str, Any], request: dict[str, Any]
    ) -> dict[str, Any]:
        from vaultapp.core import VaultError

        vault = self._vault(request)
        self._associated(session)
        name = inner.get("groupName")
        if not isinstance(name, str) or not name.strip("/ "):
            raise ProtocolError(Error.CANNOT_CREATE_NEW_GROUP, "create-new-group needs a groupName.")
        try:
            path = vault.add_folder(name)
            vault.save(merge=True)
        except VaultError as exc:
            raise ProtocolError(Error.CANNOT_CREATE_NEW_GROUP, str(exc)) from None
        return {"name": path.rsplit("/", 1)[-1], "uuid": group_uuid(vault, path)}

    def _autotype(self, session: Session, inner: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        raise ProtocolError(Error.ACTION_CANCELLED_OR_DENIED, "vaultapp has no auto-type yet.")
