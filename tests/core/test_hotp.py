"""HOTP: each code shown or copied uses up the counter, saved at once and logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, ConflictError, UsageError, Vault
from vaultapp.generators.otp import hotp, parse

URI = "otpauth://hotp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Example&digits=6"


@pytest.fixture
def hotp_vault(vault_path: Path) -> tuple[Path, str]:
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuid = vault.add("Bank token", totp=URI).uuid
        vault.add("Time based", totp="JBSWY3DPEHPK3PXP")
        vault.add("No code")
        vault.save()
    return vault_path, uuid


def _stored_counter(path: Path, uuid: str) -> int:
    with open_vault(path) as vault:
        return parse(vault.reveal(vault.get(uuid).totp)).counter  # type: ignore[arg-type]


def test_next_hotp_advances_the_counter_saves_and_logs(hotp_vault: tuple[Path, str]) -> None:
    """Three codes in a row are three different codes (counters 5, 6, 7); the file on disk holds 8
    without an explicit save; each step is an authenticated entry.changed record; no history."""
    path, uuid = hotp_vault
    with open_vault(path, writable=True) as vault:
        before = vault.get(uuid).modified
        used = [vault.next_hotp(uuid) for _ in range(3)]
        assert [p.counter for p in used] == [5, 6, 7]
        codes = [hotp(p) for p in used]
        assert len(set(codes)) == 3
        assert codes == [hotp(parse(URI), n) for n in (5, 6, 7)]
        entry = vault.get(uuid)
        assert entry.history == ()
        assert entry.modified > before
    assert _stored_counter(path, uuid) == 8
    with open_vault(path) as vault:
        stored = vault.reveal(vault.get(uuid).totp)  # type: ignore[arg-type]
        assert stored == URI.replace("counter=5", "counter=8")  # nothing else in the URI changed
        changed = [r for r in vault.verify_log().records if r.event == "entry.changed" and r.uuid == uuid]
    assert [r.detail for r in changed] == [{"fields": ["totp"]}] * 3
    assert all(r.authenticated for r in changed)


def test_next_hotp_refuses_totp_and_missing_codes(hotp_vault: tuple[Path, str]) -> None:
    """A time-based code has no counter and an entry without a code has none: UsageError, nothing saved."""
    path, _ = hotp_vault
    with open_vault(path, writable=True) as vault:
        generation = vault.generation
        with pytest.raises(UsageError, match="time-based"):
            vault.next_hotp(vault.find("Time based").uuid)
        with pytest.raises(UsageError, match="no one-time code"):
            vault.next_hotp(vault.find("No code").uuid)
        assert vault.generation == generation


def test_next_hotp_that_cannot_save_keeps_the_counter(hotp_vault: tuple[Path, str]) -> None:
    """When the save fails (the file changed on disk), the error comes before any code and the
    counter in memory is unchanged, with no record logged."""
    path, uuid = hotp_vault
    with open_vault(path, writable=True) as vault:
        with path.open("ab") as f:  # another program changed the file
            f.write(b"x")
        with pytest.raises(ConflictError):
            vault.next_hotp(uuid)
        assert parse(vault.reveal(vault.get(uuid).totp)).counter == 5  # type: ignore[arg-type]
        changed = [r for r in vault.verify_log().records if r.event == "entry.changed"]
    assert changed == []
