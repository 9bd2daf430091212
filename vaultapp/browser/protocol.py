"""The KeePassXC-Browser protocol's sessions, host side: one ``Handler`` turns each request dict
from the extension into the reply dict (no Qt, no sockets; ``gui`` carries the bytes).

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

Its parts: ``boxes`` (the bytes, boxes, nonces, sessions), ``replies`` (errors, notices,
``VERSION``), ``callbacks`` (what the window supplies), ``stored`` (what the vault keeps),
``actions`` (the encrypted actions). The names front ends and tests use are re-exported here.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Final

from vaultapp.browser.actions import DEFAULT_GROUP, STRING_FIELD_PREFIX, Actions
from vaultapp.browser.boxes import (
    KEY_BYTES,
    NONCE_BYTES,
    Session,
    b64,
    increment,
    open_box,
    seal,
    seal_bytes,
    unb64,
)
from vaultapp.browser.callbacks import Access, Callbacks
from vaultapp.browser.replies import VERSION, Error, ProtocolError, error_reply, notice
from vaultapp.browser.stored import (
    INTEGRATION,
    Stored,
    clients,
    database_hash,
    forget_client,
    group_tree,
    group_uuid,
)
from vaultapp.core.errors import VaultError

__all__ = [
    "DEFAULT_GROUP",
    "INTEGRATION",
    "KEY_BYTES",
    "NONCE_BYTES",
    "STRING_FIELD_PREFIX",
    "VERSION",
    "Access",
    "Callbacks",
    "Error",
    "Handler",
    "ProtocolError",
    "Session",
    "Stored",
    "b64",
    "clients",
    "database_hash",
    "error_reply",
    "forget_client",
    "group_tree",
    "group_uuid",
    "increment",
    "notice",
    "open_box",
    "seal",
    "seal_bytes",
    "unb64",
]

MAX_SESSIONS: Final = 64  # client IDs with keys at once; the oldest is dropped beyond it


class Handler(Actions):
    """Answers requests for every client ID that talks to this app (see the module docstring)."""

    def __init__(self, callbacks: Callbacks | None = None) -> None:
        super().__init__(callbacks)
        self.sessions: OrderedDict[str, Session] = OrderedDict()

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
