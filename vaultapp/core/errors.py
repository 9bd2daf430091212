"""The one exception tree of vaultapp.

Every class carries the exit code the command line uses for it, and a message that says what
happened and what to do. Messages never contain a secret. Front ends map these classes to
their output in exactly one place (``cli.main`` and ``gui/messages.py``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    from typing import ClassVar


class VaultError(Exception):
    """Root of every error vaultapp raises on purpose (exit 1 unless a subclass says otherwise)."""

    exit_code: ClassVar[int] = 1


class UsageError(VaultError, ValueError):
    """A bad option or value from the user: an impossible setting, a malformed argument."""

    exit_code: ClassVar[int] = 2


class AmbiguousQueryError(UsageError):
    """A title matched more than one entry; the user has to name the entry by its UUID."""


class WrongPassphraseError(VaultError):
    """The header MAC did not verify: the passphrase is wrong (or the header was forged)."""

    exit_code: ClassVar[int] = 3


class DamagedFileError(VaultError):
    """Not a vault, truncated, altered, or otherwise unreadable."""

    exit_code: ClassVar[int] = 4


class UnsupportedVersionError(DamagedFileError):
    """The file is a vault of a format version this program cannot read."""


class KdfParamsRejectedError(DamagedFileError):
    """The file asks for key-derivation parameters outside the accepted bounds."""


class SlowKdfError(UsageError):
    """The file's KDF parameters would take far longer (or more memory) than a vault of ours;
    nothing was derived. Front ends ask the user (the CLI: ``--allow-slow-kdf``)."""

    def __init__(self, message: str, *, ms: float = 0.0, memory_bytes: int = 0) -> None:
        super().__init__(message)
        self.ms = ms
        self.memory_bytes = memory_bytes


class AttachmentTooLargeError(UsageError):
    """An attachment over 64 MiB, or attachments over 1 GiB in one vault; nothing was added."""


class EntryNotFoundError(VaultError, LookupError):
    """No entry matches the UUID or title given."""

    exit_code: ClassVar[int] = 5


class VaultBusyError(VaultError):
    """Another writer holds the vault, or the file changed under us."""

    exit_code: ClassVar[int] = 6


class VaultLockedError(VaultBusyError):
    """Another process holds the vault's write lock (the message names the lock file)."""


class ConflictError(VaultBusyError):
    """The vault file changed on disk since it was opened; saving would overwrite that change."""


class ReadOnlyVaultError(VaultError):
    """The user made the vault file read-only (no owner-write bit); vaultapp will not replace it."""


class RollbackError(VaultBusyError):
    """This copy is older than one this device has seen; saving over it needs the user's yes."""


class CancelledError(VaultError):
    """The user cancelled a long operation (an import, a health report); nothing was changed."""


class ImportCancelledError(CancelledError):
    """The user cancelled an import; nothing was changed."""


class SaveFailedError(VaultError):
    """Writing the vault failed (disk full, permissions, I/O error); the old file is intact."""


class PassphraseChangedError(VaultError):
    """The passphrase WAS changed (the vault opens only with the new one), but some automatic
    backups could not be re-encrypted: they still open with the old passphrase (named)."""

    exit_code: ClassVar[int] = 7


class AgentError(VaultError):
    """The SSH agent could not be reached, or refused a key or one of its constraints (exit 8)."""

    exit_code: ClassVar[int] = 8


__all__ = [
    "AgentError",
    "AmbiguousQueryError",
    "CancelledError",
    "ConflictError",
    "DamagedFileError",
    "EntryNotFoundError",
    "ImportCancelledError",
    "KdfParamsRejectedError",
    "PassphraseChangedError",
    "ReadOnlyVaultError",
    "RollbackError",
    "SaveFailedError",
    "SlowKdfError",
    "UnsupportedVersionError",
    "UsageError",
    "VaultBusyError",
    "VaultError",
    "VaultLockedError",
    "WrongPassphraseError",
]
