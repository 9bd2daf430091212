"""The vault core: the public API the front ends use. Never imports Qt.

Names are loaded on first use (PEP 562), so ``import vaultapp.core.errors`` stays cheap for
commands that need no vault (``vaultapp-cli --version`` must not import cryptography).
"""

from __future__ import annotations

from vaultapp.core.errors import (
    AmbiguousQueryError,
    CancelledError,
    ConflictError,
    DamagedFileError,
    EntryNotFoundError,
    ImportCancelledError,
    KdfParamsRejectedError,
    PassphraseChangedError,
    ReadOnlyVaultError,
    RollbackError,
    SaveFailedError,
    SlowKdfError,
    UnsupportedVersionError,
    UsageError,
    VaultBusyError,
    VaultError,
    VaultLockedError,
    WrongPassphraseError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    from typing import Any

    from vaultapp.core.entry import CustomField, Entry, Sealed, Tombstone
    from vaultapp.core.kdf import (
        DEFAULT_POLICY,
        TEST_PARAMS,
        TEST_POLICY,
        Argon2idParams,
        KdfParams,
        KdfPolicy,
        ScryptParams,
    )
    from vaultapp.core.kdf_cost import Calibration, calibrate
    from vaultapp.core.vault import UNSET, Vault

_LAZY = {
    "CustomField": "entry",
    "Entry": "entry",
    "Sealed": "entry",
    "Tombstone": "entry",
    "DEFAULT_POLICY": "kdf",
    "TEST_PARAMS": "kdf",
    "TEST_POLICY": "kdf",
    "Argon2idParams": "kdf",
    "Calibration": "kdf_cost",
    "KdfParams": "kdf",
    "KdfPolicy": "kdf",
    "ScryptParams": "kdf",
    "calibrate": "kdf_cost",
    "UNSET": "vault",
    "Vault": "vault",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vaultapp.core' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"vaultapp.core.{module}"), name)


__all__ = [
    "DEFAULT_POLICY",
    "TEST_PARAMS",
    "TEST_POLICY",
    "UNSET",
    "AmbiguousQueryError",
    "Argon2idParams",
    "Calibration",
    "CancelledError",
    "ConflictError",
    "CustomField",
    "DamagedFileError",
    "Entry",
    "EntryNotFoundError",
    "ImportCancelledError",
    "KdfParams",
    "KdfParamsRejectedError",
    "KdfPolicy",
    "PassphraseChangedError",
    "ReadOnlyVaultError",
    "RollbackError",
    "SaveFailedError",
    "ScryptParams",
    "Sealed",
    "SlowKdfError",
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
