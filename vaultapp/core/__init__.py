"""The vault core: the public API the front ends use. Never imports Qt."""

from __future__ import annotations

from vaultapp.core.entry import CustomField, Entry, Sealed, Tombstone
from vaultapp.core.errors import (
    AmbiguousQueryError,
    ConflictError,
    DamagedFileError,
    EntryNotFoundError,
    KdfParamsRejectedError,
    SaveFailedError,
    UnsupportedVersionError,
    UsageError,
    VaultBusyError,
    VaultError,
    VaultLockedError,
    WrongPassphraseError,
)
from vaultapp.core.kdf import (
    DEFAULT_POLICY,
    TEST_PARAMS,
    TEST_POLICY,
    Argon2idParams,
    Calibration,
    KdfParams,
    KdfPolicy,
    ScryptParams,
    calibrate,
)
from vaultapp.core.vault import UNSET, Vault

__all__ = [
    "DEFAULT_POLICY",
    "TEST_PARAMS",
    "TEST_POLICY",
    "UNSET",
    "AmbiguousQueryError",
    "Argon2idParams",
    "Calibration",
    "ConflictError",
    "CustomField",
    "DamagedFileError",
    "Entry",
    "EntryNotFoundError",
    "KdfParams",
    "KdfParamsRejectedError",
    "KdfPolicy",
    "SaveFailedError",
    "ScryptParams",
    "Sealed",
    "Tombstone",
    "UnsupportedVersionError",
    "UsageError",
    "Vault",
    "VaultBusyError",
    "VaultError",
    "VaultLockedError",
    "WrongPassphraseError",
    "calibrate",
]
