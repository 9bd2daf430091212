"""The protocol's plain replies: its version, error codes, error replies and the lock notices
(the parts sent without a box)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Final

VERSION: Final = "2.7.0"  # see protocol's docstring for what it claims


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
