"""The KeePassXC-Browser protocol, host side: one ``Handler`` turns each request dict from the
extension into the reply dict (no Qt, no sockets; ``gui`` carries the bytes).

Crypto is NaCl ``crypto_box`` (X25519 + XSalsa20-Poly1305) from PyNaCl. ``change-public-keys``
gives each client ID a fresh host key pair; every later request is a box under a 24-byte nonce the
client chose, and the reply is boxed under that nonce plus one (little-endian), as the extension
checks. A nonce already used in the session, one that is not 24 bytes, or a box that does not open
is refused with error 4 (``CANNOT_DECRYPT_MESSAGE``). Errors are plain ``{action, errorCode,
error}`` (the extension matches them to the request by action).

What the window supplies is ``Callbacks``: the open vault (None while locked), the association
prompt, the access prompt, the generator, lock and unlock. Associations (the extension's permanent
identification public key, by the name the user gave) and remembered access decisions (per entry
and site) are kept inside the vault, sealed (``Vault.integration_data("browser")``). Each entry
handed out is logged (``entry.sent``: entry UUID, host, client; never the secret), right after the
reply is written (``flush_log``).

``VERSION`` is the KeePassXC version whose protocol features are all implemented: 2.7.0 (TOTP from
2.6.1, the extension's own generator button from 2.7.0). Not implemented, so not claimed: passkeys
(2.7.7), ``request-autotype`` (answered "cancelled"), favicon downloads (ignored).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
import uuid as uuid_module
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Final

from nacl.exceptions import CryptoError
from nacl.public import Box, PrivateKey, PublicKey

from vaultapp.browser import matching
from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.core import Entry, Vault

VERSION: Final = "2.7.0"
NONCE_BYTES: Final = 24
KEY_BYTES: Final = 32
MAX_SESSIONS: Final = 64  # client IDs with keys at once; the oldest is dropped beyond it
MAX_NONCES: Final = 100_000  # nonces remembered per session against replays
INTEGRATION: Final = "browser"  # the vault's integration-data name
DEFAULT_GROUP: Final = "KeePassXC-Browser Passwords"  # where set-login puts entries without a group
STRING_FIELD_PREFIX: Final = "KPH: "  # custom fields handed to the page as stringFields


class Error(IntEnum):
    """The protocol's error codes (KeePassXC-Browser's ``kpErrors``)."""

    UNKNOWN_ERROR = 0
    DATABASE_NOT_OPENED = 1
    DATABASE_HASH_NOT_RECEIVED = 2
    CLIENT_PUBLIC_KEY_NOT_RECEIVED = 3
    CANNOT_DECRYPT_MESSAGE = 4
    TIMEOUT_OR_NOT_CONNECTED = 5
    ACTION_CANCELLED_OR_DENIED = 6
    PUBLIC_KEY_NOT_FOUND = 7
    ASSOCIATION_FAILED = 8
    KEY_CHANGE_FAILED = 9
    ENCRYPTION_KEY_UNRECOGNIZED = 10
    NO_SAVED_DATABASES_FOUND = 11
    INCORRECT_ACTION = 12
    EMPTY_MESSAGE_RECEIVED = 13
    NO_URL_PROVIDED = 14
    NO_LOGINS_FOUND = 15
    NO_GROUPS_FOUND = 16
    CANNOT_CREATE_NEW_GROUP = 17
    NO_VALID_UUID_PROVIDED = 18
    ACCESS_TO_ALL_ENTRIES_DENIED = 19


class ProtocolError(Exception):
    def __init__(self, code: Error, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def error_reply(action: str, code: Error, text: str, request_id: object = None) -> dict[str, Any]:
    reply: dict[str, Any] = {"action": action, "errorCode": int(code), "error": text}
    if isinstance(request_id, str):
        reply["requestID"] = request_id
    return reply


def notice(locked: bool) -> dict[str, Any]:
    """The unencrypted broadcast sent to every connected browser when the vault locks/unlocks."""
    return {"action": "database-locked" if locked else "database-unlocked"}


# ---- the bytes ---------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes | None:
    """Base64 text to bytes (of exactly ``size`` bytes when given), or None."""
    if not isinstance(text, str):
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if size is None or len(data) == size else None


def increment(nonce: bytes) -> bytes:
    """``nonce`` + 1 as a little-endian number, wrapping (libsodium's ``sodium_increment``)."""
    value = (int.from_bytes(nonce, "little") + 1) % (1 << (8 * len(nonce)))
    return value.to_bytes(len(nonce), "little")


def seal_bytes(plain: bytes, nonce: bytes, their_public: bytes, our_secret: bytes) -> str:
    """``plain`` in a NaCl box; base64 of the ciphertext (MAC first) without the nonce."""
    return b64(Box(PrivateKey(our_secret), PublicKey(their_public)).encrypt(plain, nonce).ciphertext)


def seal(payload: dict[str, Any], nonce: bytes, their_public: bytes, our_secret: bytes) -> str:
    """``payload`` as compact JSON in a NaCl box (see ``seal_bytes``)."""
    return seal_bytes(
        json.dumps(payload, separators=(",", ":")).encode("utf-8"), nonce, their_public, our_secret
    )


def open_box(message: str, nonce: bytes, their_public: bytes, our_secret: bytes) -> dict[str, Any] | None:
    """The JSON object inside a box, or None when it does not open or is not an object."""
    data = unb64(message)
    if data is None:
        return None
    try:
        plain = Box(PrivateKey(our_secret), PublicKey(their_public)).decrypt(data, nonce)
        value = json.loads(plain.decode("utf-8"))
    except (CryptoError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# ---- what the window supplies ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Access:
    """The user's answer to "may <host> have these entries": the UUIDs allowed (the others asked
    about are denied) and whether to remember it for that site."""

    allowed: frozenset[str]
    remember: bool = False


def _no_vault() -> Vault | None:
    return None


def _deny_associate(key: str) -> str | None:
    return None


def _deny_access(entries: list[Entry], host: str) -> Access:
    return Access(frozenset())


def _default_password() -> str:
    from vaultapp.generators.password import generate_password

    return generate_password().value


def _nothing() -> None:
    return None


def _ignore(text: str) -> None:
    return None


@dataclass(slots=True)
class Callbacks:
    """What the app plugs in. Every prompt defaults to "no"; the defaults make a host that serves
    nothing (a test or a headless start sets what it needs)."""

    vault: Callable[[], Vault | None] = _no_vault  # the open vault, None while locked
    ask_associate: Callable[[str], str | None] = _deny_associate  # (id key) -> the name, or None
    ask_access: Callable[[list[Entry], str], Access] = _deny_access  # (entries, host)
    generate_password: Callable[[], str] = _default_password  # with the user's default settings
    lock: Callable[[], None] = _nothing
    request_unlock: Callable[[], None] = _nothing  # a request with triggerUnlock while locked
    notify: Callable[[str], None] = _ignore  # a line for the status bar or a notification
    clock: Callable[[], float] = time.time


# ---- what the vault keeps ----------------------------------------------------------------------


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


# ---- the handler -------------------------------------------------------------------------------


@dataclass(slots=True)
class Session:
    """One client ID's keys: the extension's session public key and ours."""

    client_public: bytes
    host_key: PrivateKey = field(default_factory=PrivateKey.generate)
    seen: OrderedDict[bytes, None] = field(default_factory=OrderedDict)
    associated: str | None = None  # the association this session proved (associate/test-associate)

    def fresh(self, nonce: bytes) -> bool:
        """Remember ``nonce``; False if it was used already in this session."""
        if nonce in self.seen:
            return False
        self.seen[nonce] = None
        if len(self.seen) > MAX_NONCES:
            self.seen.popitem(last=False)
        return True


def short_uuid(uuid: str) -> str:
    return uuid.replace("-", "")


def database_hash(vault: Vault) -> str:
    """A stable per-vault id for the extension (SHA-256 of the vault's id, hex)."""
    return hashlib.sha256(("vaultapp:" + vault.vault_id).encode("utf-8")).hexdigest()


def group_uuid(vault: Vault, path: str) -> str:
    return uuid_module.uuid5(uuid_module.NAMESPACE_URL, f"vaultapp:{vault.vault_id}/{path}").hex


class Handler:
    """Answers requests for every client ID that talks to this app (see the module docstring)."""

    def __init__(self, callbacks: Callbacks | None = None) -> None:
        self.callbacks = callbacks or Callbacks()
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.unlogged: list[tuple[Vault, str, dict[str, Any]]] = []  # (vault, entry UUID, detail)
        self._actions: dict[str, Callable[[Session, dict[str, Any], dict[str, Any]], dict[str, Any]]] = {
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

    def handle(self, request: object) -> dict[str, Any]:
        """The reply to one request (a decoded JSON value)."""
        self.flush_log()
        if not isinstance(request, dict):
            return error_reply("", Error.EMPTY_MESSAGE_RECEIVED, "The message is not a JSON object.")
        action = request.get("action")
        request_id = request.get("requestID")
        if not isinstance(action, str) or not action:
            return error_reply("", Error.INCORRECT_ACTION, "The message has no action.", request_id)
        try:
            if action == "change-public-keys":
                return self._change_keys(request)
            return self._encrypted(action, request)
        except ProtocolError as exc:
            return error_reply(action, exc.code, exc.text, request_id)
        except VaultError as exc:  # a save that failed or conflicted: nothing was handed out
            return error_reply(action, Error.UNKNOWN_ERROR, str(exc), request_id)

    def _change_keys(self, request: dict[str, Any]) -> dict[str, Any]:
        client_id = request.get("clientID")
        public = unb64(request.get("publicKey"), KEY_BYTES)
        nonce = unb64(request.get("nonce"), NONCE_BYTES)
        if not isinstance(client_id, str) or not client_id or public is None:
            raise ProtocolError(
                Error.KEY_CHANGE_FAILED, "change-public-keys needs a clientID and a 32-byte publicKey."
            )
        if nonce is None:
            raise ProtocolError(Error.CANNOT_DECRYPT_MESSAGE, "The nonce must be 24 bytes, base64.")
        session = Session(public)
        session.fresh(nonce)
        self.sessions.pop(client_id, None)
        self.sessions[client_id] = session
        while len(self.sessions) > MAX_SESSIONS:
            self.sessions.popitem(last=False)
        return {
            "action": "change-public-keys",
            "version": VERSION,
            "publicKey": b64(bytes(session.host_key.public_key)),
            "nonce": b64(increment(nonce)),
            "success": "true",
        }

    def _encrypted(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        client_id = request.get("clientID")
        session = self.sessions.get(client_id) if isinstance(client_id, str) else None
        if session is None:
            raise ProtocolError(
                Error.CLIENT_PUBLIC_KEY_NOT_RECEIVED, "Exchange keys first (change-public-keys)."
            )
        nonce = unb64(request.get("nonce"), NONCE_BYTES)
        if nonce is None:
            raise ProtocolError(Error.CANNOT_DECRYPT_MESSAGE, "The nonce must be 24 bytes, base64.")
        secret = bytes(session.host_key)
        inner = open_box(request.get("message", ""), nonce, session.client_public, secret)
        if inner is None:
            raise ProtocolError(
                Error.CANNOT_DECRYPT_MESSAGE, "The message does not decrypt with this nonce and key."
            )
        if not session.fresh(nonce):
            raise ProtocolError(Error.CANNOT_DECRYPT_MESSAGE, "This nonce was used already (a replay).")
        if inner.get("action", action) != action:
            raise ProtocolError(Error.INCORRECT_ACTION, "The encrypted action differs from the outer one.")
        run = self._actions.get(action)
        if run is None:
            raise ProtocolError(Error.INCORRECT_ACTION, f"Unknown action {action!r}.")
        payload = run(session, inner, request)
        payload.setdefault("version", VERSION)
        payload.setdefault("success", "true")
        reply_nonce = increment(nonce)
        payload["nonce"] = b64(reply_nonce)
        reply = {
            "action": action,
            "message": seal(payload, reply_nonce, session.client_public, secret),
            "nonce": b64(reply_nonce),
            "clientID": client_id,
        }
        if isinstance(request.get("requestID"), str):
            reply["requestID"] = request["requestID"]
        return reply

    # ---- the actions ------------------------------------------------------------------------

    def _vault(self, request: dict[str, Any]) -> Vault:
        vault = self.callbacks.vault()
        if vault is None:
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
        found = [entry for _, entry in matching.matching(vault.entries, url, submit_url)]
        if not found:
            raise ProtocolError(Error.NO_LOGINS_FOUND, "No logins found.")
        allowed = self._allowed(stored, found, host)
        if not allowed:
            raise ProtocolError(Error.ACCESS_TO_ALL_ENTRIES_DENIED, "Access to all entries was denied.")
        now = self.callbacks.clock()
        entries = [self._entry_json(vault, entry, now) for entry in allowed]
        self.unlogged += [(vault, entry.uuid, {"host": host, "client": client}) for entry in allowed]
        return {"count": len(entries), "entries": entries, "hash": database_hash(vault), "id": client}

    def _allowed(self, stored: Stored, found: list[Entry], host: str) -> list[Entry]:
        decided = {entry.uuid: stored.decision(entry.uuid, host) for entry in found}
        ask = [entry for entry in found if decided[entry.uuid] is None]
        if ask:
            answer = self.callbacks.ask_access(ask, host)
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
