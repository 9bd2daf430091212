"""``vaultapp-cli`` with the software YubiKey in place of yubikey-manager's (the driver boundary,
``vaultapp.yubikey.default_driver``): the tests run it as ``python -m tests.cli.yubikey_cli``."""

from __future__ import annotations

import os
import sys

import vaultapp.yubikey
from tests.yubikey_standin import SoftYubiKey

SECRET_ENV = "VAULTAPP_TEST_YUBIKEY_SLOT2"  # hex; the stand-in's slot 2 secret (default SECRET)


def _driver() -> SoftYubiKey:
    secret = os.environ.get(SECRET_ENV)
    return SoftYubiKey(bytes.fromhex(secret)) if secret else SoftYubiKey()


vaultapp.yubikey.default_driver = _driver

if __name__ == "__main__":
    from vaultapp.cli.app import main

    sys.exit(main())
