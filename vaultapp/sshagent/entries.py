"""Which entries hold an SSH key, their agent settings, and reading the key out of an entry through
the ``Vault`` façade. The names are part of the file's meaning (docs/FORMAT.md, "SSH keys"):

- custom field ``SSH private key`` (protected): the private key's text (OpenSSH or PEM);
- custom field ``SSH agent``: the settings, words separated by spaces or commas:
  ``add-on-unlock``, ``confirm``, ``lifetime=SECONDS``, ``attachment=NAME`` (the key is in that
  attachment instead of the field);
- custom field ``SSH public key``: the ``authorized_keys`` line (shown for copying; not used);
- the entry's password is the key's passphrase when the key is protected;
- without an ``SSH agent`` field, KeePassXC's ``KeeAgent.settings`` attachment (``keeagent``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from vaultapp.core.entry import Attachment, Sealed
from vaultapp.core.errors import EntryNotFoundError, UsageError
from vaultapp.sshagent.keeagent import SETTINGS_ATTACHMENT, read_keeagent
from vaultapp.sshagent.keys import KEY_MAX, SshKey, read_key

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault

KEY_FIELD: Final = "SSH private key"
SETTINGS_FIELD: Final = "SSH agent"
PUBLIC_FIELD: Final = "SSH public key"
LIFETIME_MAX: Final = 2**32 - 1  # the agent protocol's uint32 seconds


@dataclass(frozen=True, slots=True)
class KeySettings:
    """An entry's agent settings (its ``SSH agent`` field)."""

    add_on_unlock: bool = False
    confirm: bool = False
    lifetime: int | None = None  # seconds; None: until removed
    attachment: str | None = None  # the key's attachment, instead of the ``SSH private key`` field

    def text(self) -> str:
        """The field's value for these settings (``parse_settings`` reads it back)."""
        words = []
        if self.add_on_unlock:
            words.append("add-on-unlock")
        if self.confirm:
            words.append("confirm")
        if self.lifetime is not None:
            words.append(f"lifetime={self.lifetime}")
        if self.attachment is not None:
            words.append(f"attachment={self.attachment}")
        return " ".join(words)


def check_lifetime(value: int | str, where: str = "--lifetime") -> int:
    """A lifetime in whole seconds, 1 to 2**32 - 1 (the agent protocol's range)."""
    try:
        seconds = int(value)
    except ValueError:
        raise UsageError(f"{where}: {value!r} is not a whole number of seconds.") from None
    if not 1 <= seconds <= LIFETIME_MAX:
        raise UsageError(f"{where}: a lifetime is 1 to {LIFETIME_MAX} seconds, not {seconds}.")
    return seconds


def parse_settings(text: str, *, title: str = "") -> KeySettings:
    """Read an ``SSH agent`` field. Unknown words are refused (a typo must not drop ``confirm``).

    Raises:
        UsageError: a word that is not a setting, or a bad lifetime.
    """
    where = f"Entry {title!r}, field {SETTINGS_FIELD!r}"
    add = confirm = False
    lifetime: int | None = None
    attachment: str | None = None
    for word in (w for w in re.split(r"[\s,]+", text.strip()) if w):
        name, eq, value = word.partition("=")
        key = name.casefold()
        if key in ("add-on-unlock", "unlock") and not eq:
            add = True
        elif key == "confirm" and not eq:
            confirm = True
        elif key == "lifetime" and eq:
            lifetime = check_lifetime(value, f"{where}, lifetime")
        elif key == "attachment" and eq and value:
            attachment = value
        else:
            raise UsageError(
                f"{where}: {word!r} is not a setting; use add-on-unlock, confirm, lifetime=SECONDS "
                "and attachment=NAME, separated by spaces."
            )
    return KeySettings(add, confirm, lifetime, attachment)


def _field(entry: Entry, name: str) -> str | Sealed | None:
    for custom in entry.custom:
        if custom.name.casefold() == name.casefold():
            return custom.value
    return None


def _text(vault: Vault, value: str | Sealed | None) -> str | None:
    if value is None:
        return None
    return vault.reveal(value) if isinstance(value, Sealed) else value


def _keeagent(entry: Entry) -> Attachment | None:
    return next((a for a in entry.attachments if a.name == SETTINGS_ATTACHMENT), None)


def holds_key(entry: Entry) -> bool:
    """The entry has an ``SSH private key`` or ``SSH agent`` field, or KeePassXC's
    ``KeeAgent.settings`` attachment (nothing is decrypted)."""
    return (
        _field(entry, KEY_FIELD) is not None
        or _field(entry, SETTINGS_FIELD) is not None
        or _keeagent(entry) is not None
    )


def settings_of(vault: Vault, entry: Entry) -> KeySettings:
    """The entry's agent settings: its ``SSH agent`` field; without one, KeePassXC's
    ``KeeAgent.settings`` attachment (a key KeePassXC may not use is never added on unlock); the
    defaults otherwise."""
    field = _field(entry, SETTINGS_FIELD)
    settings_file = _keeagent(entry)
    if field is None and settings_file is not None and _field(entry, KEY_FIELD) is None:
        use, on_open, confirm, lifetime, attachment = read_keeagent(
            vault.attachment_content(settings_file), title=entry.title
        )
        return KeySettings(use and on_open, confirm, lifetime, attachment if use else None)
    return parse_settings(_text(vault, field) or "", title=entry.title)


def key_entries(vault: Vault) -> list[Entry]:
    """The entries (not in the Trash) that hold an SSH key."""
    return [entry for entry in vault.entries if holds_key(entry)]


def load_key(vault: Vault, entry: Entry, settings: KeySettings | None = None) -> SshKey:
    """The entry's key, decrypted with the entry's password when it is protected; its comment is
    the entry's title.

    Raises:
        EntryNotFoundError: the entry holds no key (or not the attachment its settings name).
        UsageError: the key cannot be read, or is protected and the entry has no password.
        WrongPassphraseError: the entry's password does not decrypt it.
        DamagedFileError: the attachment holding it is damaged.
    """
    settings = settings_of(vault, entry) if settings is None else settings
    where = f"entry {entry.title!r}"
    data: bytes | str | None
    if settings.attachment is not None:
        attachment = vault.attachment(entry.uuid, settings.attachment)
        if attachment.size > KEY_MAX:
            raise UsageError(f"Attachment {attachment.name!r} of {where} is too large to be an SSH key.")
        data = vault.attachment_content(attachment)
    else:
        data = _text(vault, _field(entry, KEY_FIELD))
    if not data:
        raise EntryNotFoundError(
            f"Entry {entry.title!r} holds no SSH key: put the private key in a protected custom field "
            f"named {KEY_FIELD!r}, or attach the key file and name it in an {SETTINGS_FIELD!r} field "
            "(attachment=NAME)."
        )
    passphrase = vault.reveal(entry.password) if entry.password is not None else None
    return read_key(data, passphrase, comment=entry.title, where=where)
