"""Second factors: a key file and a YubiKey's HMAC-SHA1 answer in the key schedule (format 2.0)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from tests.core.independent_reader import read_vault
from tests.helpers import PASSPHRASE
from tests.yubikey_standin import SECRET, SoftYubiKey
from vaultapp.core import TEST_PARAMS, TEST_POLICY, UnsupportedVersionError, Vault, WrongPassphraseError
from vaultapp.core import format as fmt
from vaultapp.core.errors import UsageError
from vaultapp.core.factors import FactorMissingError, YubiKeyError, pad_challenge
from vaultapp.core.kdf import Argon2idParams
from vaultapp.core.keyfile import create_key_file
from vaultapp.core.storage import backup_path


def _create(path: Path, passphrase: str | None = PASSPHRASE, **kw: object) -> Vault:
    return Vault.create(path, passphrase, kdf=TEST_PARAMS, policy=TEST_POLICY, **kw)  # type: ignore[arg-type]


def _open(path: Path, passphrase: str | None = PASSPHRASE, **kw: object) -> Vault:
    return Vault.open(path, passphrase, policy=TEST_POLICY, **kw)  # type: ignore[arg-type]


@pytest.fixture
def keyfile(tmp_path: Path) -> Path:
    path = tmp_path / "usb" / "vault.keyx"
    path.parent.mkdir()
    create_key_file(path)
    return path


def test_key_file_vault_needs_both_and_says_which_is_missing(vault_path: Path, keyfile: Path) -> None:
    """A vault made with a passphrase and a key file opens with both; without the key file the
    header says it is needed (exit 2, before any key derivation); a wrong key file or a wrong
    passphrase is one error that does not tell which (exit 3)."""
    with _create(vault_path, keyfile=keyfile) as vault:
        vault.add("mail", password="s3cret")
        vault.save()
    header = Vault.read_header(vault_path)
    assert header.version == "2.0"
    assert header.factors.keyfile
    assert header.factors.passphrase
    with _open(vault_path, keyfile=keyfile) as vault:
        assert vault.reveal(vault.find("mail").password) == "s3cret"  # type: ignore[arg-type]
    with pytest.raises(FactorMissingError, match="needs its key file") as missing:
        _open(vault_path)
    assert missing.value.exit_code == 2
    other = keyfile.parent / "other.keyx"
    create_key_file(other)
    for passphrase, given in ((PASSPHRASE, other), ("wrong", keyfile)):
        with pytest.raises(WrongPassphraseError, match="Wrong passphrase or key file") as wrong:
            _open(vault_path, passphrase, keyfile=given)
        assert wrong.value.exit_code == 3


def test_key_file_only_vault_takes_no_passphrase(vault_path: Path, keyfile: Path) -> None:
    """With passphrase None the key file alone opens it; a passphrase given to it is refused."""
    with _create(vault_path, None, keyfile=keyfile) as vault:
        vault.add("x")
        vault.save()
    assert Vault.read_header(vault_path).factors.describe() == "key file"
    with _open(vault_path, None, keyfile=keyfile) as vault:
        assert [e.title for e in vault.entries] == ["x"]
    with pytest.raises(WrongPassphraseError, match="Wrong key file"):
        _open(vault_path, None, keyfile=bytes(32))
    with pytest.raises(UsageError, match="cannot have none"):
        _create(vault_path.with_name("none.vault"), None)


def test_a_key_file_given_to_a_passphrase_vault_is_refused(new_vault: Vault, keyfile: Path) -> None:
    """A 1.2 vault does not use a key file: giving one is told (not taken for a wrong passphrase)."""
    new_vault.close()
    with pytest.raises(FactorMissingError, match="does not use a key file"):
        _open(new_vault.path, keyfile=keyfile)


def test_any_file_can_be_the_key_file(vault_path: Path, tmp_path: Path) -> None:
    """An existing file of any kind (a photo, say) is a key file: its SHA-256 is the key."""
    photo = tmp_path / "holiday.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    _create(vault_path, keyfile=photo).close()
    _open(vault_path, keyfile=photo).close()
    _open(vault_path, keyfile=hashlib.sha256(photo.read_bytes()).digest()).close()  # the key, given as bytes


def test_independent_reader_follows_the_documented_key_schedule(vault_path: Path, keyfile: Path) -> None:
    """docs/FORMAT.md §3.1 is enough to read a 2.0 vault: the independent reader, given the key
    file's content (and the YubiKey's secret), decrypts it."""
    with _create(vault_path, keyfile=keyfile) as vault:
        vault.add("mail", password="pw-1")
        vault.save()
    header, entries, _ = read_vault(vault_path.read_bytes(), PASSPHRASE, keyfile=keyfile.read_bytes())
    assert header["factors"] == {"keyfile": True, "passphrase": True}
    assert [e["password"] for e in entries] == ["pw-1"]
    yk = vault_path.with_name("yk.vault")
    with _create(yk, None, keyfile=keyfile, yubikey=SoftYubiKey(), yubikey_slot=2) as vault:
        vault.add("bank", password="pw-2")
        vault.save()
    header, entries, _ = read_vault(yk.read_bytes(), None, keyfile=keyfile.read_bytes(), yubikey=SECRET)
    assert header["factors"]["yubikey"]["slot"] == 2
    assert [e["password"] for e in entries] == ["pw-2"]


def test_old_readers_refuse_a_2_0_file_as_a_newer_format(vault_path: Path, keyfile: Path) -> None:
    """A reader of format 1.x (simulated: majors limited to 1) refuses a 2.0 vault as 'use a newer
    vaultapp' (exit 4), never as a wrong passphrase; a passphrase-only vault stays 1.2."""
    _create(vault_path, keyfile=keyfile).close()
    _create(vault_path.with_name("plain.vault")).close()
    assert Vault.read_header(vault_path.with_name("plain.vault")).version == "1.2"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fmt, "MAJORS", (1,))
        with pytest.raises(UnsupportedVersionError, match=r"format 2\.0.*newer vaultapp") as info:
            _open(vault_path, keyfile=keyfile)
        assert info.value.exit_code == 4


