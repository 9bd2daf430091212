"""The YubiKey driver: HMAC-SHA1 challenge-response on slot 1 or 2 through yubikey-manager.

The core takes any ``vaultapp.core.factors.ChallengeResponse``; this is the one for real keys.
yubikey-manager is an optional dependency (``pip install 'vaultapp[yubikey]'``), imported only
when a key is asked, so nothing else pays for it. The tests inject a software stand-in at this
boundary (``tests/yubikey_standin.py``); docs/SECURITY.md has the manual check with a real key.
"""

from __future__ import annotations

from typing import Final

from vaultapp.core.factors import ChallengeResponse, YubiKeyError

INSTALL_HINT: Final = (
    "YubiKey support needs yubikey-manager: pip install 'vaultapp[yubikey]' (or yubikey-manager)."
)


class YkmanChallengeResponse:
    """The first YubiKey plugged in, reached over its OTP (HID) interface, as KeePassXC does."""

    def challenge_response(self, slot: int, challenge: bytes) -> bytes:
        try:
            from ykman.device import list_all_devices
            from yubikit.core.otp import OtpConnection
            from yubikit.yubiotp import SLOT, YubiOtpSession
        except ImportError:
            raise YubiKeyError(INSTALL_HINT) from None
        try:
            devices = list_all_devices([OtpConnection])
        except Exception as exc:  # noqa: BLE001 - a USB stack error of any kind: one clear line
            raise YubiKeyError(f"Could not look for a YubiKey: {exc}.") from None
        if not devices:
            raise YubiKeyError(
                "No YubiKey found. Plug it in (on Linux, the udev rules of the yubikey-manager "
                "or libu2f-udev package let you reach it) and try again."
            )
        device, _info = devices[0]
        try:
            with device.open_connection(OtpConnection) as connection:
                session = YubiOtpSession(connection)
                which = SLOT.ONE if slot == 1 else SLOT.TWO
                return bytes(session.calculate_hmac_sha1(which, challenge))
        except Exception as exc:  # noqa: BLE001 - not programmed, touch timed out, unplugged
            raise YubiKeyError(
                f"The YubiKey did not answer on slot {slot} ({exc or type(exc).__name__}). Check that the "
                "slot is set up for HMAC-SHA1 challenge-response (ykman otp chalresp --generate "
                f"{slot}) and touch the key when it blinks."
            ) from None


def default_driver() -> ChallengeResponse:
    """The driver the front ends use (the tests replace this function with a stand-in)."""
    return YkmanChallengeResponse()


def available() -> bool:
    """True when yubikey-manager is installed (the window offers the YubiKey only then)."""
    import importlib.util

    return importlib.util.find_spec("ykman") is not None
