"""vaultapp: a desktop password and passphrase manager."""

__version__ = "0.1.0"