def test_damaged_factors_in_the_header_are_damage(vault_path: Path, keyfile: Path) -> None:
    """A 2.0 header whose factors make no sense is a damaged file, not a wrong passphrase."""
    from vaultapp.core.errors import DamagedFileError
    from vaultapp.core.factors import factors_from_header

    no_slot = {"passphrase": False, "keyfile": False, "yubikey": {"slot": 3, "challenge": ""}}
    no_second = {"passphrase": True, "keyfile": False}
    for bad in (None, [], {"passphrase": True, "keyfile": 1}, no_second, no_slot):
        with pytest.raises(DamagedFileError):
            factors_from_header(bad)


def test_adding_changing_and_removing_the_key_file_rekeys_vault_and_backups(
    vault_path: Path, keyfile: Path
) -> None:
    """passwd with a key file: 1.2 -> 2.0, the backups follow (they open with the new key file and
    not without it); another key file replaces it; removing it goes back to 1.2."""
    with _create(vault_path) as vault:
        vault.add("a", password="1")
        vault.save()
        vault.add("b", password="2")
        vault.save()  # a backup of the first save
        vault.change_passphrase(PASSPHRASE, keyfile=keyfile)
    backup = backup_path(vault_path)
    for path in (vault_path, backup):
        assert Vault.read_header(path).version == "2.0"
        with pytest.raises(FactorMissingError):
            _open(path)
        _open(path, keyfile=keyfile, audit=False).close()
    second = keyfile.with_name("second.keyx")
    create_key_file(second)
    with _open(vault_path, keyfile=keyfile, writable=True) as vault:
        vault.check_passphrase(PASSPHRASE, keyfile=keyfile)
        with pytest.raises(WrongPassphraseError):
            vault.check_passphrase(PASSPHRASE, keyfile=bytes(32))
        vault.change_passphrase("new words", keyfile=second)
    with pytest.raises(WrongPassphraseError):
        _open(vault_path, "new words", keyfile=keyfile)
    with _open(vault_path, "new words", keyfile=second, writable=True) as vault:
        vault.change_passphrase("new words")  # no key file any more
    assert Vault.read_header(vault_path).version == "1.2"
    assert Vault.read_header(backup).version == "1.2"
    with _open(vault_path, "new words") as vault:
        assert sorted(e.title for e in vault.entries) == ["a", "b"]
    with _open(backup, "new words", audit=False) as old:
        assert [e.title for e in old.entries] == ["a", "b"]


def test_stronger_kdf_rekey_keeps_the_factors(vault_path: Path, keyfile: Path) -> None:
    """A vault re-keyed at save for a stronger KDF (policy) still takes its key file."""
    weak = Argon2idParams(time_cost=1, memory_kib=64, parallelism=1)
    Vault.create(vault_path, PASSPHRASE, keyfile=keyfile, kdf=weak, policy=TEST_POLICY).close()
    stronger = TEST_POLICY.__class__(argon2_min_memory_kib=128, argon2_min_time_cost=2)
    with Vault.open(vault_path, PASSPHRASE, keyfile=keyfile, writable=True, policy=stronger) as vault:
        assert vault.needs_rehash
        vault.add("x")
        vault.save()
    header = Vault.read_header(vault_path)
    assert header.kdf.memory_kib == 128
    assert header.factors.keyfile
    _open(vault_path, keyfile=keyfile).close()


def test_merge_of_copies_with_different_factors(vault_path: Path, keyfile: Path, tmp_path: Path) -> None:
    """Two copies of one vault, one since given a key file: each opened with its own factors, the
    other's entries merge in."""
    with _create(vault_path) as vault:
        vault.add("shared")
        vault.save()
    copy = tmp_path / "copy.vault"
    copy.write_bytes(vault_path.read_bytes())
    with _open(vault_path, writable=True) as vault:
        vault.change_passphrase(PASSPHRASE, keyfile=keyfile)
        vault.add("only here")
        vault.save()
    with _open(copy, writable=True) as other:
        other.add("only there")
        other.save()
    with _open(vault_path, keyfile=keyfile, writable=True) as vault, _open(copy, audit=False) as other:
        with pytest.raises(WrongPassphraseError):
            vault.open_copy(copy)  # other keys: it needs its own passphrase
        vault.merge_from(other)
        vault.save()
    with _open(vault_path, keyfile=keyfile) as vault:
        assert sorted(e.title for e in vault.entries) == ["only here", "only there", "shared"]


def test_yubikey_vault_sends_the_padded_challenge_and_needs_the_same_secret(vault_path: Path) -> None:
    """A YubiKey vault sends the header's 32-byte challenge PKCS#7-padded to 64 bytes to the
    slot it names; a key with another secret (or none) does not open it; a second key
    programmed with the same secret does (the recovery note)."""
    key = SoftYubiKey()
    with _create(vault_path, yubikey=key, yubikey_slot=2) as vault:
        vault.add("x")
        vault.save()
    factors = Vault.read_header(vault_path).factors
    assert factors.yubikey_slot == 2
    assert len(factors.challenge) == 32
    assert key.challenges == [(2, pad_challenge(factors.challenge))]
    assert key.challenges[0][1][32:] == bytes([32]) * 32
    _open(vault_path, yubikey=SoftYubiKey(slot2=SECRET)).close()  # the spare key
    with pytest.raises(WrongPassphraseError, match="Wrong passphrase or YubiKey"):
        _open(vault_path, yubikey=SoftYubiKey(slot2=bytes(20)))
    with pytest.raises(YubiKeyError, match="Slot 2"):
        _open(vault_path, yubikey=SoftYubiKey(slot2=None, slot1=SECRET))
    with pytest.raises(FactorMissingError, match="YubiKey in slot 2"):
        _open(vault_path)
    fixed = SoftYubiKey(variable=False)  # a slot in fixed 64-byte mode hashes all 64 bytes
    expected = hmac.new(SECRET, pad_challenge(factors.challenge), hashlib.sha1).digest()
    assert fixed.challenge_response(2, pad_challenge(factors.challenge)) == expected
    fixed_vault = vault_path.with_name("fixed.vault")
    _create(fixed_vault, yubikey=fixed, yubikey_slot=2).close()
    _open(fixed_vault, yubikey=SoftYubiKey(variable=False)).close()
    with pytest.raises(WrongPassphraseError):  # the mode is part of what the spare must match
        _open(fixed_vault, yubikey=SoftYubiKey())


def test_yubikey_challenge_changes_at_every_rekey_but_not_for_a_stronger_kdf(vault_path: Path) -> None:
    """passwd draws a new challenge; removing the YubiKey needs no YubiKey afterwards."""
    key = SoftYubiKey()
    _create(vault_path, yubikey=key, yubikey_slot=2).close()
    before = Vault.read_header(vault_path).factors.challenge
    with _open(vault_path, yubikey=key, writable=True) as vault:
        vault.change_passphrase(PASSPHRASE, yubikey=key, yubikey_slot=2)
    after = Vault.read_header(vault_path).factors.challenge
    assert after != before
    with _open(vault_path, yubikey=key, writable=True) as vault:
        vault.change_passphrase(PASSPHRASE)
    assert Vault.read_header(vault_path).version == "1.2"
    _open(vault_path).close()


def test_every_header_byte_flip_of_a_2_0_file_is_damage_or_wrong_credentials(
    vault_path: Path, keyfile: Path
) -> None:
    """Flipping any byte of a 2.0 file's prefix, header, checksum or MAC gives DamagedFileError
    (or a subclass) or WrongPassphraseError, never anything else and never an open vault."""
    from vaultapp.core.errors import DamagedFileError

    _create(vault_path, keyfile=keyfile).close()
    data = vault_path.read_bytes()
    end = 16 + int.from_bytes(data[12:16], "big") + 64
    flipped = vault_path.with_name("flipped.vault")
    for offset in range(end):
        mutant = bytearray(data)
        mutant[offset] ^= 0x01
        flipped.write_bytes(bytes(mutant))
        with pytest.raises((DamagedFileError, WrongPassphraseError)):
            _open(flipped, keyfile=keyfile, audit=False)
